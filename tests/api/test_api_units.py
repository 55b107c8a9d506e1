"""Pure parts of the client: errors, masking, backoff, multipart, skill folder checks."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from workbench.api.errors import (
    APIStatusError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RequestSizeError,
    error_from_body,
    human_bytes,
    parse_retry_after,
)
from workbench.api.multipart import MultipartBody, Part
from workbench.api.recording import EVENTS_HEAD, EVENTS_TAIL, Exchange, mask_key
from workbench.api.rules import front_matter
from workbench.api.skills import SkillFolderError, skill_parts
from workbench.api.transport import backoff_delay, should_retry


def test_error_from_body_types_and_str():
    err = error_from_body(404, '{"type":"error","error":{"type":"not_found_error",'
                               '"message":"model: nope"},"request_id":"req_1"}', {})
    assert isinstance(err, NotFoundError)
    assert (err.status, err.error_type, err.request_id) == (404, "not_found_error", "req_1")
    assert str(err) == "404 not_found_error: model: nope (request-id req_1)"
    odd = error_from_body(418, '{"type":"error","error":{"type":"teapot_error","message":"x"}}',
                          {"request-id": "req_2"})
    assert type(odd) is APIStatusError and odd.error_type == "teapot_error"
    html = error_from_body(502, "<html>Bad gateway</html>", {})
    assert isinstance(html, InternalServerError) is False and html.status == 502
    assert "Bad gateway" in str(html)
    rl = error_from_body(429, '{"type":"error","error":{"type":"rate_limit_error",'
                              '"message":"slow down"}}', {"retry-after": "7"})
    assert isinstance(rl, RateLimitError) and rl.retry_after == 7.0


def test_retry_after_parsing():
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert parse_retry_after({"retry-after": "2"}) == 2.0
    assert parse_retry_after({"retry-after": "garbage"}) is None
    assert parse_retry_after({}) is None


def test_backoff_and_retry_rules():
    for n, (lo, hi) in enumerate([(0.375, 0.5), (0.75, 1.0), (1.5, 2.0), (3, 4), (6, 8), (6, 8)]):
        for _ in range(50):
            assert lo <= backoff_delay(n) <= hi
    assert should_retry(529, {}) and should_retry(408, {}) and should_retry(409, {})
    assert not should_retry(400, {}) and not should_retry(404, {})
    assert should_retry(400, {"x-should-retry": "true"})
    assert not should_retry(503, {"x-should-retry": "false"})


def test_mask_key_and_sizes():
    assert mask_key("sk-ant-api03-abcdefghijklmnop-WXYZ") == "sk-ant-…WXYZ"
    assert "secret" not in mask_key("secret-key-value-1234")
    assert human_bytes(33 * 1024 * 1024) == "33 MB"
    assert human_bytes(1536) == "1.5 KB"
    err = RequestSizeError("the Messages request", 32 * 1024 * 1024, 33 * 1024 * 1024)
    assert "32 MB" in str(err) and "33 MB" in str(err)


def test_exchange_keeps_head_and_tail_of_long_streams():
    ex = Exchange("POST", "u", {})
    n = EVENTS_HEAD + EVENTS_TAIL + 500
    for i in range(n):
        ex.add_event(float(i), "e", str(i))
    ex.seal_events()
    assert len(ex.events) == EVENTS_HEAD + EVENTS_TAIL + 1
    assert ex.events[0][2] == "0" and ex.events[-1][2] == str(n - 1)
    assert ex.events[EVENTS_HEAD] == (float(EVENTS_HEAD + 500), "…", "500 events not kept")


def test_multipart_body_length_and_progress(tmp_path: Path):
    f = tmp_path / "a.bin"
    f.write_bytes(bytes(range(256)) * 5000)
    seen = []
    body = MultipartBody([Part("file", f, 'we"ird.bin', "application/octet-stream"),
                          Part("expires_in_seconds", b"3600")],
                         progress=lambda d, t: seen.append((d, t)))

    async def collect():
        return b"".join([c async for c in body.stream()])

    raw = asyncio.run(collect())
    assert len(raw) == body.length
    assert b'filename="we%22ird.bin"' in raw and f.read_bytes() in raw
    assert seen[0] == (0, f.stat().st_size) and seen[-1] == (f.stat().st_size,) * 2


def test_skill_folder_checks(tmp_path: Path):
    with pytest.raises(SkillFolderError, match=r"no SKILL\.md"):
        skill_parts(tmp_path)
    (tmp_path / "SKILL.md").write_text("no front matter")
    with pytest.raises(SkillFolderError, match="name and description"):
        skill_parts(tmp_path)
    (tmp_path / "SKILL.md").write_text("---\nname: my-skill\ndescription: Does x.\n---\nBody")
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "notes.md").write_text("notes")
    parts, meta = skill_parts(tmp_path)
    assert meta == {"name": "my-skill", "description": "Does x."}
    top = tmp_path.name
    assert sorted(p.filename for p in parts) == [f"{top}/SKILL.md", f"{top}/ref/notes.md"]
    assert all(p.name == "files[]" for p in parts)
    assert front_matter("---\nname: x\n") == {}
