"""A conversation set aside by a clear (or a whole draft, by opening another), and a reply
turned back into request blocks. Stdlib only.

Clearing is undoable rather than confirmed: a confirmation dialog gets answered by reflex, while
an undo keeps the common case one key and makes the mistake cheap. The cleared conversation is
kept aside with the draft (so the undo survives a restart); opening another draft sets the whole
draft aside the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.services.draft import Turn


@dataclass
class Conversation:
    """A conversation set aside by a clear: its turns, its replies (the views' tokens), its last
    result. Set aside because another draft was opened, it keeps the whole draft too (`setup`).
    Restored after a restart it has its turns only: `earlier_replies` counts the replies it had
    then (they are runs in History, not views that can come back)."""

    turns: list[Turn]
    replies: list[object] = field(default_factory=list)
    last_result: Any = None
    earlier_replies: int = 0
    setup: dict[str, Any] | None = None

    @property
    def is_blank(self) -> bool:
        return not self.replies and all(t.is_empty() for t in self.turns)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"turns": [t.to_dict() for t in self.turns],
                                "replies": len(self.replies) + self.earlier_replies}
        if self.setup is not None:
            data["setup"] = self.setup
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Conversation:
        setup = data.get("setup")
        return cls([Turn.from_dict(t) for t in data.get("turns", [])],
                   earlier_replies=int(data.get("replies", 0) or 0),
                   setup=setup if isinstance(setup, dict) else None)


def _plain_text(block: Any) -> bool:
    return _get(block, "type") == "text" and not _get(block, "citations") \
        and not _get(block, "cache_control")


def _get(block: Any, name: str) -> Any:
    return block.get(name) if isinstance(block, dict) else getattr(block, name, None)


def request_block(block: Any) -> dict[str, Any]:
    """A reply's block as a request block: exactly the fields the API sent, nulls included
    (a compaction's `content: null` must go back as it came; signatures, redacted thinking
    data and server tool results are opaque and must not change)."""
    if isinstance(block, dict):
        return dict(block)
    if hasattr(block, "model_dump"):
        return block.model_dump(mode="json", exclude_unset=True)
    return dict(vars(block))


def reply_parts(message: Any) -> tuple[str, list[dict[str, Any]]]:
    """A reply as an assistant turn: every block, in the order received, as request blocks,
    except the trailing run of plain text blocks, joined as the turn's editable text. A turn
    sends its text after its blocks, so [text, tool_use] goes back as [text, tool_use]."""
    content = list(getattr(message, "content", None) or [])
    cut = len(content)
    while cut and _plain_text(content[cut - 1]):
        cut -= 1
    text = "".join(_get(b, "text") or "" for b in content[cut:])
    return text, [request_block(b) for b in content[:cut]]
