"""The Evaluate pane: a suite's test cases by its variants (models or prompt versions), each cell
filling in with pass/fail, score, cost and latency as results arrive; column totals; the output
and assertion reasons on enter, with a human grade; diffs, filters, re-runs, runs compared.

A view of `EvalSession` (services/evals/session.py), which holds the state and does the work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from workbench.ui.screens.base import WorkbenchScreen
from workbench.ui.widgets.eval_grid import EvalGrid

CELL_WIDTH = 23  # "✓ 0.86 $0.0011 0.21s ★4"
CASE_WIDTH = 30  # longer case ids are cut with an ellipsis
FLUSH = 0.1  # seconds between grid updates while results arrive (a lagging UI coalesces them)
HINT = ("Type a suite's path above and press enter (`workbench eval init` writes an example; "
        "examples/evals/ has one). ctrl+r runs it live, b as a batch.")


def cell_text(result: Any, running: bool) -> Text:
    """One cell: ✓/✗, score, cost, latency (and the human grade when there is one)."""
    if result is None:
        return Text("…" if running else "·", style="dim")
    if result.status == "error":
        return Text("! error", style="bold red")
    mark = Text()
    mark.append("✓ " if result.passed else "✗ ", style="bold green" if result.passed else
                "bold red")
    cost = "" if result.cost is None else f" ${result.cost:.4f}"
    latency = "" if result.latency is None else f" {result.latency:.2f}s"
    mark.append(f"{result.score:.2f}{cost}{latency}")
    if result.grade:
        mark.append(f" ★{result.grade}", style="yellow")
    if running:
        mark.stylize("dim")
    return mark


def totals_text(totals: list[Any]) -> Text:
    from workbench.services.evals.report import fmt_cost, fmt_pct, fmt_secs

    text = Text()
    width = max((len(t.variant) for t in totals), default=0) + 2
    for i, t in enumerate(totals):
        if i:
            text.append("\n")
        text.append(t.variant.ljust(width), style="bold")
        score = "–" if t.mean_score is None else f"{t.mean_score:.2f}"
        text.append(f"pass {t.passed}/{t.done} ({fmt_pct(t.pass_rate)}) · score {score} · "
                    f"{fmt_cost(t.cost)} · p50 {fmt_secs(t.p50)} · p95 {fmt_secs(t.p95)}")
        if t.errors:
            text.append(f" · {t.errors} errors", style="red")
    return text


class EvaluateScreen(WorkbenchScreen):
    MODE = "evaluate"
    PALETTE_GROUP = "Evaluate"
    CSS_PATH = "evaluate.tcss"
    HELP = """
## Evaluate
A suite (TOML) runs its test cases on each model or prompt version it compares. Type its path
and press enter. **ctrl+r** runs live, **b** as a batch (half price); the estimate is shown
first, and a live run that would go over the last reported rate limits says so and how long
pacing makes it take. **enter** opens a cell: its output, the assertions' reasons, and your
grade (1-5). **r** re-runs a cell, **R** its row, **C** its column, **F** the failures.
**m** marks a cell and **d** diffs it with the current one. **f** filters to failures or
disagreements. **g** proposes new test cases, **k** compares with the previous run, **h** shows
a stored run, **e** exports JSONL and CSV.
"""
    BINDINGS = [
        Binding("ctrl+r", "run('live')", "Run", id="eval.run", priority=True,
                tooltip="Run every cell live (cached replies are reused)"),
        Binding("b", "run('batch')", "Batch", id="eval.batch",
                tooltip="Run every cell as a Message Batch, at half price"),
        Binding("r", "rerun('cell')", "Re-run", id="eval.rerun_cell",
                tooltip="Send the current cell again"),
        Binding("R", "rerun('row')", "Row", id="eval.rerun_row", show=False,
                tooltip="Send the current case again on every variant"),
        Binding("C", "rerun('column')", "Column", id="eval.rerun_column", show=False,
                tooltip="Send every case of the current variant again"),
        Binding("F", "rerun('failures')", "Failures", id="eval.rerun_failures", show=False,
                tooltip="Send the failed cells again"),
        Binding("f", "filter", "Filter", id="eval.filter",
                tooltip="Show all cases, only failures, or only disagreements"),
        Binding("m", "mark", "Mark", id="eval.mark", show=False,
                tooltip="Mark the current cell for a diff"),
        Binding("d", "diff", "Diff", id="eval.diff",
                tooltip="Diff the marked cell's output with the current cell's"),
        Binding("g", "generate", "Generate", id="eval.generate", show=False,
                tooltip="Propose test cases from the prompt's variables, to review"),
        Binding("k", "compare", "Compare", id="eval.compare", show=False,
                tooltip="What got better or worse since the previous run"),
        Binding("e", "export", "Export", id="eval.export", show=False,
                tooltip="Write the run as JSONL and CSV beside the suite"),
        Binding("o", "open", "Open", id="eval.open", show=False,
                tooltip="Type another suite's path"),
        Binding("h", "runs", "Runs", id="eval.runs", show=False,
                tooltip="The suite's stored runs: show one in the grid"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.session: Any = None
        self.mark: tuple[str, str] | None = None
        self._pending: list[Any] = []
        self._busy = False
        self._estimates: tuple[float, float] | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="eval-body"):
            with Horizontal(id="eval-head"):
                yield Input(placeholder="suite file (.toml), enter to load", id="eval-path")
            yield Static(HINT, id="eval-status")
            yield EvalGrid(id="eval-grid")
            yield Static("", id="eval-totals")

    def on_mount(self) -> None:
        self.set_interval(FLUSH, self._flush)
        self._open_session()

    @work(thread=True, exclusive=True, group="eval-open", exit_on_error=False)
    def _open_session(self) -> None:
        from workbench import paths
        from workbench.services.evals.runstore import EvalStore
        from workbench.services.evals.session import EvalSession

        paths.ensure(paths.data_dir())
        store = EvalStore(paths.database_file())
        session = EvalSession(store, api_version=self.wb.settings.api_version)
        self.app.call_from_thread(setattr, self, "session", session)

    async def _ready(self) -> Any:
        import asyncio

        for _ in range(500):
            if self.session is not None:
                return self.session
            await asyncio.sleep(0.01)
        raise RuntimeError("the eval database did not open")

    # --- loading ---------------------------------------------------------------------------
    @on(Input.Submitted, "#eval-path")
    def _path_entered(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.load_suite(event.value.strip())

    @work(exclusive=True, group="eval-load", exit_on_error=False)
    async def load_suite(self, path: str) -> None:
        from workbench.services.evals.suite import SuiteError

        session = await self._ready()
        session.library = self.wb.store or await self.wb.wait_store()
        client = await self.wb.wait_client()
        try:
            suite = session.load(Path(path).expanduser(), client.base_url)
        except SuiteError as exc:  # said where it stays: the status line (and a notice)
            self.query_one("#eval-status", Static).update(Text(f"bad suite: {exc}", style="red"))
            self.notify(str(exc), title="Bad suite", severity="error", timeout=10, markup=False)
            return
        self.query_one("#eval-path", Input).value = str(path)
        self.mark = None
        self._estimates = None
        self._build_grid()
        self._show_status()
        self.query_one("#eval-grid", EvalGrid).focus()
        self.notify(f"{suite.name}: {len(suite.cases)} cases × {len(suite.variants)}",
                    markup=False)

    def _build_grid(self) -> None:
        session = self.session
        width = min(max((len(c) for c in session.case_ids), default=4), CASE_WIDTH)
        self.query_one("#eval-grid", EvalGrid).set_columns(
            [("case", "case", max(width, 4))] +  # fixed widths: filling cells moves nothing
            [(v, v, max(CELL_WIDTH, len(v))) for v in session.variants])
        self._fill_rows()

    def _fill_rows(self) -> None:
        session = self.session
        rows = session.visible_cases()
        self.query_one("#eval-grid", EvalGrid).set_rows(rows, {
            (case, v): cell_text(session.results.get((case, v)), (case, v) in session.running)
            for case in rows for v in session.variants})

    def _show_status(self, extra: str = "") -> None:
        session = self.session
        if session is None or session.suite is None:
            return
        keys = session.all_keys()
        if self._estimates is None:  # once per suite: a tokenizer pass over every request
            self._estimates = (session.estimate(keys, batch=False)["usd_upper_bound"],
                               session.estimate(keys, batch=True)["usd_upper_bound"])
        live, batch = self._estimates
        run = f" · run {session.run_id}" if session.run_id else ""
        done = f" · {len(session.results)}/{len(keys)} done"
        text = (f"{session.suite.name} · {len(session.case_ids)} cases × "
                f"{len(session.variants)}{done} · estimate live ≤${live:.4f}, batch ≤"
                f"${batch:.4f} · filter: {session.filter}{run}")
        self._set(self.query_one("#eval-status", Static),
                  Text(text + (f" · {extra}" if extra else "")))
        self._set(self.query_one("#eval-totals", Static), totals_text(session.totals()))

    def _set(self, widget: Static, text: Text) -> None:
        """Update a line of text; a layout pass (the whole screen) only when the number of
        rows it takes changes: while results arrive it is redrawn ten times a second."""
        width = max(widget.content_region.width, 1)
        rows = sum(max(1, -(-len(line) // width)) for line in text.plain.split("\n"))
        layout = rows != getattr(widget, "_rows", None)
        widget._rows = rows  # type: ignore[attr-defined]
        widget.update(text, layout=layout)

    # --- results arriving -------------------------------------------------------------------
    def _arrived(self, result: Any) -> None:
        self._pending.append(result)

    def _flush(self) -> None:
        """Draw the results that arrived since the last flush (at most 10 times a second)."""
        if not self._pending or self.session is None:
            return
        pending, self._pending = self._pending, []
        grid = self.query_one("#eval-grid", EvalGrid)
        for result in pending:
            grid.update_cell(result.case_id, result.variant, cell_text(result, False))
        self._show_status()

    def _mark_running(self, keys: list[tuple[str, str]]) -> None:
        grid = self.query_one("#eval-grid", EvalGrid)
        for case, variant in keys:
            grid.update_cell(case, variant, cell_text(self.session.results.get(
                (case, variant)), True))

    # --- running ------------------------------------------------------------------------------
    def start_run(self, keys: list[tuple[str, str]], *, batch: bool, force: bool, what: str,
                  confirm: bool = True) -> None:
        """Every run and re-run starts here: checked, confirmed with its estimate (one cell
        goes at once), then sent; a live one warns first when the rate limits are short."""
        from workbench.ui.screens.evaluate_dialogs import ConfirmRun

        if self.session is None or self.session.suite is None:
            self.notify("open a suite first", severity="warning")
            return
        if self._busy:
            self.notify("a run is going on", severity="warning")
            return
        if not keys:
            self.notify("nothing to run", severity="warning")
            return
        if not confirm:
            self.run_cells(keys, batch=batch, force=force)
            return

        def chosen(ok: bool | None) -> None:
            if ok:
                self.run_cells(keys, batch=batch, force=force)

        self.app.push_screen(ConfirmRun(what, self.session.estimate(keys, batch=batch), batch),
                             chosen)

    def action_run(self, mode: str) -> None:
        """ctrl+r: every cell live; b: every cell as a Message Batch."""
        if self.session is not None:
            batch = mode == "batch"
            self.start_run(self.session.all_keys(), batch=batch, force=False,
                           what="every cell as a batch" if batch else "every cell live")

    def current_key(self) -> tuple[str, str] | None:
        key = self.query_one("#eval-grid", EvalGrid).cursor_key
        if self.session is None or key is None:
            return None
        return (key[0], self.session.variants[0] if key[1] == "case" else key[1])

    def action_rerun(self, scope: str) -> None:
        """r / R / C / F: the cell, its row, its column or the failures, sent again."""
        key, session = self.current_key(), self.session
        if session is None:
            return
        if scope == "failures":
            keys = session.failure_keys()
        elif key is None:
            return
        else:
            keys = {"cell": [key], "row": session.row_keys(key[0]),
                    "column": session.column_keys(key[1])}[scope]
        self.start_run(keys, batch=False, force=True, what=f"the {scope} again",
                       confirm=scope != "cell")

    @work(exclusive=True, group="eval-run", exit_on_error=False)
    async def run_cells(self, keys: list[tuple[str, str]], *, batch: bool, force: bool) -> None:
        import gc

        client = await self.wb.wait_client()
        self._busy = True
        # What the app built so far (panes, lazily imported modules, the suite) lives on: out
        # of the collector's full passes, which otherwise walk it all while results arrive
        # (80-200 ms each with 1,000 cells: the grid's longest stalls). As at start-up.
        gc.freeze()
        self._mark_running(keys)
        try:
            await self.session.run(client, keys, batch=batch, force=force,
                                   on_result=self._arrived,
                                   on_status=lambda s: self._show_status(s),
                                   on_warning=self._rate_warning)
        except Exception as exc:  # an API or batch failure: said, the grid keeps what came
            self.notify(client.scrub(str(exc)), title="Run stopped", severity="error",
                        timeout=10, markup=False)
            raise
        finally:
            self._busy = False
            self._flush()
            if self.session.filter != "all":  # what is a failure or a disagreement changed
                self._fill_rows()
            self._show_status()

    def _rate_warning(self, text: str) -> None:
        """A live run goes over the last reported rate limits: it is paced, not refused."""
        self.notify(text, title="Rate limits", severity="warning", timeout=12, markup=False)

    # --- looking at cells -------------------------------------------------------------------
    @on(EvalGrid.CellSelected, "#eval-grid")
    def _open_cell(self, event: EvalGrid.CellSelected) -> None:
        from workbench.ui.screens.evaluate_dialogs import CellScreen

        key = self.current_key()
        result = self.session.results.get(key) if key and self.session else None
        if result is None:
            self.notify("not run yet: ctrl+r runs the suite, r this cell", severity="warning")
            return

        async def graded(answer: tuple[int | None, str] | None) -> None:
            if answer is not None and key is not None:
                await self.session.set_grade(key, *answer)
                self.query_one("#eval-grid", EvalGrid).update_cell(
                    key[0], key[1], cell_text(result, False))

        self.app.push_screen(CellScreen(result, self.session.suite.threshold), graded)

    def action_filter(self) -> None:
        if self.session is None or self.session.suite is None:
            return
        self.session.cycle_filter()
        self._fill_rows()
        self._show_status()

    def action_mark(self) -> None:
        self.mark = self.current_key()
        if self.mark:
            self.notify(f"marked {self.mark[0]} [{self.mark[1]}]: d diffs it with another cell",
                        markup=False)

    def action_diff(self) -> None:
        from workbench.ui.screens.evaluate_dialogs import TextScreen, diff_text

        key = self.current_key()
        if self.mark is None or key is None:
            self.notify("mark a cell with m first, then move to another and press d",
                        severity="warning")
            return
        self.app.push_screen(TextScreen(f"diff {self.mark[0]} [{self.mark[1]}] → {key[0]} "
                                        f"[{key[1]}]", diff_text(self.session.diff(self.mark,
                                                                                   key))))

    @work(exclusive=True, group="eval-compare", exit_on_error=False)
    async def action_compare(self) -> None:
        import asyncio

        from workbench.ui.screens.evaluate_dialogs import TextScreen, compare_text

        session = self.session
        if session is None or session.suite is None:
            return
        previous = await asyncio.to_thread(session.previous_run)
        if previous is None:
            self.notify("no earlier run of this suite to compare with", severity="warning")
            return
        diff = await asyncio.to_thread(session.compare_with, previous)
        self.app.push_screen(TextScreen(f"run {previous} → this run", compare_text(diff)))

    @work(exclusive=True, group="eval-export", exit_on_error=False)
    async def action_export(self) -> None:
        import asyncio

        if self.session is None or not self.session.results:
            self.notify("nothing to export yet", severity="warning")
            return
        try:
            jsonl, csv = await asyncio.to_thread(self.session.export)
        except OSError as exc:
            self.notify(f"export failed: {exc}", severity="error", markup=False)
            return
        self.notify(f"wrote {jsonl} and {csv}", title="Exported", markup=False, timeout=8)

    def action_generate(self) -> None:
        from workbench.ui.screens.evaluate_dialogs import GenerateScreen

        if self.session is None or self.session.suite is None:
            self.notify("open a suite first", severity="warning")
            return

        def saved(ok: bool | None) -> None:
            if ok:
                self.load_suite(str(self.session.suite.path))

        self.app.push_screen(GenerateScreen(self.session), saved)

    @work(exclusive=True, group="eval-runs", exit_on_error=False)
    async def action_runs(self) -> None:
        import asyncio

        from workbench.ui.screens.evaluate_dialogs import RunsScreen

        session = self.session
        if session is None or session.suite is None or self._busy:
            return
        runs = await asyncio.to_thread(session.store.list_runs, session.suite.name)
        if not runs:
            self.notify("no stored runs of this suite yet", severity="warning")
            return
        chosen = await self.app.push_screen_wait(RunsScreen(runs))
        if chosen is not None:
            shown = await asyncio.to_thread(session.open_run, chosen)
            self._fill_rows()
            self._show_status()
            self.notify(f"run {chosen}: {shown} cells", markup=False)

    def action_open(self) -> None:
        self.query_one("#eval-path", Input).focus()
