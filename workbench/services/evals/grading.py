"""Model-graded assertions: a Claude model grades a reply against a rubric (or against the
case's ideal output) and answers as structured output: `{score 0-1, pass, reason}`.

The request uses `output_config.format` (a JSON schema) so the grade is machine-readable without
parsing prose. Numeric bounds are stated in the description, not as `minimum`/`maximum`
(structured outputs do not take them); the score is clamped to 0-1 on reading.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.services.evals.assertions import Outcome
from workbench.services.evals.suite import Check

GRADE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "score": {"type": "number", "description": "how well the reply meets the rubric, "
                  "from 0 (not at all) to 1 (fully)"},
        "pass": {"type": "boolean", "description": "whether the reply meets the rubric"},
        "reason": {"type": "string", "description": "one or two sentences: why"},
    },
    "required": ["score", "pass", "reason"],
    "additionalProperties": False,
}
MAX_GRADED_CHARS = 60_000  # of the reply shown to the grader (a huge reply is cut, and said so)

_RUBRIC = """You are grading one reply of an AI assistant against a rubric.

<rubric>
{rubric}
</rubric>

<input>
{input}
</input>

<reply>
{reply}
</reply>

Grade only against the rubric. Give a score from 0 to 1, whether it passes, and a short reason."""

_IDEAL = """You are grading how close an AI assistant's reply is to the ideal reply.

<input>
{input}
</input>

<ideal_reply>
{ideal}
</ideal_reply>

<reply>
{reply}
</reply>

Score 1 when the reply says what the ideal reply says (wording may differ), 0 when it says
something else entirely. Pass when a reader would accept it in place of the ideal reply."""


def _cut(text: str) -> str:
    if len(text) <= MAX_GRADED_CHARS:
        return text
    return text[:MAX_GRADED_CHARS] + f"\n[... {len(text) - MAX_GRADED_CHARS:,} more characters]"


def input_text(request: dict[str, Any]) -> str:
    """The case's input as the grader sees it: the system prompt and the last user turn."""
    parts = []
    system = request.get("system")
    if isinstance(system, str) and system:
        parts.append(f"[system] {system}")
    for message in request.get("messages") or []:
        content = message.get("content")
        text = content if isinstance(content, str) else " ".join(
            b.get("text", "") for b in content or [] if isinstance(b, dict))
        parts.append(f"[{message.get('role')}] {text}")
    return _cut("\n".join(parts))


def grading_request(check: Check, *, request: dict[str, Any], reply: str, ideal: str | None,
                    model: str, max_tokens: int, variables: dict[str, Any]) -> dict[str, Any]:
    """The Messages body that asks `model` for a grade."""
    if check.type == "closer-to-ideal":
        prompt = _IDEAL.format(input=input_text(request), ideal=_cut(ideal or ""),
                               reply=_cut(reply))
    else:
        from workbench.services.templates import render

        rubric = render(str(check.params["value"]), variables)
        prompt = _RUBRIC.format(rubric=rubric, input=input_text(request), reply=_cut(reply))
    return {
        "model": model, "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": prompt}],
        "output_config": {"format": {"type": "json_schema", "schema": GRADE_SCHEMA}},
    }


def read_grade(message: dict[str, Any]) -> tuple[float, bool, str]:
    """(score, pass, reason) from the grader's reply; ValueError when it is not a grade."""
    content = message.get("content") or []
    text = "".join(b.get("text", "") for b in content if b.get("type") == "text").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the grader did not answer JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("score"), int | float) or \
            isinstance(data.get("score"), bool):
        raise ValueError("the grader's answer has no numeric score")
    score = min(1.0, max(0.0, float(data["score"])))
    return score, bool(data.get("pass")), str(data.get("reason", ""))[:500]


def grade_outcome(check: Check, message: dict[str, Any] | None, error: str | None = None
                  ) -> Outcome:
    """The assertion's outcome: passes when the grader says pass and the score reaches the
    assertion's threshold. A failed grading call or a malformed grade fails it, with why."""
    if message is None:
        return Outcome(check.type, check.label(), 0.0, False, f"grading failed: {error}",
                       check.weight)
    try:
        score, passed, reason = read_grade(message)
    except ValueError as exc:
        return Outcome(check.type, check.label(), 0.0, False, str(exc), check.weight)
    ok = passed and score >= check.threshold
    return Outcome(check.type, check.label(), score, ok, f"{score:.2f}: {reason}", check.weight)
