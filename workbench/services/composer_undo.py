"""The composer's undo stack for turn edits: delete, move, switch role, and clear.

Each entry remembers the turns as they were before the edit (the `Turn` objects themselves, in
order, with their roles), so undoing puts the very same turns back: their editors are matched
by identity and the text typed into the other turns since is kept. A deleted only turn (which
is emptied rather than removed) also keeps its text, blocks and attachments. A clear is undone
by the session's own `undo_clear` (it sets the whole conversation aside, replies and all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from workbench.services.draft import Attachment, Turn

EditKind = Literal["delete", "move", "role", "clear"]
LIMIT = 100  # entries kept; the oldest go first

WHAT: dict[EditKind, str] = {"delete": "deleted turn brought back", "move": "turn moved back",
                             "role": "role switched back", "clear": "conversation brought back"}


@dataclass
class Entry:
    kind: EditKind
    focus: int
    turns: list[tuple[Turn, str]] = field(default_factory=list)  # (turn, role) in order
    emptied: tuple[Turn, str, list[dict], list[Attachment]] | None = None


class UndoStack:
    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def top(self) -> Entry | None:
        return self.entries[-1] if self.entries else None

    def record(self, kind: EditKind, turns: list[Turn], focus: int) -> None:
        """Before the edit: the turns as they are now."""
        entry = Entry(kind, focus, [(t, t.role) for t in turns])
        if kind == "delete" and len(turns) == 1:
            only = turns[0]
            entry.emptied = (only, only.text, list(only.blocks), list(only.attachments))
        self.entries.append(entry)
        del self.entries[:-LIMIT]

    def pop(self) -> Entry:
        return self.entries.pop()

    def forget(self) -> None:
        """A new draft replaced the turns: their edits cannot be undone any more."""
        self.entries.clear()

    @staticmethod
    def apply(entry: Entry) -> tuple[list[Turn], tuple[int, ...]]:
        """The turns to put back, and the indices whose text came back with them."""
        turns = []
        for turn, role in entry.turns:
            turn.role = role  # type: ignore[assignment]
            turns.append(turn)
        edited: tuple[int, ...] = ()
        if entry.emptied is not None:
            only, text, blocks, attachments = entry.emptied
            only.text, only.blocks, only.attachments = text, blocks, attachments
            edited = (0,)
        return turns, edited
