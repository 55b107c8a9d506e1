"""A three-turn conversation typed at 80x24 through tmux, with alt+a between the runs: each
line typed is on screen as it is typed (the new turn alt+a focuses is in view and takes the
keys), and each run's reply arrives."""

from __future__ import annotations

import pytest

from tests.e2e.tmuxdrive import workbench_command

pytestmark = pytest.mark.e2e

# Short (no wrap in the turns column), and first words no reply would hold
LINES = ("Zebra colours please", "Quokka fruit next", "Yonder city last")


def test_three_turns_with_alt_a_between_runs_at_80x24(tmux_session) -> None:
    tmux = tmux_session(workbench_command("--demo"), width=80, height=24)
    tmux.wait_for("Replies appear here", timeout=30)
    tmux.wait_for("DEMO")
    for number, line in enumerate(LINES, start=1):
        words = line.split()
        typed = ""
        for word in words:  # word by word: each part is on screen before the next is sent
            typed = f"{typed} {word}".strip()
            tmux.type(word if typed == word else f" {word}")
            tmux.wait_for(typed)
        tmux.keys("C-r")
        head = f"#{number} assistant"
        tmux.wait_until(lambda s, head=head: head in s and "streaming" not in s, timeout=40,
                        what=f"reply {number} to finish")
        if number < len(LINES):
            tmux.keys("M-a")  # the reply becomes a turn, and a new user turn takes the keys
            tmux.wait_for("ASSISTANT")  # the reply, appended as a turn above the new one
    screen = tmux.screen()
    assert "#3 assistant" in screen
    assert LINES[-1] in screen  # the last turn typed is in view
    tmux.keys("C-q")
    tmux.wait_until(lambda s: "◆" not in s, timeout=15, what="the app to quit")
