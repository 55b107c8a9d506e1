"""Models, batches, files and skills against the emulator, every endpoint."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import httpx
import pytest

from workbench.api.client import ClaudeClient
from workbench.api.errors import APIStatusError, InvalidRequestError, NotFoundError
from workbench.api.skills import SkillFolderError
from workbench.api.types import (
    BatchResultLine,
    CursorPage,
    FileMetadata,
    MessageBatch,
    ModelInfo,
    Page,
    Skill,
    SkillVersion,
)

from .helpers import CONTROL, body

# ---- models -----------------------------------------------------------------------------------


async def test_models_pages_and_get(client: ClaudeClient):
    first = await client.models.list(limit=2)
    assert isinstance(first, Page) and len(first.data) == 2 and first.has_more
    assert first.first_id == first.data[0].id and first.last_id == first.data[1].id
    second = await client.models.list(limit=2, after_id=first.last_id)
    assert not {m.id for m in first.data} & {m.id for m in second.data}
    everything = await client.models.list_all()
    ids = [m.id for m in everything]
    assert len(ids) == len(set(ids)) > 3
    assert ids[:4] == [m.id for m in first.data + second.data]
    assert [m.id async for m in client.models.iter_all(limit=3)] == ids
    one = await client.models.get(ids[0])
    assert isinstance(one, ModelInfo) and one.id == ids[0] and one.display_name.startswith("Claude")
    assert one.max_input_tokens and one.max_tokens and one.capabilities is not None
    assert one.capabilities.thinking is not None
    assert isinstance(one.capabilities.thinking.supported, bool)


# ---- batches ----------------------------------------------------------------------------------


async def _wait_ended(client: ClaudeClient, batch_id: str, seconds: float = 15) -> MessageBatch:
    for _ in range(int(seconds / 0.05)):
        batch = await client.batches.get(batch_id)
        if batch.processing_status == "ended":
            return batch
        await asyncio.sleep(0.05)
    raise AssertionError(f"batch {batch_id} did not end")


async def test_batch_lifecycle_and_results(client: ClaudeClient, tmp_path: Path):
    requests = [{"custom_id": f"q-{i}", "params": body(f"Question number {i}?")}
                for i in range(3)]
    requests.append({"custom_id": "bad", "params": {"model": "claude-haiku-4-5",
                                                    "messages": []}})
    batch = await client.batches.create(requests)
    assert batch.id.startswith("msgbatch_") and batch.request_counts.total == 4
    assert batch.processing_status == "in_progress"
    listed = await client.batches.list(limit=5)
    assert listed.data[0].id == batch.id  # newest first
    # Not ended yet: cannot delete. Asked of a batch that takes 50 s here (this one ends in
    # 0.2 s, which a loaded machine can spend before the delete arrives).
    long = await client.batches.create([{"custom_id": f"l{i}", "params": body()}
                                        for i in range(1000)])
    with pytest.raises(APIStatusError):
        await client.batches.delete(long.id)
    await client.batches.cancel(long.id)
    await _wait_ended(client, long.id)
    await client.batches.delete(long.id)  # out of the other tests' lists
    ended = await _wait_ended(client, batch.id)
    assert ended.results_url and ended.ended_at
    assert ended.request_counts.succeeded == 3 and ended.request_counts.errored == 1
    lines = [line async for line in client.batches.results(batch.id)]
    assert all(isinstance(x, BatchResultLine) for x in lines)
    by_id = {x.custom_id: x.result for x in lines}
    assert set(by_id) == {"q-0", "q-1", "q-2", "bad"}
    assert by_id["q-1"].type == "succeeded" and by_id["q-1"].message.text
    assert by_id["bad"].type == "errored"
    assert by_id["bad"].error.error.type == "invalid_request_error"
    progress = []
    out = await client.batches.results_to_file(batch.id, tmp_path / "r.jsonl",
                                               progress=lambda d, t: progress.append(d))
    raw = out.read_text().splitlines()
    assert sorted(json.loads(x)["custom_id"] for x in raw if x.strip()) == sorted(by_id)
    assert progress[-1] == out.stat().st_size
    deleted = await client.batches.delete(batch.id)
    assert deleted.id == batch.id and deleted.type == "message_batch_deleted"
    with pytest.raises(NotFoundError):
        await client.batches.get(batch.id)


async def test_batch_cancel(client: ClaudeClient):
    slow = [{"custom_id": f"c{i}", "params": body()} for i in range(40)]
    batch = await client.batches.create(slow)
    canceled = await client.batches.cancel(batch.id)
    assert canceled.processing_status in ("canceling", "ended")
    assert canceled.cancel_initiated_at
    ended = await _wait_ended(client, batch.id)
    assert ended.request_counts.canceled + ended.request_counts.succeeded == 40
    kinds = {x.result.type async for x in client.batches.results(batch.id)}
    assert kinds <= {"succeeded", "canceled"}


# ---- files ------------------------------------------------------------------------------------


async def test_file_upload_list_get_delete(client: ClaudeClient, tmp_path: Path):
    data = os.urandom(3 * 1024 * 1024 + 17)
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    seen: list[tuple[int, int | None]] = []
    meta = await client.files.upload(path, progress=lambda d, t: seen.append((d, t)),
                                     mime_type="text/plain")
    assert isinstance(meta, FileMetadata) and meta.id.startswith("file_")
    assert (meta.filename, meta.size_bytes, meta.mime_type) == ("notes.txt", len(data),
                                                                 "text/plain")
    assert seen[0] == (0, len(data)) and seen[-1] == (len(data), len(data))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    ex = client.recorder.exchanges[-1]
    assert "notes.txt" in ex.request_body and len(ex.request_body) < 1000
    again = await client.files.get(meta.id)
    assert again.id == meta.id and again.size_bytes == len(data)
    page = await client.files.list(limit=100)
    assert isinstance(page, CursorPage) and meta.id in [f.id for f in page.data]
    gone = await client.files.delete(meta.id)
    assert gone.type == "file_deleted"
    with pytest.raises(NotFoundError):
        await client.files.get(meta.id)


async def test_files_pagination(client: ClaudeClient, tmp_path: Path):
    ids = []
    for i in range(5):
        p = tmp_path / f"f{i}.txt"
        p.write_text(f"file {i}")
        ids.append((await client.files.upload(p)).id)
    first = await client.files.list(limit=2)
    assert len(first.data) == 2 and first.next_page
    walked = [f.id async for f in client.files.iter_all(limit=2)]
    assert set(ids) <= set(walked) and len(walked) == len(set(walked))


async def test_upload_is_byte_exact(client: ClaudeClient, emulator_url: str, tmp_path: Path):
    data = os.urandom(5 * 1024 * 1024 + 3)
    src = tmp_path / "data.bin"
    src.write_bytes(data)
    meta = await client.files.upload(src)
    async with httpx.AsyncClient(headers=CONTROL) as raw:  # the emulator's control: stored bytes
        stored = await raw.get(f"{emulator_url}/_emulator/files/{meta.id}/raw")
    assert stored.content == data
    # uploaded files are not downloadable (as in the API); no half file is left behind
    dest = tmp_path / "out" / "copy.bin"
    with pytest.raises(InvalidRequestError) as info:
        await client.files.download(meta.id, dest)
    assert info.value.error_code == "file_not_downloadable"
    assert not dest.exists() and not dest.parent.exists()


async def test_download_is_byte_exact_with_progress(client: ClaudeClient, emulator_url: str,
                                                    tmp_path: Path):
    size = 3 * 1024 * 1024 + 11
    async with httpx.AsyncClient(headers=CONTROL) as raw:  # a file "made by a tool"
        made = (await raw.post(f"{emulator_url}/_emulator/files",
                               json={"filename": "report.csv", "size": size,
                                     "mime_type": "text/csv"})).json()
        expected = (await raw.get(f"{emulator_url}/_emulator/files/{made['id']}/raw")).content
    meta = await client.files.get(made["id"])
    assert meta.downloadable and meta.size_bytes == size
    seen: list[tuple[int, int | None]] = []
    dest = tmp_path / "out" / "report.csv"
    await client.files.download(meta.id, dest, progress=lambda d, t: seen.append((d, t)))
    assert dest.read_bytes() == expected and len(expected) == size
    assert seen[0] == (0, size) and seen[-1] == (size, size)
    assert list(dest.parent.iterdir()) == [dest]  # the temp file was renamed
    ex = client.recorder.exchanges[-1]
    assert ex.status == 200 and ex.done_at and str(size) in ex.response_body


# ---- skills -----------------------------------------------------------------------------------


def _skill(tmp_path: Path, name: str = "pdf-helper", extra: str = "") -> Path:
    root = tmp_path / name
    (root / "scripts").mkdir(parents=True, exist_ok=True)
    (root / "SKILL.md").write_text(
        f"---\nname: {name}\ndescription: Helps with PDFs.{extra}\n---\n# Use\nRun it.\n")
    (root / "scripts" / "run.py").write_text("print('hi')\n")
    return root


async def test_skill_lifecycle_with_versions(client: ClaudeClient, tmp_path: Path):
    folder = _skill(tmp_path)
    skill = await client.skills.create(folder, display_name="PDF helper")
    assert isinstance(skill, Skill) and skill.id.startswith("skill_")
    assert skill.display_name == "PDF helper" and skill.latest_version_id
    ex = client.recorder.exchanges[-1]
    assert "pdf-helper/SKILL.md" in ex.request_body and "pdf-helper/scripts/run.py" in ex.request_body
    got = await client.skills.get(skill.id)
    assert got.id == skill.id
    listed = await client.skills.list(limit=100)
    assert skill.id in [s.id for s in listed.data]
    (folder / "SKILL.md").write_text("---\nname: pdf-helper\ndescription: Better.\n---\nv2\n")
    v2 = await client.skills.create_version(skill.id, folder)
    assert isinstance(v2, SkillVersion) and v2.skill_id == skill.id
    assert v2.name == "pdf-helper" and v2.description == "Better."
    versions = await client.skills.list_versions(skill.id)
    assert v2.id in [v.id for v in versions.data] and len(versions.data) == 2
    assert (await client.skills.get(skill.id)).latest_version_id == v2.id
    removed = await client.skills.delete_version(skill.id, v2.id)
    assert removed.type == "skill_version_deleted"
    assert len((await client.skills.list_versions(skill.id)).data) == 1
    for v in (await client.skills.list_versions(skill.id)).data:
        await client.skills.delete_version(skill.id, v.id)
    assert (await client.skills.delete(skill.id)).type == "skill_deleted"
    with pytest.raises(NotFoundError):
        await client.skills.get(skill.id)


async def test_skill_folder_refused_locally(client: ClaudeClient, tmp_path: Path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "SKILL.md").write_text("---\nname: bad\n---\n")
    with pytest.raises(SkillFolderError, match="description"):
        await client.skills.create(bad)
    assert client.recorder.exchanges == []


async def test_a_big_batch_is_encoded_off_the_event_loop(client: ClaudeClient, monkeypatch):
    """The UI's loop must keep drawing while a batch of up to 256 MB is JSON-encoded."""
    import threading

    from workbench.api import batches as batches_module

    threads: list[str] = []
    real = batches_module.dumps

    def spy(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(batches_module, "dumps", spy)
    loop_thread = threading.current_thread().name
    big = [{"custom_id": f"r{i}", "params": body(f"question {i}")} for i in range(1000)]
    batch = await client.batches.create(big)
    assert batch.request_counts.processing == 1000
    small = await client.batches.create(big[:3])
    assert small.request_counts.processing == 3
    assert threads[0] != loop_thread  # the big one in a worker thread
    assert threads[1000] == loop_thread  # a small one is not worth a thread
    posts = [ex for ex in client.recorder.exchanges if ex.method == "POST"]
    assert posts[-2].request_body.startswith('{"requests"')  # still recorded for the Inspector
    assert "r999" in posts[-2].request_body
