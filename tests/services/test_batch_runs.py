"""Batch runs: a dataset checked and written to disk, split over batches, submitted, re-run."""

from __future__ import annotations

import json

import pytest

from workbench.services import batch_runs, datasets
from workbench.services.batch_results import ResultIndex, summarize

BODY = {"model": "claude-haiku-4-5", "max_tokens": 30,
        "messages": [{"role": "user", "content": "Tell me about {{city}}"}]}


def _csv(tmp_path, n):
    path = tmp_path / "d.csv"
    path.write_text("city\n" + "".join(f"City{i}\n" for i in range(n)))
    return path


def test_plan_writes_requests_preview_cost_and_split(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "MAX_REQUESTS", 2)
    plan = batch_runs.plan_from_dataset(BODY, _csv(tmp_path, 5))
    assert plan.run.requests == 5 and plan.batch_sizes == [2, 2, 1]
    assert [r["custom_id"] for r in plan.preview] == ["row-1", "row-2", "row-3"]
    assert plan.preview[0]["params"]["messages"][0]["content"] == "Tell me about City0"
    assert plan.cost.requests == 5 and plan.cost.max_output_tokens == 150
    lines = plan.run.requests_file.read_text().splitlines()
    assert len(lines) == 5 and json.loads(lines[4])["custom_id"] == "row-5"
    assert batch_runs.all_runs() == []  # not submitted: not listed


def test_bad_rows_leave_nothing_behind(tmp_path):
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"city": "Oslo"}\n"just a string"\n')
    with pytest.raises(datasets.DatasetError, match="row 2"):
        batch_runs.plan_from_dataset(BODY, bad)
    assert not any(batch_runs.runs_dir().glob("*/requests.jsonl"))
    empty = tmp_path / "e.csv"
    empty.write_text("city\n")
    with pytest.raises(datasets.DatasetError, match="no rows"):
        batch_runs.plan_from_dataset(BODY, empty)


async def test_submit_split_run_and_rerun_failures(tmp_path, monkeypatch, make_emulator):
    from workbench.api.client import ClaudeClient

    monkeypatch.setattr(datasets, "MAX_REQUESTS", 3)
    url = make_emulator(tokens_per_second=None, batch_seconds_per_request=0.01)
    client = ClaudeClient(api_key="sk-ant-test", base_url=url)
    data = tmp_path / "d.jsonl"
    models = ["claude-haiku-4-5", "bad-model", "claude-haiku-4-5", "claude-haiku-4-5", "bad-2"]
    data.write_text("".join(json.dumps({"city": f"C{i}", "m": m}) + "\n"
                            for i, m in enumerate(models)))
    plan = batch_runs.plan_from_dataset({**BODY, "model": "{{m}}"}, data)
    created = []
    run = await batch_runs.submit(client, plan, lambda n, of, bid: created.append((n, of)))
    assert created == [(1, 2), (2, 2)] and len(run.batch_ids) == 2
    assert batch_runs.run_of_batch(run.batch_ids[1]).id == run.id
    import asyncio

    for _ in range(100):
        batches = [await client.batches.get(b) for b in run.batch_ids]
        if all(b.processing_status == "ended" for b in batches):
            break
        await asyncio.sleep(0.05)
    assert await batch_runs.failed_ids(client, run.batch_ids) == {"row-2", "row-5"}
    rerun = await batch_runs.plan_rerun(client, run)
    assert [r["custom_id"] for r in rerun.run.iter_requests()] == ["row-2", "row-5"]
    assert rerun.run.source == f"failures of {run.id}"
    await client.aclose()


def test_result_index_is_compact_and_reopens_lines(tmp_path):
    index = ResultIndex(tmp_path / "r.jsonl")
    ok = {"custom_id": "a", "result": {"type": "succeeded", "message": {
        "content": [{"type": "text", "text": "\n  First line\nsecond"}],
        "stop_reason": "end_turn", "usage": {"input_tokens": 3, "output_tokens": 4}}}}
    err = {"custom_id": "b", "result": {"type": "errored", "error": {"type": "error", "error": {
        "type": "invalid_request_error", "message": "bad"}}}}
    for item in (ok, err, ok | {"custom_id": "c"}):
        index.add(json.dumps(item))
    # the preview: the reply's first lines as one line
    assert summarize(ok) == ("a", "succeeded", "end_turn", "3→4", "First line second")
    assert index.row(1) == ("b", "errored", "", "", "invalid_request_error: bad")
    assert list(index.view("errored")) == [1]
    view = index.view(None)
    assert len(view) == 3
    index.add(json.dumps(err | {"custom_id": "d"}))
    assert len(view) == 4 and view[-1] == 3  # the "all" view grows with the index
    assert index.item(2)["custom_id"] == "c"
    assert index.counts == {"succeeded": 2, "errored": 2, "canceled": 0, "expired": 0}
    index.discard()
    assert not (tmp_path / "r.jsonl").exists()


def test_summaries_carry_no_terminal_control_characters():
    item = {"custom_id": "x", "result": {"type": "succeeded", "message": {
        "content": [{"type": "text", "text": "bold \x1b[1mtext\x1b[0m\tand\x1fmore"}],
        "stop_reason": "end_turn", "usage": {}}}}
    text = summarize(item)[4]
    assert "\x1b" not in text and "\t" not in text and "\x1f" not in text
    assert text.startswith("bold  [1mtext")


def test_preview_is_the_replys_markdown_as_plain_text():
    text = "## Plan\n\nHere is **the answer** with `code` and [a link](http://x).\n\n- one\n"
    item = {"custom_id": "m", "result": {"type": "succeeded", "message": {
        "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "usage": {}}}}
    preview = summarize(item)[4]
    assert preview == "Plan Here is the answer with code and a link. one"
    long = {"custom_id": "l", "result": {"type": "succeeded", "message": {
        "content": [{"type": "text", "text": "**word** " * 10_000}], "stop_reason": "end_turn",
        "usage": {}}}}
    assert summarize(long)[4] == ("word " * 30)[:120].strip()


async def test_save_from_cache_copies_only_a_complete_cache(tmp_path):
    from workbench.services.batch_results import save_from_cache

    index = ResultIndex(tmp_path / "cache.jsonl")
    lines = [json.dumps({"custom_id": f"r{i}", "result": {"type": "expired"}})
             for i in range(5)]
    for line in lines:
        index.add(line)
    dest = tmp_path / "out.jsonl"
    with pytest.raises(ValueError):
        await save_from_cache(index, dest)  # still being written: not complete
    index.close()
    with pytest.raises(ValueError):
        await save_from_cache(index, dest)  # closed, but the loader never said it was all
    index.complete = True
    seen: list[int] = []
    assert await save_from_cache(index, dest, seen.append) == 5
    assert dest.read_text(encoding="utf-8").splitlines() == lines
    assert seen and seen[-1] == 5
    assert not list(tmp_path.glob(".out.jsonl.*"))
    with pytest.raises(FileNotFoundError):
        await save_from_cache(index, tmp_path / "missing" / "x.jsonl")
    index.path.write_text("cut")  # the cache changed under us: no longer trusted
    assert not index.is_complete()
