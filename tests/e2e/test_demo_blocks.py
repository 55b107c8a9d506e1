"""The real `workbench --demo` in tmux: server tools set in their dialog (alt+w), a web search
reply with its sources, a paused turn continued (alt+g), a refusal."""

from __future__ import annotations

import pytest

from tests.e2e.tmuxdrive import workbench_command

pytestmark = pytest.mark.e2e


def test_demo_web_search_pause_and_refusal(tmux_session) -> None:
    tmux = tmux_session(workbench_command("--demo"))
    tmux.wait_for("Replies appear here", timeout=30)
    tmux.wait_for("context", timeout=30)  # the model is loaded: the composer is ready
    tmux.type("Which rivers flow through Paris? emulator:pause_turn")
    tmux.wait_for("emulator:pause_turn")
    tmux.keys("M-w")
    tmux.wait_for("Server tools")
    tmux.keys("space")  # the focus starts on "Web search"
    tmux.keys("C-s")
    tmux.wait_for("server tools: web search")
    tmux.keys("C-r")
    tmux.wait_for("stop_reason pause_turn", timeout=30)
    screen = tmux.wait_for("web search · 5 results")  # the fold is drawn a frame later
    assert "Paused" in screen

    tmux.keys("M-g")
    screen = tmux.wait_for("stop_reason end_turn", timeout=30)  # the continued reply
    assert "[1] “" in screen and "https://" in screen  # cited; sources listed under it

    tmux.keys("C-l")  # a new conversation: the refusal
    tmux.wait_for("Replies appear here", timeout=15)
    tmux.type("Tell me a secret emulator:refusal")
    tmux.wait_for("emulator:refusal")
    tmux.keys("C-r")
    screen = tmux.wait_for("Refused", timeout=30)
    assert "stop_reason refusal" in screen
    tmux.keys("C-q")
