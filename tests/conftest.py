"""Shared fixtures: an isolated home for every test, and the built-in emulator on loopback.

Tests talk to the emulator over real HTTP on 127.0.0.1; nothing mocks our own client.
"""

from __future__ import annotations

import os
import shutil
import tempfile
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


# Debounce and poll intervals the tests wait on, shortened (seconds). A renamed constant fails
# every test (setattr raises), so this list cannot silently stop shortening anything.
FAST_INTERVALS = {
    "workbench.services.composer.COUNT_DEBOUNCE": 0.05,
    "workbench.services.composer.AUTOSAVE_DEBOUNCE": 0.05,
    "workbench.services.composer.AUTOSAVE_MAX_WAIT": 0.3,
    "workbench.ui.screens.list_pane.FILTER_DELAY": 0.02,
    "workbench.ui.screens.batch_actions.POLL_MIN": 0.1,
    "workbench.ui.screens.batch_actions.POLL_MAX": 1.0,
    "workbench.ui.widgets.reply_view.SETTLE_SECONDS": 0.2,
    "workbench.ui.app.IO_DELAY": 0.01,  # a timer of 0 s divides by zero in Textual
}


def set_constant(monkeypatch: pytest.MonkeyPatch, dotted: str, value: object) -> None:
    """Set a module's constant for one test."""
    import importlib

    module_name, _, name = dotted.rpartition(".")
    monkeypatch.setattr(importlib.import_module(module_name), name, value)


@pytest.fixture(autouse=True)
def fast_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests wait on these, not on what they test; a test of a debounce or a back-off sets the
    value it asserts on itself (after this fixture has run)."""
    for dotted, seconds in FAST_INTERVALS.items():
        set_constant(monkeypatch, dotted, seconds)


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A fresh directory with a short path, for tests that read a path on screen: under xdist
    tmp_path is longer (…/popen-gw0/…) and a field or a wrapped line cut the name off."""
    path = Path(tempfile.mkdtemp(prefix="wb-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def emulator_url() -> Iterator[str]:
    """One emulator for the session at full speed (no pacing), fast batches, no random faults."""
    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import EmulatorThread

    emu = EmulatorThread(EmulatorConfig(tokens_per_second=None, batch_seconds_per_request=0.05))
    url = emu.start()
    yield url
    emu.stop()


@pytest.fixture(scope="session")
def typescript_sdks() -> Path:
    """A folder with TypeScript and the official SDK packages (direct and the three platforms),
    installed from npm once and kept in the user's cache between runs (tests/typescript.py).
    Tests using it belong to the xdist group "typescript", so one worker has it."""
    from tests.typescript import install

    found = install()
    if isinstance(found, str):
        pytest.skip(found)
    return found


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


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject's addopts) starts two workers per core: the tests wait on the
    emulator, timers and tmux much of the time (on 2 cores, 4 workers took 108 s for tests/ui
    where 2 took 151 s). PYTEST_XDIST_AUTO_NUM_WORKERS or `-n N` still choose."""
    chosen = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS", "")
    return int(chosen) if chosen.isdigit() else 2 * (os.cpu_count() or 1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need a real Secret Service run only inside with-secret-service."""
    in_dbus = bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))
    skip = pytest.mark.skip(reason="needs a D-Bus session with gnome-keyring (with-secret-service)")
    for item in items:
        if "keyring_real" in item.keywords and not in_dbus:
            item.add_marker(skip)
