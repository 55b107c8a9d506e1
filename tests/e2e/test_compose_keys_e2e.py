"""The composer's alt keys as a terminal really sends them (tmux: ESC + letter): copy the last
code block, open the attach dialog, clear the conversation and bring it back."""

from __future__ import annotations

import pytest

from tests.e2e.tmuxdrive import workbench_command

pytestmark = pytest.mark.e2e


def test_alt_keys_arrive_through_tmux(tmux_session) -> None:
    tmux = tmux_session(workbench_command("--demo"))
    tmux.wait_for("Replies appear here", timeout=30)
    tmux.wait_for("DEMO")
    tmux.type("Write a python function")
    tmux.wait_for("python function")
    tmux.keys("C-r")
    tmux.wait_for("stop_reason end_turn", timeout=30)

    tmux.keys("M-y")  # was alt+b: ESC b reaches Textual as ctrl+left
    tmux.wait_for("copied code block")
    copied = tmux.buffer()
    assert copied.startswith("def ") and "```" not in copied

    tmux.keys("M-i")  # was alt+f: ESC f reaches Textual as ctrl+right
    tmux.wait_for("Attach an image or PDF")
    tmux.keys("Escape")
    tmux.wait_until(lambda s: "Attach an image or PDF" not in s, what="the dialog to close")

    tmux.keys("C-l")
    screen = tmux.wait_for("alt+z brings it back")
    assert "#1 assistant" not in screen and "Write a python function" not in screen
    tmux.keys("M-z")
    screen = tmux.wait_for("conversation restored")
    assert "#1 assistant" in screen and "Write a python function" in screen

    tmux.keys("C-q")
    tmux.wait_until(lambda s: "◆ workbench" not in s, timeout=15, what="the app to quit")
