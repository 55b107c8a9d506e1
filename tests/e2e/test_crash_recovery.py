"""Drafts survive kill -9: the real `workbench --demo` in tmux is killed with SIGKILL while
typing and while a reply streams, restarted with the same home, and the draft is back on screen;
a half-streamed reply is in History after the restart (as a failed run saying why), its text a
start of the whole reply. The history database must then pass `PRAGMA integrity_check`."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.tmuxdrive import Tmux, workbench_command

pytestmark = pytest.mark.e2e

READY = "Replies appear here"


def app_pid(tmux: Tmux) -> int:
    """The python process under the tmux pane's shell (the pane runs `env ... python ...`)."""
    shell = tmux.pane_pid()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        out = subprocess.run(["pgrep", "-P", str(shell)], capture_output=True, text=True).stdout
        for pid in map(int, out.split()):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if b"workbench" in cmdline and b"python" in cmdline.lower():
                return pid
        time.sleep(0.1)
    raise AssertionError("the workbench process was not found under the tmux pane")


def kill_hard(tmux: Tmux) -> None:
    pid = app_pid(tmux)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:  # the process may go between any two looks (ESRCH / ENOENT)
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            break
        if "zombie" in status or not status:
            break
        time.sleep(0.05)


def saved_draft(home: Path) -> dict:
    """The draft row in the database (one transaction per save: never half-written)."""
    with sqlite3.connect(home / "data" / "workbench.db") as conn:
        row = conn.execute("SELECT data FROM drafts WHERE slot = 'default'").fetchone()
    assert row is not None, "no draft saved"
    return json.loads(row[0])


def wait_saved(home: Path, text: str, timeout: float = 15.0) -> None:
    """Until the autosave (debounced, then written in a thread) holds `text` in the first turn:
    a fixed pause past the debounce could be too short on a loaded machine."""
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        try:
            seen = saved_draft(home)["turns"][0]["text"]
        except (AssertionError, sqlite3.Error, KeyError, IndexError):
            seen = None
        if seen is not None and seen.startswith(text):
            return
        time.sleep(0.1)
    raise AssertionError(f"the draft was not saved with {text!r} (last seen: {seen!r})")


def check_database(home: Path) -> None:
    """The database (runs, prompts, drafts) is intact after the kill."""
    with sqlite3.connect(home / "data" / "workbench.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_kill_while_typing_restores_draft(tmux_session, tmp_path: Path) -> None:
    home = tmp_path / "home"
    tmux = tmux_session(workbench_command("--demo"), home=home)
    tmux.wait_for(READY, timeout=30)
    tmux.type("Hamlet in three lines")
    tmux.wait_for("Hamlet in three lines")
    wait_saved(home, "Hamlet in three lines")
    tmux.type(" please")  # still typing when the kill lands
    kill_hard(tmux)
    tmux.close()

    draft = saved_draft(home)
    assert draft["turns"][0]["text"].startswith("Hamlet in three lines")

    again = tmux_session(workbench_command("--demo"), home=home)
    screen = again.wait_for("Hamlet in three lines", timeout=30)
    assert "DEMO" in screen
    check_database(home)


def stored_runs(home: Path) -> list[dict]:
    with sqlite3.connect(home / "data" / "workbench.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(
            "SELECT status, error, reply_text, request FROM runs ORDER BY id")]


def whole_reply(request: dict) -> str:
    """The reply the demo emulator gives to `request` when nothing stops it (replies are
    deterministic), from an emulator of our own at full speed."""
    import asyncio

    from workbench.api.client import ClaudeClient
    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import EmulatorThread

    emu = EmulatorThread(EmulatorConfig(tokens_per_second=None))
    url = emu.start()

    async def ask() -> str:
        async with ClaudeClient(api_key="sk-ant-e2e-0000", base_url=url) as client:
            message = await client.messages.create(request)
        return "".join(getattr(b, "text", "") or "" for b in message.content)

    try:
        return asyncio.run(ask())
    finally:
        emu.stop()


# kill -9 rounds: 0.8 s to 2.5 s into the stream (the reply is written to disk every 0.5 s)
@pytest.mark.parametrize("after", [0.8, 1.5, 2.5])
def test_kill_while_streaming_restores_draft(tmux_session, tmp_path: Path, after: float) -> None:
    home = tmp_path / "home"
    tmux = tmux_session(workbench_command("--demo"), home=home)
    tmux.wait_for(READY, timeout=30)
    tmux.keys("F4")  # the history pane opens the database before the run
    tmux.wait_for("no runs match", timeout=15)
    tmux.keys("F2")
    tmux.wait_for(READY, timeout=15)
    tmux.type("Long essay on lighthouses")
    tmux.wait_for("Long essay on lighthouses")
    wait_saved(home, "Long essay on lighthouses")
    tmux.keys("C-r")
    tmux.wait_until(lambda s: "streaming…" in s or "#1 assistant" in s, timeout=15,
                    what="the reply to start streaming")
    time.sleep(after)  # the kill lands this far into the stream, whatever the screen shows
    assert "stop_reason" not in tmux.screen()  # still streaming when the kill lands
    kill_hard(tmux)
    tmux.close()
    assert stored_runs(home) == []  # nothing was in History yet: the run had not ended

    again = tmux_session(workbench_command("--demo"), home=home)
    again.wait_for("Long essay on lighthouses", timeout=30)
    assert saved_draft(home)["turns"][0]["text"] == "Long essay on lighthouses"
    again.wait_for("streaming when the workbench stopped", timeout=30)
    [run] = stored_runs(home)
    assert run["status"] == "failed" and "stopped while this reply was streaming" in run["error"]
    partial = run["reply_text"]
    assert partial.strip(), "the half-streamed reply was not kept"
    whole = whole_reply(json.loads(run["request"]))
    assert whole.startswith(partial) and len(partial) < len(whole)
    again.keys("F4")  # History lists it, and its detail shows the text that had arrived
    again.wait_until(lambda s: "failed" in s and "Long essay on lighthouses" in s, timeout=15,
                     what="the run in History")
    again.keys("Enter")
    again.wait_for(" ".join(partial.split()[:3]), timeout=15)
    check_database(home)


def test_kill_after_a_clear_keeps_the_cleared_conversation(tmux_session, tmp_path: Path) -> None:
    """ctrl+l, type on, kill -9: after the restart alt+z still brings the cleared turns back
    (the set-aside conversation is saved with the draft, not only kept in memory)."""
    home = tmp_path / "home"
    tmux = tmux_session(workbench_command("--demo"), home=home)
    tmux.wait_for(READY, timeout=30)
    tmux.type("Sonnet about tides")
    tmux.wait_for("Sonnet about tides")
    wait_saved(home, "Sonnet about tides")
    tmux.keys("C-l")
    tmux.wait_until(lambda s: "Sonnet about tides" not in s, timeout=10, what="the clear")
    tmux.type("another topic")
    tmux.wait_for("another topic")
    wait_saved(home, "another topic")
    kill_hard(tmux)
    tmux.close()

    assert saved_draft(home)["turns"][0]["text"] == "another topic"
    again = tmux_session(workbench_command("--demo"), home=home)
    again.wait_for("another topic", timeout=30)
    again.keys("M-z")
    again.wait_for("Sonnet about tides", timeout=10)
    again.wait_for("conversation restored", timeout=10)
    check_database(home)


def test_kill_during_steady_typing_loses_at_most_the_last_seconds(tmux_session,
                                                                  tmp_path: Path) -> None:
    """Keys faster than the 0.3 s debounce for 4 s (the debounce alone would never save), then
    kill -9: the autosave's maximum wait (1 s) kept all but the last moments of it."""
    home = tmp_path / "home"
    tmux = tmux_session(workbench_command("--demo"), home=home)
    tmux.wait_for(READY, timeout=30)
    words = [f"w{i:02d}" for i in range(40)]
    typed_at: list[float] = []
    for word in words:  # steady typing: one word every 0.1 s
        tmux.type(word + " ")
        typed_at.append(time.monotonic())
        time.sleep(0.1)
    kill_hard(tmux)
    killed = time.monotonic()
    tmux.close()
    text = saved_draft(home)["turns"][0]["text"]
    kept = [w for w in words if w in text]
    # everything typed more than 2.5 s before the kill (max wait + a loaded machine) survived
    old = [w for w, t in zip(words, typed_at, strict=True) if killed - t > 2.5]
    assert old and set(old) <= set(kept), (len(old), len(kept), text[-60:])
