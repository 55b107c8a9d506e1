"""Prompt-cache breakpoints in the draft: where they are, how they go into the request body and
how they come back out of one (history, curl import, prompt files).

The draft keeps a breakpoint as a TTL ("5m" or "1h") on what it marks: `Draft.cache_tools`
(the last tool), `Draft.cache_system` (the system prompt) and `Turn.cache` (the turn's last
block). Markers the composer has no place for (on a block in the middle of a turn, on a tool in
the JSON, on a system block before the last) stay verbatim where they are, so every
`cache_control` a request had comes back in the request built from its draft. The limit of 4
and the TTL order are `api.request_rules`', shared with the emulator. Stdlib only.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from workbench.api.request_rules import (
    CACHE_TTLS,
    MAX_CACHE_BREAKPOINTS,
    cache_markers,
    cache_problems,
    cache_ttl,
)

if TYPE_CHECKING:
    from workbench.services.draft import Draft

CYCLE: tuple[str | None, ...] = (None, "5m", "1h")


def marker(ttl: str) -> dict[str, str]:
    return {"type": "ephemeral", "ttl": ttl}


def next_ttl(ttl: str | None) -> str | None:
    """off -> 5m -> 1h -> off."""
    return CYCLE[(CYCLE.index(ttl) + 1) % len(CYCLE)] if ttl in CYCLE else None


def ttl_ok(value: Any) -> bool:
    return value is None or value in CACHE_TTLS


def mark_content(content: str | list[dict[str, Any]], ttl: str | None
                 ) -> str | list[dict[str, Any]]:
    """A message's content with a breakpoint on its last block (a string becomes a block)."""
    if ttl is None:
        return content
    blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
    if blocks and "cache_control" not in blocks[-1]:
        blocks[-1] = {**blocks[-1], "cache_control": marker(ttl)}
    return blocks


def apply(body: dict[str, Any], draft: Draft) -> None:
    """The draft's system and tools breakpoints into a request body being built."""
    if draft.cache_system and isinstance(body.get("system"), str):
        body["system"] = [{"type": "text", "text": body["system"],
                           "cache_control": marker(draft.cache_system)}]
    tools = body.get("tools")
    if draft.cache_tools and tools and "cache_control" not in tools[-1]:
        tools[-1] = {**tools[-1], "cache_control": marker(draft.cache_tools)}


def take_system(system: Any) -> tuple[str, str | None, Any]:
    """(text, ttl, verbatim) from a request's system: blocks whose only marker is on the last
    one become text and a TTL; other block lists are kept verbatim (returned third)."""
    if not isinstance(system, list):
        return str(system or ""), None, None
    blocks = [b for b in system if isinstance(b, dict)]
    plain = all(set(b) <= {"type", "text", "cache_control"} and b.get("type") == "text"
                for b in blocks)
    early = any("cache_control" in b for b in blocks[:-1])
    if not plain or early:
        return "", None, copy.deepcopy(system)
    ttl = cache_ttl(blocks[-1].get("cache_control")) if blocks and \
        "cache_control" in blocks[-1] else None
    return "\n\n".join(b.get("text", "") for b in blocks), ttl, None


def take_last(content: list[Any]) -> tuple[list[Any], str | None]:
    """A message's blocks without the marker on its last text block, and that marker's TTL."""
    if not content or not isinstance(content[-1], dict):
        return content, None
    last = content[-1]
    ttl = cache_ttl(last.get("cache_control"))
    if last.get("type") != "text" or ttl is None or last.get("citations"):
        return content, None
    return [*content[:-1], {k: v for k, v in last.items() if k != "cache_control"}], ttl


def count(draft: Draft, api_version: str) -> int:
    return sum(1 for _ in cache_markers(_body(draft, api_version)))


def _body(draft: Draft, api_version: str) -> dict[str, Any]:
    from workbench.services.draft import DraftError

    try:
        return draft.to_request(api_version)
    except DraftError:  # bad tools JSON or an empty turn: count what can be built
        return {"system": [{"cache_control": 1}] if draft.cache_system else None,
                "messages": [{"content": [{"cache_control": 1}]} for t in draft.turns
                             if t.cache]}


def _set(draft: Draft, target: str | int, ttl: str | None) -> None:
    if target == "tools":
        draft.cache_tools = ttl
    elif target == "system":
        draft.cache_system = ttl
    else:
        draft.turns[int(target)].cache = ttl


def current(draft: Draft, target: str | int) -> str | None:
    if target in ("tools", "system"):
        return draft.cache_tools if target == "tools" else draft.cache_system
    return draft.turns[int(target)].cache


def problem(draft: Draft, api_version: str) -> str | None:
    """Why the draft's breakpoints would be refused (more than 4, 1h after 5m), or None."""
    found = cache_problems(_body(draft, api_version))
    if found:
        return found[0].message
    if count(draft, api_version) > MAX_CACHE_BREAKPOINTS:
        return f"at most {MAX_CACHE_BREAKPOINTS} cache breakpoints per request"
    return None


def toggle(draft: Draft, target: str | int, api_version: str) -> str | None:
    """Cycle the breakpoint on "tools", "system" or turn `target` (off, 5m, 1h); the new TTL.
    A TTL the rules refuse is skipped (1h after a 5m breakpoint: off next); a new breakpoint
    that cannot be added raises ValueError, leaving the draft as it was."""
    before = current(draft, target)
    after = next_ttl(before)
    while after is not None:
        _set(draft, target, after)
        why = problem(draft, api_version)
        if why is None:
            return after
        if before is None:
            _set(draft, target, None)
            raise ValueError(why)
        after = next_ttl(after)
    _set(draft, target, None)
    return None


def label(ttl: str | None) -> str | None:
    """The marker an editor shows for its breakpoint."""
    return f"⚑ cache {ttl}" if ttl else None
