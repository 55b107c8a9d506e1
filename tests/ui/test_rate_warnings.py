"""Issue 12, item 3: an Evaluate run or re-run (and a compare) that would go over the rate limits
the emulator last reported says so first, with how long pacing makes it take; it is not refused.
The emulator runs with explicit low limits."""

from __future__ import annotations

import re

from tests.services.test_burst_warning import HAIKU, body, suite_text
from tests.ui.conftest import wait_until
from tests.ui.test_evaluate import open_pane


def rate_notices(app) -> list[str]:
    return [n.message for n in app.notices.entries if n.title == "Rate limits"]


async def test_evaluate_warns_before_a_run_or_re_run_over_the_limits(make_app, make_emulator,
                                                                     tmp_path) -> None:
    url = make_emulator(tokens_per_second=None, rate_limits=(6, 1_000_000, 1_000_000))
    suite = tmp_path / "paced.toml"
    suite.write_text(suite_text(4))
    app = make_app(url)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.wait_client()
        await app.client.messages.create(body())  # an earlier run: 5 of 6 requests left
        screen = await open_pane(app, pilot, suite)
        await pilot.press("ctrl+r")  # 4 requests: they fit, nothing to say
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmRun")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(screen.session.results) == 4 and not screen._busy,
                         timeout=20)
        assert rate_notices(app) == []
        assert all(r.passed for r in screen.session.results.values())

        await pilot.press("C")  # the column again, forced: 4 more with 1 left
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmRun")
        await pilot.press("enter")
        await wait_until(pilot, lambda: rate_notices(app))
        warning = rate_notices(app)[0]
        assert re.search(r"4 requests but \d of 6 left", warning), warning  # 1, or refilled
        assert "paced" in warning and "about" in warning
        assert screen._busy  # not refused: the run goes on, paced (the app's exit stops it)


async def test_compare_warns_when_its_model_is_short(make_app, make_emulator) -> None:
    from workbench.services.draft import Draft, Turn
    from workbench.ui.screens.compare import CompareScreen

    url = make_emulator(tokens_per_second=None, rate_limits=(2, 1_000_000, 1_000_000))
    app = make_app(url)
    async with app.run_test(size=(140, 42)) as pilot:
        await wait_until(pilot, lambda: app.screen.settled)
        await app.client.messages.create(body())
        await app.client.messages.create(body())  # none of 2 left for this model
        await app.push_screen(CompareScreen(Draft(model=HAIKU, turns=[Turn("user", "Hi")])))
        screen = app.screen
        await wait_until(pilot, lambda: all(c.select.value in screen.choices
                                            for c in screen.columns))
        await pilot.press("r")
        await wait_until(pilot, lambda: rate_notices(app))
        assert re.search(r"1 request but \d of 2 left", rate_notices(app)[0])
        assert "429" in rate_notices(app)[0]
