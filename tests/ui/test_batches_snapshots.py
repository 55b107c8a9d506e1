"""How the batches list, a batch's detail and the new-batch modal look (fixed data: batch ids
and times from the emulator vary between runs, so the screens are filled with a fixed set)."""

from __future__ import annotations

import json
import time

import pytest

from tests.ui.conftest import tabs_settled, wait_until

BATCH = {"id": "msgbatch_01SnapshotBatchAAAAAAAAAA", "type": "message_batch",
         "processing_status": "ended",
         "request_counts": {"processing": 0, "succeeded": 40, "errored": 6, "canceled": 2,
                            "expired": 0},
         "created_at": "2026-11-20T09:00:00Z", "ended_at": "2026-11-20T09:12:30Z",
         "expires_at": "2026-11-21T09:00:00Z"}
LIVE = {**BATCH, "id": "msgbatch_01SnapshotBatchBBBBBBBBBB", "processing_status": "in_progress",
        "request_counts": {"processing": 700, "succeeded": 280, "errored": 20, "canceled": 0,
                           "expired": 0}, "ended_at": None}


def _line(i: int) -> str:
    if i % 8 == 3:
        result = {"type": "errored", "error": {"type": "error", "error": {
            "type": "invalid_request_error", "message": "model: nope"}}}
    else:
        result = {"type": "succeeded", "message": {
            "id": f"msg_{i}", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
            "content": [{"type": "text", "text": f"Answer number {i}: a short reply.\nMore."}],
            "stop_reason": "end_turn", "usage": {"input_tokens": 12, "output_tokens": 9 + i}}}
    return json.dumps({"custom_id": f"row-{i + 1}", "result": result})


@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def test_batches_list_snapshot(snap_compare, make_app, make_emulator, utc) -> None:
    app = make_app(make_emulator(tokens_per_second=None))

    async def run_before(pilot) -> None:
        await app.switch_mode("batches")
        screen = app.screen
        await wait_until(pilot, lambda: "no batches yet" in str(
            screen.query_one("#batches-status").render()))
        screen.workers.cancel_group(screen, "batches-poll")
        screen.batches = {b["id"]: b for b in (LIVE, BATCH)}
        screen.order = [LIVE["id"], BATCH["id"]]
        screen._render_table()
        app._set_status("emulator")
        # the table sizes its columns to the rows when idle (a load-dependent snapshot)
        table = screen.query_one("#batches-table")
        ids = next(c for c in table.columns.values() if c.key.value == "id")
        await wait_until(pilot, lambda: ids.content_width >= len(LIVE["id"]))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(140, 30), run_before=run_before)


def test_batch_detail_snapshot(snap_compare, make_app, make_emulator, utc, tmp_path,
                               monkeypatch) -> None:
    from workbench.services.batch_results import ResultIndex
    from workbench.ui.screens.batch_detail import BatchDetailScreen

    def no_watch(self) -> None:  # fixed data instead of the emulator's
        return None

    monkeypatch.setattr(BatchDetailScreen, "watch_batches", no_watch)
    app = make_app(make_emulator(tokens_per_second=None))

    async def run_before(pilot) -> None:
        await app.switch_mode("batches")
        await app.push_screen(BatchDetailScreen([BATCH["id"]]))
        screen = app.screen
        screen.batches = {BATCH["id"]: BATCH}
        screen._paint_head()
        index = ResultIndex(tmp_path / "r.jsonl")
        for i in range(48):
            index.add(_line(i))
        screen.index = index
        screen.query_one("ResultsTable").show(index.view(None), index.row)
        screen.results_done = True
        screen._loaded(len(index), 48, final=True)
        screen._status("48 results · enter opens one · s saves them all")
        await pilot.press("down", "down", "down")
        await wait_until(pilot, lambda: tabs_settled(app))  # the relabelled tabs' underline
        await pilot.pause()

    assert snap_compare(app, terminal_size=(140, 30), run_before=run_before)


def test_batch_create_snapshot(snap_compare, make_app, tmp_path, utc) -> None:
    from workbench.services.draft import Draft, Turn

    data = tmp_path / "d.csv"
    data.write_text("id,city,season\na,Oslo,winter\nb,Rome,summer\nc,Lima,spring\n")
    app = make_app()

    async def run_before(pilot) -> None:
        await app.switch_mode("compose")
        await pilot.pause()
        app.screen.open_draft(Draft(model="claude-haiku-4-5", max_tokens=300, turns=[
            Turn("user", "Describe {{city}} in {{season}}")]))
        await wait_until(pilot, lambda: "{{season}}" in json.dumps(
            app.composer_draft().to_request("2023-06-01")))
        await pilot.press("ctrl+b")
        await pilot.pause(0.2)
        app.screen.query_one("#dataset").value = "d.csv"
        app.screen.query_one("#id-column").value = "id"
        await pilot.pause()  # the edits are handled before the check (an edit voids a check)
        app.screen.check(str(data), "id")
        await wait_until(pilot, lambda: app.screen.plan is not None)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(140, 42), run_before=run_before)
