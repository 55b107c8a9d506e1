"""A cell's result (its assertions weighed against the suite's threshold) and a column's totals."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from workbench.services.evals.assertions import Outcome


@dataclass
class CellResult:
    case_id: str
    variant: str
    status: str                      # pass | fail | error
    score: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)
    text: str = ""
    message: dict[str, Any] | None = None
    request: dict[str, Any] | None = None
    request_hash: str = ""
    cost: float | None = None
    latency: float | None = None
    ttft: float | None = None
    cached: bool = False
    error: str | None = None
    grade: int | None = None         # the human grade, 1-5
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def id(self) -> tuple[str, str]:
        return (self.case_id, self.variant)

    def to_dict(self, *, full: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "case": self.case_id, "variant": self.variant, "status": self.status,
            "score": round(self.score, 4), "cost_usd": self.cost, "latency_s": self.latency,
            "ttft_s": self.ttft, "cached": self.cached, "error": self.error,
            "assertions": [o.to_dict() for o in self.outcomes], "output": self.text,
            "grade": self.grade, "note": self.note,
        }
        if full:
            data.update(request=self.request, response=self.message,
                        request_hash=self.request_hash)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CellResult:
        return cls(
            data["case"], data["variant"], data["status"], float(data.get("score") or 0),
            [Outcome.from_dict(o) for o in data.get("assertions") or []], data.get("output", ""),
            data.get("response"), data.get("request"), data.get("request_hash", ""),
            data.get("cost_usd"), data.get("latency_s"), data.get("ttft_s"),
            bool(data.get("cached")), data.get("error"), data.get("grade"), data.get("note", ""))


def weigh(outcomes: list[Outcome], threshold: float) -> tuple[float, bool]:
    """(weighted score, passed): the weighted mean of the assertions' scores, where one below
    its own threshold counts 0; the case passes when that reaches the suite's `threshold`.
    Skipped assertions (not measurable here) are left out; none at all scores 1."""
    weighed = [o for o in outcomes if not o.skipped]
    total = sum(o.weight for o in weighed)
    if total <= 0:
        return 1.0, True
    score = sum(o.weight * (o.score if o.passed else 0.0) for o in weighed) / total
    return score, score >= threshold - 1e-9


def error_result(case_id: str, variant: str, error: str, **extra: Any) -> CellResult:
    return CellResult(case_id, variant, "error", 0.0, error=error, **extra)


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Totals:
    variant: str
    cells: int = 0
    done: int = 0
    passed: int = 0
    errors: int = 0
    mean_score: float | None = None
    cost: float | None = 0.0
    p50: float | None = None
    p95: float | None = None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.done if self.done else None

    def to_dict(self) -> dict[str, Any]:
        return {"variant": self.variant, "cells": self.cells, "done": self.done,
                "passed": self.passed, "errors": self.errors, "pass_rate": self.pass_rate,
                "mean_score": self.mean_score, "cost_usd": self.cost,
                "latency_p50_s": self.p50, "latency_p95_s": self.p95}


def totals(variant: str, results: list[CellResult], cells: int) -> Totals:
    """A column's totals over the results it has so far."""
    t = Totals(variant, cells=cells, done=len(results))
    t.passed = sum(1 for r in results if r.passed)
    t.errors = sum(1 for r in results if r.status == "error")
    if results:
        t.mean_score = sum(r.score for r in results) / len(results)
    costs = [r.cost for r in results if r.status != "error"]
    t.cost = None if any(c is None for c in costs) else sum(c for c in costs if c is not None)
    latencies = [r.latency for r in results if r.latency is not None and not r.cached]
    t.p50, t.p95 = percentile(latencies, 50), percentile(latencies, 95)
    return t
