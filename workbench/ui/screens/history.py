"""History: every stored run, newest first, paged lazily, with full-text search and filters.

The table never holds more than the pages scrolled through (100 rows a page); all store work
runs in thread workers. Enter opens a run; `o` reopens it in the composer.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from workbench.ui import messages as m
from workbench.ui.plain import plain
from workbench.ui.screens.base import NARROW
from workbench.ui.screens.list_pane import ListPane, Spot
from workbench.ui.widgets.flex_table import FlexTable
from workbench.ui.widgets.history_data import (
    COLUMNS,
    FLEX_COLUMN,
    PAGE_SIZE,
    PROMPT_MIN,
    STATUSES,
    HistoryQuery,
    fetch_page,
    field_of,
    parse_day,
    row_cells,
)
from workbench.ui.widgets.ordered_keys import OrderedInput


class HistoryTable(FlexTable):
    """The runs; more rows load as the cursor nears the end; the prompt gives way first."""

    # DataTable's own enter (hidden) would hide the pane's "Open" from the footer
    BINDINGS = [Binding("enter", "select_cursor", "Open", id="history.open_row")]

    HELP = """
## History
Every run, newest first. `Enter` opens a run (request, reply, usage, timings, request-id),
`o` reopens it in the composer, `/` searches prompts and replies, `escape` clears the filters,
`ctrl+r` refreshes.
"""


class HistoryScreen(ListPane):
    MODE = "history"
    LIST = "history-table"
    FILTER = "history-search"
    PALETTE_GROUP = "History"

    CSS_PATH = "history.tcss"

    PALETTE_TITLES = {  # where the footer's short label says too little
        "history.open": "open run",
    }
    # tooltips: the footer's hover, F1 and the palette's help
    BINDINGS = [
        Binding("enter", "open_run", "Open", id="history.open", show=False,
                tooltip="Show the highlighted run"),
        Binding("o", "reopen", "Reopen in composer", id="history.reopen",
                tooltip="Load the run's request"),
        Binding("slash", "focus_search", "Search", id="history.search",
                tooltip="Full-text search of prompts and replies"),
        Binding("ctrl+r", "reload", "Refresh", id="history.refresh", priority=True,
                tooltip="Reload the runs"),
        Binding("escape", "clear_filters", "Clear filters", id="history.clear", show=False,
                tooltip="Show every run"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state = HistoryQuery()
        self.run_ids: list[Any] = []
        self.loaded_all = False
        self._loading = False
        self._generation = 0
        self._resumed_before = False
        self._narrow_rows = False  # the rows' cells were made for 80 columns

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="history-filters"):
            yield OrderedInput(placeholder="search prompts and replies…", id="history-search")
            yield Select([], prompt="any model", id="history-model", allow_blank=True)
            yield Select([(s, s) for s in STATUSES], prompt="any status", id="history-status",
                         allow_blank=True)
            yield OrderedInput(placeholder="from YYYY-MM-DD", id="history-since",
                               classes="history-day")
            yield OrderedInput(placeholder="to YYYY-MM-DD", id="history-until",
                               classes="history-day")
        table = HistoryTable(id="history-table", cursor_type="row", zebra_stripes=True)
        for label in COLUMNS:
            table.add_column(label, key=label)
        table.flex(**{FLEX_COLUMN: PROMPT_MIN})
        yield table
        yield Static("loading…", id="history-count")

    def on_mount(self) -> None:
        self.reload()
        self.load_models()
        self.query_one(HistoryTable).focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._resumed_before:
            self.reload()  # runs stored while another pane was shown
        self._resumed_before = True

    # --- loading --------------------------------------------------------------------------
    def on_fitted(self, narrow: bool) -> None:
        if narrow != self._narrow_rows and self.run_ids:
            self.reload()  # the time and model cells are shorter at 80 columns

    def reload(self, keep: bool = True) -> None:
        """From the first page again; the cursor stays on its run (or the nearest) if shown,
        unless `keep` is False (new filters: from the newest run)."""
        spot = self.spot() if keep else None
        self._narrow_rows = self.app.size.width < NARROW
        self._generation += 1
        self.run_ids, self.loaded_all = [], False
        self.fill([], keep=None)
        self.load_page(self._generation, 0, spot)

    def action_reload(self) -> None:
        self.reload()

    @work(exclusive=True, group="history-page", exit_on_error=False)
    async def load_page(self, generation: int, offset: int, keep: Spot | None = None) -> None:
        self._loading = True
        try:
            store = await self.wb.wait_store()
            if store is None:
                self.query_one("#history-count", Static).update("history database unavailable")
                return
            try:
                rows = await store.arun(fetch_page, store, self.query_state, offset)
            except Exception as exc:  # a bad FTS query, a locked db: say it, keep the pane
                self.notify(f"history: {exc}", severity="error")
                return
            if generation != self._generation:
                return
            fresh = [(str(field_of(row, "id", "run_id")), row) for row in rows]
            fresh = [(key, row) for key, row in fresh if key not in self.records]
            self.run_ids.extend(field_of(row, "id", "run_id") for _, row in fresh)
            self.add_rows((key, field_of(row, "id", "run_id"),
                           row_cells(row, self._narrow_rows)) for key, row in fresh)
            self.restore(keep)
            self.loaded_all = len(rows) < PAGE_SIZE
            more = "" if self.loaded_all else "+ (more as you scroll)"
            count = len(self.run_ids)
            noun = "run" if count == 1 and not more else "runs"
            self.query_one("#history-count", Static).update(
                f"{count:,}{more} {noun}" if count else "no runs match")
        finally:
            self._loading = False

    @on(DataTable.RowHighlighted, "#history-table")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if (not self.loaded_all and not self._loading
                and event.cursor_row >= len(self.run_ids) - 20):
            self._loading = True
            self.load_page(self._generation, len(self.run_ids))

    @work(exclusive=True, group="history-models", exit_on_error=False)
    async def load_models(self) -> None:
        store = await self.wb.wait_store()
        if store is None:
            return
        try:
            models = await store.arun(store.run_models)
        except Exception:
            return
        select = self.query_one("#history-model", Select)
        select.set_options([(plain(name, False), name) for name in models])

    # --- filters --------------------------------------------------------------------------
    def filter_changed(self) -> None:
        """The search (debounced by the pane: one full-text query per pause in typing)."""
        if self.filter_text.strip() != self.query_state.text.strip():
            self.query_state.text = self.filter_text
            self.reload(keep=False)

    @on(Select.Changed, "#history-model")
    def _model(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        if value != self.query_state.model:
            self.query_state.model = value
            self.reload(keep=False)

    @on(Select.Changed, "#history-status")
    def _status(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        if value != self.query_state.status:
            self.query_state.status = value
            self.reload(keep=False)

    @on(Input.Submitted, ".history-day")
    def _dates(self) -> None:
        try:
            since = parse_day(self.query_one("#history-since", Input).value)
            until = parse_day(self.query_one("#history-until", Input).value, end=True)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self.query_state.since, self.query_state.until = since, until
        self.reload(keep=False)
        self.query_one(HistoryTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#history-search", Input).focus()

    def action_clear_filters(self) -> None:
        self.query_state = HistoryQuery()
        self.clear_filter_field()
        for widget_id in ("#history-since", "#history-until"):
            self.query_one(widget_id, Input).value = ""
        for widget_id in ("#history-model", "#history-status"):
            self.query_one(widget_id, Select).clear()
        self.reload(keep=False)
        self.query_one(HistoryTable).focus()

    # --- one run ---------------------------------------------------------------------------
    def action_open_run(self) -> None:
        run_id = self.current()
        if run_id is not None:
            self.fetch_run(run_id, reopen=False)

    def action_reopen(self) -> None:
        run_id = self.current()
        if run_id is not None:
            self.fetch_run(run_id, reopen=True)

    @on(DataTable.RowSelected, "#history-table")
    def _selected(self) -> None:
        self.action_open_run()

    @work(exclusive=True, group="history-run", exit_on_error=False)
    async def fetch_run(self, run_id: Any, reopen: bool) -> None:
        store = await self.wb.wait_store()
        if store is None:
            return
        try:
            run = await store.arun(store.get_run, run_id)
        except Exception as exc:
            self.notify(f"cannot read run {run_id}: {exc}", severity="error")
            return
        if run is None:
            self.notify(f"run {run_id} is gone", severity="warning")
            return
        if reopen:
            reopen_run(self, run)
        else:
            from workbench.ui.widgets.history_detail import RunDetailScreen

            self.app.push_screen(RunDetailScreen(run))


def reopen_run(screen: Any, run: Any) -> None:
    """Post the run's request to the composer as a new draft, with the betas it was sent
    with (they are headers: not in the stored body)."""
    from workbench.services.draft import Draft
    from workbench.services.request_options import reopened_betas

    request = field_of(run, "request", "request_body", default={}) or {}
    if isinstance(request, str):
        import json

        request = json.loads(request)
    draft = Draft.from_request(request)
    if isinstance(run, dict):
        draft.betas = reopened_betas(run, screen.app.settings.profile.betas)
    screen.post_message(m.OpenDraft(draft, "history"))
