"""Compare: the same request on two models, or two saved prompt versions, streamed side by side
at once through the ONE shared client. Both runs are stored with a shared compare group; 1/2
marks the better one and that choice is stored too.
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Select, Static

from workbench.ui.plain import plain
from workbench.ui.widgets.compare_column import CompareColumn
from workbench.ui.widgets.history_data import field_of
from workbench.ui.widgets.pane_footer import PaneFooter

if TYPE_CHECKING:
    from workbench.ui.app import WorkbenchApp

FLUSH_SECONDS = 0.05


class CompareScreen(Screen[None]):
    """Pushed over the composer with its draft (alt+k)."""

    CSS_PATH = "compare.tcss"

    BINDINGS = [
        Binding("escape", "close", "Close", id="compare.close"),
        Binding("r,ctrl+r", "run", "Run both", id="compare.run"),
        Binding("1", "prefer(1)", "1 is better", id="compare.prefer1"),
        Binding("2", "prefer(2)", "2 is better", id="compare.prefer2"),
        Binding("x", "cancel", "Cancel", id="compare.cancel", show=False),
    ]

    def __init__(self, draft: Any) -> None:
        super().__init__()
        self.draft = draft
        self.choices: dict[str, tuple[str, Any]] = {}  # select value -> (label, Draft)
        self.compare_group: str | None = None
        self.running = False
        self._worker: Any = None

    @property
    def wb(self) -> WorkbenchApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="compare-head")
        with Horizontal(id="compare-columns"):
            yield CompareColumn(1, id="column-1")
            yield CompareColumn(2, id="column-2")
        yield PaneFooter()  # keys whole, never cut

    @property
    def columns(self) -> tuple[CompareColumn, CompareColumn]:
        return self.query_one("#column-1", CompareColumn), self.query_one("#column-2", CompareColumn)

    def on_mount(self) -> None:
        self._add_model(self.draft.model)
        self._refresh_options(f"model:{self.draft.model}", None)
        self._head("r runs both sides at once · 1/2 marks the better reply · Escape closes")
        self.set_interval(FLUSH_SECONDS, self._flush)
        self.load_choices()

    def _head(self, text: str) -> None:
        self.query_one("#compare-head", Static).update(plain(text))

    def _add_model(self, model_id: str) -> None:
        draft = copy.deepcopy(self.draft)
        draft.model = model_id
        self.choices[f"model:{model_id}"] = (model_id, draft)

    def _refresh_options(self, first: str | None, second: str | None) -> None:
        options = [(plain(label, False), value) for value, (label, _) in self.choices.items()]
        for column, want in zip(self.columns, (first, second), strict=True):
            current = column.select.value
            column.select.set_options(options)
            value = current if current in self.choices else want
            if value in self.choices:
                column.select.value = value

    @work(exclusive=True, group="compare-choices", exit_on_error=False)
    async def load_choices(self) -> None:
        """Models from the API and versions from the library become choices for both sides."""
        client = await self.wb.wait_client()
        try:
            models = await client.models.list_all()
        except Exception as exc:
            self.notify(f"could not list models: {exc}", severity="warning", markup=False)
            models = []
        for model in models:
            self._add_model(model.id)
        other = next((m.id for m in models if m.id != self.draft.model), self.draft.model)
        self._refresh_options(f"model:{self.draft.model}", f"model:{other}")
        store = await self.wb.wait_store()
        if store is not None:
            from workbench.ui.widgets import library_data as data

            def versions() -> list[tuple[str, str, Any]]:
                out = []
                for p in data.list_prompts(store)[:50]:
                    for v in data.list_versions(store, field_of(p, "id")):
                        label = f"{field_of(p, 'name')} v{field_of(v, 'version')}"
                        key = f"version:{field_of(p, 'id')}:{field_of(v, 'version')}"
                        out.append((key, label, data.version_draft(v)))
                return out

            try:
                for key, label, draft in await store.arun(versions):
                    self.choices[key] = (f"{label} · {draft.model}", draft)
            except Exception as exc:
                self.notify(f"library versions unavailable: {exc}", severity="warning",
                            markup=False)
        self._refresh_options(f"model:{self.draft.model}", f"model:{other}")

    @on(Select.Changed)
    def _choice(self, event: Select.Changed) -> None:
        for column in self.columns:
            value = column.select.value
            if value in self.choices:
                column.set_title(self.choices[value][0])

    # --- running ------------------------------------------------------------------------------
    def action_run(self) -> None:
        if self.running:
            self.notify("a comparison is running (x cancels it)", severity="warning")
            return
        from workbench.services.draft import DraftError
        from workbench.services.templates import body_variables

        bodies, betas = [], []
        for column in self.columns:
            value = column.select.value
            if value not in self.choices:
                self.notify(f"choose what side {column.side} runs", severity="warning")
                return
            try:
                bodies.append(self.choices[value][1].to_request(self.wb.settings.api_version))
                betas.append(tuple(self.choices[value][1].betas))  # each side's own headers
            except DraftError as exc:
                column.show_error(str(exc))
                return
        names = list(dict.fromkeys(n for body in bodies for n in body_variables(body)))
        if not names:
            self._worker = self.run_both(bodies, betas)
            return
        from workbench.ui.screens.compose_modals import ask_variables

        ask_variables(self.app, self.app.composer, names,  # type: ignore[attr-defined]
                      lambda values: self._run_filled(bodies, betas, values))

    def _run_filled(self, bodies: list[dict[str, Any]], betas: list[tuple[str, ...]],
                    values: dict[str, str]) -> None:
        """Fill `{{variables}}` as a single run does; refuse, naming them, if any is missing."""
        from workbench.services.templates import MissingVariables, render

        filled = []
        for column, body in zip(self.columns, bodies, strict=True):
            try:
                filled.append(render(body, values, where=f"side {column.side}"))
            except MissingVariables as exc:
                self.notify(str(exc), title="Not sent", severity="error", timeout=10, markup=False)
                column.show_error(f"not sent: {exc}")
                return
        self._worker = self.run_both(filled, betas)

    @work(exclusive=True, group="compare-run", exit_on_error=False)
    async def run_both(self, bodies: list[dict[str, Any]],
                       betas: list[tuple[str, ...]]) -> None:
        from workbench.services.runner import RunResult
        from workbench.ui.widgets.rate_meter import warn_if_over

        client = await self.wb.wait_client()
        warn_if_over(self, bodies)  # the last reported rate limits (widgets/rate_meter.py)
        self.running = True
        self.compare_group = uuid.uuid4().hex
        results = [RunResult(body, betas=b) for body, b in zip(bodies, betas, strict=True)]
        for column, result in zip(self.columns, results, strict=True):
            column.start(result)
        self._head("streaming both sides…")
        try:
            await asyncio.gather(*(self._one(client, r) for r in results))
        finally:
            self.running = False
            self._finish(results)

    async def _one(self, client: Any, result: Any) -> None:
        from workbench.services.runner import run_stream

        try:
            await run_stream(client, result.body, result, lambda event: None,
                             betas=result.betas)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # not an API error: keep what arrived and say it
            result.status, result.error = "failed", exc

    def _flush(self) -> None:
        if self.running:
            for column in self.columns:
                column.flush()

    def _finish(self, results: list[Any]) -> None:
        from workbench.services.pricing import cost_usd
        from workbench.ui.widgets.run_stats import stats_text

        costs = []
        for column, result in zip(self.columns, results, strict=True):
            usage = result.usage()
            cost = cost_usd(result.body.get("model", ""), usage) if usage is not None else None
            costs.append(cost)
            column.finish(stats_text(result, cost), result.message)
        self._head("done · 1 or 2 marks the better reply · r runs again · Escape closes")
        self.store_runs(results, costs, self.compare_group)

    @work(thread=True, group="compare-store", exit_on_error=False)
    def store_runs(self, results: list[Any], costs: list[float | None], group: str) -> None:
        store = self.wb.store
        if store is None:
            return
        ids = []
        try:
            for result, cost in zip(results, costs, strict=True):
                ids.append(store.add_run(
                    request=result.body, message=result.message_to_store(),
                    status=result.status,
                    error=str(result.error) if result.error else None, cost_usd=cost,
                    ttft=result.ttft, duration=result.duration,
                    output_tps=result.tokens_per_second, request_id=result.request_id,
                    profile=self.wb.settings.active_profile, compare_group=group,
                    betas=result.betas, profile_betas=self.wb.settings.profile.betas,
                ))
        except Exception as exc:  # history must never break a comparison
            self.app.call_from_thread(self.notify, f"runs not saved to history: {exc}",
                                      severity="warning")
            return
        self.app.call_from_thread(self._stored, ids)

    def _stored(self, ids: list[Any]) -> None:
        for column, run_id in zip(self.columns, ids, strict=True):
            column.run_id = run_id

    def action_cancel(self) -> None:
        if self._worker is not None and self.running:
            self._worker.cancel()

    def action_prefer(self, side: int) -> None:
        column = self.columns[side - 1]
        if column.run_id is None:
            self.notify("run both sides first (r)", severity="warning")
            return
        for other in self.columns:
            other.set_class(other is column, "-preferred")
        self.save_preference(column.run_id, side)

    @work(thread=True, group="compare-prefer", exit_on_error=False)
    def save_preference(self, run_id: Any, side: int) -> None:
        store = self.wb.store
        if store is None:
            return
        try:
            store.mark_preferred(run_id)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"preference not saved: {exc}",
                                      severity="error")
            return
        self.app.call_from_thread(self.notify, f"marked {side} as the better reply")

    def action_close(self) -> None:
        self.action_cancel()
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Compare: run both", "Stream both sides at once (r)", self.action_run)
        yield SystemCommand("Compare: 1 is better", "Store the preference (1)",
                            lambda: self.action_prefer(1))
        yield SystemCommand("Compare: 2 is better", "Store the preference (2)",
                            lambda: self.action_prefer(2))
        yield SystemCommand("Compare: cancel", "Stop both streams (x)", self.action_cancel)
