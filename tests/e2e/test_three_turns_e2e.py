"""A three-turn conversation typed at 80x24 through tmux, with alt+a between the runs: each
line typed is on screen as it is typed (the new turn alt+a focuses is in view and takes the
keys), and each run's reply arrives."""

from __future__ import annotations

import re

import pytest

from tests.e2e.tmuxdrive import workbench_command

pytestmark = pytest.mark.e2e

# Short (no wrap in the turns column), and first words no reply would hold
def session_total(screen: str) -> str:
    found = re.search(r"\$([\d.]+)(?: session · |/)\$[\d.]+ today",
                      screen.splitlines()[0] if screen else "")
    return found.group(1) if found else ""


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
        before = session_total(tmux.screen())
        tmux.keys("C-r")
        # the top bar's session total grows once the run is stored (the transcript follows the
        # newest reply, whose header may be above the 24 rows)
        tmux.wait_until(lambda s, b=before: session_total(s) not in ("", b)
                        and "streaming" not in s, timeout=40, what=f"reply {number} to finish")
        if number < len(LINES):
            tmux.keys("M-a")  # the reply becomes a turn, and a new user turn takes the keys
            # the next line's words must then appear in the new turn as they are typed
    screen = tmux.screen()
    assert "stop_reason end_turn" in screen
    assert LINES[-1] in screen  # the last turn typed is in view
    tmux.keys("C-q")
    tmux.wait_until(lambda s: "◆" not in s, timeout=15, what="the app to quit")
