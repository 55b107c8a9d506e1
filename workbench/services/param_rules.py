"""What the API accepts as request parameters, in the words the composer shows.

One rule table for the parameters panel's hints, a run, compare, code export, batch create and
the CLI: each checks the same text the user typed (a field may hold "abc" or "0,7"), so the
hint under a field and the refusal of a run never disagree. The rules between fields
(thinking against sampling and a forced tool, temperature with top_p) are the emulator's own,
from `api/request_rules.py`, applied to the body the fields would make. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.api.request_rules import sampling_problems
from workbench.api.versions import accepts_sampling

# field id -> (name shown to the user, what the field takes)
FIELDS: dict[str, tuple[str, str]] = {
    "max-tokens": ("max_tokens", "a whole number"),
    "temperature": ("temperature", "a number from 0 to 1, e.g. 0.7"),
    "top-p": ("top_p", "a number from 0 to 1, e.g. 0.9"),
    "top-k": ("top_k", "a whole number, e.g. 40"),
    "budget": ("thinking budget", "a whole number of tokens"),
}
SAMPLING = ("temperature", "top-p", "top-k")
WHOLE = ("max-tokens", "top-k", "budget")
THINKING_MIN_BUDGET = 1024


@dataclass(frozen=True)
class Problem:
    """One thing the API would reject: the field it is in and why, in words."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Context:
    """What a field's rule depends on besides its own text."""

    thinking: bool = False
    max_tokens: int | None = None
    model: str = ""
    model_max: int | None = None
    texts: Mapping[str, str] | None = None  # every field as typed, for the rules between them
    tool_choice: Mapping[str, Any] | None = None


# where a rule between fields puts its problem (request_rules' path -> the field showing it);
# a forced tool choice is shown with the thinking budget, the other half of that rule
CROSS_FIELD = {"temperature": "temperature", "top_p": "top-p", "top_k": "top-k",
               "thinking.budget_tokens": "budget", "tool_choice": "budget"}


def _number(field: str, text: str) -> float | None:
    try:
        return int(text) if field in WHOLE else float(text)
    except ValueError:
        return None


def cross_problem(field: str, text: str, context: Context) -> str | None:
    """The rule between fields that `field` (holding `text`) breaks, as the emulator words it."""
    texts = dict(context.texts or {})
    texts[field] = text
    body: dict[str, Any] = {"model": context.model}
    if context.max_tokens is not None:
        body["max_tokens"] = context.max_tokens
    for name, key in (("temperature", "temperature"), ("top-p", "top_p"), ("top-k", "top_k")):
        value = _number(name, texts.get(name, "").strip())
        if value is not None:
            body[key] = value
    if context.thinking:
        budget = _number("budget", texts.get("budget", "").strip())
        body["thinking"] = {"type": "enabled", "budget_tokens": budget}
    if context.tool_choice:
        body["tool_choice"] = dict(context.tool_choice)
    for problem in sampling_problems(body):
        if CROSS_FIELD.get(problem.where) == field:
            return problem.message
    return None


def field_problem(field: str, text: str, context: Context) -> str | None:
    """What is wrong with `text` in `field` (None when it can be sent)."""
    name, takes = FIELDS[field]
    text = text.strip()
    if field in SAMPLING and not text:
        return None  # left out of the request
    if field == "budget" and not context.thinking:
        return None  # only sent with thinking on
    if not text:
        return f"{name} is needed: {takes}"
    try:
        number: float = int(text) if field in WHOLE else float(text)
    except ValueError:
        return f"{name}: {text!r} is not {takes}"
    if field == "max-tokens":
        if number < 1:
            return "max_tokens must be at least 1"
        if context.model_max and number > context.model_max:
            return (f"max_tokens {number:,} is over {context.model}'s maximum of "
                    f"{context.model_max:,}")
    elif field in ("temperature", "top-p") and not 0 <= number <= 1:
        return f"{name} must be between 0 and 1 ({text} is not)"
    elif field == "top-k" and number < 0:
        return "top_k must be at least 0"
    elif field == "budget":
        if number < THINKING_MIN_BUDGET:
            return f"thinking budget must be at least 1,024; it is {number:,}"
        if context.max_tokens is not None and number >= context.max_tokens:
            return (f"thinking budget must be below max_tokens ({context.max_tokens:,}); "
                    f"it is {number:,}")
    return cross_problem(field, text, context)


def whole(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def problems(texts: Mapping[str, str], context: Context, api_version: str) -> list[Problem]:
    """Every field's problem, in the panel's order; sampling only where the version takes it."""
    fields = ["max-tokens"]
    if accepts_sampling(api_version):
        fields += list(SAMPLING)
    fields.append("budget")
    found = []
    for field in fields:
        message = field_problem(field, texts.get(field, ""), context)
        if message:
            found.append(Problem(field, message))
    return found


def texts_of(draft: Any) -> dict[str, str]:
    """The fields as text, from a Draft's values (what the panel shows when it is filled)."""
    def shown(value: object) -> str:
        return "" if value is None else str(value)

    return {"max-tokens": str(draft.max_tokens), "temperature": shown(draft.temperature),
            "top-p": shown(draft.top_p), "top-k": shown(draft.top_k),
            "budget": str(draft.thinking_budget)}
