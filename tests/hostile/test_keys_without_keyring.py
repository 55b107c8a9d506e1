"""Profiles work without a keyring: a key from the environment variable the profile names, or
one entered for this session only; the keyring advice is shown once, never when
ANTHROPIC_API_KEY is set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests.ui.conftest import wait_until
from workbench import config
from workbench.config import Profile, Settings
from workbench.services import keys
from workbench.services.keys import HEADLESS_ADVICE, advice_once, resolve_key


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    keys.SESSION_KEYS.clear()
    yield
    keys.SESSION_KEYS.clear()
    keyring.set_keyring(previous)


def test_key_env_round_trips_through_the_settings_file(tmp_path: Path) -> None:
    settings = Settings()
    settings.profiles["work"] = Profile("work", key_env="WORK_CLAUDE_KEY")
    path = tmp_path / "config.toml"
    config.save(settings, path)
    assert 'key_env = "WORK_CLAUDE_KEY"' in path.read_text()
    assert "key_env" not in path.read_text().split("[profiles.work]")[0]  # unset: not written
    assert config.load(path).profiles["work"].key_env == "WORK_CLAUDE_KEY"


def test_a_profile_takes_its_key_from_the_variable_it_names(no_keyring, monkeypatch) -> None:
    settings = Settings(active_profile="work")
    settings.profiles["work"] = Profile("work", key_env="WORK_CLAUDE_KEY")
    monkeypatch.setenv("WORK_CLAUDE_KEY", "sk-ant-work-0000000000")
    resolved = resolve_key(settings)
    assert (resolved.key, resolved.source, resolved.problem) == (
        "sk-ant-work-0000000000", "env", None)
    monkeypatch.delenv("WORK_CLAUDE_KEY")
    resolved = resolve_key(settings)
    assert resolved.key is None and "$WORK_CLAUDE_KEY" in resolved.problem


def test_a_session_key_works_without_a_keyring(no_keyring) -> None:
    keys.SESSION_KEYS["default"] = "sk-ant-session-000000"
    resolved = resolve_key(Settings())
    assert (resolved.key, resolved.source) == ("sk-ant-session-000000", "session")


def test_the_advice_is_shown_once_and_never_with_the_environment_key(tmp_path: Path) -> None:
    marker = tmp_path / "state" / "keyring-advice-shown"
    headless = keys.ResolvedKey("k" * 20, "session", HEADLESS_ADVICE)
    assert advice_once(headless, marker) == HEADLESS_ADVICE
    assert advice_once(headless, marker) is None  # remembered
    fresh = tmp_path / "other"
    assert advice_once(keys.ResolvedKey("k" * 20, "env", HEADLESS_ADVICE), fresh) is None
    assert not fresh.exists()


async def test_app_with_env_key_and_no_keyring_shows_no_advice(
        no_keyring, monkeypatch, emulator_url) -> None:
    from workbench.ui.app import WorkbenchApp

    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-env-key-000000")
    settings = Settings()
    settings.profiles["default"] = Profile("default", emulator_url)
    app = WorkbenchApp(settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.client is not None, timeout=15)
        await pilot.pause(0.3)
        assert not any("keyring" in n.message.lower() for n in app._notifications)


async def test_app_with_a_key_env_profile_runs_without_a_keyring(
        no_keyring, monkeypatch, emulator_url) -> None:
    from workbench.ui.app import WorkbenchApp

    monkeypatch.setenv("TEAM_KEY", "sk-ant-team-key-000000")
    settings = Settings(active_profile="team")
    settings.profiles["team"] = Profile("team", emulator_url, key_env="TEAM_KEY")
    app = WorkbenchApp(settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.client is not None, timeout=15)
        assert app.key_source == "env"
        assert (await app.client.models.list(limit=1)).data
        assert not any("keyring" in n.message.lower() for n in app._notifications)


async def test_a_key_entered_without_a_keyring_is_kept_for_the_session(
        no_keyring, make_app, emulator_url, isolated_home) -> None:
    from textual.widgets import Input

    secret = "sk-ant-api03-session-only-value-77cd"
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("keys")
        await pilot.pause(0.2)
        app.screen.query_one("#kf-name", Input).value = "laptop"
        app.screen.query_one("#kf-url", Input).value = emulator_url
        app.screen.query_one("#kf-key", Input).value = secret
        await pilot.click("#kf-save")
        await wait_until(pilot, lambda: keys.SESSION_KEYS.get("laptop") == secret)
        status = app.screen.query_one("#kf-status")
        await wait_until(pilot, lambda: "this session only" in str(status.render()))
        assert resolve_key(app.settings).key == secret  # the active profile now
        assert secret not in app.export_screenshot()
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="replace")
