"""F1's help panel in the composer lies over the column without the focus: at 120x36 it split
the screen and left the turns and the reply 19 columns each (trial finding)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import wait_until
from tests.ui.test_small_terminal import compose_ready


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_help_panel_leaves_the_composer_as_it_was(make_app, size) -> None:
    from textual.widgets import HelpPanel

    app = make_app()
    async with app.run_test(size=size) as pilot:
        compose = await compose_ready(app, pilot)
        columns = {name: compose.query_one(name).region for name in ("#editor", "#transcript")}
        await pilot.press("f1")
        await wait_until(pilot, lambda: bool(compose.query(HelpPanel)))
        await pilot.pause(0.2)
        panel = compose.query_one(HelpPanel)
        for name, region in columns.items():  # nothing moved or narrowed
            assert compose.query_one(name).region == region, name
        focused = app.focused
        assert focused is not None and not panel.region.overlaps(focused.region)
        assert panel.region.y >= 1 and panel.region.bottom <= size[1] - 1  # bar, footer seen
        assert panel.region.width >= 30

        # the focus on the right (the parameters): the panel goes left, over the turns
        await pilot.press("alt+p")
        await pilot.pause(0.2)
        assert compose.side.holds(app.focused)
        assert not panel.region.overlaps(app.focused.region)
        assert panel.region.x == 0

        await pilot.press("f1")  # and away again
        await wait_until(pilot, lambda: not compose.query(HelpPanel))
