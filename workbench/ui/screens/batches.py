"""The Message Batches monitor: every batch, newest first, live while any is in progress."""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from workbench.format import short_when as when
from workbench.ui.plain import plain
from workbench.ui.screens import batch_actions as actions
from workbench.ui.screens.base import NARROW
from workbench.ui.screens.list_pane import ListPane
from workbench.ui.widgets.batch_bar import (
    STATUS_STYLE,
    counts_of,
    counts_text,
    segmented_bar,
)
from workbench.ui.widgets.flex_table import FlexTable, cell
from workbench.ui.widgets.unoffered import unoffered

PAGE = 20
COLUMNS = (("id", "Batch"), ("run", "Run"), ("status", "Status"), ("bar", "Progress"),
           ("counts", "Requests"), ("created", "Created"), ("ended", "Ended"))
WIDE = 140  # columns: from here the progress bars show too
# What gives way as the terminal narrows (ids, status, counts and dates stay whole): the bars
# below WIDE (the counts say the same), the dates below NARROW (enter shows them); the run
# column takes what is left, cut with '…'.
SHOWN = {"wide": {k for k, _ in COLUMNS}, "medium": {k for k, _ in COLUMNS} - {"bar"},
         "narrow": {"id", "run", "status", "counts"}}


def width_class(width: int) -> str:
    """Which set of columns a terminal this wide shows."""
    return "wide" if width >= WIDE else "medium" if width >= NARROW else "narrow"


class BatchesScreen(ListPane):
    MODE = "batches"
    LIST = "batches-table"
    PALETTE_GROUP = "Batches"
    AUTO_FOCUS = "#batches-table"
    HELP = """
## Message Batches
Every batch of this workspace, newest first; more load as you scroll down. While any batch is
in progress the list refreshes itself, less often the longer nothing changes.

**enter** opens a batch (counts, results, save), **o** opens the whole run it belongs to (a
dataset split over several batches), **n** makes a new batch from the composer's request and a
dataset, **f** re-runs the failed requests, **c** cancels, **d** deletes an ended batch (after
a confirm), **ctrl+r** refreshes now.
"""
    PALETTE_TITLES = {  # where the footer's short label says too little
        "batches.new": "new from the composer",
        "batches.last": "last loaded",
    }
    # tooltips: the footer's hover, F1 and the palette's help
    BINDINGS = [
        Binding("enter", "open", "Open", id="batches.open", priority=True,
                tooltip="Counts, results and saving"),
        Binding("o", "open_run", "Open run", id="batches.open_run",
                tooltip="All batches of the run together"),
        Binding("n", "new", "New", id="batches.new",
                tooltip="Composer request × dataset rows"),
        Binding("f", "rerun", "Re-run failed", id="batches.rerun",
                tooltip="Resubmit errored/expired requests"),
        Binding("c", "cancel_batch", "Cancel", id="batches.cancel",
                tooltip="Stop a batch in progress"),
        Binding("d,delete", "delete_batch", "Delete", id="batches.delete",
                tooltip="Delete an ended batch (asks first)"),
        Binding("ctrl+r", "refresh", "Refresh", id="batches.refresh", priority=True,
                tooltip="Reload the list now"),
        Binding("end", "jump(1)", "Last", id="batches.last", show=False, priority=True,
                tooltip="The last one loaded (loads the next page)"),
        Binding("home", "jump(0)", "First", id="batches.first", show=False, priority=True),
    ]
    CSS_PATH = "batches.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.batches: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []
        self.runs: dict[str, Any] = {}  # batch id -> local BatchRun
        self.has_more = False
        self._busy = False
        self._acting = False
        self._loaded_once = False  # the first page has come (empty or not)
        self._wake = asyncio.Event()
        self.delay = actions.POLL_MIN
        self.polls = 0

    def compose_body(self) -> ComposeResult:
        yield Static("loading batches…", id="batches-status")
        table = FlexTable(id="batches-table", cursor_type="row", zebra_stripes=True,
                          cursor_foreground_priority="renderable")
        self._set_columns(table)
        yield table
        yield Static("enter open · o whole run · n new from the composer's request · f re-run "
                     "failed · c cancel · d delete · ctrl+r refresh", id="batches-hint")

    def on_mount(self) -> None:
        self.load_first()
        self.poll_loop()
        table = self.query_one("#batches-table", DataTable)
        self.watch(table, "scroll_y", self._scrolled, init=False)

    _shown = ""

    def _set_columns(self, table: FlexTable) -> None:
        self._shown = width_class(self.app.size.width)
        table.clear(columns=True)
        for key, label in COLUMNS:
            if key in SHOWN[self._shown]:
                table.add_column(label, key=key)
        table.flex(run=6)

    def on_fitted(self, narrow: bool) -> None:
        if width_class(self.app.size.width) != self._shown:
            self._set_columns(self.query_one("#batches-table", FlexTable))
            self._render_table()

    def _scrolled(self, scroll_y: float) -> None:
        table = self.query_one("#batches-table", DataTable)
        if self.has_more and not self._busy and scroll_y >= table.max_scroll_y - 2:
            self.load_more()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        # back from a batch or from another pane: counts and runs may have moved on, and an
        # empty list may have its first batch (made with n; it stayed empty until ctrl+r).
        # Not while one of our own actions is in flight: its answer updates the list.
        if (self.order or self._loaded_once) and not self._acting:
            self.load_first()

    # --- loading --------------------------------------------------------------------------
    @work(exclusive=True, group="batches-load", exit_on_error=False)
    async def load_first(self) -> None:
        await self._load(after=None)

    @work(exclusive=True, group="batches-load", exit_on_error=False)
    async def load_more(self) -> None:
        await self._load(after=self.order[-1] if self.order else None)

    async def _load(self, after: str | None) -> None:
        from workbench.api.errors import APIError
        from workbench.services import batch_runs

        self._busy = True
        try:
            client = await self.wb.wait_client()
            if unoffered(self, client, "batches"):  # the profile's platform lacks it: say why
                return
            runs = await asyncio.to_thread(batch_runs.all_runs)
            self.runs = {bid: run for run in runs for bid in run.batch_ids}
            page = await client.batches.list(limit=PAGE, after_id=after)
        except APIError as exc:
            self.notify(f"could not list batches: {exc}", severity="error", timeout=10)
            self._status("could not load batches (ctrl+r to retry)")
            return
        finally:
            self._busy = False
        self._loaded_once = True
        ids = [b.id for b in page.data]
        if after is not None:
            self.order += [i for i in ids if i not in self.order]
            self.has_more = page.has_more
        elif len(self.order) > PAGE:  # later pages are loaded: keep them below the fresh page
            self.order = ids + [i for i in self.order if i not in set(ids)]
        else:
            self.order, self.has_more = ids, page.has_more
        for batch in page.data:
            self.batches[batch.id] = batch.model_dump(mode="json")
        self._render_table()
        self._wake.set()
        table = self.query_one("#batches-table", DataTable)
        if self.has_more and len(self.order) < table.size.height:
            self.load_more()  # the page does not fill the screen: nothing to scroll yet

    def _status(self, text: str) -> None:
        self.query_one("#batches-status", Static).update(plain(text))

    def _row(self, batch: dict[str, Any]) -> list[Any]:
        counts = counts_of(batch)
        status = actions.status_of(batch)
        run = self.runs.get(batch["id"])
        run_cell = ""
        if run is not None:
            run_cell = run.id if len(run.batch_ids) == 1 else (
                f"{run.id} ({run.batch_ids.index(batch['id']) + 1}/{len(run.batch_ids)})")
        ended = (when(batch.get("ended_at")) if batch.get("ended_at") else
                 Text(f"exp. {when(batch.get('expires_at'))}", style="dim"))
        cells = {"id": batch["id"], "run": cell(run_cell),
                 "status": Text(status, style=STATUS_STYLE.get(status, "")),
                 "bar": segmented_bar(counts, 20), "counts": counts_text(counts),
                 "created": when(batch.get("created_at")), "ended": ended}
        return [cells[key] for key, _ in COLUMNS if key in SHOWN[self._shown]]

    def _render_table(self) -> None:
        """Every row again (widths follow); the cursor stays on its batch, or the nearest."""
        self.fill((batch_id, self.batches[batch_id], self._row(self.batches[batch_id]))
                  for batch_id in self.order)
        live = sum(1 for b in self.batches.values() if actions.status_of(b) != "ended")
        more = " · more below" if self.has_more else ""
        count = f"{len(self.order)} batch" + ("" if len(self.order) == 1 else "es")
        self._status(f"{count}{more}" + (
            f" · {live} in progress, refreshing" if live else "") if self.order else
            "no batches yet: press n to make one from the composer's request and a dataset")

    def _update_row(self, batch: dict[str, Any]) -> None:
        self.batches[batch["id"]] = batch
        if batch["id"] in self.order:
            self._render_table()  # widths and the status line follow (a few hundred rows at most)

    @on(DataTable.RowHighlighted, "#batches-table")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if self.has_more and not self._busy and event.cursor_row >= len(self.order) - 3:
            self.load_more()

    # --- polling --------------------------------------------------------------------------
    @work(exclusive=True, group="batches-poll", exit_on_error=False)
    async def poll_loop(self) -> None:
        """Refresh the batches in progress, backing off while nothing changes."""
        from workbench.api.errors import APIError

        while True:
            live = [i for i in self.order if actions.status_of(self.batches[i]) != "ended"]
            if not live:
                self._wake.clear()
                await self._wake.wait()  # a load or a refresh wakes us
                self.delay = actions.POLL_MIN
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), self.delay)
                self.delay = actions.POLL_MIN
            except TimeoutError:
                pass
            self._wake.clear()
            if not self.is_current:
                continue  # not on screen: nobody to show it to
            client = await self.wb.wait_client()
            changed = False
            for batch_id in live:
                try:
                    fresh = (await client.batches.get(batch_id)).model_dump(mode="json")
                except APIError as exc:
                    self._status(f"refresh failed: {exc}")
                    break
                self.polls += 1
                if fresh != self.batches.get(batch_id):
                    changed = True
                    self._update_row(fresh)
            self.delay = actions.POLL_MIN if changed else actions.next_delay(self.delay)

    # --- actions --------------------------------------------------------------------------
    def selected(self) -> dict[str, Any] | None:
        """The highlighted batch for a key that acts on one; with none, a notice says why
        (the keys did nothing at all on an empty list)."""
        batch = self.current()
        if batch is None:
            if self.order:
                message = "no batch selected: move to one with ↑/↓"
            elif str(self.query_one("#batches-status", Static).render()).startswith("loading"):
                message = "still loading the batches"
            else:
                message = ("no batches yet: n (or ctrl+b in the composer) makes one from the "
                           "composer's request and a dataset")
            self.notify(message, severity="warning")
        return batch

    def action_jump(self, last: int) -> None:
        """home/end: the first or last row loaded (the last one loads the next page)."""
        table = self.query_one("#batches-table", DataTable)
        table.move_cursor(row=len(self.order) - 1 if last else 0)

    def action_refresh(self) -> None:
        self._status("refreshing…")
        self.delay = actions.POLL_MIN
        self.load_first()

    def action_open(self) -> None:
        batch = self.selected()
        if batch is not None:
            self._open([batch["id"]], None)

    def action_open_run(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        run = self.runs.get(batch["id"])
        if run is None:
            self.notify("this batch was not made by this workbench: opening it alone")
            self._open([batch["id"]], None)
        else:
            self._open(run.batch_ids, run)

    def _open(self, ids: list[str], run: Any) -> None:
        from workbench.ui.screens.batch_detail import BatchDetailScreen

        self.app.push_screen(BatchDetailScreen(ids, run=run))

    def action_new(self) -> None:
        self.wb.action_draft_screen("batch_create")

    @work(group="batches-action", exit_on_error=False)
    async def action_cancel_batch(self) -> None:
        batch = self.selected()
        if batch is not None:
            self._acting = True
            try:
                for fresh in await actions.cancel(self, [batch]):
                    self._update_row(fresh.model_dump(mode="json"))
            finally:
                self._acting = False
            self._wake.set()

    @work(group="batches-action", exit_on_error=False)
    async def action_delete_batch(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        self.workers.cancel_group(self, "batches-load")  # a reload must not bring it back
        self._acting = True
        try:
            deleted = await actions.delete(self, [batch])
        finally:
            self._acting = False
        if deleted and batch["id"] in self.order:
            self.order.remove(batch["id"])
            self.batches.pop(batch["id"], None)
            self._render_table()

    @work(group="batches-action", exit_on_error=False)
    async def action_rerun(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        run = self.runs.get(batch["id"])
        group = [self.batches.get(i, {"id": i}) for i in run.batch_ids] if run else [batch]
        if await actions.rerun_failures(self, group):
            self.load_first()
