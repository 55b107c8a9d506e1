"""The rules between request fields: the emulator refuses exactly what the composer's checks
refuse, with the same words (both read `api/request_rules.py`)."""

from __future__ import annotations

import pytest

from workbench.emulator.errors import APIProblem
from workbench.emulator.validate import check_messages_body
from workbench.services import param_rules

V = "2023-06-01"
MODEL = "claude-sonnet-5-5"

# (fields as typed in the composer, thinking on, tool_choice, refused?)
CASES = [
    ({"temperature": "0.5"}, True, None, True),
    ({"temperature": "1"}, True, None, False),
    ({"top-k": "5"}, True, None, True),
    ({"top-p": "0.5"}, True, None, True),
    ({"top-p": "0.97"}, True, None, False),
    ({}, True, {"type": "any"}, True),
    ({}, True, {"type": "tool", "name": "t"}, True),
    ({}, True, {"type": "auto"}, False),
    ({"budget": "512"}, True, None, True),
    ({"budget": "4096"}, True, None, True),  # not below max_tokens (3000)
    ({"temperature": "0.5", "top-p": "0.9"}, False, None, True),
    ({"temperature": "0.5"}, False, None, False),
    ({"top-k": "5", "top-p": "0.9"}, False, None, False),
]


def composer_problems(texts: dict[str, str], thinking: bool, choice) -> list[str]:
    full = {"max-tokens": "3000", "temperature": "", "top-p": "", "top-k": "",
            "budget": "2048", **texts}
    context = param_rules.Context(thinking=thinking, max_tokens=3000, model=MODEL,
                                  texts=full, tool_choice=choice)
    return [p.message for p in param_rules.problems(full, context, V)]


def emulator_problem(texts: dict[str, str], thinking: bool, choice) -> str | None:
    body = {"model": MODEL, "max_tokens": 3000, "messages": [{"role": "user", "content": "hi"}]}
    for field, key in (("temperature", "temperature"), ("top-p", "top_p"), ("top-k", "top_k")):
        if field in texts:
            body[key] = (int if field == "top-k" else float)(texts[field])
    if thinking:
        body["thinking"] = {"type": "enabled", "budget_tokens": int(texts.get("budget", 2048))}
    if choice:
        body["tool_choice"] = choice
        body["tools"] = [{"name": "t", "input_schema": {"type": "object"}}]
    try:
        check_messages_body(body, V)
    except APIProblem as problem:
        return problem.message
    return None


@pytest.mark.parametrize("texts, thinking, choice, refused", CASES)
def test_composer_and_emulator_agree(texts, thinking, choice, refused) -> None:
    mine = composer_problems(texts, thinking, choice)
    theirs = emulator_problem(texts, thinking, choice)
    assert bool(mine) == refused == (theirs is not None), (mine, theirs)
    if refused and "budget" not in texts:  # the budget's own hints predate the table
        assert theirs in mine, (mine, theirs)
