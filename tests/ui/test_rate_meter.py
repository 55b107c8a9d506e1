"""The rate-limit meter: filled from the last response's headers, counting down, warning before
a compare would go over the limits, and listed in the inspector."""

from __future__ import annotations

from tests.ui.conftest import screen_text, wait_until
from workbench.services.ratelimits import parse, shortfall


def notices(app) -> str:
    return " | ".join(n.message for n in app._notifications)


async def test_meter_shows_the_last_limits_and_the_inspector_lists_them(make_app,
                                                                        make_emulator) -> None:
    url = make_emulator(tokens_per_second=None, rate_limits=(5, 1_000_000, 100_000))
    app = make_app(url)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.settled)
        meter = screen.query_one("#rate-meter")
        assert not meter.display  # nothing reported yet
        screen.turn_list.editors[0].area.text = "Tell me about rivers"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.session.last_result is not None
                         and not screen.session.running, timeout=20)
        await wait_until(pilot, lambda: "req 4/5" in screen_text(app))
        assert meter.display and "full in" in screen_text(app)
        assert meter.limits["requests"].remaining == 4

        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: hasattr(app.screen, "tabs"))
        limits = app.screen.tabs()["Limits"]
        assert "requests" in limits and "4 of" in limits and "full again in" in limits


def test_shortfall_warns_when_a_compare_would_go_over() -> None:
    headers = {"anthropic-ratelimit-requests-limit": "50",
               "anthropic-ratelimit-requests-remaining": "1",
               "anthropic-ratelimit-requests-reset": "2030-01-01T00:00:10Z",
               "anthropic-ratelimit-input-tokens-limit": "30000",
               "anthropic-ratelimit-input-tokens-remaining": "25000",
               "anthropic-ratelimit-input-tokens-reset": "2030-01-01T00:00:10Z"}
    limits = parse(headers)
    now = limits["requests"].reset - 10
    warning = shortfall(limits, 2, 100, now)
    assert warning and "2 requests but 1 of 50 left" in warning and "10 s" in warning
    assert shortfall(limits, 1, 100, now) is None
    assert "input tokens" in shortfall(limits, 1, 26_000, now)
    assert shortfall({}, 100, 10**9, now) is None  # nothing known: no warning
