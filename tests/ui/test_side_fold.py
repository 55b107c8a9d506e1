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
        tools = compose.params.query_one("#tools")
        focus_now(tools)
        await wait_until(pilot, lambda: compose.side.is_open and compose.side.display
                         and bool(tools.region))  # laid out, on screen


async def test_the_summary_names_a_problem_and_the_sampling_set(make_app) -> None:
    """Folded, a value the API would refuse and the sampling settings show in the summary
    line, not only as a refused run."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        await pilot.press("alt+p")
        await wait_until(pilot, lambda: compose.side.is_open)
        await pilot.press("ctrl+a", *"999999999")  # max_tokens, over the model's maximum
        compose.params.query_one("#temperature").value = "0.7"
        await pilot.press("escape")
        summary = compose.query_one("#side-summary")
        await wait_until(pilot, lambda: not compose.side.is_open
                         and "⚠" in str(summary.render()))
        line = str(summary.render())
        assert "max_tokens" in line and "temperature 0.7" in line


async def test_alt_p_from_a_maximised_pane_shows_the_parameters(make_app) -> None:
    """alt+m then alt+p: the maximised pane gives its place back, so the focused field is
    on screen (it was hidden behind the maximised turns, and typing went into it unseen)."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        focus_now(compose.turn_list.editors[0].area)
        await pilot.press("alt+m")
        await wait_until(pilot, lambda: compose.maximized is not None)
        await pilot.press("alt+p")
        field = compose.params.query_one("#max-tokens")
        await wait_until(pilot, lambda: compose.focused is field and compose.maximized is None
                         and compose.side.display and bool(field.region))


async def test_esc_over_the_parameters_gives_the_reply_back_before_it_cancels(
        make_app, make_emulator) -> None:
    """Folded, with the parameters in the reply's place during a run: esc shows the reply
    (as the summary line says); a second esc cancels the run."""
    app = make_app(make_emulator(tokens_per_second=40))
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        focus_now(compose.turn_list.editors[0].area)
        await pilot.press(*"Tell me a long story", "ctrl+r")
        await wait_until(pilot, lambda: compose.session.running)
        await pilot.press("alt+p")
        await wait_until(pilot, lambda: compose.side.is_open)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not compose.side.is_open)
        assert compose.session.running  # not cancelled
        await pilot.press("escape")
        await wait_until(pilot, lambda: not compose.session.running)
