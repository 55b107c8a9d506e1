"""What the workbench remembers across a restart (a new App on the same data dir): the folder a
skill was uploaded from (issue 13, item 4) and a run's anthropic-beta names in History (issue 12).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input

from tests.ui.conftest import screen_text, wait_until
from tests.ui.test_skills import create_via_dialog, note_of, open_skills, skill_folder


async def _dialog_field(app, pilot, key: str) -> str:
    await pilot.press(key)
    await wait_until(pilot, lambda: type(app.screen).__name__ == "SkillFolderScreen")
    return app.screen.query_one("#skill-folder", Input).value


async def test_the_skill_dialog_remembers_the_folder_after_a_restart(make_app, make_emulator,
                                                                     tmp_path: Path) -> None:
    url = make_emulator(tokens_per_second=None)
    folder = skill_folder(tmp_path / "skills")
    first = make_app(url)
    async with first.run_test(size=(140, 42)) as pilot:
        screen = await open_skills(first, pilot)
        assert await _dialog_field(first, pilot, "n") == ""  # nothing remembered yet
        await pilot.press("escape")
        await wait_until(pilot, lambda: first.screen is screen)
        await create_via_dialog(first, pilot, folder)
        await wait_until(pilot, lambda: first.screen is screen and any(
            s.get("display_name") == "greeter" for s in screen.skills))

    second = make_app(url)  # a restart: a new app, the same data dir
    async with second.run_test(size=(140, 42)) as pilot:
        screen = await open_skills(second, pilot, 5)
        await wait_until(pilot, lambda: screen.current()["display_name"] == "greeter")
        assert await _dialog_field(second, pilot, "v") == str(folder)  # this skill's folder
        assert "New version of greeter" in screen_text(second)
        assert "-error" not in second.screen.query_one(".dialog-note").classes
        await pilot.press("escape")
        await wait_until(pilot, lambda: second.screen is screen)
        assert await _dialog_field(second, pilot, "n") == str(folder)  # the last new skill's
        await pilot.press("escape")

    shutil.rmtree(folder)  # the folder went away: still offered, and said to be missing
    third = make_app(url)
    async with third.run_test(size=(140, 42)) as pilot:
        screen = await open_skills(third, pilot, 5)
        await wait_until(pilot, lambda: screen.current()["display_name"] == "greeter")
        assert await _dialog_field(third, pilot, "v") == str(folder)
        await wait_until(pilot, lambda: "is missing" in note_of(third))
        assert str(folder) in note_of(third)
        assert "-error" in third.screen.query_one(".dialog-note").classes
        await pilot.press("escape")
        await wait_until(pilot, lambda: third.screen is screen)
