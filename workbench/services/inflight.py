"""A streaming reply kept on disk as it grows, so a kill -9 mid-stream loses at most a moment.

History stores a run when it ends; a process killed while the reply streams would lose all of
it. So while a run streams, its request and the reply so far are written to
`<data>/inflight/<id>.json` at most every INTERVAL seconds (a temp file renamed over the old
one: never half-written). The file is removed once the run is in History. At the next start
`recover` stores each file left behind as a failed run that says what happened, and removes it.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

INTERVAL = 0.5  # seconds between two writes of a growing reply
STOPPED = "the workbench stopped while this reply was streaming; the text is what had arrived"


class Checkpoint:
    """The on-disk copy of one streaming run."""

    def __init__(self, folder: Path, body: dict[str, Any], profile: str,
                 betas: Sequence[str] = (), profile_betas: Sequence[str] = ()) -> None:
        self.folder = folder
        self.path = folder / f"{uuid.uuid4().hex}.json"
        self.body = body
        self.profile = profile
        self.betas = {"betas": list(betas), "profile_betas": list(profile_betas)}
        self.started = time.time()
        self._lock = threading.Lock()
        self._discarded = False

    def save(self, message: dict[str, Any] | None, request_id: str | None) -> None:
        """Write the run as it stands (call it from a thread: it writes a file). After
        `discard` it writes nothing: a late write must not bring a stored run back."""
        data = json.dumps({"request": self.body, "message": message, "request_id": request_id,
                           "profile": self.profile, "started": self.started, **self.betas})
        with self._lock:
            if self._discarded:
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(data, encoding="utf-8")
            os.replace(tmp, self.path)

    def discard(self) -> None:
        with self._lock:
            self._discarded = True
            for path in (self.path, self.path.with_suffix(".tmp")):
                with contextlib.suppress(OSError):
                    path.unlink()


def _names(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def recover(store: Any, folder: Path) -> int:
    """Store every run left streaming by a process that did not end it; how many there were."""
    if not folder.is_dir():
        return 0
    count = 0
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            store.add_run(request=data["request"], message=data.get("message"), status="failed",
                          error=STOPPED, request_id=data.get("request_id"),
                          profile=data.get("profile"), created_at=data.get("started"),
                          betas=_names(data.get("betas")),
                          profile_betas=_names(data.get("profile_betas")))
            count += 1
        except (OSError, ValueError, KeyError, TypeError):
            pass  # unreadable: nothing to keep
        with contextlib.suppress(OSError):
            path.unlink()
    for tmp in folder.glob("*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()
    return count
