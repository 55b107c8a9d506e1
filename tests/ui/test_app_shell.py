"""The app shell: panes by key and by clicking the top bar, the palette, themes."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.conftest import wait_until
from workbench import config, paths


async def test_function_keys_switch_panes_even_from_an_editor(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "compose"
                         and app.focused is not None)  # a turn editor
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.current_mode == "models")
        await pilot.press("f9")
        await wait_until(pilot, lambda: app.current_mode == "keys")
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.current_mode == "compose")


async def test_clicking_the_top_bar_switches_panes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause(0.2)
        bar = app.screen.query_one("TopBar")
        start, _, _ = next(span for span in bar._spans if span[2] == "models")
        await pilot.click("TopBar", offset=(start + 4, 0))
        await wait_until(pilot, lambda: app.current_mode == "models")


async def test_palette_lists_every_pane_and_composer_action(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause(0.2)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for pane in ("Compose", "Models", "History", "Library", "Batches", "Files", "Skills", "Keys"):
            assert f"Go to {pane}" in titles
        for action in ("Run", "Cancel", "Inspector", "Copy reply", "Append reply"):
            assert action in titles


async def test_theme_cycles_and_is_remembered(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause(0.2)
        assert app.theme == "workbench-warm"
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: app.theme != "workbench-warm")
        chosen = app.theme
        await wait_until(pilot, lambda: paths.config_file().exists())
    assert config.load().theme == chosen


async def test_broken_user_theme_falls_back_with_a_notice(make_app) -> None:
    paths.ensure(paths.user_themes_dir())
    (paths.user_themes_dir() / "broken.toml").write_text('name = "broken"\nprimary = "not-a-colour"\n')
    app = make_app(theme="broken")
    async with app.run_test(size=(140, 42)) as pilot:
        def said(text: str) -> bool:
            return any(text in n.message for n in app._notifications)

        await wait_until(pilot, lambda: said("broken.toml") and said("not found"))
        assert app.theme == "workbench-warm"


async def test_f1_shows_help_for_the_focused_widget(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("models")
        await wait_until(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press("f1")
        await wait_until(pilot, lambda: bool(app.screen.query("HelpPanel")))
