"""Datasets -> batch requests: row errors, custom_id checks, splitting, re-run failures."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from workbench.services.datasets import (
    DatasetError,
    build_requests,
    check_dataset_file,
    estimate_cost,
    preview,
    read_rows,
    split_batches,
)

BODY = {"model": "claude-haiku-4-5", "max_tokens": 100, "stream": True,
        "messages": [{"role": "user", "content": "Translate {{word}} to {{ lang }}"}]}


def test_csv_rows_and_requests(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("id,word,lang\na1,cat,French\na2,dog,German\n")
    reqs = list(build_requests(BODY, read_rows(p), id_column="id"))
    assert [r["custom_id"] for r in reqs] == ["a1", "a2"]
    assert reqs[1]["params"]["messages"][0]["content"] == "Translate dog to German"
    assert "stream" not in reqs[0]["params"]
    assert BODY["messages"][0]["content"].startswith("Translate {{word}}")


def test_row_numbers_as_ids(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text('{"word": "a", "lang": "x"}\n\n{"word": "b", "lang": "y"}\n')
    assert [r["custom_id"] for r in build_requests(BODY, read_rows(p))] == ["row-1", "row-2"]


@pytest.mark.parametrize("content, message", [
    ("word,lang\ncat\n", "row 1: 1 cells, the header has 2"),
    ("word,lang\ncat,fr\ndog\n", "row 2:"),
])
def test_bad_csv_rows(tmp_path, content, message):
    p = tmp_path / "d.csv"
    p.write_text(content)
    with pytest.raises(DatasetError, match=message):
        list(read_rows(p))


@pytest.mark.parametrize("content, message", [
    ('{"a": 1}\n{oops\n', "row 2 .*not valid JSON"),
    ('{"a": 1}\n[1, 2]\n', "row 2 .*expected a JSON object, got list"),
])
def test_bad_jsonl_rows(tmp_path, content, message):
    p = tmp_path / "d.jsonl"
    p.write_text(content)
    with pytest.raises(DatasetError, match=message):
        list(read_rows(p))


def test_missing_variable_names_row():
    with pytest.raises(DatasetError, match=r"row 2: .*\{\{lang\}\}"):
        list(build_requests(BODY, [{"word": "a", "lang": "b"}, {"word": "c"}]))


def test_missing_file(tmp_path):
    with pytest.raises(DatasetError, match="no such file"):
        list(read_rows(tmp_path / "nope.csv"))


def test_a_folder_is_named_as_a_folder(tmp_path):
    """A folder is not 'no such file': say what it is, what is expected, and what it holds."""
    folder = tmp_path / "data"
    folder.mkdir()
    with pytest.raises(DatasetError) as info:
        list(read_rows(folder))
    assert str(info.value) == (f"{folder}: is a folder; a dataset is a CSV file (header row "
                               "first) or a JSONL file")
    for name in ("b.jsonl", "a.csv", "notes.txt", "c.CSV", "d.ndjson"):
        (folder / name).write_text("x\n")
    (folder / "sub.csv").mkdir()
    with pytest.raises(DatasetError, match=r"is a folder; .* \(in it: a\.csv, b\.jsonl, c\.CSV, "
                                           r"…\)$"):
        check_dataset_file(folder)
    assert check_dataset_file(folder / "a.csv") == folder / "a.csv"
    with pytest.raises(DatasetError, match="not a regular file"):
        check_dataset_file("/dev/null")


def test_a_folder_is_refused_by_batch_plans(tmp_path):
    from workbench.services import batch_runs

    with pytest.raises(DatasetError, match="is a folder"):
        batch_runs.plan_from_dataset(BODY, tmp_path)


def test_duplicate_and_bad_ids():
    rows = [{"id": "x", "word": "", "lang": ""}, {"id": "x", "word": "", "lang": ""}]
    with pytest.raises(DatasetError, match="row 2: custom_id 'x' is used twice"):
        list(build_requests(BODY, rows, id_column="id"))
    with pytest.raises(DatasetError, match="row 1: custom_id 'a b'"):
        list(build_requests(BODY, [{"id": "a b", "word": "", "lang": ""}], id_column="id"))


@given(st.text(max_size=80))
@example("0\n")  # found by Hypothesis: "^...$" with match() let a trailing newline through
def test_custom_id_rule(cid):
    import re
    ok = re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", cid) is not None
    rows = [{"id": cid, "word": "w", "lang": "l"}]
    if ok:
        assert next(build_requests(BODY, rows, id_column="id"))["custom_id"] == cid
    else:
        with pytest.raises(DatasetError):
            list(build_requests(BODY, rows, id_column="id"))


@given(st.lists(st.integers(0, 200), max_size=60), st.integers(1, 7), st.integers(300, 2000))
def test_split_respects_limits(sizes, max_requests, max_bytes):
    reqs = [{"custom_id": f"r{i}", "params": {"x": "a" * s}} for i, s in enumerate(sizes)]
    batches = list(split_batches(reqs, max_requests=max_requests, max_bytes=max_bytes))
    assert [r for b in batches for r in b] == reqs
    for b in batches:
        assert 1 <= len(b) <= max_requests
        assert len(json.dumps({"requests": b}).encode()) <= max_bytes


def test_split_at_100k():
    reqs = ({"custom_id": f"r{i}", "params": {}} for i in range(100_001))
    assert [len(b) for b in split_batches(reqs)] == [100_000, 1]


def test_preview_and_cost():
    reqs = list(build_requests(BODY, [{"word": "a", "lang": "b"}] * 4))
    assert [r["custom_id"] for r in preview(iter(reqs), 2)] == ["row-1", "row-2"]
    est = estimate_cost(reqs)
    assert est.requests == 4 and est.max_output_tokens == 400
    assert est.input_tokens > 0
    # haiku-4-5: $1 in / $5 out per M, halved for batch
    expected = (est.input_tokens * 1 + 400 * 5) / 1e6 / 2
    assert est.usd == pytest.approx(expected)
    assert "max_tokens" in est.assumption
    assert estimate_cost([{"custom_id": "a", "params": {"model": "nope", "messages": []}}]).usd is None


async def test_rerun_plans_for_one_batch_or_from_the_dataset(tmp_path, monkeypatch,
                                                             make_emulator):
    """The service both rerun paths use (TUI: a whole run; CLI: one batch, or a batch made
    elsewhere rebuilt from its dataset)."""
    import asyncio

    from workbench.api.client import ClaudeClient
    from workbench.services import batch_runs, datasets

    monkeypatch.setattr(datasets, "MAX_REQUESTS", 3)
    url = make_emulator(tokens_per_second=None, batch_seconds_per_request=0.01)
    data = tmp_path / "d.jsonl"
    models = ["claude-haiku-4-5", "bad-model", "claude-haiku-4-5", "claude-haiku-4-5", "bad-2"]
    data.write_text("".join(json.dumps({"word": f"w{i}", "lang": "x", "m": m}) + "\n"
                            for i, m in enumerate(models)))
    body = {**BODY, "model": "{{m}}"}
    async with ClaudeClient(api_key="sk-ant-test", base_url=url) as client:
        run = await batch_runs.submit(client, batch_runs.plan_from_dataset(body, data))
        first, second = run.batch_ids
        for _ in range(200):
            batches = [await client.batches.get(b) for b in run.batch_ids]
            if all(b.processing_status == "ended" for b in batches):
                break
            await asyncio.sleep(0.05)

        only_second = await batch_runs.plan_rerun(client, run, [second])
        assert [r["custom_id"] for r in only_second.run.iter_requests()] == ["row-5"]
        assert only_second.run.source == f"failures of {second}"
        rebuilt = await batch_runs.plan_rerun_from_dataset(client, first, body, data)
        assert [r["custom_id"] for r in rebuilt.run.iter_requests()] == ["row-2"]
        assert next(rebuilt.run.iter_requests())["params"]["model"] == "bad-model"

        other = tmp_path / "other.csv"
        other.write_text("name,word,lang,m\nzz,a,b,c\n")
        with pytest.raises(batch_runs.NoMatchingRequests) as info:
            await batch_runs.plan_rerun_from_dataset(client, first, body, other, " name ")
        assert str(info.value) == (f"none of the 1 failed custom_ids of {first} (row-2) are "
                                   "among the original requests")
        sent = len(client.recorder)
        with pytest.raises(DatasetError, match="is a folder"):
            await batch_runs.plan_rerun_from_dataset(client, first, body, tmp_path)
        assert len(client.recorder) == sent  # refused before any request

        ok = await batch_runs.submit(client, batch_runs.plan_from_requests(
            build_requests(BODY, [{"word": "a", "lang": "b"}]), "one"))
        for _ in range(200):
            if (await client.batches.get(ok.batch_ids[0])).processing_status == "ended":
                break
            await asyncio.sleep(0.05)
        assert await batch_runs.plan_rerun(client, ok) is None
