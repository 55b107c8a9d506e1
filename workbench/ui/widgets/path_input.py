"""A path Input that completes as you type (`~` works), like a shell: the suggestion shows
greyed after the cursor and Tab (or →) takes it.

    PathInput(placeholder="file to upload", dirs_only=False)

The folder is listed in a thread, so a slow disk never stalls the UI.

Tab and → are handled in the field's own key queue, not as bindings: Textual runs a widget's
bindings only after the key has bubbled up to the App, by which time letters typed right after
the Tab were already inserted (`skill1SKILL.md`, and Tab then moved the focus away).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual import events
from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

MAX_ENTRIES = 5000  # a huge folder is listed only this far


def _complete(value: str, dirs_only: bool) -> str | None:
    """The completion of `value` (a path being typed), or None."""
    if not value:
        return None
    head, sep, prefix = value.rpartition("/")
    folder = Path(os.path.expanduser(head + "/")) if sep else Path(".")
    if value.startswith("~") and "/" not in value:
        return None  # "~user" completion is not worth the surprise
    matches: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder) as entries:
            for i, entry in enumerate(entries):
                if i >= MAX_ENTRIES:
                    break
                if not entry.name.startswith(prefix):
                    continue
                if prefix == "" and entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                if dirs_only and not is_dir:
                    continue
                matches.append((entry.name, is_dir))
    except OSError:
        return None
    if not matches:
        return None
    matches.sort()
    if len(matches) == 1:
        name, is_dir = matches[0]
        return value[: len(value) - len(prefix)] + name + ("/" if is_dir else "")
    common = os.path.commonprefix([name for name, _ in matches])  # noqa: RUF071 (names, by char)
    if len(common) > len(prefix):
        return value[: len(value) - len(prefix)] + common
    return None


class PathSuggester(Suggester):
    """Suggests the rest of a file or folder name from the disk (never cached: disks change)."""

    def __init__(self, dirs_only: bool = False) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.dirs_only = dirs_only

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(_complete, value, self.dirs_only)


class PathInput(Input):
    """An Input for a local path with completion; `path` is the expanded Path typed."""

    HELP = """
## Path
Type a path; `~` is your home folder. The rest of a matching name shows greyed:
**Tab** or **→** takes it (a folder gets its `/`, keep typing). **Enter** confirms.
"""
    BINDINGS = [
        Binding("tab", "complete", "Complete path", id="path.complete", show=False),
    ]

    def __init__(self, value: str = "", *, placeholder: str = "", dirs_only: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(value, placeholder=placeholder, id=id, classes=classes,
                         suggester=PathSuggester(dirs_only))
        self.dirs_only = dirs_only

    @property
    def path(self) -> Path | None:
        text = self.value.strip()
        return Path(os.path.expanduser(text)) if text else None

    KEYS_IN_ORDER = ("tab", "right")  # the App calls key_in_order for these (see key_order)

    async def key_in_order(self, key: str) -> bool:
        """Tab or → at the end, called by the workbench App before it forwards the keys typed
        after it (see key_order): take the completion, or with none let tab move on, so those
        keys land in the completed path or in the next field. True if the key was used."""
        if key not in self.KEYS_IN_ORDER or not (self.cursor_at_end and self.selection.is_empty):
            return False
        if await self._take_completion():
            return True
        if key == "tab":
            self.screen.focus_next()
            return True
        return False

    async def _on_key(self, event: events.Key) -> None:
        """Tab and → at the end take the completion here too (in another App, or a key sent to
        the field itself): the keys after them wait in this widget's queue until it is in."""
        if event.key in self.KEYS_IN_ORDER and self.cursor_at_end and self.selection.is_empty:
            event.stop()
            event.prevent_default()
            await self.key_in_order(event.key)
            return
        await super()._on_key(event)

    async def _take_completion(self) -> bool:
        """Put the completion in the field, cursor at the end; False when there is none.

        The suggestion shown may not be ready yet (it is computed in a thread): compute it."""
        value = self.value
        suggestion = self._suggestion
        if not suggestion or not suggestion.startswith(value):
            suggestion = await asyncio.to_thread(_complete, value, self.dirs_only) or ""
        if len(suggestion) <= len(value) or self.value != value:
            return False
        self.value = suggestion
        self.cursor_position = len(suggestion)
        return True

    async def action_complete(self) -> None:
        """Take the suggestion; with none, Tab moves focus as usual."""
        if not (self.cursor_at_end and await self._take_completion()):
            self.screen.focus_next()
