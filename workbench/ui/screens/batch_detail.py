"""One batch, or a run of several watched as one: counts, timing, and its results.

Results stream line by line into a compact on-disk-backed index and a virtual table, so a
100,000-result batch shows its first rows at once and never sits whole in memory.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ProgressBar, Static, Tab, Tabs

from workbench.format import short_when as when
from workbench.ui.plain import plain
from workbench.ui.screens import batch_actions as actions
from workbench.ui.screens.base import NARROW, Fitted
from workbench.ui.widgets.batch_bar import (
    STATUS_STYLE,
    add_counts,
    counts_text,
    duration,
    segmented_bar,
)
from workbench.ui.widgets.pane_footer import PaneFooter
from workbench.ui.widgets.results_table import Column, ResultsTable

FILTERS = ("all", "succeeded", "errored", "canceled", "expired")
TYPE_STYLES = {"succeeded": "green", "errored": "red", "canceled": "bright_black",
               "expired": "yellow"}


def save_problem(value: str) -> str | None:
    """Why the results cannot be saved to `value`, or None: checked in the dialog, so a
    typo in the path keeps the dialog open with what was typed."""
    text = value.strip()
    if not text:
        return "give a file name"
    dest = Path(os.path.expanduser(text))
    if dest.is_dir():
        return f"{dest} is a folder: give a file name in it"
    folder = dest.parent
    if not folder.exists():
        return f"no folder {folder}: create it first, or give another path"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if dest.exists() and not dest.is_file():
        return f"{dest} is not a regular file"
    if not os.access(folder, os.W_OK) or (dest.exists() and not os.access(dest, os.W_OK)):
        return f"cannot write to {dest}: permission denied"
    return None


class BatchDetailScreen(Fitted, Screen):
    HELP = """
## Batch
Counts and timing of the batch (or of every batch of a run), refreshed while it runs. Once it
has ended its results stream into the table: **1–4** filter by result type, **0** shows all,
**enter** opens one result whole, **s** saves every result to a JSONL file, **f** re-runs the
errored and expired requests, **c** cancels, **d** deletes (after a confirm), **ctrl+r**
refreshes, **escape** goes back.
"""
    BINDINGS = [
        Binding("escape", "back", "Back", id="batch.back"),
        Binding("s", "save", "Save", id="batch.save"),
        Binding("f", "rerun", "Re-run failed", id="batch.rerun"),
        Binding("c", "cancel_batch", "Cancel", id="batch.cancel"),
        Binding("d,delete", "delete_batch", "Delete", id="batch.delete"),
        Binding("ctrl+r", "refresh", "Refresh", id="batch.refresh", priority=True),
        *(Binding(str(i), f"filter('{name}')", name, show=False, id=f"batch.filter_{name}")
          for i, name in enumerate(FILTERS)),
    ]
    CSS_PATH = "batch_detail.tcss"
    AUTO_FOCUS = "#results"

    def __init__(self, batch_ids: list[str], *, run: Any = None) -> None:
        super().__init__()
        self.batch_ids = list(batch_ids)
        self.run = run
        self.batches: dict[str, dict[str, Any]] = {}
        self.index: Any = None  # services.batch_results.ResultIndex once results load
        self.results_done = False
        self.filter_name = "all"
        self._last_paint = 0.0

    @property
    def wb(self) -> Any:
        return self.app

    @property
    def title_text(self) -> str:
        if self.run is not None and len(self.batch_ids) > 1:
            return f"Run {self.run.id} · {len(self.batch_ids)} batches"
        return f"Batch {self.batch_ids[0]}"

    def compose(self) -> ComposeResult:
        from workbench.ui.widgets.topbar import TopBar

        # The panes' bar, as on every pane: the top row was left blank (padding) before.
        yield TopBar()
        yield Static(plain(self.title_text), id="batch-head")
        yield Tabs(*(Tab(name.capitalize(), id=f"tab-{name}") for name in FILTERS),
                   id="result-tabs")
        yield ResultsTable([Column("custom_id", 24, min_width=12),
                            Column("result", 10, TYPE_STYLES, min_width=9),
                            Column("stop_reason", 13, min_width=11),
                            Column("tokens", 11, min_width=9), Column("text", 0)],
                           id="results")
        with Horizontal(id="batch-foot"):
            yield Static("", id="batch-status")
            yield ProgressBar(id="batch-progress", show_eta=False)
        yield PaneFooter(compact=self.app.size.width < NARROW)  # keys whole, never cut

    def on_mount(self) -> None:
        self.refresh_topbar()
        self.watch_batches()

    def on_screen_resume(self) -> None:
        self.refresh_topbar()

    def refresh_topbar(self) -> None:
        """Where you are (Batches), and DEMO in demo mode. Not the connection status the
        panes show: the batch's own line says what this is, and the status holds the
        endpoint's address (a different port on every test run: pictures would differ)."""
        from workbench.ui.widgets.topbar import TopBar

        for bar in self.query(TopBar):
            bar.active = "batches"
            bar.demo = bool(getattr(self.wb.settings, "demo", False))

    def on_fitted(self, narrow: bool) -> None:
        if self.batches:
            self._paint_head()  # the bar's width follows the terminal's

    # --- header and polling ---------------------------------------------------------------
    def _ordered(self) -> list[dict[str, Any]]:
        return [self.batches[i] for i in self.batch_ids if i in self.batches]

    def all_ended(self) -> bool:
        return len(self.batches) == len(self.batch_ids) and all(
            actions.status_of(b) == "ended" for b in self.batches.values())

    def _paint_head(self) -> None:
        batches = self._ordered()
        counts = add_counts(batches)
        statuses = sorted({actions.status_of(b) for b in batches})
        status = statuses[0] if len(statuses) == 1 else " / ".join(statuses)
        text = Text(self.title_text + "   ", style="bold")
        text.append(status, style=STATUS_STYLE.get(status, ""))
        text.append("\n")
        text.append_text(segmented_bar(counts, 50 if self.app.size.width >= NARROW else 24))
        text.append("  ")
        text.append_text(counts_text(counts))
        text.append(f"  of {sum(counts.values()):,}\n", style="dim")
        first = min((b.get("created_at") or "" for b in batches), default="")
        ends = [b.get("ended_at") for b in batches]
        last = max(ends) if ends and all(ends) else None
        expires = min((b.get("expires_at") or "" for b in batches), default="")
        text.append(f"created {when(first)}", style="dim")
        if last:
            text.append(f" · ended {when(last)} · took {duration(first, last)}", style="dim")
        else:
            text.append(f" · running for {duration(first, None)} · expires {when(expires)}",
                        style="dim")
        if len(self.batch_ids) > 1:
            text.append("\n" + "  ".join(self.batch_ids), style="dim")
        self.query_one("#batch-head", Static).update(text)

    @work(exclusive=True, group="batch-watch", exit_on_error=False)
    async def watch_batches(self) -> None:
        """Refresh until every batch has ended (backing off), then load the results."""
        from workbench.api.errors import APIError

        client = await self.wb.wait_client()
        delay = actions.POLL_MIN
        while True:
            changed = False
            for batch_id in self.batch_ids:
                try:
                    fresh = (await client.batches.get(batch_id)).model_dump(mode="json")
                except APIError as exc:
                    self.notify(f"could not read {batch_id}: {exc}", severity="error",
                                timeout=10)
                    self._status(f"could not read {batch_id} (ctrl+r to retry)")
                    return
                changed |= fresh != self.batches.get(batch_id)
                self.batches[batch_id] = fresh
            self._paint_head()
            if self.all_ended():
                break
            done = sum(add_counts(self._ordered()).values()) - add_counts(
                self._ordered())["processing"]
            noun = "request" if done == 1 else "requests"
            self._status(f"in progress · {done:,} {noun} done · results appear when every "
                         "batch has ended")
            delay = actions.POLL_MIN if changed else actions.next_delay(delay)
            await asyncio.sleep(delay)
        if self.index is None:
            self.load_results()

    # --- results --------------------------------------------------------------------------
    def _status(self, text: str) -> None:
        self.query_one("#batch-status", Static).update(plain(text))

    def _progress(self, done: int | None, total: int | None = None) -> None:
        bar = self.query_one("#batch-progress", ProgressBar)
        bar.set_class(done is not None, "busy")
        if done is not None:
            bar.update(total=total, progress=done)

    @work(exclusive=True, group="batch-results", exit_on_error=False)
    async def load_results(self) -> None:
        import gc
        import tempfile

        from workbench.paths import cache_dir
        from workbench.services.batch_results import ResultIndex, load

        total = sum(add_counts(self._ordered()).values())
        folder = cache_dir() / "batch_results"

        def open_index() -> ResultIndex:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=folder, prefix=f"{self.batch_ids[0]}-",
                                        suffix=".jsonl")
            os.close(fd)  # a file of our own: another workbench viewing it cannot clobber it
            return ResultIndex(name)

        client = await self.wb.wait_client()
        started = time.perf_counter()
        # Parsing 100,000 lines makes many short-lived objects; a full GC pass would walk all of
        # the app's objects each time (70-150 ms stalls), and with GC off until the end the
        # cycles the stream's machinery leaves (~80,000 objects) were collected in one 150 ms
        # pass. Frozen, the app's objects are skipped and the young cycles go in small passes.
        # Unfrozen when the screen closes, so it and its results can be collected then.
        gc.freeze()
        self._froze_gc = True
        try:
            index = await asyncio.to_thread(open_index)
            self.index = index
            self.query_one(ResultsTable).show(index.view(None), index.row)
            for batch_id in self.batch_ids:
                await load(index, client.batches.results_lines(batch_id),
                           on_progress=lambda n: self._loaded(n, total))
            index.complete = True  # saving copies the cache instead of downloading again
        except Exception as exc:  # API, connection, a bad line, the cache folder: say it
            self._progress(None)
            self._status(f"results stopped after {len(self.index) if self.index else 0:,}: "
                         f"{exc}")
            self.notify(f"could not load all results: {exc}", severity="error", timeout=10)
            return
        finally:
            if self.index is not None:
                await asyncio.to_thread(self.index.close)
        self.results_done = True
        self._loaded(len(index), total, final=True)
        self._status(f"{len(index):,} results in {time.perf_counter() - started:.1f} s · "
                     f"{index.cost_text()} · enter opens one · s saves them all")

    def _loaded(self, n: int, total: int, final: bool = False) -> None:
        now = time.perf_counter()
        if not final and now - self._last_paint < 0.1:
            return
        self._last_paint = now
        self.query_one(ResultsTable).rows_changed()
        self._progress(None if final else n, total or None)
        if not final:
            self._status(f"loading results… {n:,} of {total:,}")
        if self.index is not None:
            for name in FILTERS[1:]:
                self.query_one(f"#tab-{name}", Tab).label = (
                    f"{name.capitalize()} {self.index.counts[name]:,}")
            self.query_one("#tab-all", Tab).label = f"All {len(self.index):,}"
            # Tabs moves its underline one refresh after a relabel, which can be before the
            # wider label is laid out (it then stays short); showing the active tab again
            # (public API) moves it once more, after the layout.
            tabs = self.query_one("#result-tabs", Tabs)
            if tabs.active:
                self.call_after_refresh(tabs.show, tabs.active)

    @on(Tabs.TabActivated, "#result-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        self.action_filter(str(event.tab.id).removeprefix("tab-"))

    def action_filter(self, name: str) -> None:
        self.filter_name = name
        tabs = self.query_one("#result-tabs", Tabs)
        if tabs.active != f"tab-{name}":
            tabs.active = f"tab-{name}"
        if self.index is not None:
            self.query_one(ResultsTable).show(
                self.index.view(None if name == "all" else name), self.index.row)

    @on(ResultsTable.Selected)
    def _open_result(self, event: ResultsTable.Selected) -> None:
        self.open_result(event.position)

    @work(exclusive=True, group="batch-open", exit_on_error=False)
    async def open_result(self, position: int) -> None:
        """The whole line is read back from the cache file, in a thread."""
        from workbench.ui.screens.batch_result import ResultScreen

        if self.index is not None:
            item = await asyncio.to_thread(self.index.item, position)
            await self.app.push_screen(ResultScreen(item))

    # --- actions --------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.watch_batches()

    @work(group="batch-save", exclusive=True, exit_on_error=False)
    async def action_save(self) -> None:
        from workbench.api.errors import APIError
        from workbench.services.batch_results import save_from_cache, save_lines
        from workbench.ui.screens.compose_modals import AskScreen

        if not self.all_ended():
            self.notify("results can be saved once the batch has ended", severity="warning")
            return
        default = f"{self.run.id if self.run and len(self.batch_ids) > 1 else self.batch_ids[0]}"
        value, error = f"./{default}-results.jsonl", ""
        client = await self.wb.wait_client()
        total = sum(add_counts(self._ordered()).values())
        while True:  # a save that fails asks again, with what was typed and why
            path = await self.app.push_screen_wait(AskScreen(
                "Save every result as JSONL to:", "path (Tab completes)", value=value,
                check=save_problem, path=True, error=error))
            if path is None:
                return
            dest = Path(os.path.expanduser(path.strip()))

            def progress(n: int, dest: Path = dest) -> None:
                self._progress(n, total or None)
                self._status(f"saving… {n:,} of {total:,} results to {dest}")

            try:
                if self.index is not None and self.results_done and self.index.is_complete():
                    count = await save_from_cache(self.index, dest, progress)
                else:  # still loading, or the load stopped: fetch them all again
                    count = await save_lines(
                        (client.batches.results_lines(b) for b in self.batch_ids), dest,
                        progress)
            except OSError as exc:
                value, error = path, f"could not save to {dest}: {exc.strerror or exc}"
                self._status("")
                continue
            except APIError as exc:
                self.notify(f"could not save the results: {exc}", severity="error", timeout=10)
                return
            finally:
                self._progress(None)
            break
        self._status(f"saved {count:,} results to {dest}")
        self.notify(f"saved {count:,} results to {dest}")

    @work(group="batch-action", exit_on_error=False)
    async def action_cancel_batch(self) -> None:
        if await actions.cancel(self, self._ordered()):
            self.watch_batches()

    @work(group="batch-action", exit_on_error=False)
    async def action_delete_batch(self) -> None:
        if await actions.delete(self, self._ordered()):
            self.app.pop_screen()

    @work(group="batch-action", exit_on_error=False)
    async def action_rerun(self) -> None:
        run = await actions.rerun_failures(self, self._ordered())
        if run is not None:
            self.app.switch_screen(BatchDetailScreen(run.batch_ids, run=run))

    def on_unmount(self) -> None:
        if self.index is not None:  # the cache only serves this view
            self.index.discard()
            self.index = None
        if getattr(self, "_froze_gc", False):
            import gc

            gc.unfreeze()  # this screen is garbage now: let a later full pass find it
            self._froze_gc = False

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Save batch results", "Every result to a JSONL file (s)",
                            self.action_save)
        yield SystemCommand("Re-run batch failures", "Resubmit errored/expired requests (f)",
                            self.action_rerun)
        yield SystemCommand("Cancel batch", "Stop it while in progress (c)",
                            self.action_cancel_batch)
        yield SystemCommand("Delete batch", "Delete it once ended (d)",
                            self.action_delete_batch)
        for name in FILTERS:
            yield SystemCommand(f"Show {name} results", "Filter the results table",
                                lambda name=name: self.action_filter(name))
