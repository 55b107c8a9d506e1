"""The real `workbench --demo --platform bedrock` in tmux: a reply streamed over Bedrock's wire
(SigV4-signed invoke-with-response-stream, event-stream frames) into the composer."""

from __future__ import annotations

import pytest

from tests.e2e.tmuxdrive import has_tmux, workbench_command

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not has_tmux(), reason="tmux is not installed")]


def test_demo_bedrock_streams_a_reply(tmux_session) -> None:
    tmux = tmux_session(workbench_command("--demo", "--platform", "bedrock"), width=180)
    tmux.wait_for("Replies appear here", timeout=30)
    tmux.wait_for("emulator (bedrock)", timeout=30)  # the status bar names the platform
    tmux.type("Explain recursion with a short python example")
    tmux.wait_for("python example")  # typed to the end (the turn wraps its lines)
    tmux.keys("C-r")
    screen = tmux.wait_for("stop_reason end_turn", timeout=30)
    assert "#1 assistant" in screen and "def recursion" in screen
    assert "request-id" in screen and "request-id req_" not in screen  # x-amzn-RequestId
    tmux.keys("C-q")
    tmux.wait_until(lambda s: "◆ workbench" not in s, timeout=15, what="the app to quit")
