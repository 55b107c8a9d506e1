"""The Evaluate pane's state, headless: the loaded suite, its cells, the results as they arrive,
the stored run they belong to, filters, re-runs, grades, diffs, comparisons and exports.

The screen renders this and calls its methods; tests drive it without a UI.
"""

from __future__ import annotations

import asyncio
import difflib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.services.evals import report
from workbench.services.evals.plan import Cell, plan_cells
from workbench.services.evals.scoring import CellResult, Totals
from workbench.services.evals.suite import Suite, load_suite

if TYPE_CHECKING:
    from workbench.api.client import ClaudeClient
    from workbench.services.evals.runstore import EvalStore
    from workbench.services.store import Store

FILTERS = ("all", "failures", "disagreements")
Key = tuple[str, str]  # (case id, variant label)


class EvalSession:
    def __init__(self, store: EvalStore, library: Store | None = None,
                 api_version: str = "2023-06-01") -> None:
        self.store, self.library, self.api_version = store, library, api_version
        self.suite: Suite | None = None
        self.cells: dict[Key, Cell] = {}
        self.results: dict[Key, CellResult] = {}
        self.running: set[Key] = set()
        self.run_id: int | None = None
        self.filter = "all"

    # --- loading --------------------------------------------------------------------------
    def load(self, path: str | Path, base_url: str = "") -> Suite:
        """Load and plan a suite (SuiteError on a problem); the grid starts empty."""
        suite = load_suite(path)
        cells = plan_cells(suite, self.library, api_version=self.api_version, base_url=base_url)
        self.suite, self.run_id, self.filter = suite, None, "all"
        self.cells = {c.id: c for c in cells}
        self.results, self.running = {}, set()
        return suite

    @property
    def case_ids(self) -> list[str]:
        return [c.id for c in self.suite.cases] if self.suite else []

    @property
    def variants(self) -> list[str]:
        return [v.label for v in self.suite.variants] if self.suite else []

    # --- what to show -----------------------------------------------------------------------
    def visible_cases(self) -> list[str]:
        if self.filter == "failures":
            return [c for c in self.case_ids if any(
                (r := self.results.get((c, v))) is not None and not r.passed
                for v in self.variants)]
        if self.filter == "disagreements":
            return [c for c in self.case_ids if len({
                self.results[(c, v)].passed for v in self.variants
                if (c, v) in self.results}) > 1]
        return self.case_ids

    def cycle_filter(self) -> str:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        return self.filter

    def totals(self) -> list[Totals]:
        if self.suite is None:
            return []
        return report.column_totals(self.suite, list(self.results.values()))

    def estimate(self, keys: Iterable[Key], *, batch: bool) -> dict[str, Any]:
        return report.estimate((self.cells[k] for k in keys), batch=batch)

    # --- choosing cells ---------------------------------------------------------------------
    def all_keys(self) -> list[Key]:
        return list(self.cells)

    def row_keys(self, case_id: str) -> list[Key]:
        return [(case_id, v) for v in self.variants]

    def column_keys(self, variant: str) -> list[Key]:
        return [(c, variant) for c in self.case_ids]

    def failure_keys(self) -> list[Key]:
        return [k for k, r in self.results.items() if not r.passed]

    # --- running ----------------------------------------------------------------------------
    async def run(self, client: ClaudeClient, keys: list[Key], *, batch: bool = False,
                  force: bool = False, on_result: Callable[[CellResult], None] | None = None,
                  on_status: Callable[[str], None] | None = None,
                  on_warning: Callable[[str], None] | None = None) -> list[CellResult]:
        """Run `keys` (re-runs force: the user asked for a fresh answer); each result is
        stored in the current run (started on the first run of this suite). `on_warning`:
        a live run would go over the rate limits (it is paced: said once, not refused)."""
        from workbench.services.evals.runner import Runner

        suite = self.suite
        assert suite is not None
        if self.run_id is None:
            await asyncio.to_thread(self.store.save_suite, suite.name, str(suite.path),
                                    suite.version, suite.text)
            self.run_id = await asyncio.to_thread(
                self.store.start_run, suite=suite.name, suite_path=str(suite.path),
                suite_version=suite.version, suite_text=suite.text,
                mode="batch" if batch else "live", base_url=client.base_url)
        self.running.update(keys)
        pending: list[CellResult] = []

        def arrived(result: CellResult) -> None:
            previous = self.results.get(result.id)
            if previous is not None:  # a re-run keeps the human grade
                result.grade, result.note = previous.grade, previous.note
            self.results[result.id] = result
            self.running.discard(result.id)
            pending.append(result)
            if on_result is not None:
                on_result(result)

        runner = Runner(client, suite, store=self.store, force=force, on_result=arrived)
        cells = [self.cells[k] for k in keys]
        try:
            if batch:
                results = await runner.run_batch(cells, on_status=on_status)
            else:
                results = await runner.run_live(cells, on_warning=on_warning)
        finally:
            self.running.difference_update(keys)
            await asyncio.to_thread(self.store.put_cells, self.run_id, list(pending))
            await asyncio.to_thread(self.store.finish_run, self.run_id,
                                    report.summary(suite, list(self.results.values())))
        return results

    # --- grades, diffs, runs ------------------------------------------------------------------
    async def set_grade(self, key: Key, grade: int | None, note: str) -> None:
        result = self.results[key]
        if grade is not None and not 1 <= grade <= 5:
            raise ValueError("a grade is 1 to 5")
        result.grade, result.note = grade, note
        if self.run_id is not None:
            await asyncio.to_thread(self.store.set_grade, self.run_id, key[0], key[1], grade,
                                    note)

    def diff(self, a: Key, b: Key) -> str:
        """A unified diff of two cells' outputs, line by line."""
        left, right = self.results.get(a), self.results.get(b)
        if left is None or right is None:
            return "run both cells first"
        lines = difflib.unified_diff(left.text.splitlines(), right.text.splitlines(),
                                     f"{a[0]} [{a[1]}]", f"{b[0]} [{b[1]}]", lineterm="")
        return "\n".join(lines) or "the two outputs are the same"

    def previous_run(self) -> int | None:
        if self.suite is None:
            return None
        runs = [r["id"] for r in self.store.list_runs(self.suite.name) if r["id"] != self.run_id]
        return runs[0] if runs else None

    def compare_with(self, run_id: int) -> dict[str, list]:
        from workbench.services.evals.runstore import compare_runs

        return compare_runs(self.store.cells(run_id), self.results.values())

    def open_run(self, run_id: int) -> int:
        """Show a stored run's results (of this suite); returns how many cells it had."""
        results = [r for r in self.store.cells(run_id) if r.id in self.cells]
        self.results = {r.id: r for r in results}
        self.run_id = run_id
        return len(results)

    def export(self, folder: Path | None = None) -> tuple[Path, Path]:
        """The current run as JSONL and CSV beside the suite (or in `folder`)."""
        assert self.suite is not None
        where = folder or self.suite.path.parent
        stem = f"{self.suite.path.stem}.run{self.run_id or 0}"
        ordered = [self.results[k] for k in self.cells if k in self.results]
        paths = where / f"{stem}.jsonl", where / f"{stem}.csv"
        with open(paths[0], "w", encoding="utf-8") as out:
            out.writelines(report.export_jsonl(ordered))
        with open(paths[1], "w", encoding="utf-8", newline="") as out:
            out.writelines(report.export_csv(ordered))
        return paths
