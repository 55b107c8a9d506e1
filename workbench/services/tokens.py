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


COUNT_FIELDS = ("model", "messages", "system", "tools", "tool_choice", "thinking",
                "output_config", "speed", "cache_control")


async def count_exact(client: Any, body: dict[str, Any]) -> tuple[int | None, str | None]:
    """The API's count of `body`'s input tokens, or why there is none."""
    from workbench.api.errors import APIError

    try:
        counted = await client.messages.count_tokens(
            {k: v for k, v in body.items() if k in COUNT_FIELDS})
    except APIError as exc:
        return None, getattr(exc, "message", None) or str(exc)
    return counted.input_tokens, None
