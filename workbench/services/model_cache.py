"""The models list cached per profile, so the picker shows at once and refreshes behind."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from workbench import paths


def _path(profile: str):
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile) or "default"
    return paths.cache_dir() / f"models-{safe}.json"


def load(profile: str) -> list[dict[str, Any]] | None:
    try:
        data = json.loads(_path(profile).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, list) else None


def save(profile: str, models: list[dict[str, Any]]) -> None:
    path = _path(profile)
    paths.ensure(path.parent)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(models), encoding="utf-8")
    os.replace(tmp, path)


def fuzzy_score(query: str, text: str) -> int | None:
    """Subsequence match: None when `query` is not in `text` in order; higher is better."""
    query, text = query.lower().strip(), text.lower()
    if not query:
        return 0
    if query in text:
        return 1000 - text.index(query)
    score, pos, run = 0, 0, 0
    for ch in query:
        found = text.find(ch, pos)
        if found < 0:
            return None
        run = run + 1 if found == pos else 0
        score += 10 + run * 5 - (found - pos)
        pos = found + 1
    return score
