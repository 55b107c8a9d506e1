"""Prompt library through the UI: ctrl+s saves new versions, diff shows the changed system line,
rename, delete (confirmed), and a TOML export -> import round trip."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import wait_until
from workbench.api.client import ClaudeClient
from workbench.config import Settings
from workbench.services.draft import Draft, Turn
from workbench.ui.app import WorkbenchApp


def store_class():
    """The real Store; the panes' minimal stand-in while services/store.py is absent."""
    try:
        from workbench.services.store import Store
    except ImportError:
        from workbench.services.store import Store
    return Store


def make_store(tmp_path: Path):
    return store_class()(tmp_path / "t.db")


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def v1() -> Draft:
    return Draft(system="You are terse.", turns=[Turn("user", "Summarise {{topic}} for {{audience}}")])


def v2() -> Draft:
    return Draft(system="You are warm and thorough.", temperature=0.4,
                 turns=[Turn("user", "Summarise {{topic}} for {{audience}}")])


async def save_from_composer(app, pilot, draft: Draft, name: str, note: str) -> None:
    await app.switch_mode("compose")
    composer = app.screen
    composer.open_draft(draft, "test")
    await wait_until(pilot, lambda: composer.session.draft.system == draft.system)
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "SavePromptScreen")
    await pilot.press(*name, "enter", *note, "enter")
    await wait_until(pilot, lambda: type(app.screen).__name__ != "SavePromptScreen")


async def open_library(app, pilot):
    await app.switch_mode("library")
    screen = app.screen
    await wait_until(pilot, lambda: screen.prompts and screen.versions)
    return screen


async def test_save_versions_diff_rename_delete(tmp_path, emulator_url) -> None:
    store = make_store(tmp_path)
    client = ClaudeClient(api_key="sk-ant-test-key-0000", base_url=emulator_url)
    app = WorkbenchApp(settings=Settings(), client=client, store=store)
    async with app.run_test(size=(140, 42)) as pilot:
        await save_from_composer(app, pilot, v1(), "summariser", "first")
        await wait_until(pilot, lambda: "saved summariser v1" in notices(app))
        await save_from_composer(app, pilot, v2(), "summariser", "warmer")
        await wait_until(pilot, lambda: "saved summariser v2" in notices(app))

        screen = await open_library(app, pilot)
        await wait_until(pilot, lambda: len(screen.versions) == 2)
        table = screen.query_one("#prompt-table")
        assert [str(c) for c in table.get_row_at(0)[:2]] == ["summariser", "2"]
        preview = str(screen.query_one("#version-preview").render())
        assert "topic, audience" in preview  # the variable list

        await pilot.press("f")  # highlighted (v2) against the one before
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DiffScreen")
        diff = app.screen
        body = str(diff.query_one("#diff-body").render())
        assert "-You are terse." in body and "+You are warm and thorough." in body
        assert "+temperature = 0.4" in body
        assert diff.diffs["turns"] == []  # unchanged section
        await pilot.press("escape")

        # open v1 in the composer
        screen.query_one("#version-table").focus()
        await pilot.press("down", "o")
        await wait_until(pilot, lambda: app.current_mode == "compose")
        await wait_until(pilot, lambda: app.screen.session.draft.system == "You are terse.")

        screen = await open_library(app, pilot)
        screen.query_one("#prompt-table").focus()
        await pilot.press("e")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AskScreen")
        app.screen.query_one("#ask-input").value = "brief-writer"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.prompts and str(screen.prompts[0]["name"]
                                        if isinstance(screen.prompts[0], dict)
                                        else screen.prompts[0].name) == "brief-writer")
        assert "brief-writer" in str(screen.query_one("#prompt-table").get_row_at(0))

        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: not screen.prompts)
        assert screen.query_one("#prompt-table").row_count == 0
    await client.aclose()


async def test_toml_export_import_round_trip(tmp_path, emulator_url) -> None:
    store = make_store(tmp_path)
    client = ClaudeClient(api_key="sk-ant-test-key-0000", base_url=emulator_url)
    app = WorkbenchApp(settings=Settings(), client=client, store=store)
    target = tmp_path / "summariser.toml"
    async with app.run_test(size=(140, 42)) as pilot:
        await save_from_composer(app, pilot, v2(), "summariser", "warmer")
        screen = await open_library(app, pilot)
        screen.query_one("#prompt-table").focus()
        await pilot.press("s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AskScreen")
        app.screen.query_one("#ask-input").value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, target.exists)
        text = target.read_text(encoding="utf-8")
        assert "You are warm and thorough." in text and "summariser" in text

        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: not screen.prompts)

        await pilot.press("i")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AskScreen")
        app.screen.query_one("#ask-input").value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.prompts and screen.versions)
        draft = screen._version() and __import__(
            "workbench.ui.widgets.library_data", fromlist=["x"]).version_draft(screen._version())
        assert draft.system == "You are warm and thorough."
        assert draft.temperature == 0.4
        assert draft.turns[0].text == "Summarise {{topic}} for {{audience}}"

        # a bad file: a clear error, no crash
        bad = tmp_path / "bad.toml"
        bad.write_text("this is = = not toml", encoding="utf-8")
        await pilot.press("i")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AskScreen")
        app.screen.query_one("#ask-input").value = str(bad)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "bad.toml" in notices(app) or "TOML" in notices(app))
    await client.aclose()


def _library_app(tmp_path, emulator_url):
    from workbench.ui.widgets.library_data import save_version

    store = make_store(tmp_path)
    save_version(store, "haiku", Draft(turns=[Turn("user", "A haiku about {{season}}")]), "")
    save_version(store, "summariser", v1(), "first")
    save_version(store, "summariser", v2(), "warmer")
    client = ClaudeClient(api_key="sk-ant-test-key-0000", base_url=emulator_url)
    return WorkbenchApp(settings=Settings(), client=client, store=store)


def test_library_snapshot(snap_compare, tmp_path, emulator_url, monkeypatch) -> None:
    import workbench.ui.screens.library as library

    monkeypatch.setattr(library, "when", lambda stamp: "2026-11-25 09:00:00")  # saved times
    app = _library_app(tmp_path, emulator_url)

    async def run_before(pilot) -> None:
        await app.switch_mode("library")
        await wait_until(pilot, lambda: app.screen.prompts and len(app.screen.versions) == 2)
        app._set_status("emulator")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(140, 42), run_before=run_before)


def test_diff_snapshot(snap_compare, tmp_path, emulator_url) -> None:
    app = _library_app(tmp_path, emulator_url)

    async def run_before(pilot) -> None:
        await app.switch_mode("library")
        await wait_until(pilot, lambda: app.screen.prompts and len(app.screen.versions) == 2)
        await pilot.press("f")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DiffScreen")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(140, 42), run_before=run_before)
