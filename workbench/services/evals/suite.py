"""A suite: the prompt, the variants compared (models or prompt versions), the test cases and
their assertions, loaded from TOML. Every problem is a `SuiteError` naming the file and line,
found before anything is sent (a bad regex or schema is the suite's fault, not a failed case).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.services.evals.locate import Locator, toml_error_line

# type -> the params it requires (beyond type/weight/threshold)
ASSERTION_TYPES: dict[str, tuple[str, ...]] = {
    "equals": ("value",), "contains": (), "icontains": (), "not-contains": (),
    "not-icontains": (), "contains-all": ("values",), "contains-any": ("values",),
    "icontains-all": ("values",), "icontains-any": ("values",), "starts-with": ("value",),
    "regex": ("value",), "is-json": (), "json-schema": ("schema",),
    "json-path": ("path", "value"), "tool-called": ("name",), "stop-reason": ("value",),
    "max-cost": ("value",), "max-latency": ("value",), "max-ttft": ("value",),
    "max-output-tokens": ("value",), "rubric": ("value",), "closer-to-ideal": (),
}
GRADED = frozenset({"rubric", "closer-to-ideal"})
ASSERTION_KEYS = {"type", "weight", "threshold", "value", "values", "mode", "flags", "schema",
                  "path", "name", "input", "model"}
TOP_KEYS = {"name", "description", "threshold", "prompt", "grader", "run", "compare", "assert",
            "cases", "dataset"}
PROMPT_KEYS = {"model", "max_tokens", "system", "user", "messages", "request", "library",
               "version", "params", "draft"}
VARIANT_KEYS = {"label", "model", "version", "system", "max_tokens", "params"}
CASE_KEYS = {"id", "name", "vars", "ideal", "assert"}
# A graded assertion passes at this score unless it sets its own threshold; a deterministic one
# scores 0 or 1, so its threshold is 1. Documented in `workbench eval init`'s example.
GRADED_THRESHOLD = 0.5


class SuiteError(ValueError):
    """A suite that cannot run: `path:line: reason` (line 0 when the file as a whole is wrong)."""

    def __init__(self, path: str | Path, line: int, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")


@dataclass
class Check:
    """One assertion as the suite states it."""

    type: str
    params: dict[str, Any]
    weight: float = 1.0
    threshold: float = 1.0
    line: int = 0
    pattern: re.Pattern[str] | None = None

    @property
    def graded(self) -> bool:
        return self.type in GRADED

    def label(self, params: dict[str, Any] | None = None) -> str:
        """Type and main value (of `params`: the values with the case's variables filled)."""
        p = self.params if params is None else params
        shown = p.get("value", p.get("values", p.get("name", p.get("path", ""))))
        text = f"{self.type} {shown!s}" if shown not in ("", None) else self.type
        return text if len(text) <= 60 else text[:59] + "…"


@dataclass
class Variant:
    """A column of the grid: the prompt as is, another model, or another library version."""

    label: str
    model: str | None = None
    version: int | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    line: int = 0


@dataclass
class Case:
    id: str
    vars: dict[str, Any]
    ideal: str | None = None
    checks: list[Check] = field(default_factory=list)
    line: int = 0


@dataclass
class PromptSpec:
    body: dict[str, Any] | None = None   # an inline or file request (with {{variables}})
    library: str | None = None
    version: int | None = None
    draft: str | None = None             # the composer's saved draft of this profile
    line: int = 0


@dataclass
class Suite:
    path: Path
    text: str
    name: str
    description: str
    threshold: float
    prompt: PromptSpec
    variants: list[Variant]
    cases: list[Case]
    checks: list[Check]                  # the defaults, applied to every case
    grader_model: str | None = None
    grader_max_tokens: int = 1024
    concurrency: int = 8
    stream: bool = False

    @property
    def version(self) -> str:
        """The suite's content hash: runs name the exact suite they ran."""
        return hashlib.sha256(self.text.encode()).hexdigest()[:12]

    def checks_for(self, case: Case) -> list[Check]:
        return [*self.checks, *case.checks]

    def fail(self, line: int, reason: str) -> SuiteError:
        return SuiteError(self.path, line, reason)


def load_suite(path: str | Path) -> Suite:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SuiteError(path, 0, "no such file") from None
    except IsADirectoryError:
        raise SuiteError(path, 0, "is a folder; give a suite's .toml file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(path, 0, f"cannot read: {exc}") from None
    return parse_suite(text, path)


def parse_suite(text: str, path: str | Path = "<suite>") -> Suite:
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SuiteError(path, toml_error_line(str(exc), text), f"not valid TOML: {exc}") from None
    return _Loader(text, path).suite(data)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Loader:
    def __init__(self, text: str, path: Path) -> None:
        self.text, self.path, self.loc = text, path, Locator(text)

    def error(self, line: int, reason: str) -> SuiteError:
        return SuiteError(self.path, line, reason)

    def unknown(self, table: dict[str, Any], known: set[str], where: str, start: int,
                end: int) -> None:
        for key in table:
            if key not in known:
                raise self.error(self.loc.key(key, start, end),
                                 f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")

    def suite(self, data: dict[str, Any]) -> Suite:
        loc = self.loc
        self.unknown(data, TOP_KEYS, "suite", 1, len(loc.lines) + 1)
        top_end = loc.top_end()
        threshold = data.get("threshold", 1.0)
        if not _number(threshold) or not 0 <= threshold <= 1:
            raise self.error(loc.key("threshold", 1, top_end),
                             "threshold: a number from 0 to 1 (the weighted score a case needs)")
        grader = data.get("grader", {})
        run = data.get("run", {})
        g_line, r_line = loc.table("grader"), loc.table("run")
        if not isinstance(grader, dict) or not isinstance(run, dict):
            raise self.error(g_line or r_line, "[grader] and [run] are tables")
        self.unknown(grader, {"model", "max_tokens"}, "grader", g_line, loc.end_of(g_line))
        self.unknown(run, {"concurrency", "stream"}, "run", r_line, loc.end_of(r_line))
        concurrency = run.get("concurrency", 8)
        if not isinstance(concurrency, int) or isinstance(concurrency, bool) or not \
                1 <= concurrency <= 256:
            raise self.error(loc.key("concurrency", r_line, loc.end_of(r_line)),
                             "run.concurrency: a whole number from 1 to 256")
        suite = Suite(
            path=self.path, text=self.text, name=str(data.get("name") or self.path.stem),
            description=str(data.get("description", "")), threshold=float(threshold),
            prompt=self.prompt(data.get("prompt")), variants=self.variants(data.get("compare")),
            cases=[], checks=self.checks(data.get("assert", []), loc.sub_tables("assert", 0, 10**9), 1,
                               top_end),
            grader_model=grader.get("model"), grader_max_tokens=int(grader.get("max_tokens", 1024)),
            concurrency=concurrency, stream=bool(run.get("stream", False)),
        )
        suite.cases = self.cases(data.get("cases", []))
        if "dataset" in data:
            suite.cases += self.dataset(data["dataset"], len(suite.cases))
        if not suite.cases:
            raise self.error(0, "no test cases: add [[cases]] or a [dataset]")
        seen: set[str] = set()
        for case in suite.cases:
            if case.id in seen:
                raise self.error(case.line, f"case id {case.id!r} is used twice")
            seen.add(case.id)
        for case in suite.cases:
            for check in suite.checks_for(case):
                if check.graded and not (check.params.get("model") or suite.grader_model):
                    raise self.error(check.line, f"{check.type}: needs a grading model "
                                     "([grader] model = \"...\" or model = on the assertion)")
                if check.type == "closer-to-ideal" and case.ideal is None:
                    raise self.error(check.line or case.line,
                                     f"closer-to-ideal: case {case.id!r} has no ideal output")
        return suite

    # --- prompt and variants --------------------------------------------------------------
    def prompt(self, raw: Any) -> PromptSpec:
        line = self.loc.table("prompt")
        if not isinstance(raw, dict):
            raise self.error(line, "[prompt] is required: a library prompt, a request file, or "
                             "model/max_tokens/user")
        end = self.loc.end_of(line)
        self.unknown(raw, PROMPT_KEYS, "prompt", line, end)
        version = raw.get("version")
        if version is not None and (not isinstance(version, int) or version < 1):
            raise self.error(self.loc.key("version", line, end), "prompt.version: a number >= 1")
        if raw.get("library"):
            return PromptSpec(library=str(raw["library"]), version=version, line=line)
        if raw.get("draft"):
            return PromptSpec(draft=str(raw["draft"]), line=line)
        if raw.get("request"):
            return PromptSpec(body=self._request_file(str(raw["request"]), line, end), line=line)
        body: dict[str, Any] = {}
        for key in ("model", "max_tokens", "system"):
            if key in raw:
                body[key] = raw[key]
        if "messages" in raw:
            body["messages"] = raw["messages"]
        elif "user" in raw:
            body["messages"] = [{"role": "user", "content": str(raw["user"])}]
        else:
            raise self.error(line, "prompt: set user = \"...\", messages, request = FILE, "
                             "library = NAME or draft = PROFILE")
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise self.error(self.loc.key("params", line, end), "prompt.params: a table")
        body.update(params)
        return PromptSpec(body=body, line=line)

    def _request_file(self, name: str, line: int, end: int) -> dict[str, Any]:
        import json

        file = (self.path.parent / name).expanduser()
        where = self.loc.key("request", line, end)
        try:
            body = json.loads(file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise self.error(where, f"prompt.request: cannot read {file}: {exc}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise self.error(where, f"prompt.request: {file} is not JSON: {exc}") from None
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            raise self.error(where, f"prompt.request: {file} is not a request body with messages")
        body.pop("stream", None)
        return body

    def variants(self, raw: Any) -> list[Variant]:
        if raw is None:
            return [Variant("default")]
        if not isinstance(raw, list) or not raw:
            raise self.error(self.loc.table("compare"), "compare: use [[compare]] tables")
        out: list[Variant] = []
        for i, item in enumerate(raw):
            line = self.loc.table("compare", i)
            end = self.loc.end_of(line)
            if not isinstance(item, dict):
                raise self.error(line, "compare: each entry is a table")
            self.unknown(item, VARIANT_KEYS, "compare", line, end)
            version = item.get("version")
            if version is not None and (not isinstance(version, int) or version < 1):
                raise self.error(self.loc.key("version", line, end), "compare.version: >= 1")
            overrides = dict(item.get("params") or {})
            for key in ("system", "max_tokens"):
                if key in item:
                    overrides[key] = item[key]
            label = str(item.get("label") or item.get("model") or
                        (f"v{version}" if version else f"variant {i + 1}"))
            if any(v.label == label for v in out):
                raise self.error(line, f"compare: the label {label!r} is used twice")
            out.append(Variant(label, item.get("model"), version, overrides, line))
        return out

    # --- cases and assertions -------------------------------------------------------------
    def cases(self, raw: Any) -> list[Case]:
        if not isinstance(raw, list):
            raise self.error(self.loc.table("cases"), "cases: use [[cases]] tables")
        out = []
        for i, item in enumerate(raw):
            line = self.loc.table("cases", i)
            end = self.loc.end_of(line, prefix="cases.")
            if not isinstance(item, dict):
                raise self.error(line, "cases: each case is a table")
            self.unknown(item, CASE_KEYS, "case", line, end)
            variables = item.get("vars", {})
            if not isinstance(variables, dict):
                raise self.error(self.loc.key("vars", line, end), "case vars: a table")
            ideal = item.get("ideal")
            case_id = str(item.get("id") or item.get("name") or f"case-{i + 1}")
            checks = self.checks(item.get("assert", []),
                                 self.loc.sub_tables("cases.assert", line, end), line, end)
            out.append(Case(case_id, dict(variables), None if ideal is None else str(ideal),
                            checks, line))
        return out

    def dataset(self, raw: Any, first: int) -> list[Case]:
        from workbench.services.datasets import DatasetError, read_rows

        line = self.loc.table("dataset")
        end = self.loc.end_of(line)
        if not isinstance(raw, dict) or "path" not in raw:
            raise self.error(line, "dataset: path = \"cases.csv\" (CSV or JSONL, beside the suite)")
        self.unknown(raw, {"path", "ideal_column", "id_column"}, "dataset", line, end)
        ideal_col, id_col = raw.get("ideal_column", "ideal"), raw.get("id_column", "id")
        file = (self.path.parent / str(raw["path"])).expanduser()
        out = []
        try:
            for n, row in enumerate(read_rows(file), 1):
                variables = {k: v for k, v in row.items() if k not in (ideal_col, id_col)}
                ideal = row.get(ideal_col)
                case_id = str(row.get(id_col) or f"row-{n}")
                out.append(Case(case_id, variables, None if ideal in (None, "") else str(ideal),
                                [], self.loc.key("path", line, end)))
        except DatasetError as exc:
            raise self.error(self.loc.key("path", line, end), f"dataset: {exc}") from None
        return out

    def checks(self, raw: Any, tables: list[int], start: int, end: int) -> list[Check]:
        """Assertions from `[[...assert]]` headers (at `tables`) or an inline `assert = [...]`
        between `start` and `end`; each located by its header or its `type =` key."""
        if not isinstance(raw, list):
            raise self.error(self.loc.key("assert", start, end), "assert: a list of tables")
        inline_at = self.loc.key("assert", start, end) if not tables else 0
        out = []
        for j, item in enumerate(raw):
            if tables:
                line = tables[j] if j < len(tables) else start
                stop = tables[j + 1] if j + 1 < len(tables) else self.loc.end_of(line)
            else:
                line = self.loc.nth_key("type", j, inline_at, end)
                stop = self.loc.nth_key("type", j + 1, line + 1, end)
                stop = stop if stop > line else line + 1
            out.append(self.check(item, line, max(stop, line + 1)))
        return out

    def check(self, item: Any, line: int, stop: int) -> Check:
        from workbench.services.evals.assertions import validate_params

        if not isinstance(item, dict) or "type" not in item:
            raise self.error(line, "assertion: a table with type = \"...\"")
        kind = str(item["type"])
        line = self.loc.key("type", line, stop)  # the header of a [[...assert]] table: its type
        if kind not in ASSERTION_TYPES:
            raise self.error(line, f"unknown assertion type {kind!r} (known: "
                             f"{', '.join(ASSERTION_TYPES)})")
        self.unknown(item, ASSERTION_KEYS, kind, line, stop)
        for key in ASSERTION_TYPES[kind]:
            if key not in item:
                raise self.error(line, f"{kind}: needs {key} = ...")
        if kind in ("contains", "icontains", "not-contains", "not-icontains") and \
                "value" not in item and "values" not in item:
            raise self.error(line, f"{kind}: needs value = \"...\" or values = [...]")
        weight = item.get("weight", 1.0)
        if not _number(weight) or weight < 0:
            raise self.error(self.loc.key("weight", line, stop), f"{kind}: weight is a number >= 0")
        threshold = item.get("threshold", GRADED_THRESHOLD if kind in GRADED else 1.0)
        if not _number(threshold) or not 0 <= threshold <= 1:
            raise self.error(self.loc.key("threshold", line, stop),
                             f"{kind}: threshold is a number from 0 to 1")
        params = {k: v for k, v in item.items() if k not in ("type", "weight", "threshold")}
        check = Check(kind, params, float(weight), float(threshold), line)
        problem, key = validate_params(check)
        if problem:
            raise self.error(self.loc.key(key, line, stop) if key else line, f"{kind}: {problem}")
        return check
