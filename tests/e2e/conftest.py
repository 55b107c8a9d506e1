"""Fixtures for end-to-end tests in tmux."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmuxdrive import Tmux, has_tmux

pytestmark = pytest.mark.e2e


@pytest.fixture
def tmux_session(tmp_path: Path) -> Iterator:
    """Start `command` in tmux with a private WORKBENCH_HOME; always killed at the end."""
    if not has_tmux():
        pytest.skip("tmux is not installed")
    sessions: list[Tmux] = []

    def start(command: str, **kwargs) -> Tmux:
        home = kwargs.pop("home", tmp_path / "home")
        home.mkdir(exist_ok=True)
        session = Tmux(command, home=home, **kwargs)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        session.close()
