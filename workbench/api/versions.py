"""Which request fields each live `anthropic-version` accepts.

Kept free of heavy imports: the UI, the CLI and the emulator all consult it.
"""

from __future__ import annotations

from typing import Any

CLASSIC = "2023-06-01"
V2026 = "2026-10-21"
API_VERSIONS: tuple[str, ...] = (CLASSIC, V2026)
DEFAULT_API_VERSION = CLASSIC
SAMPLING_PARAMS: tuple[str, ...] = ("temperature", "top_p", "top_k")


def accepts_sampling(version: str) -> bool:
    """`2026-10-21` rejects temperature / top_p / top_k outright, even at default values."""
    return version != V2026


def version_problems(params: dict[str, Any], version: str) -> list[str]:
    """What `version` would reject in this request body, as readable sentences."""
    problems: list[str] = []
    if version not in API_VERSIONS:
        problems.append(
            f"unknown anthropic-version {version!r} (use one of {', '.join(API_VERSIONS)})"
        )
        return problems
    if version == V2026:
        for name in SAMPLING_PARAMS:
            if name in params:
                problems.append(f"{name} is not supported with anthropic-version {V2026}")
        for i, message in enumerate(params.get("messages") or []):
            content = message.get("content") if isinstance(message, dict) else None
            if not isinstance(content, list):
                continue
            role = message.get("role")
            for block in content:
                if not isinstance(block, dict):
                    continue
                if role == "assistant" and block.get("type") == "document":
                    problems.append(
                        f"messages.{i}: document blocks are not allowed in assistant messages "
                        f"with anthropic-version {V2026}"
                    )
                if role == "user" and _has_citations(block):
                    problems.append(
                        f"messages.{i}: text blocks with citations are not allowed in user "
                        "messages "
                        f"with anthropic-version {V2026}"
                    )
    return problems


def _has_citations(block: dict[str, Any]) -> bool:
    if block.get("type") == "text" and block.get("citations"):
        return True
    if block.get("type") == "search_result":
        return any(
            isinstance(b, dict) and b.get("type") == "text" and b.get("citations")
            for b in block.get("content") or []
        )
    return False


def strip_for_version(params: dict[str, Any], version: str) -> dict[str, Any]:
    """A copy of `params` without the sampling fields `version` would reject."""
    if accepts_sampling(version):
        return dict(params)
    return {k: v for k, v in params.items() if k not in SAMPLING_PARAMS}
