"""The real `workbench --demo` in tmux: open the Files pane, upload a small file by typing its
path (Tab completes it), attach it to the composer, run, read the reply and check in the
Inspector that the request carried the file as a document block; quit cleanly."""

from __future__ import annotations

import re

import pytest

from tests.e2e.tmuxdrive import workbench_command

pytestmark = pytest.mark.e2e


def test_upload_attach_and_run(tmux_session, short_tmp) -> None:
    notes = short_tmp / "e2e-quarterly-notes.txt"
    notes.write_text("Quarterly revenue grew 12 percent; costs were flat.\n")
    tmux = tmux_session(workbench_command("--demo"))
    tmux.wait_for("Replies appear here", timeout=30)
    tmux.wait_for("DEMO")

    tmux.keys("F7")
    tmux.wait_for("no files yet", timeout=15)
    tmux.keys("u")
    tmux.wait_for("Upload a file to the Files API")
    tmux.type(str(short_tmp / "e2e-quarterly-no"))  # the rest comes from completion
    tmux.wait_for("e2e-quarterly-notes.txt")  # the greyed suggestion
    tmux.keys("Tab")
    screen = tmux.wait_for("text/plain · attach as a document block")
    assert f"{notes.stat().st_size} B" in screen  # checked locally before sending
    tmux.keys("Enter")
    # the list, with the new file highlighted, and its metadata panel (a later frame, maybe)
    screen = tmux.wait_until(lambda s: "1 file " in s and re.search(r"\bfile_011\w+", s),
                             timeout=15, what="the uploaded file and its metadata")
    assert "e2e-quarterly-notes.txt" in screen and "text/plain" in screen
    file_id = re.search(r"\b(file_011\w+)", screen).group(1)  # from the metadata panel

    tmux.keys("a")
    tmux.wait_for("📎 e2e-quarterly-notes.txt", timeout=10)  # the chip names the file
    tmux.type("Summarise the quarterly notes in the attached document")
    screen = tmux.wait_for("attached document")  # typed to the end (the turn wraps its lines)
    assert "attached document" in screen.split("USER", 1)[1]  # typed into the user turn
    tmux.keys("C-r")
    screen = tmux.wait_for("stop_reason end_turn", timeout=30)
    reply = screen.split("#1 assistant", 1)[1]
    assert "quarterly" in reply.lower()
    assert "I read" in reply  # the emulator names what was attached (first words of the reply)
    assert "request-id req_" in screen

    tmux.keys("C-o")  # the Inspector: the request as sent
    screen = tmux.wait_for('"file_id"', timeout=10)
    assert f'"file_id": "{file_id}"' in screen
    assert '"type": "document"' in screen and '"title": "e2e-quarterly-notes.txt"' in screen
    tmux.keys("Escape")
    tmux.wait_until(lambda s: '"file_id"' not in s, timeout=10, what="the inspector to close")

    tmux.keys("C-q")
    tmux.wait_until(lambda s: "◆ workbench" not in s, timeout=15, what="the app to quit")
