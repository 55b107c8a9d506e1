"""Two prompt versions compared section by section (system, turns, parameters, tools), so a
one-line change to the system prompt stands out instead of drowning in a JSON diff."""

from __future__ import annotations

import contextlib
import difflib
import json
from typing import Any

SECTIONS = ("system", "turns", "parameters", "tools")
PARAMS = ("model", "max_tokens", "temperature", "top_p", "top_k", "stop_sequences", "thinking",
          "thinking_budget", "tool_choice", "skills", "betas", "extra")


def section_texts(draft: Any) -> dict[str, str]:
    """Each section of a Draft as comparable text."""
    turns = []
    for i, turn in enumerate(draft.turns, 1):
        turns.append(f"## {i} {turn.role}")
        turns.extend(turn.text.splitlines() or [""])
        for block in turn.blocks:
            turns.append(json.dumps(block, sort_keys=True))
        for attachment in turn.attachments:
            turns.append(f"[{attachment.label}]")
    params = []
    for name in PARAMS:
        value = getattr(draft, name, None)
        if value in (None, [], {}, ""):
            continue
        params.append(f"{name} = {json.dumps(value, sort_keys=True)}")
    tools = draft.tools_json.strip()
    with contextlib.suppress(ValueError):
        tools = json.dumps(json.loads(tools), indent=2, sort_keys=True) if tools else ""
    return {"system": draft.system, "turns": "\n".join(turns), "parameters": "\n".join(params),
            "tools": tools}


def diff_sections(a: Any, b: Any, a_label: str = "a", b_label: str = "b") -> dict[str, list[str]]:
    """section -> unified diff lines (empty list when the section is unchanged)."""
    left, right = section_texts(a), section_texts(b)
    out: dict[str, list[str]] = {}
    for name in SECTIONS:
        out[name] = list(difflib.unified_diff(
            left[name].splitlines(), right[name].splitlines(),
            f"{a_label} {name}", f"{b_label} {name}", lineterm="", n=2,
        ))
    return out
