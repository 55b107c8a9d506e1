"""Shared fixtures: an isolated home for every test, and the built-in emulator on loopback.

Tests talk to the emulator over real HTTP on 127.0.0.1; nothing mocks our own client.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, data and cache under a temp dir; no real key or base URL leaks in."""
    home = tmp_path / "wbhome"
    home.mkdir()
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    for var in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "WORKBENCH_PROFILE", "WORKBENCH_THEME"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(autouse=True)
def no_animations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps made in tests do not animate: a tab underline still sliding after a relabel made a
    snapshot depend on the machine's load. (Textual reads TEXTUAL_ANIMATIONS once, at import.)"""
    import textual.constants

    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    """One emulator for the session at full speed (no pacing), fast batches, no random faults."""
    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import EmulatorThread

    emu = EmulatorThread(EmulatorConfig(tokens_per_second=None, batch_seconds_per_request=0.05))
    url = emu.start()
    yield url
    emu.stop()


@pytest.fixture
def make_emulator() -> Iterator:
    """Start extra emulators with their own settings (faults, pacing); stopped after the test."""
    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import EmulatorThread

    started: list[EmulatorThread] = []

    def start(**kwargs) -> str:
        emu = EmulatorThread(EmulatorConfig(**kwargs))
        started.append(emu)
        return emu.start()

    yield start
    for emu in started:
        emu.stop()


@pytest.fixture
async def client(emulator_url: str) -> AsyncIterator:
    """Our client pointed at the session emulator (retries on, quick)."""
    from workbench.api.client import ClaudeClient

    c = ClaudeClient(api_key="sk-ant-test-key-0000", base_url=emulator_url)
    yield c
    await c.aclose()


@pytest.fixture
def memory_keyring():
    """An in-memory keyring backend for tests that do not test the keyring itself."""
    import keyring

    from tests.memkeyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need a real Secret Service run only inside with-secret-service."""
    in_dbus = bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))
    skip = pytest.mark.skip(reason="needs a D-Bus session with gnome-keyring (with-secret-service)")
    for item in items:
        if "keyring_real" in item.keywords and not in_dbus:
            item.add_marker(skip)
