"""The models the emulator lists: current Claude ids, newest first (reference §4, §8)."""

from __future__ import annotations

from typing import Any

# id, display name, line, released, lifecycle, deprecated_at, retires_at, context, max out, aliases
_MODELS: list[tuple[str, str, str, str, str, str | None, str | None, int, int, tuple[str, ...]]] = [
    (
        "claude-haiku-5-5",
        "Claude Haiku 5.5",
        "haiku",
        "2026-10-07",
        "active",
        None,
        None,
        1_000_000,
        128_000,
        (),
    ),
    (
        "claude-sonnet-5-5",
        "Claude Sonnet 5.5",
        "sonnet",
        "2026-09-16",
        "active",
        None,
        None,
        1_000_000,
        128_000,
        (),
    ),
    (
        "claude-opus-5-5",
        "Claude Opus 5.5",
        "opus",
        "2026-08-26",
        "active",
        None,
        None,
        1_000_000,
        128_000,
        (),
    ),
    (
        "claude-sonnet-5",
        "Claude Sonnet 5",
        "sonnet",
        "2026-05-20",
        "active",
        None,
        None,
        1_000_000,
        128_000,
        (),
    ),
    (
        "claude-opus-5",
        "Claude Opus 5",
        "opus",
        "2026-05-20",
        "active",
        None,
        None,
        1_000_000,
        128_000,
        (),
    ),
    (
        "claude-opus-4-8",
        "Claude Opus 4.8",
        "opus",
        "2026-03-04",
        "active",
        None,
        None,
        1_000_000,
        128_000,
        (),
    ),
    (
        "claude-opus-4-7",
        "Claude Opus 4.7",
        "opus",
        "2026-01-21",
        "active",
        None,
        None,
        1_000_000,
        128_000,
        (),
    ),
    (
        "claude-opus-4-6",
        "Claude Opus 4.6",
        "opus",
        "2025-12-10",
        "active",
        None,
        None,
        1_000_000,
        128_000,
        (),
    ),
    (
        "claude-sonnet-4-6",
        "Claude Sonnet 4.6",
        "sonnet",
        "2025-12-10",
        "active",
        None,
        None,
        1_000_000,
        128_000,
        (),
    ),
    (
        "claude-opus-4-5-20251101",
        "Claude Opus 4.5",
        "opus",
        "2025-11-01",
        "deprecated",
        "2026-07-22T00:00:00Z",
        "2027-01-22T00:00:00Z",
        200_000,
        64_000,
        ("claude-opus-4-5",),
    ),
    (
        "claude-haiku-4-5-20251001",
        "Claude Haiku 4.5",
        "haiku",
        "2025-10-01",
        "active",
        None,
        None,
        200_000,
        64_000,
        ("claude-haiku-4-5",),
    ),
    (
        "claude-sonnet-4-5-20250929",
        "Claude Sonnet 4.5",
        "sonnet",
        "2025-09-29",
        "deprecated",
        "2026-05-30T00:00:00Z",
        "2026-11-30T00:00:00Z",
        200_000,
        64_000,
        ("claude-sonnet-4-5",),
    ),
    (
        "claude-3-7-sonnet-20250219",
        "Claude Sonnet 3.7",
        "sonnet",
        "2025-02-19",
        "retired",
        "2025-10-28T00:00:00Z",
        "2026-02-19T00:00:00Z",
        200_000,
        64_000,
        ("claude-3-7-sonnet-latest",),
    ),
]


def _capabilities(line: str, big: bool) -> dict[str, Any]:
    yes = {"supported": True}
    no = {"supported": False}
    return {
        "batch": yes,
        "citations": yes,
        "code_execution": yes,
        "image_input": yes,
        "pdf_input": yes,
        "structured_outputs": yes if big else no,
        "context_management": {
            "supported": big,
            "clear_thinking_20251015": yes if big else no,
            "clear_tool_uses_20250919": yes if big else no,
            "compact_20260112": yes if big else no,
        },
        "effort": {
            "supported": line != "haiku",
            "low": yes,
            "medium": yes,
            "high": yes,
            "max": yes if line == "opus" else no,
            "xhigh": yes if line == "opus" else no,
        },
        "server_tools": {"supported": True, "code_execution": yes, "web_search": yes},
        "thinking": {
            "supported": True,
            "types": {
                "adaptive": yes if big else no,
                "between_tools": yes if big else no,
                "disabled": yes,
                "enabled": yes,
            },
        },
    }


def model_infos() -> list[dict[str, Any]]:
    out = []
    for mid, name, line, released, life, dep, ret, ctx, max_out, _ in _MODELS:
        out.append(
            {
                "type": "model",
                "id": mid,
                "display_name": name,
                "created_at": f"{released}T00:00:00Z",
                "lifecycle": life,
                "deprecated_at": dep,
                "retires_at": ret,
                "line": line,
                "max_input_tokens": ctx,
                "max_tokens": max_out,
                "capabilities": _capabilities(line, ctx >= 1_000_000),
            }
        )
    return out


_BY_ID: dict[str, dict[str, Any]] = {}


def find_model(model: str) -> dict[str, Any] | None:
    """A model by id or alias (`claude-haiku-4-5` -> the dated id)."""
    if not _BY_ID:
        infos = {m["id"]: m for m in model_infos()}
        for row in _MODELS:
            _BY_ID[row[0]] = infos[row[0]]
            for alias in row[9]:
                _BY_ID[alias] = infos[row[0]]
    return _BY_ID.get(model)
