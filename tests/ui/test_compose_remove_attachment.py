"""alt+u takes one attachment off a turn (picked from a list, the focused turn's first); the
text and the other attachments stay, and the footer offers it only while there is one."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import screen_text, wait_until
from tests.ui.test_compose_attach import PNG


async def test_alt_u_removes_the_picked_attachment_and_nothing_else(make_app,
                                                                    tmp_path: Path) -> None:
    from workbench.services.draft import Attachment, Draft, Turn
    from workbench.ui.screens.compose_modals import PickScreen

    for name in ("a.png", "b.png", "c.png"):
        (tmp_path / name).write_bytes(PNG)
    a, b, c = (Attachment.from_path(tmp_path / n) for n in ("a.png", "b.png", "c.png"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        compose.open_draft(Draft(turns=[Turn("user", "first", attachments=[a, b]),
                                        Turn("assistant", "reply"),
                                        Turn("user", "third", attachments=[c])]))
        await wait_until(pilot, lambda: len(compose.turn_list.editors) == 3)
        third = compose.turn_list.editors[2].area
        third.focus()
        # in the footer while there is one
        await wait_until(pilot, lambda: "Remove attachment" in screen_text(app))
        await pilot.press("alt+u")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        labels = app.screen.labels
        assert labels[0].startswith("turn 3 (user): image: c.png")  # the focused turn's first
        assert labels[1:] == ["turn 1 (user): image: a.png", "turn 1 (user): image: b.png"]
        await pilot.press("down", "down", "enter")  # b.png
        await wait_until(pilot, lambda: app.screen is compose)
        turns = compose.session.draft.turns
        assert [t.text for t in turns] == ["first", "reply", "third"]
        assert turns[0].attachments == [a] and turns[2].attachments == [c]
        assert "b.png" not in str(compose.turn_list.editors[0].query_one(".turn-head").render())
        assert compose.focused is third  # typing goes on where it was

        for _ in range(2):  # the last two
            await pilot.press("alt+u")
            await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is compose)
        assert all(not t.attachments for t in compose.session.draft.turns)
        await wait_until(pilot, lambda: "Remove attachment" not in screen_text(app))
        await pilot.press("alt+u")
        await wait_until(pilot, lambda: any("no attachment to remove" in n.message
                                            for n in app._notifications))
        assert app.screen is compose and "u" not in third.text


async def test_alt_u_works_from_the_system_prompt_and_is_in_the_palette(make_app,
                                                                       tmp_path: Path) -> None:
    from workbench.services.draft import Attachment, Draft, Turn
    from workbench.ui.screens.compose_modals import PickScreen

    (tmp_path / "a.png").write_bytes(PNG)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        assert "Remove attachment" in [c.title for c in compose.palette_commands()]
        compose.open_draft(Draft(turns=[Turn("user", "look", attachments=[
            Attachment.from_path(tmp_path / "a.png")])]))
        await wait_until(pilot, lambda: compose.session.draft.turns[0].attachments)
        compose.query_one("#system").focus()
        await pilot.pause(0.1)
        await pilot.press("alt+u")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is compose)
        assert compose.session.draft.turns[0].attachments == []
