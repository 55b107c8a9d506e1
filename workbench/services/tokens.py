"""Instant local token estimate, by part, from the same tokenizer the emulator counts with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.tokenizer import count_parts, count_text


@dataclass(frozen=True)
class Breakdown:
    system: int = 0
    tools: int = 0
    messages: int = 0
    attachments: int = 0

    @property
    def total(self) -> int:
        return self.system + self.tools + self.messages + self.attachments


def estimate_tokens(text: str) -> int:
    return count_text(text)


def estimate_request(body: dict[str, Any]) -> Breakdown:
    """< 10 ms for a 1 MB prompt (the tokenizer extrapolates past 64 KB of one text)."""
    return Breakdown(**count_parts(body))
