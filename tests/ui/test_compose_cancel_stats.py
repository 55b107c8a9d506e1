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
        await wait_until(pilot, lambda: app.screen.replies
                         and len(app.screen.replies[0].text) > 120)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.screen.running)
        await pilot.pause(0.2)
        result = app.screen.last_result
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
        await wait_until(pilot, lambda: app.screen.last_result is not None
                         and not app.screen.running)
        await pilot.pause(0.1)
        result = app.screen.last_result
        assert result.final_usage and not result.output_estimated
        assert result.output_tokens == result.message.usage.output_tokens > 1
        assert "(estimated)" not in screen_text(app)
