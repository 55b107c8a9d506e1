"""Stream events for the blocks plain text/thinking/tool_use streaming does not cover.

As the recordings show them: a `server_tool_use` starts with `input: {}` and streams its input
as `input_json_delta` (the first one empty); a server tool's result block arrives whole in its
`content_block_start`; a text block that cites starts with `citations: []`, then one
`citations_delta` per citation, then its `text_delta`s.
"""

from __future__ import annotations

import json
from typing import Any

SPECIAL_KINDS = ("server_tool_use", "raw")


def special(block: Any) -> bool:
    return block.kind in SPECIAL_KINDS or bool(block.citations)


def _delta(index: int, delta: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": index, "delta": delta}


def block_events(index: int, block: Any) -> list[dict[str, Any]]:
    """The events of one block, from its start to its stop."""
    events: list[dict[str, Any]] = []
    if block.kind == "server_tool_use":
        first: dict[str, Any] = {"type": "server_tool_use", "id": block.tool_id,
                                 "name": block.name, "input": {}}
        raw = json.dumps(block.input)
        deltas = [{"type": "input_json_delta", "partial_json": chunk}
                  for chunk in ["", *(raw[i:i + 16] for i in range(0, len(raw), 16))]]
    elif block.kind == "raw":
        first, deltas = block.data, []
    else:  # cited text
        first = {"citations": [], "type": "text", "text": ""}
        deltas = [{"type": "citations_delta", "citation": c} for c in block.citations]
        deltas += [{"type": "text_delta", "text": piece} for piece in block.tokens]
    events.append({"type": "content_block_start", "index": index, "content_block": first})
    events += [_delta(index, d) for d in deltas]
    events.append({"type": "content_block_stop", "index": index})
    return events


def finish_delta(plan: Any, delta: dict[str, Any], usage: dict[str, Any]) -> None:
    """What message_delta carries for stop details and server tool counts."""
    if plan.stop_details is not None:
        delta["stop_details"] = plan.stop_details
    if plan.server_counts:
        usage["server_tool_use"] = dict(plan.server_counts)


def realize(plan: Any, state: Any) -> Any:
    """Make the files code execution reported (their ids go into the result blocks)."""
    from workbench.emulator.server_tools import make_outputs

    if plan.server_counts is not None:
        plan.outputs_made = make_outputs([b.data for b in plan.blocks if b.kind == "raw"], state)
    return plan
