"""Keys typed in a burst into one-line fields land in the order typed: the text typed after
tab goes into the next field, not the one that had the focus (a new-user trial got 'Oslo1990'
and an empty second field in the variables dialog)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.ui.conftest import wait_until
from tests.ui.test_compose_variables import open_dialog


def burst(app, keys: list[str]) -> None:
    """As a terminal delivers fast typing: every key queued before any is handled."""
    for name in keys:
        char = {"tab": "\t", "backspace": "\x7f"}.get(name, name)
        app.post_message(events.Key(name, char))


async def test_text_after_tab_goes_to_the_next_field(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        _, dialog = await open_dialog(app, pilot, "Describe {{city}} in {{year}}")
        first, second = dialog.query_one("#var-0", Input), dialog.query_one("#var-1", Input)
        first.focus()
        await pilot.pause()
        burst(app, [*"Oslo", "tab", *"1990"])
        await wait_until(pilot, lambda: len(first.value + second.value) >= 8)
        await pilot.pause(0.1)
        assert (first.value, second.value) == ("Oslo", "1990")


async def test_backspace_in_a_burst_deletes_what_was_typed_before_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        _, dialog = await open_dialog(app, pilot, "Describe {{city}}")
        field = dialog.query_one("#var-0", Input)
        field.focus()
        await pilot.pause()
        burst(app, [*"Oslx", "backspace", *"o!"])
        await wait_until(pilot, lambda: field.value.endswith("!"))
        assert field.value == "Oslo!"


async def open_skill_folder_dialog(app, pilot) -> Input:
    """The new-skill dialog, its folder field focused."""
    from tests.ui.test_skills import open_skills

    await open_skills(app, pilot)
    await pilot.press("n")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "SkillFolderScreen")
    folder = app.screen.query_one("#skill-folder", Input)
    folder.focus()
    await pilot.pause()
    return folder


async def test_text_after_a_tab_with_nothing_to_complete_goes_to_the_next_field(
        make_app, make_emulator, tmp_path) -> None:
    """A path field's tab looks on disk first (a thread) for a completion; with none it moves
    on, and the letters typed after it go to the next field, not after the path."""
    app = make_app(make_emulator(tokens_per_second=None))
    async with app.run_test(size=(140, 42)) as pilot:
        folder = await open_skill_folder_dialog(app, pilot)
        display = app.screen.query_one("#skill-display", Input)
        burst(app, [*f"{tmp_path}/nothing-here", "tab", *"My skill"])
        await wait_until(pilot, lambda: len(folder.value + display.value)
                         >= len(f"{tmp_path}/nothing-hereMy skill"))
        await pilot.pause(0.1)
        assert (folder.value, display.value) == (f"{tmp_path}/nothing-here", "My skill")
        assert app.focused is display


async def test_text_after_a_completing_tab_goes_inside_the_completed_folder(
        make_app, make_emulator, tmp_path) -> None:
    (tmp_path / "skill1" / "docs").mkdir(parents=True)
    app = make_app(make_emulator(tokens_per_second=None))
    async with app.run_test(size=(140, 42)) as pilot:
        folder = await open_skill_folder_dialog(app, pilot)
        burst(app, [*f"{tmp_path}/ski", "tab", *"doc", "tab"])
        await wait_until(pilot, lambda: folder.value.endswith("/docs/"))
        await pilot.pause(0.1)
        assert folder.value == f"{tmp_path}/skill1/docs/"
        assert app.focused is folder
