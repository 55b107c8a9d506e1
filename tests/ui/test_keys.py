"""Keys pane and the first-run screen."""

from __future__ import annotations

import keyring
from keyring.backends import fail
from textual.widgets import Input

from tests.ui.conftest import screen_text, wait_until
from workbench.config import Settings
from workbench.ui.app import WorkbenchApp

SECRET = "sk-ant-api03-very-secret-value-42ab"



async def test_set_key_is_checked_stored_and_only_shown_masked(make_app, memory_keyring,
                                                               emulator_url, isolated_home) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("keys")
        await pilot.pause(0.2)
        app.screen.query_one("#kf-url", Input).value = emulator_url
        app.screen.query_one("#kf-key", Input).value = SECRET
        await pilot.click("#kf-save")
        await wait_until(pilot, lambda: ("workbench", "default") in memory_keyring.store)
        await wait_until(pilot, lambda: "sk-ant-…42ab" in screen_text(app))
        assert memory_keyring.store[("workbench", "default")] == SECRET
        assert SECRET not in app.export_screenshot()
        assert all(SECRET not in n.message for n in app._notifications)
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace")


async def test_delete_with_confirm(make_app, memory_keyring) -> None:
    memory_keyring.set_password("workbench", "default", SECRET)
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("keys")
        await wait_until(pilot, lambda: "sk-ant-…42ab" in screen_text(app))
        app.screen.query_one("#keys-table").focus()
        await pilot.press("d")
        await wait_until(pilot, lambda: "Delete the key" in screen_text(app))
        await pilot.press("y")
        await wait_until(pilot, lambda: ("workbench", "default") not in memory_keyring.store)
        await wait_until(pilot, lambda: "no key" in screen_text(app))


async def test_headless_keyring_shows_the_advice(make_app) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        app = make_app()
        async with app.run_test(size=(140, 42)) as pilot:
            await app.switch_mode("keys")
            await wait_until(pilot, lambda: "ANTHROPIC_API_KEY" in screen_text(app))
            assert "no keyring" in screen_text(app) and "No OS keyring is available" in screen_text(app)
    finally:
        keyring.set_keyring(previous)


async def test_first_run_offers_demo_mode(memory_keyring) -> None:
    app = WorkbenchApp(settings=Settings())  # no key anywhere, no injected client
    async with app.run_test(size=(140, 42)) as pilot:
        await wait_until(pilot, lambda: "No API key was found" in screen_text(app))
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: app.client is not None, timeout=15)
        assert app.settings.demo and app.client.base_url.startswith("http://127.0.0.1:")
        models = await app.client.models.list(limit=1)
        assert models.data


async def test_check_failure_is_readable_and_nothing_stored(make_app, memory_keyring) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("keys")
        await pilot.pause(0.2)
        app.screen.query_one("#kf-url", Input).value = f"http://127.0.0.1:{port}"
        app.screen.query_one("#kf-key", Input).value = SECRET
        await pilot.click("#kf-save")
        await wait_until(pilot, lambda: "not stored" in screen_text(app), timeout=15)
        assert "connect" in screen_text(app).lower()
        assert ("workbench", "default") not in memory_keyring.store
        assert SECRET not in app.export_screenshot()


async def test_use_switches_and_persists_the_active_profile(make_app, memory_keyring,
                                                            emulator_url) -> None:
    from workbench import config
    from workbench.config import Profile

    memory_keyring.set_password("workbench", "work", SECRET)
    app = make_app()
    app.settings.profiles["work"] = Profile("work", emulator_url, "2023-06-01")
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("keys")
        await wait_until(pilot, lambda: "sk-ant-…42ab" in screen_text(app))
        table = app.screen.query_one("#keys-table")
        table.focus()
        table.move_cursor(row=table.get_row_index("work"))
        before = app.client
        await pilot.press("u")
        await wait_until(pilot, lambda: app.settings.active_profile == "work")
        await wait_until(pilot, lambda: config.load().active_profile == "work")
        await wait_until(pilot, lambda: app.client is not before)  # rebuilt with work's key
        assert app.client.base_url.rstrip("/") == emulator_url.rstrip("/")


async def test_first_run_add_key(memory_keyring, emulator_url) -> None:
    app = WorkbenchApp(settings=Settings())
    async with app.run_test(size=(140, 42)) as pilot:
        await wait_until(pilot, lambda: "No API key was found" in screen_text(app))
        app.screen.query_one("#kf-url", Input).value = emulator_url
        app.screen.query_one("#kf-key", Input).value = SECRET
        await pilot.click("#kf-save")
        await wait_until(pilot, lambda: app.client is not None, timeout=15)
        assert memory_keyring.store[("workbench", "default")] == SECRET
        assert not app.settings.demo
        assert app.client.base_url.rstrip("/") == emulator_url.rstrip("/")
        assert (await app.client.models.list(limit=1)).data


def test_keys_snapshot(snap_compare, make_app, memory_keyring) -> None:
    memory_keyring.set_password("workbench", "default", SECRET)

    async def before(pilot) -> None:
        await pilot.app.switch_mode("keys")
        await wait_until(pilot, lambda: "sk-ant-…42ab" in screen_text(pilot.app))
        pilot.app._set_status("default · api.example")
        await pilot.pause(0.1)

    app = make_app()
    app.settings.profiles["default"].base_url = "https://api.anthropic.com"  # no random port
    assert snap_compare(app, terminal_size=(140, 42), run_before=before)


def test_first_run_snapshot(snap_compare, memory_keyring) -> None:
    async def before(pilot) -> None:
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "FirstRunScreen")
        await pilot.pause(0.1)

    assert snap_compare(WorkbenchApp(settings=Settings()), terminal_size=(140, 42), run_before=before)
