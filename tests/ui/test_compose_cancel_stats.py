"""A cancelled run reports what really arrived: output tokens counted from the received text
(marked as an estimate, since the final usage never came) and tokens/s over the time streamed;
the history record stores the same."""

from __future__ import annotations

import json

from tests.ui.conftest import screen_text, wait_until
from workbench.services.tokens import estimate_tokens


async def test_cancelled_run_counts_what_arrived(make_app, make_emulator) -> None:
    slow = make_emulator(tokens_per_second=60)
    app = make_app(slow)
    async with app.run_test(size=(140, 42)) as pilot:
        app.screen.turn_list.editors[0].area.text = "Write a long essay about canals"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: app.screen.session.replies
                         and len(app.screen.session.replies[0].text) > 120)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.screen.session.running)
        await pilot.pause(0.2)
        result = app.screen.session.last_result
        assert result.status == "cancelled" and not result.final_usage
        # message_start's usage says output_tokens 1: not what arrived
        assert result.message.usage.output_tokens == 1
        expected = estimate_tokens(result.text)
        assert expected > 20
        assert result.output_estimated and result.output_tokens == expected
        assert result.tokens_per_second is not None and result.tokens_per_second > 5
        shown = screen_text(app)
        assert f"out ~{expected:,} (estimated)" in shown
        assert " 0 tok/s" not in shown and "~" in shown.split("TTFT", 1)[1].split("tok/s")[0]

        store = await app.wait_store()
        await wait_until(pilot, lambda: store.count_runs() == 1)
        run = store.get_run(store.list_runs()[0]["id"])
        assert run["status"] == "cancelled"
        assert run["output_tokens"] == expected
        usage = run["usage"] if isinstance(run["usage"], dict) else json.loads(run["usage"])
        assert usage["output_tokens_estimated"] is True
        assert run["tokens_per_second"] and run["tokens_per_second"] > 5


async def test_complete_run_keeps_the_api_usage(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        app.screen.turn_list.editors[0].area.text = "Tell me about lighthouses"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: app.screen.session.last_result is not None
                         and not app.screen.session.running)
        await pilot.pause(0.1)
        result = app.screen.session.last_result
        assert result.final_usage and not result.output_estimated
        assert result.output_tokens == result.message.usage.output_tokens > 1
        assert "(estimated)" not in screen_text(app)


async def test_history_marks_a_cancelled_runs_output_as_estimated(make_app, make_emulator) -> None:
    """The History table and the run's detail show the `~` the composer showed, not the
    stored number as if the API had counted it; a complete run has no `~`."""
    slow = make_emulator(tokens_per_second=60)
    app = make_app(slow)
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        compose.turn_list.editors[0].area.text = "Write a long essay about canals"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.replies and len(compose.session.replies[0].text) > 120)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not compose.session.running)
        cancelled = compose.session.last_result.output_tokens
        store = await app.wait_store()
        await wait_until(pilot, lambda: store.count_runs() == 1)
        store.add_run(request={"model": "claude-sonnet-5-5", "max_tokens": 64,
                               "messages": [{"role": "user", "content": "complete one"}]},
                      message={"content": [], "usage": {"input_tokens": 5,
                                                        "output_tokens": 7}})

        await app.switch_mode("history")
        history = app.screen
        await wait_until(pilot, lambda: len(history.run_ids) == 2)
        table = history.query_one("#history-table")
        rows = {str(table.get_row_at(i)[2]): str(table.get_row_at(i)[5])  # 3: vote, 4: prompt
                for i in range(table.row_count)}
        assert rows["cancelled"].endswith(f"→~{cancelled:,}"), rows
        assert rows["complete"] == "5→7", rows
        assert f"→~{cancelled:,}" in screen_text(app)

        table.move_cursor(row=list(rows).index("cancelled"))
        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "RunDetailScreen")
        await pilot.pause(0.1)
        shown = screen_text(app)
        assert f"output_tokens: ~{cancelled:,} (estimated)" in shown
        assert "output_tokens_estimated" not in shown  # the flag is the ~, not a raw field
        assert "~" in shown.split("duration", 1)[1].split("tokens/s")[0]  # speed: estimated too
