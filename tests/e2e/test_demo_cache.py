"""`workbench --demo` in tmux: a cache breakpoint on a long system prompt, the same request run
twice: the first run writes the cache, the second reads it and costs less."""

from __future__ import annotations

import re

import pytest

from tests.e2e.tmuxdrive import workbench_command

pytestmark = pytest.mark.e2e

SYSTEM = " ".join(f"Rule {i}: answer politely and cite the handbook section." for i in range(60))


def costs(screen: str) -> list[float]:
    return [float(x) for x in re.findall(r"^.*?≈ \$([0-9.]+) · TTFT", screen, re.M)]


def test_demo_cache_write_then_read(tmux_session) -> None:
    tmux = tmux_session(workbench_command("--demo"), width=120, height=40)
    tmux.wait_for("Replies appear here", timeout=30)
    tmux.type("Which rule comes first?")  # the focus starts in the first turn
    tmux.wait_for("Which rule comes first?")
    tmux.keys("BTab")  # the system prompt
    tmux._tmux("set-buffer", "-b", "system", SYSTEM)  # pasted: typing it key by key is slow
    tmux._tmux("paste-buffer", "-p", "-b", "system")
    tmux.wait_for("Rule 59", timeout=60)
    tmux.keys("M-F")  # alt+shift+f
    tmux.wait_for("⚑ cache 5m")
    tmux.keys("C-r")
    tmux.wait_for("⚑ cache write ≈ $", timeout=30)
    tmux.keys("C-r")
    screen = tmux.wait_for("(saved ≈", timeout=30)
    found = costs(screen)
    assert len(found) == 2 and found[1] < found[0], found  # the read is cheaper
    tmux.keys("C-q")
