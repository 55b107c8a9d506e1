"""The composer's dialogs fit 120x36 and 80x24: no widget over another, the buttons in view."""

from __future__ import annotations

import pytest

from tests.ui.conftest import wait_until


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_variables_dialog_fits(make_app, size: tuple[int, int]) -> None:
    from textual.widgets import Button, Input

    from workbench.ui.screens.compose_modals import VariablesScreen

    app = make_app()
    async with app.run_test(size=size) as pilot:
        await app.push_screen(VariablesScreen(["name", "city", "country", "season"], {}))
        await wait_until(pilot, lambda: isinstance(app.screen, VariablesScreen))
        await pilot.pause(0.2)
        dialog = app.screen
        screen = dialog.region
        box = dialog.query_one("Vertical").region
        fill = dialog.query_one("#fill", Button).region
        row = dialog.query_one("#dataset-row", Input).region
        path = dialog.query_one("#dataset-path", Input).region
        assert not fill.overlaps(row) and not row.overlaps(path)
        assert fill.x >= row.right + 1 and fill.right <= box.right  # a gap, inside the box
        for button in dialog.query(Button):
            region = button.region
            assert region.height == 3 and screen.contains_region(region), button.id
            assert box.contains_region(region), button.id
        # the variables scroll: the first field is in view and can be typed in
        assert box.contains_region(dialog.query_one("#var-0", Input).region)
