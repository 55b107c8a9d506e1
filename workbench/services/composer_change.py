"""What the composer's session announces to its views, and how it refuses a command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ChangeKind = Literal["text", "params", "turns", "skills", "draft", "conversation", "problem"]


class Refused(Exception):
    """A command that cannot be done now; the message says why (shown as a warning)."""


@dataclass(frozen=True)
class Change:
    """What a command changed, for views to mirror.

    `focus`: the turn that should have the focus now (None: leave it where it is). `edited`:
    turns whose text the command set (views show it; other text is the views' own). `hide`,
    `show` and `drop` are the views' reply tokens a clear, an undo or an open set aside,
    brought back or let go for good."""

    kind: ChangeKind
    focus: int | None = None
    edited: tuple[int, ...] = ()
    hide: tuple[object, ...] = ()
    show: tuple[object, ...] = ()
    drop: tuple[object, ...] = ()
    message: str = ""
    severity: Literal["warning", "error"] = "warning"
