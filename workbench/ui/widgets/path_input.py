"""A path Input that completes as you type (`~` works), like a shell: the suggestion shows
greyed after the cursor and Tab (or →) takes it.

    PathInput(placeholder="file to upload", dirs_only=False)

The folder is listed in a thread, so a slow disk never stalls the UI.

Tab and → are the field's own bindings, run in the order typed (an OrderedInput): letters
typed right after Tab land in the completed folder, or in the next field when there was
nothing to complete.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.binding import Binding
from textual.suggester import Suggester

from workbench.ui.widgets.ordered_keys import OrderedInput

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


class PathInput(OrderedInput):
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

    async def _take_completion(self) -> bool:
        """Put the completion in the field, cursor at the end; False when there is none.

        Looked up here rather than taken from the greyed suggestion, which is computed in a
        thread and may not be shown yet when tab is typed right after the letters."""
        value = self.value
        if not (self.cursor_at_end and self.selection.is_empty):
            return False
        completion = await asyncio.to_thread(_complete, value, self.dirs_only) or ""
        if len(completion) <= len(value) or self.value != value:
            return False
        self.value = completion
        self.cursor_position = len(completion)
        return True

    async def action_complete(self) -> None:
        """Take the completion; with none, tab moves the focus on as usual."""
        if not await self._take_completion():
            self.screen.focus_next()

    async def action_cursor_right(self, select: bool = False) -> None:
        """→ at the end takes the completion too; elsewhere it moves the cursor."""
        if select or not await self._take_completion():
            super().action_cursor_right(select)
