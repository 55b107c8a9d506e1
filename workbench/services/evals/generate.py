"""Test cases proposed by a model from a prompt's `{{variables}}`, as structured output.

Nothing is saved here: the proposal comes back as TOML `[[cases]]` text for the user to review
and edit (in the Evaluate pane's editor, or from `workbench eval generate`'s output) before it is
added to a suite.
"""

from __future__ import annotations

import json
from typing import Any

import tomli_w

MAX_CASES = 50


def generation_request(prompt: dict[str, Any], variables: list[str], *, count: int,
                       model: str, max_tokens: int = 4096) -> dict[str, Any]:
    from workbench.services.evals.grading import input_text

    schema = {
        "type": "object",
        "properties": {"cases": {"type": "array", "items": {
            "type": "object",
            "properties": {"name": {"type": "string"},
                           **{v: {"type": "string"} for v in variables}},
            "required": ["name", *variables], "additionalProperties": False}}},
        "required": ["cases"], "additionalProperties": False,
    }
    text = (f"Here is a prompt template with the variables {', '.join(variables)}:\n\n"
            f"<template>\n{input_text(prompt)}\n</template>\n\n"
            f"Write {count} varied, realistic test cases for it: typical inputs, edge cases "
            "and inputs likely to make a weak reply fail. Give each a short name "
            "(lowercase-with-dashes) and a value for every variable.")
    return {"model": model, "max_tokens": max_tokens,
            "messages": [{"role": "user", "content": text}],
            "output_config": {"format": {"type": "json_schema", "schema": schema}}}


def read_cases(message: dict[str, Any], variables: list[str]) -> list[dict[str, Any]]:
    """[{id, vars}] from the model's reply; ValueError when it is not what was asked."""
    text = "".join(b.get("text", "") for b in message.get("content") or []
                   if b.get("type") == "text")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the model did not answer JSON ({exc.msg})") from None
    items = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError("the model's answer has no list of cases")
    out = []
    for i, item in enumerate(items[:MAX_CASES]):
        if not isinstance(item, dict):
            continue
        name = str(item.get("name") or f"generated-{i + 1}").strip().replace(" ", "-")
        out.append({"id": name, "vars": {v: str(item.get(v, "")) for v in variables}})
    return out


def cases_toml(cases: list[dict[str, Any]]) -> str:
    """`[[cases]]` tables, ready to append to a suite."""
    return "# Proposed test cases: review and edit before keeping them.\n" + tomli_w.dumps(
        {"cases": cases})
