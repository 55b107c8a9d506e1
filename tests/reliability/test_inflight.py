"""A streaming reply on disk: written whole or not at all, never back after discard, and
recovered into History as a failed run that says why."""

from __future__ import annotations

from pathlib import Path

from workbench.services.inflight import STOPPED, Checkpoint, recover
from workbench.services.store import Store

BODY = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
MESSAGE = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m",
           "content": [{"type": "text", "text": "half a rep"}], "stop_reason": None,
           "usage": {"input_tokens": 3, "output_tokens": 1}}


def test_recover_stores_a_left_run_once(tmp_path: Path) -> None:
    folder = tmp_path / "inflight"
    Checkpoint(folder, BODY, "default").save(MESSAGE, "req_1")
    (folder / "junk.json").write_text("{not json")
    store = Store(tmp_path / "db.sqlite")
    assert recover(store, folder) == 1
    [run] = store.list_runs()
    full = store.get_run(run["id"])
    assert full["status"] == "failed" and full["error"] == STOPPED
    assert full["reply_text"] == "half a rep"
    assert list(folder.iterdir()) == []
    assert recover(store, folder) == 0


def test_a_late_save_after_discard_writes_nothing(tmp_path: Path) -> None:
    cp = Checkpoint(tmp_path / "inflight", BODY, "default")
    cp.save(MESSAGE, None)
    cp.discard()
    cp.save(MESSAGE, None)  # a write still on its way when the run was stored
    assert list((tmp_path / "inflight").iterdir()) == []
