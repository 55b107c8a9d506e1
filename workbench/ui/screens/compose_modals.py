"""Small dialogs the composer opens: variable values, a one-line answer, and the inspector."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TabbedContent, TabPane, TextArea

from workbench.ui.widgets.clipboard import copy_text

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 80%; max-width: 110; height: auto; max-height: 90%;
    background: $surface; border: round $primary; padding: 1 2;
}}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .buttons {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} .buttons Button {{ margin-left: 1; }}
{name} .error {{ color: $error; }}
"""


class VariablesScreen(ModalScreen[dict[str, str] | None]):
    """Ask a value for each `{{variable}}`; remembers the last values."""

    DEFAULT_CSS = MODAL_CSS.format(name="VariablesScreen")
    AUTO_FOCUS = "Input"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="variables.cancel")]

    def __init__(self, names: list[str], values: dict[str, str]) -> None:
        super().__init__()
        self.names = names
        self.values = values

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Values for this run's {{variables}}", classes="title")
            with VerticalScroll():
                for name in self.names:
                    yield Label(f"{{{{{name}}}}}")
                    yield Input(self.values.get(name, ""), id=f"var-{name}",
                                placeholder=f"value for {name}")
            yield Static("", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Run", id="ok", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        values = {n: self.query_one(f"#var-{n}", Input).value for n in self.names}
        empty = [n for n, v in values.items() if not v]
        if empty:
            self.query_one(".error", Static).update(f"missing: {', '.join(empty)}")
            self.query_one(f"#var-{empty[0]}", Input).focus()
            return
        self.dismiss(values)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class AskScreen(ModalScreen[str | None]):
    """One question, one answer (a path to attach, a tool result, ...)."""

    DEFAULT_CSS = MODAL_CSS.format(name="AskScreen") + """
    AskScreen TextArea { height: 8; }
    """
    AUTO_FOCUS = "#answer"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel"),
                Binding("ctrl+s", "ok", "Done", id="ask.ok", priority=True)]

    def __init__(self, title: str, placeholder: str = "", *, multiline: bool = False,
                 value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.multiline = multiline
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title")
            if self.multiline:
                yield TextArea(self.value, id="answer")
                yield Static("ctrl+s to finish", classes="hint")
            else:
                yield Input(self.value, placeholder=self.placeholder, id="answer")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("OK", id="ok", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        widget = self.query_one("#answer")
        value = widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def exchange_request_json(exchange: Any) -> str:
    try:
        return json.dumps(json.loads(exchange.request_body or "null"), indent=2)
    except ValueError:
        return exchange.request_body or ""


class InspectorScreen(ModalScreen[None]):
    """The wire of the last run: request JSON, response headers, SSE events, retries."""

    DEFAULT_CSS = MODAL_CSS.format(name="InspectorScreen") + """
    InspectorScreen > Vertical { height: 90%; max-width: 140; }
    InspectorScreen TabbedContent { height: 1fr; }
    InspectorScreen TextArea { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "dismiss_screen", "Close", id="inspector.close"),
        Binding("c", "copy_tab", "Copy this tab", id="inspector.copy"),
    ]

    def __init__(self, exchange: Any, response_json: str = "") -> None:
        super().__init__()
        self.exchange = exchange
        self.response_json = response_json

    def tabs(self) -> dict[str, str]:
        ex = self.exchange
        head = [f"{ex.method} {ex.url}", f"status {ex.status}"]
        if ex.error:
            head.append(f"error: {ex.error}")
        timing = []
        if ex.first_byte_at is not None:
            timing.append(f"first byte {1000 * (ex.first_byte_at - ex.sent_at):.0f} ms")
        if ex.done_at is not None:
            timing.append(f"done {1000 * (ex.done_at - ex.sent_at):.0f} ms")
        head.append(" · ".join(timing))
        request_headers = "\n".join(f"{k}: {v}" for k, v in ex.request_headers.items())
        response_headers = "\n".join(f"{k}: {v}" for k, v in ex.response_headers.items())
        events = "\n".join(f"+{1000 * (t - ex.sent_at):8.1f} ms  {name:<20} {data[:160]}"
                           for t, name, data in ex.events[:2000])
        if len(ex.events) > 2000:
            events += f"\n… {len(ex.events) - 2000:,} more events"
        retries = "\n".join(f"attempt {r.attempt}: {r.reason}, waited {r.delay:.2f} s"
                            for r in ex.retries) or "no retries"
        return {
            "Request": "\n".join(head) + "\n\n" + request_headers + "\n\n"
            + exchange_request_json(ex),
            "Response": f"status {ex.status}\n\n{response_headers}\n\n{self.response_json}",
            "Events": events or "(not a stream)",
            "Retries": retries,
        }

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Inspector  (c copies the tab, esc closes)", style="bold"),
                         classes="title")
            with TabbedContent():
                for title, body in self.tabs().items():
                    with TabPane(title, id=f"tab-{title.lower()}"):
                        yield TextArea(body, read_only=True, language="json"
                                       if title == "Request" else None)

    def action_copy_tab(self) -> None:
        active = self.query_one(TabbedContent).active
        pane = self.query_one(f"#{active}", TabPane)
        copy_text(self.app, pane.query_one(TextArea).text, active.removeprefix("tab-"))

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
