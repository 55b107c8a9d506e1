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


async def test_history_shows_a_runs_betas_and_reopens_them(make_app) -> None:
    from workbench.ui.widgets.ordered_keys import OrderedInput

    own, profile = "extended-cache-ttl-2025-04-11", "context-1m-2025-08-07"
    app = make_app(betas=[profile])  # the profile's betas: the client sends them every time
    app.settings.profiles["default"].betas = [profile]
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        compose.params.query_one("#options").query_one("#betas", OrderedInput).value = own
        compose.turn_list.editors[0].area.text = "Tell me about rivers"
        await wait_until(pilot, lambda: compose.session.draft.betas == [own])
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None
                         and not compose.session.running, timeout=20)
        sent = compose.session.last_result.exchange.request_headers["anthropic-beta"]
        assert sent == f"{profile},{own}"
        store = await app.wait_store()
        await wait_until(pilot, lambda: store.count_runs() == 1)

        # the composer moves on (no betas), then History's run is opened and reopened
        compose.params.query_one("#options").query_one("#betas", OrderedInput).value = ""
        await wait_until(pilot, lambda: compose.session.draft.betas == [])
        app.settings.profiles["default"].betas = []  # another profile, without that beta
        await app.switch_mode("history")
        history = app.screen
        await wait_until(pilot, lambda: len(history.run_ids) == 1)
        history.query_one("#history-table").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "RunDetailScreen")
        await wait_until(pilot, lambda: f"anthropic-beta {own} · profile: {profile}"
                         in screen_text(app))
        await pilot.press("o")
        await wait_until(pilot, lambda: app.current_mode == "compose")
        await wait_until(pilot, lambda: compose.session.draft.turns[0].text
                         == "Tell me about rivers")
        assert compose.session.draft.betas == [own, profile]  # a re-run sends the same ones
        field = compose.params.query_one("#options").query_one("#betas", OrderedInput)
        await wait_until(pilot, lambda: field.value == f"{own}, {profile}")


async def test_compare_sends_and_stores_each_sides_betas(make_app) -> None:
    from workbench.services.draft import Draft, Turn
    from workbench.ui.screens.compare import CompareScreen

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await wait_until(pilot, lambda: app.screen.settled)
        draft = Draft(model="claude-sonnet-5-5", turns=[Turn("user", "Write a haiku about tea")],
                      betas=["extended-cache-ttl-2025-04-11"])
        await app.push_screen(CompareScreen(draft))
        screen = app.screen
        await wait_until(pilot, lambda: all(c.select.value in screen.choices
                                            for c in screen.columns))
        await pilot.press("r")
        one, two = screen.columns
        await wait_until(pilot, lambda: not screen.running and one.run_id and two.run_id,
                         timeout=20)
        assert one.result.exchange.request_headers["anthropic-beta"] == \
            "extended-cache-ttl-2025-04-11"
        store = await app.wait_store()
        run = await store.arun(store.get_run, one.run_id)
        assert run["betas"] == ["extended-cache-ttl-2025-04-11"]
