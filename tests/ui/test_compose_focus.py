"""Where the focus goes after a composer command: the focused turn is always in view, and the
keys typed next land in it."""

from __future__ import annotations

import pytest

from tests.ui.conftest import open_and_wait, wait_until


def in_view(compose) -> bool:
    """The focused editor is laid out inside the turns' scroll area (not scrolled off)."""
    area = compose.focused
    editor = compose.query_one("#editor")
    region = area.region if area is not None else None
    return bool(region) and editor.region.contains(region.x, region.y)


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_turn_alt_a_focuses_is_in_view_and_takes_the_typing(make_app, size) -> None:
    from workbench.services.draft import Draft, Turn

    app = make_app()
    async with app.run_test(size=size) as pilot:
        compose = app.screen
        await compose.wait_side_loaded()
        text = "\n".join(f"line {i}" for i in range(8))
        roles = ["user", "assistant"] * 3 + ["user"]
        await open_and_wait(app, pilot, Draft(turns=[Turn(r, text) for r in roles]))  # type: ignore[arg-type]
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None
                         and not compose.session.running)
        await pilot.press("alt+a")
        last = compose.turn_list.editors[-1].area
        await wait_until(pilot, lambda: compose.focused is last and in_view(compose))
        await pilot.press(*"next one")
        await wait_until(pilot, lambda: app.composer.draft.turns[-1].text == "next one")
        assert len(app.composer.draft.turns) == 9


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_a_new_turn_at_the_end_is_scrolled_into_view(make_app, size) -> None:
    from workbench.services.draft import Draft, Turn

    app = make_app()
    async with app.run_test(size=size) as pilot:
        compose = app.screen
        await compose.wait_side_loaded()
        text = "\n".join(f"line {i}" for i in range(8))
        await open_and_wait(app, pilot, Draft(turns=[Turn("user", text)] * 1 + [
            Turn("assistant", text), Turn("user", text), Turn("assistant", text)]))
        compose.turn_list.editors[-1].area.focus()
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: len(compose.turn_list.editors) == 5
                         and compose.focused is compose.turn_list.editors[-1].area
                         and in_view(compose))
        await pilot.press(*"typed")
        await wait_until(pilot, lambda: app.composer.draft.turns[-1].text == "typed")
