"""Below 140 columns the composer's side column folds into one summary line while the
parameters are not being edited, so the reply gets the room (issue 13, item 1)."""

from __future__ import annotations

from tests.ui.conftest import wait_until
from workbench.ui.focus import focus_now


async def test_at_120_columns_the_reply_gets_the_room(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        summary = compose.query_one("#side-summary")
        assert not compose.side.display and summary.display
        assert compose.transcript.size.width >= 60  # 44 beside the column before
        await pilot.press("alt+p")  # the parameters, in the reply's place
        await wait_until(pilot, lambda: compose.side.is_open and compose.side.display)
        assert compose.focused is compose.params.query_one("#max-tokens")
        assert not compose.transcript.display
        await pilot.press("escape")
        await wait_until(pilot, lambda: not compose.side.is_open)
        assert compose.transcript.display and not compose.side.display


async def test_from_140_columns_the_column_stays_beside_the_reply(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        assert compose.side.display and compose.transcript.display
        assert not compose.query_one("#side-summary").display
        await pilot.resize_terminal(120, 36)  # folds when the terminal narrows
        await wait_until(pilot, lambda: not compose.side.display)


async def test_a_field_focused_another_way_shows_the_parameters(make_app) -> None:
    """Not only alt+p: whatever puts the focus in a folded field shows the column, so the
    focus is never on a field the user cannot see."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        focus_now(compose.params.query_one("#tools"))
        await wait_until(pilot, lambda: compose.side.is_open and compose.side.display)
        assert compose.params.query_one("#tools").region  # laid out, on screen
