"""Crash-safe autosave of the composer's draft: one row per profile in the local database,
with the conversation a clear set aside (so its undo survives a restart).

Each save is one SQLite transaction in WAL mode, so after a crash, a kill -9 or a dropped SSH
session the database holds either the previous or the new draft, never half of one. Drafts
saved by the first release as JSON files are read once and then kept in the database.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench import paths

_lock = threading.Lock()
_stores: dict[Path, Any] = {}


class DraftSaveError(OSError):
    """The draft could not be written (disk full, database locked or damaged)."""


def _store() -> Any:
    """One store per database file for drafts (opened on first use, from a worker thread)."""
    from workbench.services.store import Store

    path = paths.database_file()
    with _lock:
        if path not in _stores:
            _stores[path] = Store(path)
        return _stores[path]


def legacy_path(slot: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", slot) or "default"
    return paths.data_dir() / "drafts" / f"{safe}.json"


def save_draft(slot: str, data: dict[str, Any]) -> None:
    _write(slot, lambda store: store.save_draft(slot, data))


def save_draft_and_set_aside(slot: str, data: dict[str, Any],
                             set_aside: dict[str, Any] | None) -> None:
    """The draft and the conversation a clear set aside (None: none) in one transaction, so
    the clear's undo survives a restart and a crash never keeps one without the other."""
    _write(slot, lambda store: store.save_draft_and_set_aside(slot, data, set_aside))


def _write(slot: str, write: Callable[[Any], None]) -> None:
    from workbench.services.store import StoreError

    try:
        write(_store())
    except (sqlite3.Error, StoreError, OSError) as exc:
        raise DraftSaveError(f"draft not saved: {exc}") from exc
    legacy = legacy_path(slot)
    if legacy.exists():  # the database has it now
        legacy.replace(legacy.with_suffix(".json.migrated"))


class DraftLoadError(OSError):
    """The saved draft exists but cannot be read (database locked or damaged): the composer
    must not write over it."""


def load_draft(slot: str) -> dict[str, Any] | None:
    """The saved draft, or None when there is none; DraftLoadError when it cannot be read."""
    from workbench.services.store import StoreError

    try:
        data = _store().load_draft(slot)
    except (sqlite3.Error, StoreError, ValueError, OSError) as exc:
        raise DraftLoadError(f"the saved draft cannot be read: {exc}") from exc
    if data is not None:
        return data
    try:
        return json.loads(legacy_path(slot).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_set_aside(slot: str) -> dict[str, Any] | None:
    """The conversation the last clear set aside, or None (none, or unreadable)."""
    from workbench.services.store import StoreError

    try:
        return _store().load_set_aside(slot)
    except (sqlite3.Error, StoreError, ValueError, OSError):
        return None
