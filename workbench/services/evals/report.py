"""What a run says to people and machines: the cost estimate before it, the per-column totals,
the JSON document (`--json`), JUnit XML for CI, and the JSONL / CSV exports of a stored run."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from workbench.services.evals.plan import Cell
from workbench.services.evals.scoring import CellResult, Totals, totals
from workbench.services.evals.suite import Suite


def estimate(cells: Iterable[Cell], *, batch: bool) -> dict[str, Any]:
    """Upper bound: local input estimate, every reply reaching max_tokens; batch at half."""
    from workbench.services.pricing import cost_usd
    from workbench.services.tokens import estimate_request

    n, inp, out, usd = 0, 0, 0, 0.0
    unpriced: set[str] = set()
    for cell in cells:
        tokens = estimate_request(cell.request).total
        max_out = int(cell.request.get("max_tokens") or 0)
        model = str(cell.request.get("model"))
        cost = cost_usd(model, {"input_tokens": tokens, "output_tokens": max_out}, batch=batch)
        if cost is None:
            unpriced.add(model)
        else:
            usd += cost
        n, inp, out = n + 1, inp + tokens, out + max_out
    return {"requests": n, "input_tokens": inp, "max_output_tokens": out,
            "usd_upper_bound": round(usd, 6), "unpriced_models": sorted(unpriced),
            "batch_discount": batch}


def column_totals(suite: Suite, results: list[CellResult]) -> list[Totals]:
    per = len(suite.cases)
    return [totals(v.label, [r for r in results if r.variant == v.label], per)
            for v in suite.variants]


def summary(suite: Suite, results: list[CellResult]) -> dict[str, Any]:
    failed = [r for r in results if not r.passed]
    return {"suite": suite.name, "suite_version": suite.version, "cells": len(results),
            "passed": len(results) - len(failed), "failed": len(failed),
            "columns": [t.to_dict() for t in column_totals(suite, results)]}


def document(suite: Suite, results: list[CellResult], *, run_id: int | None,
             mode: str) -> dict[str, Any]:
    """The `--json` output: the summary, then per-case results grouped by case."""
    by_case: dict[str, dict[str, Any]] = {}
    for r in results:
        entry = by_case.setdefault(r.case_id, {"case": r.case_id, "results": {}})
        entry["results"][r.variant] = r.to_dict(full=False)
    for entry in by_case.values():
        entry["passed"] = all(v["status"] == "pass" for v in entry["results"].values())
    return {"run_id": run_id, "mode": mode, **summary(suite, results),
            "cases": list(by_case.values())}


def fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def fmt_cost(value: float | None) -> str:
    return "–" if value is None else f"${value:.4f}"


def fmt_secs(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}s"


def table_rows(cols: list[Totals]) -> list[list[str]]:
    return [[t.variant, f"{t.passed}/{t.done}", fmt_pct(t.pass_rate),
             "–" if t.mean_score is None else f"{t.mean_score:.2f}", fmt_cost(t.cost),
             fmt_secs(t.p50), fmt_secs(t.p95), str(t.errors)] for t in cols]


TABLE_HEADERS = ["variant", "passed", "rate", "score", "cost", "p50", "p95", "errors"]


def junit(runs: list[tuple[Suite, list[CellResult]]]) -> str:
    """One testsuite per suite and variant, one testcase per case; a failed case lists its
    assertions with their reasons."""
    root = ET.Element("testsuites", name="workbench eval")
    for suite, results in runs:
        _junit_suite(root, suite, results)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _junit_suite(root: ET.Element, suite: Suite, results: list[CellResult]) -> None:
    for variant in suite.variants:
        mine = [r for r in results if r.variant == variant.label]
        node = ET.SubElement(root, "testsuite", name=f"{suite.name} [{variant.label}]",
                             tests=str(len(mine)),
                             failures=str(sum(r.status == "fail" for r in mine)),
                             errors=str(sum(r.status == "error" for r in mine)))
        for r in mine:
            case = ET.SubElement(node, "testcase", classname=f"{suite.name}.{variant.label}",
                                 name=r.case_id, time=f"{r.latency or 0:.3f}")
            if r.status == "error":
                ET.SubElement(case, "error", message=r.error or "error").text = r.error
            elif r.status == "fail":
                reasons = "\n".join(f"{'PASS' if o.passed else 'FAIL'} {o.label}: {o.reason}"
                                    for o in r.outcomes)
                ET.SubElement(case, "failure", message=f"score {r.score:.2f} below "
                              f"{suite.threshold:g}").text = reasons


def export_jsonl(results: Iterable[CellResult]) -> Iterable[str]:
    for r in results:
        yield json.dumps(r.to_dict(), ensure_ascii=False) + "\n"


CSV_FIELDS = ["case", "variant", "status", "score", "cost_usd", "latency_s", "ttft_s", "cached",
              "grade", "note", "failed_assertions", "output"]


def export_csv(results: Iterable[CellResult]) -> Iterable[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for r in results:
        failed = "; ".join(f"{o.label}: {o.reason}" for o in r.outcomes if not o.passed)
        writer.writerow([r.case_id, r.variant, r.status, f"{r.score:.4f}", r.cost, r.latency,
                         r.ttft, r.cached, r.grade or "", r.note, failed or r.error or "",
                         r.text])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
