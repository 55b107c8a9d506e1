"""How the compose pane looks (pytest-textual-snapshot). Volatile bits (the emulator's port)
are pinned before the picture is taken."""

from __future__ import annotations

from workbench.services.draft import Draft, Turn

SIZE = (140, 42)


def _pin_status(app) -> None:
    app._set_status("default · api.example")


async def _settle(pilot) -> None:
    from tests.ui.conftest import wait_until

    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.settled)
    await wait_until(pilot, lambda: "context" in str(screen.query_one("#model-info").render()))
    await pilot.pause(0.6)
    _pin_status(pilot.app)
    await pilot.pause(0.1)


def test_compose_empty(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_settle)


def test_compose_with_a_draft_and_bad_tools(snap_compare, make_app) -> None:
    async def before(pilot) -> None:
        pilot.app.screen.open_draft(Draft(
            system="You are a terse assistant.", tools_json='[{"name": "x"}]',
            turns=[Turn("user", "What is the capital of France?"),
                   Turn("assistant", "The capital is")]))
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=before)


def test_compose_variables_dialog(snap_compare, make_app) -> None:
    async def before(pilot) -> None:
        pilot.app.screen.open_draft(Draft(turns=[Turn("user", "Describe {{city}} in {{season}}")]))
        await _settle(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause(0.3)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=before)
