"""Start-up parses the stylesheet once: a mode's first screen would make Textual parse it all
again twice before the first frame (~20 ms of a ~250 ms start), so the composer is the app's
default screen and its CSS is read with the app's."""

from __future__ import annotations

import pytest
from textual.css.stylesheet import Stylesheet

from tests.ui.conftest import wait_until


async def test_the_first_frame_parses_the_stylesheet_once(make_app, monkeypatch) -> None:
    calls: list[int] = []
    reparse = Stylesheet.reparse

    def counting(self: Stylesheet) -> None:
        calls.append(1)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counting)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "compose"
                         and app.screen.settled)
        assert len(calls) <= 1, "the whole stylesheet was parsed again during start-up"
        # The composer's own rules are in effect (read with the app's CSS, not its screen's).
        sources = [str(path) for path, _ in app.stylesheet.source]
        assert any(path.endswith("compose.tcss") for path in sources)
        # ... and it is a mode like the others: away and back again, the same pane.
        composer = app.screen
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.current_mode == "models")
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.current_mode == "compose")
        assert app.screen is composer


@pytest.mark.parametrize("mode", ["models", "history"])
async def test_other_panes_still_bring_their_own_css(make_app, mode: str) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.switch_mode(mode)
        await wait_until(pilot, lambda: app.current_mode == mode)
        sources = [str(path) for path, _ in app.stylesheet.source]
        assert any(path.endswith(f"{mode}.tcss") for path in sources)
