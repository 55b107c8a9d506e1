"""From a suite to the cells of the grid: one request per case and variant, with its hash.

The prompt is resolved here (a library prompt's version, a request file, or the inline prompt),
variant overrides applied, and each case's variables filled in; a missing variable is a suite
error naming the case's line, found before anything is sent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.services.evals.suite import Case, Suite, SuiteError, Variant
from workbench.services.templates import MissingVariables, body_variables, render

if TYPE_CHECKING:
    from workbench.services.store import Store


@dataclass
class Cell:
    case: Case
    variant: Variant
    request: dict[str, Any]
    key: str  # the request's hash: the cache key

    @property
    def id(self) -> tuple[str, str]:
        return (self.case.id, self.variant.label)


def request_hash(request: dict[str, Any], base_url: str = "") -> str:
    """Same request to the same server, same hash (key order and `stream` do not matter)."""
    stable = {k: v for k, v in request.items() if k != "stream"}
    text = json.dumps(stable, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{base_url.rstrip('/')}\n{text}".encode()).hexdigest()


def _library_body(suite: Suite, version: int | None, store: Store | None,
                  api_version: str) -> dict[str, Any]:
    from workbench.services.draft import Draft

    name = suite.prompt.library or ""
    if store is None:
        raise suite.fail(suite.prompt.line, f"prompt.library {name!r}: no library here")
    prompt = store.find_prompt(name)
    if prompt is None:
        raise suite.fail(suite.prompt.line, f"prompt.library: no prompt named {name!r} in the "
                         "library (save it from the composer with ctrl+s)")
    versions = store.list_versions(prompt["id"])
    wanted = version or suite.prompt.version
    row = versions[0] if wanted is None else next(
        (v for v in versions if v["version"] == wanted), None)
    if row is None:
        have = ", ".join(str(v["version"]) for v in versions)
        raise suite.fail(suite.prompt.line, f"prompt {name!r} has no version {wanted} "
                         f"(it has {have})")
    return Draft.from_dict(row["draft"]).to_request(api_version)


def _draft_body(suite: Suite, api_version: str) -> dict[str, Any]:
    """The composer's saved draft of a profile, checked as a run checks it."""
    from workbench.services.composer import ComposerSession
    from workbench.services.draft import DraftError

    slot = suite.prompt.draft or ""
    session = ComposerSession(slot, default_model="", api_version=api_version)
    try:
        if not session.load_saved():
            raise suite.fail(suite.prompt.line, f"prompt.draft: no saved composer draft for "
                             f"{slot!r}")
        session.check()
        return session.request()
    except SuiteError:
        raise
    except (DraftError, TypeError, ValueError) as exc:
        raise suite.fail(suite.prompt.line, f"prompt.draft: the draft cannot be used: {exc}") \
            from None


def base_request(suite: Suite, variant: Variant, store: Store | None = None,
                 api_version: str = "2023-06-01") -> dict[str, Any]:
    """The variant's request body with its {{variables}} still in place."""
    if suite.prompt.library:
        body = _library_body(suite, variant.version, store, api_version)
    elif suite.prompt.draft:
        body = _draft_body(suite, api_version)
    else:
        if variant.version is not None:
            raise suite.fail(variant.line, "compare.version needs prompt.library")
        body = json.loads(json.dumps(suite.prompt.body))
    if variant.model:
        body["model"] = variant.model
    body.update(variant.overrides)
    body.pop("stream", None)
    line = variant.line or suite.prompt.line
    if not body.get("model"):
        raise suite.fail(line, "no model: set prompt.model or compare.model")
    if not isinstance(body.get("max_tokens"), int):
        raise suite.fail(line, "no max_tokens: set prompt.max_tokens (a whole number)")
    return body


def plan_cells(suite: Suite, store: Store | None = None, *, api_version: str = "2023-06-01",
               base_url: str = "") -> list[Cell]:
    """Every cell, row by row (case), column by column (variant)."""
    bodies = [(v, base_request(suite, v, store, api_version)) for v in suite.variants]
    cells = []
    for case in suite.cases:
        for check in suite.checks_for(case):
            missing = [n for n in body_variables(check.params) if n not in case.vars]
            if missing:
                raise suite.fail(check.line or case.line, f"case {case.id!r}: the assertion "
                                 f"uses {{{{{missing[0]}}}}} but the case has no such variable")
        for variant, body in bodies:
            try:
                request = render(body, case.vars)
            except MissingVariables as exc:
                raise suite.fail(case.line, f"case {case.id!r}: {exc}") from None
            cells.append(Cell(case, variant, request, request_hash(request, base_url)))
    return cells
