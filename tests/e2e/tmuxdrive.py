"""Drive the real `workbench` command in a private tmux server (see shared/TESTING.md)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import uuid
from pathlib import Path


class Tmux:
    """One private tmux server with one window running a command; killed on close()."""

    def __init__(self, command: str, *, home: Path, width: int = 140, height: int = 42,
                 env: dict[str, str] | None = None) -> None:
        self.socket = f"wb-{uuid.uuid4().hex[:8]}"
        self.home = home
        # COLUMNS/LINES from the calling shell would override the pane's real size.
        environment = {"WORKBENCH_HOME": str(home), "TERM": "xterm-256color",
                       "COLUMNS": str(width), "LINES": str(height),
                       "TEXTUAL_ANIMATIONS": "none", **(env or {})}
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in environment.items())
        self._tmux("-f", "/dev/null", "new-session", "-d", "-x", str(width), "-y", str(height),
                   f"env {exports} {command}; sleep 30")
        self._tmux("set", "-g", "set-clipboard", "on")

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                                text=True, timeout=20)
        if result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-J")

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout}s. Screen:\n{screen}")

    def wait_until(self, predicate, timeout: float = 20.0, what: str = "condition") -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{what} not met within {timeout}s. Screen:\n{screen}")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-l", text)

    def buffer(self) -> str:
        return self._tmux("show-buffer")

    def pane_pid(self) -> int:
        return int(self._tmux("list-panes", "-F", "#{pane_pid}").split()[0])

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20)


def workbench_command(*args: str) -> str:
    """The real entry point, from this interpreter (so it works without activating a venv)."""
    return " ".join([shlex.quote(sys.executable), "-m", "workbench", *map(shlex.quote, args)])


def has_tmux() -> bool:
    return subprocess.run(["which", "tmux"], capture_output=True).returncode == 0 and os.name == "posix"
