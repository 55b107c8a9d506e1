"""One stored run in full: request, reply, usage, cost, timings and request-id."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.console import Group
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.format import usd
from workbench.services.request_options import betas_summary
from workbench.services.runner import ESTIMATED_MARK
from workbench.ui.widgets.history_data import (
    field_of,
    output_estimated,
    ttft_cell,
    when,
)
from workbench.ui.widgets.pane_footer import PaneFooter


def _short_key(key: str) -> str:
    """'ephemeral_5m_input_tokens' -> '5m': inside a usage group the rest is implied."""
    return str(key).removeprefix("ephemeral_").removesuffix("_input_tokens")


def readable(value: Any) -> str:
    """A stored value as a person reads it: '1,234', '5m 0 · 1h 0', 'a, b'; never a Python
    repr (a stored run holds nested dicts, e.g. usage.cache_creation)."""
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        parts = [f"{_short_key(k)} {readable(v)}" for k, v in value.items() if v is not None]
        return " · ".join(parts) or "–"
    if isinstance(value, (list, tuple)):
        return ", ".join(readable(v) for v in value) or "–"
    return str(value)


def reply_message(run: Any) -> Any:
    """The stored reply: a dict (the Message as JSON), a plain string, or None."""
    reply = field_of(run, "reply", "response", "message", default=None)
    if isinstance(reply, str):
        try:
            reply = json.loads(reply)
        except ValueError:
            return reply
    if hasattr(reply, "model_dump"):
        reply = reply.model_dump()
    return reply


def reply_text(run: Any) -> str:
    """The reply's text blocks (thinking and tool calls are shown in the JSON)."""
    reply = reply_message(run)
    if isinstance(reply, str):
        return reply
    if reply is None:
        return field_of(run, "reply_text", "text", default="") or ""
    blocks = reply.get("content", []) if isinstance(reply, dict) else []
    return "".join(b.get("text", "") for b in blocks if isinstance(b, dict)
                   and b.get("type") == "text")


class RunDetailScreen(ModalScreen[None]):
    """Read-only view of a run; `o` reopens it in the composer, `c` copies the reply."""

    CSS_PATH = "history_detail.tcss"

    BINDINGS = [
        Binding("escape", "close", "Close", id="run_detail.close"),
        Binding("o", "reopen", "Reopen in composer", id="run_detail.reopen"),
        Binding("c", "copy_reply", "Copy reply", id="run_detail.copy"),
    ]

    HELP = "## Run\nThe stored request and reply. `o` reopens it in the composer."

    def __init__(self, run: Any) -> None:
        super().__init__()
        self.run = run

    def compose(self) -> ComposeResult:
        run = self.run
        with VerticalScroll():
            yield Static(self._summary(), id="run-summary")
            yield Static("Reply", classes="run-title")
            text = reply_text(run)
            error = field_of(run, "error", default=None)
            message = reply_message(run)
            if isinstance(message, dict) and (message.get("content") or message.get(
                    "stop_reason") in ("refusal", "pause_turn")):
                from workbench.ui.widgets.block_views import message_group

                shown: Any = message_group(message)  # every block, as the composer shows it
            else:
                shown = Markdown(text) if text else Text("(no text)", style="dim")
            yield Static(shown, id="run-reply", classes="run-section")
            if error:
                yield Static(Text(f"error: {readable(error)}", style="bold red"), id="run-error")
            yield Static("Request", classes="run-title")
            request = field_of(run, "request", "request_body", default={}) or {}
            if not isinstance(request, str):
                request = json.dumps(request, indent=2, ensure_ascii=False)
            yield Static(Syntax(request, "json", theme="ansi_dark", word_wrap=True),
                         id="run-request")
        yield PaneFooter()  # keys whole, never cut

    def _summary(self) -> Group:
        run = self.run
        usage = field_of(run, "usage", default={}) or {}
        if hasattr(usage, "model_dump"):
            usage = usage.model_dump()
        head = Text()
        head.append(f"run {field_of(run, 'id', 'run_id')}  ", style="bold")
        head.append(f"{readable(field_of(run, 'model', default=''))}  ")
        head.append(f"{readable(field_of(run, 'status', default=''))}", style="bold")
        head.append(f"   {when(field_of(run, 'created_at', 'started_at'))}")
        lines = [head]
        estimated = output_estimated(run)
        parts = []
        for k, v in usage.items() if isinstance(usage, dict) else []:
            if v is None or k == ESTIMATED_MARK:
                continue
            shown = readable(v)
            if k == "output_tokens" and estimated:  # the composer's wording for a cut-short run
                shown = f"~{shown} (estimated)"
            parts.append(f"{k}: {shown}")
        lines.append(Text("usage  " + ("  ".join(parts) or "–")))
        tps = field_of(run, "tokens_per_second", "tps")
        approx = "~" if estimated else ""  # counted from an estimated output
        lines.append(Text(
            f"cost {usd(field_of(run, 'cost_usd', 'cost'))}  ·  TTFT "
            f"{ttft_cell(field_of(run, 'ttft'))}  ·  duration "
            f"{ttft_cell(field_of(run, 'duration'))}  ·  "
            f"{'–' if tps is None else f'{approx}{float(tps):.1f}'} tokens/s"
        ))
        lines.append(Text(f"request-id {readable(field_of(run, 'request_id'))}  ·  profile "
                          f"{readable(field_of(run, 'profile'))}", style="dim"))
        betas = betas_summary(run) if isinstance(run, dict) else ""
        if betas:  # headers, not in the request body below
            lines.append(Text(f"anthropic-beta {betas}"))
        return Group(*lines)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reopen(self) -> None:
        from workbench.ui.screens.history import reopen_run

        self.dismiss(None)
        reopen_run(self.app, self.run)

    def action_copy_reply(self) -> None:
        from workbench.ui.widgets.clipboard import copy_text

        copy_text(self.app, reply_text(self.run), "reply")

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Run: reopen in composer", "Load this run's request (o)",
                            self.action_reopen)
        yield SystemCommand("Run: copy reply", "Copy the reply text (c)", self.action_copy_reply)
