"""Crash-safe autosave of the composer's draft: one JSON file per profile, written atomically.

Each save writes a temp file, fsyncs it and renames it over the old one, so after a crash, a
kill -9 or a dropped SSH session the file holds either the previous or the new draft, never half.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from workbench import paths


def draft_path(slot: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", slot) or "default"
    return paths.data_dir() / "drafts" / f"{safe}.json"


def save_draft(slot: str, data: dict[str, Any]) -> None:
    path = draft_path(slot)
    paths.ensure(path.parent)
    tmp = path.with_suffix(".json.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def load_draft(slot: str) -> dict[str, Any] | None:
    """The saved draft, or None (missing or unreadable: a damaged file is set aside)."""
    path = draft_path(slot)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        path.rename(path.with_suffix(".damaged"))
        return None
