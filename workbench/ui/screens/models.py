"""The models picker: the Models API, cached per profile, fuzzy search, capabilities, and
prices per million tokens (our price table: the API does not report prices)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from workbench.api.platforms.capabilities import offers
from workbench.services.model_cache import fuzzy_score
from workbench.services.pricing import price_lines, price_text
from workbench.ui import messages as m
from workbench.ui.plain import plain
from workbench.ui.screens.base import NARROW, WorkbenchScreen
from workbench.ui.widgets.flex_table import FlexTable, cell
from workbench.ui.widgets.ordered_keys import OrderedInput

WIDE = 140  # columns: from here every column shows
# The ids stay whole; what gives way as the terminal narrows (the detail panel shows it all):
# the max output (the detail shows it), the lifecycle below WIDE (the id is coloured by it),
# then the name, the release date and context; the prices stay.
COLUMNS = ("Name", "ID", "Released", "Lifecycle", "Context", "Max out", "$/MTok")
SHOWN = {"wide": set(COLUMNS) - {"Max out"}, "medium": set(COLUMNS) - {"Max out", "Lifecycle"},
         "narrow": {"ID", "$/MTok"}}  # input / output USD per million tokens
LIFECYCLE_STYLE = {"deprecated": "yellow", "retired": "red"}


def width_class(width: int) -> str:
    return "wide" if width >= WIDE else "medium" if width >= NARROW else "narrow"


def _short(n: int | None) -> str:
    if not n:
        return "?"
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}K"


def _capabilities(caps: dict[str, Any] | None) -> list[str]:
    if not caps:
        return ["capabilities not reported"]
    lines = []
    for name in ("image_input", "pdf_input", "citations", "code_execution", "batch",
                 "structured_outputs"):
        ok = (caps.get(name) or {}).get("supported")
        lines.append(f"{'✓' if ok else '·'} {name.replace('_', ' ')}")
    thinking = caps.get("thinking") or {}
    types = [k for k, v in (thinking.get("types") or {}).items() if v.get("supported")]
    lines.append(f"{'✓' if thinking.get('supported') else '·'} thinking: {', '.join(types) or '-'}")
    effort = caps.get("effort") or {}
    levels = [k for k, v in effort.items() if isinstance(v, dict) and v.get("supported")]
    lines.append(f"{'✓' if effort.get('supported') else '·'} effort: {', '.join(levels) or '-'}")
    return lines


class ModelsScreen(WorkbenchScreen):
    MODE = "models"
    AUTO_FOCUS = "#model-search"
    HELP = """
## Models
Every model the Models API lists for this profile, cached so it opens instantly.
Type to fuzzy-search by id or display name; **enter** picks the highlighted model for the
composer; **ctrl+r** refreshes from the API. Deprecated models are marked, retired ones
cannot be picked.
"""
    BINDINGS = [
        Binding("ctrl+r", "refresh", "Refresh", id="models.refresh", priority=True),
        Binding("enter", "pick", "Pick model", id="models.pick", priority=True),
        Binding("down", "cursor(1)", "Next", id="models.down", show=False, priority=True),
        Binding("up", "cursor(-1)", "Previous", id="models.up", show=False, priority=True),
    ]
    CSS_PATH = "models.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.models: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="models-body"):
            with Vertical(id="models-left"):
                yield OrderedInput(placeholder="search (fuzzy: id or name)", id="model-search")
                yield Static("loading…", id="models-status")
                yield FlexTable(id="models-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="model-detail")

    def on_mount(self) -> None:
        self.load_models()

    @work(exclusive=True, group="models", exit_on_error=False)
    async def load_models(self, refresh: bool = False) -> None:
        import asyncio

        from workbench.api.errors import APIError
        from workbench.services import model_cache

        profile = self.wb.settings.active_profile
        if not refresh:
            cached = await asyncio.to_thread(model_cache.load, profile)
            if cached:
                self._set_models(cached, "cached · refreshing…")
        client = await self.wb.wait_client()
        if client.platform != "anthropic" and not offers(client.platform, "models"):
            # a cloud without a Models API: the Claude API's cached lists, mapped; or a typed id
            from workbench.services.platforms import platform_models

            self._set_models(*await asyncio.to_thread(platform_models, self.wb.settings,
                                                      client.platform))
            return
        try:
            infos = await client.models.list_all()
        except APIError as exc:
            self.notify(f"could not list models: {exc}", severity="error", timeout=8)
            self._status(f"offline: showing {len(self.models)} cached models" if self.models
                         else "could not load models")
            return
        models = [i.model_dump(mode="json") for i in infos]
        await asyncio.to_thread(model_cache.save, profile, models)
        host = client.base_url.split("://", 1)[-1]
        self._set_models(models, f"{len(models)} models from {host}")

    def _status(self, text: str) -> None:
        self.query_one("#models-status", Static).update(plain(text))

    def _set_models(self, models: list[dict[str, Any]], status: str) -> None:
        self.models = models
        self._status(status)
        self.filter(self.query_one("#model-search", Input).value)

    @on(Input.Changed, "#model-search")
    def _search(self, event: Input.Changed) -> None:
        self.filter(event.value)

    def filter(self, query: str) -> None:
        scored = []
        for i, model in enumerate(self.models):
            score = max((s for s in (fuzzy_score(query, model["id"]),
                                     fuzzy_score(query, model.get("display_name") or ""))
                         if s is not None), default=None)
            if score is not None:
                scored.append((-score if query else i, model))
        scored.sort(key=lambda pair: pair[0])
        self.shown = [model for _, model in scored]
        table = self.query_one(DataTable)
        table.clear(columns=True)  # widths fit the rows shown now
        self._shown = width_class(self.app.size.width)
        self.query_one("#model-detail").set_class(self._shown == "medium", "-medium")
        shown = [c for c in COLUMNS if c in SHOWN[self._shown]]
        for label in shown:
            table.add_column(label, key=label)
        table.flex(Name=8)
        for model in self.shown:
            life = model.get("lifecycle") or ""
            style = LIFECYCLE_STYLE.get(life, "")
            cells = {"Name": cell(model.get("display_name")),
                     "ID": Text(model["id"], style=style if "Lifecycle" not in shown else ""),
                     "Released": (model.get("created_at") or "")[:10],
                     "Lifecycle": Text(life, style=style),
                     "Context": _short(model.get("max_input_tokens")),
                     "Max out": _short(model.get("max_tokens")),
                     "$/MTok": price_text(model["id"])}
            table.add_row(*(cells[c] for c in shown), key=model["id"])
        self._show_detail()

    _shown = ""

    def on_fitted(self, narrow: bool) -> None:
        if self.models and width_class(self.app.size.width) != self._shown:
            keep = self.highlighted()
            self.filter(self.query_one("#model-search", Input).value)
            if keep is not None and keep in self.shown:
                self.query_one(DataTable).move_cursor(row=self.shown.index(keep))

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        model = self.highlighted()
        detail = self.query_one("#model-detail", Static)
        if model is None:
            detail.update("no model matches" if self.models else "")
            return
        text = Text()
        text.append(f"{model.get('display_name')}\n", style="bold")
        text.append(f"{model['id']}\n\n", style="dim")
        text.append(f"released   {(model.get('created_at') or '?')[:10]}\n")
        text.append(f"lifecycle  {model.get('lifecycle')}\n")
        if model.get("retires_at"):
            text.append(f"retires    {model['retires_at'][:10]}\n", style="yellow")
        text.append(f"context    {model.get('max_input_tokens') or '?':,}\n"
                    if model.get("max_input_tokens") else "context    ?\n")
        text.append(f"max output {model.get('max_tokens') or 0:,}\n\n")
        for line in price_lines(model["id"]):  # USD per million tokens (data/prices.json)
            text.append(line + "\n")
        text.append("\n")
        for line in _capabilities(model.get("capabilities")):
            text.append(line + "\n", style="green" if line.startswith("✓") else "dim")
        detail.update(text)

    def highlighted(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, min(len(self.shown) - 1, table.cursor_row + step)))

    def action_pick(self) -> None:
        model = self.highlighted()
        typed = self.query_one("#model-search", Input).value.strip()
        client = self.wb.client
        if model is None and typed and client is not None and client.platform != "anthropic":
            self.post_message(m.ModelChosen(typed, None))  # a cloud's own id, sent as typed
            return
        if model is None:
            return
        if model.get("lifecycle") == "retired":
            self.notify(f"{model['id']} is retired and cannot be used", severity="error")
            return
        self.post_message(m.ModelChosen(model["id"], model))

    def action_refresh(self) -> None:
        self._status("refreshing…")
        self.load_models(refresh=True)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Refresh models", "Reload the models list from the API",
                            self.action_refresh)
        yield SystemCommand("Pick highlighted model", "Use it in the composer", self.action_pick)
