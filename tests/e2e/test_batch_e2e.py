"""The real `workbench --demo` in tmux: a batch from the composer's request and a dataset,
watched until it ends, its results read from the screen."""

from __future__ import annotations

import pytest

from tests.e2e.tmuxdrive import workbench_command

pytestmark = pytest.mark.e2e


def test_batch_from_dataset_watched_to_the_end(tmux_session, tmp_path) -> None:
    dataset = tmp_path / "cities.csv"
    dataset.write_text("city\nOslo\nLima\nKyoto\n")
    tmux = tmux_session(workbench_command("--demo"))
    tmux.wait_for("Replies appear here", timeout=30)
    tmux.wait_for("DEMO")
    tmux.type("Describe {{city}} in one line")
    tmux.wait_for("in one line")
    tmux.keys("C-b")
    screen = tmux.wait_for("New batch from the composer", timeout=15)
    assert "{{city}}" in screen
    tmux.type(str(dataset))
    tmux.wait_for("cities.csv")  # typed keys reach the input before ctrl+k is pressed
    tmux.keys("C-k")
    # the count, the preview and the estimate may land in different frames on a loaded machine
    tmux.wait_until(lambda s: all(t in s for t in ("3 requests", "Describe Oslo in one line",
                                                  "Estimated cost")),
                    timeout=15, what="the checked dataset: count, preview and estimate")
    tmux.keys("C-s")
    # the demo emulator processes about one request a second
    screen = tmux.wait_for("Succeeded 3", timeout=40)
    assert "ended" in screen
    for n in (1, 2, 3):
        assert f"row-{n}" in screen
    assert "end_turn" in screen or "max_tokens" in screen
    tmux.keys("Escape")
    screen = tmux.wait_until(lambda s: "1 batch " in s and "run-" in s and "ended" in s,
                             timeout=15, what="the list with the run, ended")
    tmux.keys("C-q")
    tmux.wait_until(lambda s: "◆ workbench" not in s, timeout=15, what="the app to quit")
