"""Batches pane: create from the composer + dataset, watch, results, save, cancel, delete, re-run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ui.conftest import POLL, screen_text, wait_until


@pytest.fixture
def batch_emulator(make_emulator):
    """A fresh emulator per test (its own batches), batches finishing in about a second."""
    return make_emulator(tokens_per_second=None, batch_seconds_per_request=0.05,
                         batch_max_seconds=1.5)


def notices(app) -> str:
    return " | ".join(n.message for n in app._notifications)


def _dataset(tmp_path: Path, rows: int = 6) -> Path:
    path = tmp_path / "cities.csv"
    lines = ["id,city"] + [f"c{i},City number {i}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


async def _compose(app, pilot, text: str = "Describe {{city}} in winter") -> None:
    from workbench.services.draft import Draft, Turn

    await app.switch_mode("compose")
    await pilot.pause()
    app.screen.open_draft(Draft(model="claude-haiku-4-5", max_tokens=200,
                                turns=[Turn("user", text)]))
    await wait_until(pilot, lambda: "{{city}}" in json.dumps(app.composer_draft().to_request(
        "2023-06-01")) or text == "")


async def _new_batch(app, pilot, dataset: Path, id_column: str = "id") -> None:
    from workbench.ui.screens.batch_create import BatchCreateScreen

    await pilot.press("ctrl+b")
    await wait_until(pilot, lambda: isinstance(app.screen, BatchCreateScreen))
    app.screen.query_one("#dataset").value = str(dataset)
    app.screen.query_one("#id-column").value = id_column
    await pilot.pause()
    await pilot.press("ctrl+k")


async def test_create_from_dataset_watch_and_open_results(make_app, batch_emulator, tmp_path):
    from workbench.ui.screens.batch_create import BatchCreateScreen
    from workbench.ui.screens.batch_detail import BatchDetailScreen
    from workbench.ui.screens.batch_result import ResultScreen

    app = make_app(batch_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await _compose(app, pilot)
        await _new_batch(app, pilot, _dataset(tmp_path))
        screen = app.screen
        assert isinstance(screen, BatchCreateScreen)
        await wait_until(pilot, lambda: screen.plan is not None)
        text = screen_text(app)
        assert "6 requests" in text and "{{city}}" in text
        assert "c0" in text and "City number 0" in text  # preview rendered per row
        assert "Estimated cost" in text
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchDetailScreen))
        detail = app.screen
        await wait_until(pilot, lambda: detail.results_done, timeout=20)
        assert len(detail.index) == 6 and detail.index.counts["succeeded"] == 6
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "succeeded" in text and "c0" in text and "ended" in text
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen))
        assert app.screen.item["custom_id"] == "c0"
        assert "City number 0" in json.dumps(app.screen.item) or app.screen.item["result"][
            "type"] == "succeeded"
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause(0.2)
        # the list shows the new batch with its run and status
        text = screen_text(app)
        assert detail.batch_ids[0] in text and "ended" in text and "run-" in text
        await pilot.press("n")  # a new batch from the list too
        await wait_until(pilot, lambda: isinstance(app.screen, BatchCreateScreen))
        assert "{{city}}" in screen_text(app)


async def test_bad_dataset_row_is_named(make_app, batch_emulator, tmp_path):
    app = make_app(batch_emulator)
    bad = tmp_path / "rows.jsonl"
    bad.write_text('{"id": "a", "city": "Oslo"}\n[1, 2]\n')
    async with app.run_test(size=(140, 42)) as pilot:
        await _compose(app, pilot)
        await _new_batch(app, pilot, bad)
        await wait_until(pilot, lambda: "row 2" in screen_text(app))
        assert app.screen.plan is None
        assert app.screen.query_one("#submit").disabled
        # a missing column names the row too
        missing = tmp_path / "m.csv"
        missing.write_text("id,town\nx1,Rome\n")
        app.screen.query_one("#dataset").value = str(missing)
        await pilot.press("ctrl+k")
        await wait_until(pilot, lambda: "city" in screen_text(app) and "row 1" in
                         screen_text(app))


async def test_save_results_and_filter(make_app, batch_emulator, tmp_path):
    from workbench.api.client import ClaudeClient
    from workbench.ui.screens.batch_detail import BatchDetailScreen
    from workbench.ui.screens.compose_modals import AskScreen

    client = ClaudeClient(api_key="sk-ant-test", base_url=batch_emulator)
    ok = {"model": "claude-haiku-4-5", "max_tokens": 50,
          "messages": [{"role": "user", "content": "hello"}]}
    bad = {**ok, "model": "no-such-model"}
    batch = await client.batches.create(
        [{"custom_id": f"r{i}", "params": ok if i % 3 else bad} for i in range(9)])
    await client.aclose()
    app = make_app(batch_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("batches")
        await wait_until(pilot, lambda: batch.id in screen_text(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchDetailScreen))
        detail = app.screen
        await wait_until(pilot, lambda: detail.results_done, timeout=20)
        assert detail.index.counts == {"succeeded": 6, "errored": 3, "canceled": 0,
                                       "expired": 0}
        await pilot.press("2")  # errored only
        table = detail.query_one("ResultsTable")
        await wait_until(pilot, lambda: table.row_count == 3)
        await pilot.pause(0.1)
        assert "r0" in screen_text(app) and "r1 " not in screen_text(app)
        dest = tmp_path / "results.jsonl"
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, AskScreen))
        app.screen.query_one("#answer").value = str(dest)
        await pilot.press("enter")
        await wait_until(pilot, lambda: dest.exists(), timeout=10)
        lines = [json.loads(x) for x in dest.read_text().splitlines()]
        assert [x["custom_id"] for x in lines] == [f"r{i}" for i in range(9)]
        assert sum(x["result"]["type"] == "errored" for x in lines) == 3


async def test_cancel_in_progress_and_delete_rules(make_app, make_emulator, tmp_path):
    from workbench.api.client import ClaudeClient
    from workbench.ui.screens.confirm import ConfirmScreen

    url = make_emulator(tokens_per_second=None, batch_seconds_per_request=5,
                        batch_max_seconds=60)
    client = ClaudeClient(api_key="sk-ant-test", base_url=url)
    body = {"model": "claude-haiku-4-5", "max_tokens": 20,
            "messages": [{"role": "user", "content": "hi"}]}
    batch = await client.batches.create([{"custom_id": f"r{i}", "params": body}
                                         for i in range(4)])
    app = make_app(url)
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("batches")
        await wait_until(pilot, lambda: batch.id in screen_text(app))
        await pilot.press("d")  # not ended yet: refused locally, plainly
        await wait_until(pilot, lambda: "has not ended yet" in notices(app))
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: "canceling" in screen_text(app)
                         or "ended" in screen_text(app), timeout=10)
        await wait_until(pilot, lambda: app.screen.batches[batch.id]["processing_status"]
                         == "ended", timeout=15)
        assert (await client.batches.get(batch.id)).request_counts.canceled > 0
        await pilot.press("delete")  # the delete key too
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: batch.id not in screen_text(app))
    from workbench.api.errors import NotFoundError

    with pytest.raises(NotFoundError):
        await client.batches.get(batch.id)
    await client.aclose()


async def test_rerun_failures_resubmits_only_failed(make_app, batch_emulator, tmp_path):
    from workbench.services import batch_runs
    from workbench.ui.screens.batch_detail import BatchDetailScreen
    from workbench.ui.screens.confirm import ConfirmScreen

    app = make_app(batch_emulator)
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps({"id": f"q{i}", "model": m}) + "\n"
                            for i, m in enumerate(["claude-haiku-4-5", "nope", "claude-haiku-4-5",
                                                   "nope-2"])))
    async with app.run_test(size=(140, 42)) as pilot:
        from workbench.services.draft import Draft, Turn

        await app.switch_mode("compose")
        await pilot.pause()
        app.screen.open_draft(Draft(model="{{model}}", turns=[Turn("user", "hi {{id}}")]))
        await wait_until(pilot, lambda: app.composer_draft().model == "{{model}}")
        await _new_batch(app, pilot, data)
        await wait_until(pilot, lambda: app.screen.plan is not None)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchDetailScreen))
        detail = app.screen
        await wait_until(pilot, lambda: detail.results_done, timeout=20)
        assert detail.index.counts["errored"] == 2
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), timeout=10)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchDetailScreen)
                         and app.screen is not detail)
        runs = batch_runs.all_runs()
        assert len(runs) == 2
        newest = runs[0]
        assert [r["custom_id"] for r in newest.iter_requests()] == ["q1", "q3"]


async def test_list_pages_on_scroll_and_polling_backs_off(make_app, make_emulator, monkeypatch):
    from workbench.api.client import ClaudeClient
    from workbench.ui.screens import batch_actions

    monkeypatch.setattr(batch_actions, "POLL_MIN", 1.0)  # the app's back-off, not the tests'
    monkeypatch.setattr(batch_actions, "POLL_MAX", 30.0)
    assert [round(d, 2) for d in _delays(5)] == [1.6, 2.56, 4.1, 6.55, 10.49]
    assert batch_actions.next_delay(1000) == batch_actions.POLL_MAX
    # the same back-off at half the time scale for the watch below (0.5 s, 0.8 s, 1.28 s...)
    monkeypatch.setattr(batch_actions, "POLL_MIN", 0.5)
    monkeypatch.setattr(batch_actions, "POLL_MAX", 15.0)
    url = make_emulator(tokens_per_second=None, batch_seconds_per_request=100,
                        batch_max_seconds=600)
    client = ClaudeClient(api_key="sk-ant-test", base_url=url)
    body = {"model": "claude-haiku-4-5", "max_tokens": 20,
            "messages": [{"role": "user", "content": "hi"}]}
    ids = [(await client.batches.create([{"custom_id": "a", "params": body}])).id
           for _ in range(25)]
    await client.aclose()
    app = make_app(url)
    async with app.run_test(size=(140, 20)) as pilot:
        await app.switch_mode("batches")
        screen = app.screen
        await wait_until(pilot, lambda: len(screen.order) == 20)
        await pilot.pause(0.3)
        assert len(screen.order) == 20  # a page fills the screen: no more until scrolled
        assert screen.order[0] == ids[-1]  # newest first
        assert "more below" in screen_text(app)
        await pilot.press("end")
        await wait_until(pilot, lambda: len(screen.order) == 25)
        assert screen.order[-1] == ids[0] and not screen.has_more
        # 25 batches in progress for 2 s: polling backs off (0.5 + 0.8 s...: one round here),
        # no storm (without the back-off, a poll every 0.5 s made 3 rounds)
        polls_before = screen.polls
        await pilot.pause(2.0)
        rounds = (screen.polls - polls_before) / 25
        assert 1 <= rounds <= 2, rounds


def _delays(n: int) -> list[float]:
    from workbench.ui.screens.batch_actions import POLL_MIN, next_delay

    out, d = [], POLL_MIN
    for _ in range(n):
        d = next_delay(d)
        out.append(d)
    return out


async def test_an_empty_request_is_refused_before_any_row_is_read(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await _compose(app, pilot, text="")
        await _new_batch(app, pilot, _dataset(tmp_path))
        await wait_until(pilot, lambda: "has no message" in screen_text(app))
        assert app.screen.plan is None


async def test_bad_tools_or_a_non_utf8_dataset_are_plain_errors(make_app, short_tmp):
    from workbench.services.draft import Draft, Turn
    from workbench.ui.screens.batch_create import BatchCreateScreen

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("compose")
        await pilot.pause()
        app.screen.open_draft(Draft(tools_json='[{"name": "x"}]',
                                    turns=[Turn("user", "hi {{city}}")]))
        await wait_until(pilot, lambda: app.composer_draft().tools_json.startswith("[{"))
        await pilot.press("ctrl+b")
        await wait_until(pilot, lambda: "cannot make a batch" in notices(app))
        assert not isinstance(app.screen, BatchCreateScreen) and app.is_running
        app.screen.open_draft(Draft(turns=[Turn("user", "hi {{city}}")]))
        await wait_until(pilot, lambda: app.composer_draft().tools_json == "")
        latin = short_tmp / "latin.csv"  # the error names the path: it must not wrap the words
        latin.write_bytes("city\nSão Paulo\n".encode("latin-1"))
        await _new_batch(app, pilot, latin, id_column="")
        await wait_until(pilot, lambda: "not UTF-8" in screen_text(app))
        assert app.screen.plan is None


RELEASE_POLLS = 10  # collections before a closed detail screen must have let go of its results


async def test_a_closed_detail_screen_releases_its_results(make_app, batch_emulator):
    import gc
    import weakref

    from workbench.api.client import ClaudeClient
    from workbench.ui.screens.batch_detail import BatchDetailScreen

    client = ClaudeClient(api_key="sk-ant-test", base_url=batch_emulator)
    body = {"model": "claude-haiku-4-5", "max_tokens": 20,
            "messages": [{"role": "user", "content": "hi"}]}
    batch = await client.batches.create([{"custom_id": f"r{i}", "params": body}
                                         for i in range(20)])
    await client.aclose()
    app = make_app(batch_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("batches")
        await app.push_screen(BatchDetailScreen([batch.id]))
        detail = app.screen
        await wait_until(pilot, lambda: detail.results_done, timeout=20)
        index = weakref.ref(detail.index)
        cache = detail.index.path
        await pilot.press("escape")
        detail = None  # the test drops its own reference too
        # On a loaded machine the pop and unmount may take longer than a fixed pause (a 0.2 s
        # pause flaked in CI): wait for the unmount (the cache goes), then for a collection.
        await wait_until(pilot, lambda: not cache.exists(), timeout=10)
        # Then the index goes at once: the closed screen itself may stay for minutes (the
        # context of a cancelled httpx timer, left in the loop's heap until its deadline,
        # holds it), so the screen and its table let go of it when they unmount. A few
        # collections, not a long wait: enough polls would purge those timers and hide a leak.
        for _ in range(RELEASE_POLLS):
            if index() is None:
                break
            gc.collect()
            await pilot.pause(POLL)
        assert index() is None, "the closed screen still holds its results"
        assert gc.isenabled()


async def test_keys_on_an_empty_list_say_why_nothing_happens(make_app, batch_emulator) -> None:
    """enter/o/c/d/f with no batch did nothing at all (trial finding): a notice names how to
    make one."""
    app = make_app(batch_emulator)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.switch_mode("batches")
        screen = app.screen
        await wait_until(pilot, lambda: "no batches yet" in str(
            screen.query_one("#batches-status").render()))
        for key in ("enter", "o", "c", "d", "f"):
            app.clear_notifications()
            await pilot.press(key)
            await wait_until(pilot, lambda: "no batches yet" in notices(app))
            assert "ctrl+b" in notices(app) and app.screen is screen, key


async def test_an_empty_list_shows_the_first_batch_when_back_on_it(make_app,
                                                                   batch_emulator) -> None:
    """n from an empty list, send, esc: the list said 'no batches yet' until ctrl+r (trial
    finding). Coming back to the pane reloads it, empty or not."""
    from textual.screen import ModalScreen

    app = make_app(batch_emulator)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.switch_mode("batches")
        screen = app.screen
        await wait_until(pilot, lambda: "no batches yet" in str(
            screen.query_one("#batches-status").render()))
        await app.client.batches.create([{"custom_id": "a", "params": {
            "model": "claude-haiku-4-5", "max_tokens": 10,
            "messages": [{"role": "user", "content": "hi"}]}}])
        await app.push_screen(ModalScreen())  # as the batch dialog and detail screen do
        await pilot.pause(0.1)
        app.pop_screen()
        await wait_until(pilot, lambda: len(screen.order) == 1)


@pytest.mark.parametrize("size", [(140, 30), (120, 36), (80, 24)])
async def test_ids_statuses_and_counts_are_whole_at_each_width(make_app, batch_emulator,
                                                               size) -> None:
    """The batch id, its status, counts and (from 100 columns) dates show whole; the bars and
    then the dates give way (Expires was cut at 120 columns)."""
    from tests.ui.test_batches_snapshots import BATCH, LIVE

    app = make_app(batch_emulator)
    async with app.run_test(size=size) as pilot:
        await app.switch_mode("batches")
        screen = app.screen
        await wait_until(pilot, lambda: "no batches yet" in str(
            screen.query_one("#batches-status").render()))
        screen.workers.cancel_group(screen, "batches-poll")
        screen.batches = {b["id"]: b for b in (LIVE, BATCH)}
        screen.order = [LIVE["id"], BATCH["id"]]
        screen._render_table()
        await pilot.pause(0.3)
        rows = [line for line in screen_text(app).splitlines() if "msgbatch_" in line]
        assert len(rows) == 2
        assert LIVE["id"] in rows[0] and "in_progress" in rows[0] and "…700" in rows[0]
        assert BATCH["id"] in rows[1] and "✓40 ✗6 ⊘2" in rows[1]
        if size[0] >= 100:
            assert "Nov 20 09:12" in rows[1] and "exp. Nov 21 09:00" in rows[0]
        if size[0] >= 140:
            assert "█" in rows[1]
