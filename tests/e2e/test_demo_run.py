"""The real `workbench --demo` in tmux: type a prompt, run it, read the streamed reply, copy it
through OSC 52 (read back from tmux's buffer), quit cleanly."""

from __future__ import annotations

import pytest

from tests.e2e.tmuxdrive import workbench_command

pytestmark = pytest.mark.e2e


def test_demo_run_stream_copy_quit(tmux_session) -> None:
    tmux = tmux_session(workbench_command("--demo"))
    tmux.wait_for("Replies appear here", timeout=30)
    tmux.wait_for("DEMO")
    tmux.type("Explain recursion with a short python example")
    tmux.wait_for("python example")  # typed to the end (the turn wraps its lines)
    tmux.keys("C-r")
    # Streamed at the emulator's default pace; the stats line appears when the reply is done.
    screen = tmux.wait_for("stop_reason end_turn", timeout=30)
    assert "#1 assistant" in screen
    assert "recursion" in screen.lower()
    assert "def recursion" in screen  # a code block, because code was asked for
    assert "request-id req_" in screen

    tmux.keys("M-c")
    tmux.wait_for("copied reply")
    copied = tmux.buffer()
    assert "recursion" in copied.lower() and "```python" in copied

    tmux.keys("C-q")
    tmux.wait_until(lambda s: "◆ workbench" not in s, timeout=15, what="the app to quit")


def test_demo_cancel_keeps_partial_reply(tmux_session) -> None:
    tmux = tmux_session(workbench_command("--demo"))
    tmux.wait_for("Replies appear here", timeout=30)
    tmux.type("Write a long essay about the history of bridges")
    tmux.wait_for("Write a long essay")
    tmux.keys("C-r")
    tmux.wait_for("Part 1", timeout=15)  # the long reply is streaming
    tmux.keys("Escape")
    screen = tmux.wait_for("the partial reply is kept", timeout=15)
    assert "Write a long essay" in screen and "bridges" in screen  # the draft is intact
    assert "cancelled" in screen and "request-id req_" in screen  # stats of what arrived
