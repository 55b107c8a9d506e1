"""What was typed for a prompt, remembered across runs and restarts: its `{{variables}}`
values and the dataset (path and row) used last, per prompt name.

A draft not saved in the library yet is remembered under the profile's slot. Kept in a small
JSON file in the data dir; a file that cannot be read is treated as empty (the values are a
convenience, never worth an error on start), and a write that fails is reported by the caller.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from workbench.services.composer_change import Change

MAX_PROMPTS = 500  # the least recently used go first


def memory_file() -> Path:
    from workbench import paths

    return paths.data_dir() / "prompt_memory.json"


class JsonMemory:
    """One small JSON object in the data dir, read once, written whole at each change (a temp
    file renamed over it). Unreadable is empty: a remembered value is a convenience, never
    worth an error on start. The skill dialog's folders use it too (services/skill_versions)."""

    FILE = "prompt_memory.json"
    KEEP = MAX_PROMPTS  # entries kept; the least recently written go first

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._data: dict[str, Any] | None = None

    @property
    def path(self) -> Path:
        if self._path is not None:
            return self._path
        from workbench import paths

        return paths.data_dir() / self.FILE

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._data = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self._data = {}
        return self._data

    def _put(self, entries: dict[str, Any]) -> None:
        """Set `entries` (newest last) and write the file (OSError when it cannot be)."""
        data = self._load()
        for key, value in entries.items():
            data.pop(key, None)
            data[key] = value
        for old in list(data)[:-self.KEEP]:
            del data[old]
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


class PromptMemory(JsonMemory):
    """The `{{variables}}` values and dataset per prompt name (or `draft:<profile>`)."""

    def recall(self, key: str) -> tuple[dict[str, str], tuple[str, int]]:
        entry = self._load().get(key) or {}
        if not isinstance(entry, dict):
            entry = {}
        values = entry.get("variables") if isinstance(entry.get("variables"), dict) else {}
        dataset = entry.get("dataset")
        if not (isinstance(dataset, list) and len(dataset) == 2 and isinstance(dataset[0], str)
                and isinstance(dataset[1], int)):
            dataset = ["", 1]
        return {str(k): str(v) for k, v in values.items()}, (dataset[0], dataset[1])

    def keep(self, key: str, values: dict[str, str], dataset: tuple[str, int]) -> None:
        """Remember (and write at once: a dialog answer is rare, the file small)."""
        self._put({key: {"variables": dict(values), "dataset": list(dataset)}})


class RememberedValues:
    """ComposerSession mixin: the `{{variables}}` values and dataset per prompt (`memory`)."""

    slot: str
    prompt_name: str
    memory: PromptMemory | None
    variables: dict[str, str]
    dataset: tuple[str, int]
    _recalled: str | None

    def _emit(self, change: Change) -> None:
        raise NotImplementedError

    def set_prompt(self, name: str) -> None:
        """The draft is (now) a version of the library prompt `name`."""
        self.prompt_name = name

    def recall(self) -> None:
        """The values and dataset remembered for this prompt (read once per prompt)."""
        key = self.prompt_name or f"draft:{self.slot}"
        if self.memory is not None and self._recalled != key:
            self._recalled = key
            values, self.dataset = self.memory.recall(key)
            self.variables = dict(values)

    def remember(self, values: dict[str, str] | None, dataset: tuple[str, int]) -> None:
        """The `{{variables}}` values and dataset row used last: the next dialog for this
        prompt starts there, also after a restart."""
        self.recall()
        self.dataset = dataset
        if values:
            self.variables.update(values)
        if self.memory is not None:
            try:
                self.memory.keep(self._recalled or "", self.variables, self.dataset)
            except OSError as exc:
                self._emit(Change("problem", message=f"could not remember the values: {exc}"))
