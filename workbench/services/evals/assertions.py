"""Deterministic assertions on one reply: each gives a score (0 or 1), a pass and a reason.

Parameters are checked when the suite loads (`validate_params`: a bad regex, JSON schema or
JSON path is a suite error with its line); evaluation never raises on what the model wrote
(invalid JSON, a huge reply, a missing tool call are failed assertions with a reason).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from workbench.services.evals.suite import Check

MAX_SCAN = 1_000_000  # characters a regex searches: a runaway reply must not stall a run
_PATH_PART = re.compile(r"\.([A-Za-z_][\w\-]*)|\[(\d+)\]|\[\s*['\"](.+?)['\"]\s*\]")
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


@dataclass
class Reply:
    """What a cell produced, as the assertions see it."""

    text: str = ""
    tool_uses: list[dict[str, Any]] = field(default_factory=list)  # {name, input}
    stop_reason: str | None = None
    output_tokens: int | None = None
    cost: float | None = None
    latency: float | None = None
    ttft: float | None = None

    @classmethod
    def from_message(cls, message: dict[str, Any], *, cost: float | None = None,
                     latency: float | None = None, ttft: float | None = None) -> Reply:
        content = message.get("content") or []
        text = "".join(b.get("text", "") for b in content if b.get("type") == "text")
        tools = [{"name": b.get("name"), "input": b.get("input")} for b in content
                 if b.get("type") == "tool_use"]
        usage = message.get("usage") or {}
        return cls(text, tools, message.get("stop_reason"), usage.get("output_tokens"), cost,
                   latency, ttft)


@dataclass
class Outcome:
    """One assertion's result on one cell."""

    type: str
    label: str
    score: float
    passed: bool
    reason: str
    weight: float = 1.0
    skipped: bool = False  # not applicable here (e.g. latency in batch mode): not weighed

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "label": self.label, "score": round(self.score, 4),
                "passed": self.passed, "reason": self.reason, "weight": self.weight,
                "skipped": self.skipped}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        return cls(data["type"], data.get("label", data["type"]), float(data["score"]),
                   bool(data["passed"]), data.get("reason", ""), float(data.get("weight", 1)),
                   bool(data.get("skipped", False)))


def compile_regex(check: Check) -> re.Pattern[str]:
    flags = 0
    for letter in str(check.params.get("flags", "")):
        if letter not in _FLAGS:
            raise ValueError(f"unknown regex flag {letter!r} (use i, m, s, x)")
        flags |= _FLAGS[letter]
    return re.compile(str(check.params["value"]), flags)


def parse_path(path: str) -> list[str | int]:
    """`$.a.b[0]['c d']` (or `a.b[0]`) -> ["a", "b", 0, "c d"]; ValueError when malformed."""
    rest = path.strip()
    if rest.startswith("$"):
        rest = rest[1:]
    elif rest and not rest.startswith((".", "[")):
        rest = "." + rest
    parts: list[str | int] = []
    at = 0
    while at < len(rest):
        match = _PATH_PART.match(rest, at)
        if not match:
            raise ValueError(f"cannot read the JSON path {path!r} at {rest[at:at + 10]!r}")
        key, index, quoted = match.groups()
        parts.append(int(index) if index is not None else (key if key is not None else quoted))
        at = match.end()
    return parts


def validate_params(check: Check) -> tuple[str | None, str | None]:
    """(problem, the key to point at) or (None, None). Compiles the regex into the check."""
    p, kind = check.params, check.type
    if kind == "regex":
        try:
            check.pattern = compile_regex(check)
        except (re.error, ValueError) as exc:
            return f"invalid regular expression: {exc}", "value"
    elif kind == "json-schema":
        if not isinstance(p["schema"], dict):
            return "schema is a table (a JSON schema)", "schema"
        import jsonschema

        try:
            jsonschema.validators.validator_for(p["schema"]).check_schema(p["schema"])
        except jsonschema.SchemaError as exc:
            return f"invalid JSON schema: {exc.message}", "schema"
    elif kind == "json-path":
        try:
            parse_path(str(p["path"]))
        except ValueError as exc:
            return str(exc), "path"
    elif kind in ("max-cost", "max-latency", "max-ttft", "max-output-tokens"):
        if not isinstance(p["value"], int | float) or isinstance(p["value"], bool) or \
                p["value"] < 0:
            return "value is a number >= 0", "value"
    elif kind.endswith(("-all", "-any")):
        values = p["values"]
        if not isinstance(values, list) or not values or not all(
                isinstance(v, str) for v in values):
            return "values is a non-empty list of strings", "values"
    if "mode" in p and p["mode"] not in ("all", "any"):
        return "mode is \"all\" or \"any\"", "mode"
    if kind == "tool-called" and "input" in p and not isinstance(p["input"], dict):
        return "input is a table (the arguments expected, a subset)", "input"
    return None, None


def extract_json(text: str) -> Any:
    """The reply as JSON; a lone ```json fenced block counts. Raises ValueError with a reason."""
    body = text.strip()
    fence = re.fullmatch(r"```[A-Za-z]*\s*\n(.*?)\n?```", body, re.DOTALL)
    if fence:
        body = fence.group(1)
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") \
            from None
    except RecursionError:
        raise ValueError("not JSON this workbench can read: nested too deeply") from None


def walk_path(value: Any, parts: list[str | int]) -> Any:
    for part in parts:
        in_list = isinstance(part, int) and isinstance(value, list) and \
            -len(value) <= part < len(value)
        if in_list or (isinstance(part, str) and isinstance(value, dict) and part in value):
            value = value[part]
        else:
            raise KeyError(part)
    return value


def is_subset(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and is_subset(v, actual[k]) for k, v in expected.items())
    return bool(expected == actual)


def _short(value: Any, n: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= n else text[: n - 1] + "…"


def evaluate(check: Check, reply: Reply, variables: dict[str, Any] | None = None) -> Outcome:
    """Score one deterministic assertion; `variables` fill `{{name}}` in its values."""
    params = check.params
    if variables:
        from workbench.services.templates import MissingVariables, render

        try:
            params = render(params, variables)  # the planner checked none is missing
        except MissingVariables as exc:
            return Outcome(check.type, check.label(), 0.0, False, str(exc), check.weight)
    try:
        passed, reason, skipped = _judge(check, params, reply)
    except re.error as exc:  # a pattern made from a case's variables
        passed, reason, skipped = False, f"invalid regular expression: {exc}", False
    score = 1.0 if passed else 0.0
    return Outcome(check.type, check.label(params), score, passed and score >= check.threshold,
                   reason, check.weight, skipped)


def _contains(kind: str, params: dict[str, Any], text: str) -> tuple[bool, str]:
    values = params.get("values")
    if values is None:
        values = [params["value"]]
    values = [str(v) for v in values]
    fold = kind.startswith(("icontains", "not-icontains"))
    hay = text.casefold() if fold else text
    found = [v for v in values if (v.casefold() if fold else v) in hay]
    if kind.startswith("not-"):
        return (not found, f"found {_short(found[0])!r}" if found else "none found")
    mode = "any" if kind.endswith("-any") else params.get("mode", "all")
    missing = [v for v in values if v not in found]
    if mode == "any":
        return (bool(found), f"found {_short(found[0])!r}" if found else
                f"none of {len(values)} found")
    return (not missing, f"missing {_short(missing[0])!r}" if missing else
            f"all {len(values)} found")


def _judge(check: Check, params: dict[str, Any], reply: Reply) -> tuple[bool, str, bool]:
    kind, text = check.type, reply.text
    if kind == "equals":
        ok = text.strip() == str(params["value"]).strip()
        return ok, "equal" if ok else f"got {_short(text.strip())!r}", False
    if "contains" in kind:
        return (*_contains(kind, params, text), False)
    if kind == "starts-with":
        ok = text.lstrip().startswith(str(params["value"]))
        return ok, "starts so" if ok else f"starts {_short(text.lstrip()[:40])!r}", False
    if kind == "regex":
        pattern = check.pattern or compile_regex(check)
        if params is not check.params:  # variables filled into the pattern
            pattern = re.compile(str(params["value"]), pattern.flags)
        match = pattern.search(text[:MAX_SCAN])
        cut = f" (first {MAX_SCAN:,} characters searched)" if len(text) > MAX_SCAN else ""
        return (match is not None,
                (f"matched {_short(match.group(0))!r}" if match else "no match") + cut, False)
    if kind in ("is-json", "json-schema", "json-path"):
        try:
            value = extract_json(text)
        except ValueError as exc:
            return False, str(exc), False
        if kind == "is-json":
            return True, "valid JSON", False
        if kind == "json-schema":
            import jsonschema

            error = jsonschema.exceptions.best_match(
                jsonschema.validators.validator_for(params["schema"])(params["schema"])
                .iter_errors(value))
            if error is None:
                return True, "matches the schema", False
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            return False, f"at {where}: {_short(error.message, 100)}", False
        try:
            found = walk_path(value, parse_path(str(params["path"])))
        except KeyError as exc:
            return False, f"{params['path']}: no {exc.args[0]!r} there", False
        ok = found == params["value"]
        return ok, f"{params['path']} = {_short(found)}", False
    if kind == "tool-called":
        calls = [t for t in reply.tool_uses if t.get("name") == params["name"]]
        if not calls:
            names = ", ".join(str(t.get("name")) for t in reply.tool_uses) or "no tool"
            return False, f"called {names}", False
        if "input" in params:
            ok = any(is_subset(params["input"], c.get("input")) for c in calls)
            return ok, "input matches" if ok else f"input {_short(calls[0].get('input'))}", False
        return True, f"called {params['name']}", False
    if kind == "stop-reason":
        ok = reply.stop_reason == params["value"]
        return ok, f"stop reason {reply.stop_reason}", False
    limit = float(params["value"])
    measured = {"max-cost": reply.cost, "max-latency": reply.latency, "max-ttft": reply.ttft,
                "max-output-tokens": reply.output_tokens}[kind]
    if measured is None:
        what = {"max-cost": "no price for this model", "max-output-tokens": "no usage"}.get(
            kind, "not measured in this mode")
        return True, what, True
    unit = {"max-cost": "$", "max-latency": "s", "max-ttft": "s"}.get(kind, " tokens")
    shown = f"${measured:.5f}" if unit == "$" else (
        f"{measured:.2f}s" if unit == "s" else f"{measured:g} tokens")
    return measured <= limit, f"{shown} (limit {limit:g})", False
