"""Small dialogs the composer opens: variable values, a one-line answer, and the inspector."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TabbedContent, TabPane, TextArea

from workbench.safe_text import clean
from workbench.ui.plain import plain, scrub_shown
from workbench.ui.widgets.clipboard import copy_text
from workbench.ui.widgets.find_bar import FindKeys, find_keys
from workbench.ui.widgets.find_marks import FindTextArea
from workbench.ui.widgets.ordered_keys import OrderedInput
from workbench.ui.widgets.ordered_text_area import OrderedTextArea

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


def cell_text(value: Any) -> str:
    """A dataset cell as a variable's text (JSONL values may be numbers, lists, objects)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def dataset_row(path: str, number: int) -> dict[str, Any]:
    """Row `number` (1 = the first data row) of a CSV or JSONL file, read only that far.

    Raises `DatasetError` naming the row: a bad row on the way, or too few rows.
    """
    from workbench.services.datasets import DatasetError, read_rows

    if number < 1:
        raise DatasetError(f"row {number}: rows are numbered from 1")
    count = 0
    for count, row in enumerate(read_rows(os.path.expanduser(path.strip())), 1):
        if count == number:
            return row
    raise DatasetError(f"row {number}: the dataset has only {count} row{'s' * (count != 1)}")


class VariablesScreen(ModalScreen[dict[str, str] | None]):
    """Ask a value for each `{{variable}}`, or take them from a dataset row; remembers the
    last values and the last dataset."""

    HELP = """
## Variables
Type a value for each `{{variable}}`, or fill them all from one row of a dataset: a CSV file
with a header row (column names = variable names) or a JSONL file of objects. Give the path and
the row number (1 = the first data row) and press **Fill** (or enter). Then **Run**.
"""
    # The variables scroll; what else the dialog holds stays in view down to 80x24 (at 24 rows
    # the margins go, and fewer variables show at a time).
    DEFAULT_CSS = MODAL_CSS.format(name="VariablesScreen") + """
    VariablesScreen VerticalScroll { height: auto; max-height: 18; }
    VariablesScreen .dataset { height: auto; margin-top: 1; }
    VariablesScreen .dataset Label { width: auto; margin: 1 1 0 1; }
    VariablesScreen #dataset-path { width: 1fr; }
    VariablesScreen #dataset-row { width: 10; }
    VariablesScreen #fill { width: auto; min-width: 8; margin-left: 1; }
    VariablesScreen .note { color: $text-muted; margin-top: 1; }
    VariablesScreen.-medium VerticalScroll { max-height: 12; }
    VariablesScreen.-short VerticalScroll { max-height: 8; }
    VariablesScreen.-short > Vertical { padding: 0 2; }
    VariablesScreen.-short .title { margin-bottom: 0; }
    VariablesScreen.-short .note { margin-top: 0; }
    VariablesScreen.-short .dataset { margin-top: 0; }
    VariablesScreen.-short .buttons { margin-top: 0; }
    """
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-medium"), (40, "-tall")]
    AUTO_FOCUS = "Input"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="variables.cancel")]

    def __init__(self, names: list[str], values: dict[str, str], *, dataset_path: str = "",
                 dataset_row: int = 1) -> None:
        super().__init__()
        self.names = names
        self.values = values
        self.dataset_path = dataset_path
        self.dataset_row = dataset_row

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Values for this run's {{variables}}", classes="title")
            with VerticalScroll():
                for i, name in enumerate(self.names):
                    yield Label(plain(f"{{{{{name}}}}}", False))
                    # By position: variable names may hold '.' or '-', which ids may not.
                    yield OrderedInput(self.values.get(name, ""), id=f"var-{i}", classes="var",
                                placeholder=f"value for {name}")
            yield Static("or from a dataset row (CSV with a header, or JSONL):", classes="note")
            with Horizontal(classes="dataset"):
                yield OrderedInput(self.dataset_path, id="dataset-path",
                            placeholder="path to a .csv or .jsonl file")
                yield Label("row")
                yield OrderedInput(str(self.dataset_row), id="dataset-row", type="integer")
                yield Button("Fill", id="fill")
            yield Static("", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Run", id="ok", variant="primary")

    def _input(self, name: str) -> Input:
        return self.query_one(f"#var-{self.names.index(name)}", Input)

    def _error(self, text: str) -> None:
        self.query_one(".error", Static).update(plain(text))

    @on(Input.Submitted, ".var")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        values = {n: self._input(n).value for n in self.names}
        empty = [n for n, v in values.items() if not v]
        if empty:
            self._error(f"missing: {', '.join(empty)}")
            self._input(empty[0]).focus()
            return
        self.dismiss(values)

    @on(Input.Submitted, "#dataset-path, #dataset-row")
    @on(Button.Pressed, "#fill")
    def action_fill(self) -> None:
        path = self.query_one("#dataset-path", Input).value.strip()
        row_text = self.query_one("#dataset-row", Input).value.strip()
        if not path:
            self._error("give the dataset's path first")
            self.query_one("#dataset-path", Input).focus()
            return
        try:
            number = int(row_text or "1")
        except ValueError:
            self._error(f"row {row_text!r}: give a row number (1 = the first data row)")
            return
        self.dataset_path, self.dataset_row = path, number
        self._error(f"reading row {number}…")
        self.read_row(path, number)

    @work(thread=True, exclusive=True, group="dataset-row", exit_on_error=False)
    def read_row(self, path: str, number: int) -> None:
        """A thread: the file may be large, and only read as far as the row."""
        from workbench.services.datasets import DatasetError

        try:
            row = dataset_row(path, number)
        except (DatasetError, OSError, UnicodeDecodeError) as exc:
            text = str(exc)  # the datasets service names the path itself ("data: is a folder")
            self.app.call_from_thread(self._error, text if text.startswith(str(path))
                                      else f"{path}: {text}")
            return
        self.app.call_from_thread(self._fill, number, row)

    def _fill(self, number: int, row: dict[str, Any]) -> None:
        missing = [n for n in self.names if n not in row]
        for name in self.names:
            if name in row:
                self._input(name).value = cell_text(row[name])
        if missing:
            columns = ", ".join(row) or "none"
            self._error(f"row {number} has no value for {', '.join(missing)} "
                        f"(its columns: {columns})")
            self._input(missing[0]).focus()
        else:
            self._error("")
            self.query_one("#ok", Button).focus()
        self.notify(f"filled from row {number} of {self.dataset_path}")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_variables(app: Any, session: Any, names: list[str],
                  then: Callable[[dict[str, str]], None]) -> None:
    """The variables dialog filled with the session's values (and dataset row) used last;
    `then` gets every value once all are given. The composer, compare and code export ask
    through here, so all three fill `{{variables}}` from one memory."""
    session.recall()  # this prompt's values, remembered across restarts
    path, row = session.dataset
    screen = VariablesScreen(names, session.variables, dataset_path=path, dataset_row=row)

    def with_values(values: dict[str, str] | None) -> None:
        session.remember(values, (screen.dataset_path, screen.dataset_row))
        if values is not None:
            then(dict(session.variables))

    app.push_screen(screen, with_values)


class AskScreen(ModalScreen[str | None]):
    """One question, one answer (a path to attach, a tool result, ...).

    With `check`, an answer it finds wrong (it returns why) keeps the dialog open with the
    reason shown under the field and the answer as typed: closing on a typo lost it."""

    DEFAULT_CSS = MODAL_CSS.format(name="AskScreen") + """
    AskScreen TextArea { height: 8; }
    AskScreen .error { height: auto; margin-top: 1; }
    AskScreen .error.-empty { display: none; }
    """
    AUTO_FOCUS = "#answer"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel"),
                Binding("ctrl+s", "ok", "Done", id="ask.ok", priority=True)]

    def __init__(self, title: str, placeholder: str = "", *, multiline: bool = False,
                 value: str = "", check: Callable[[str], str | None] | None = None,
                 path: bool = False, error: str = "") -> None:
        """`path`: the field completes local paths (Tab); `error`: shown from the start
        (e.g. why the last answer could not be used)."""
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.multiline = multiline
        self.value = value
        self.check = check
        self.path = path
        self.error = error
        self._wrong = value if error else None  # the answer the error is about

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text), classes="title")
            if self.multiline:
                yield OrderedTextArea(self.value, id="answer")
                yield Static("ctrl+s to finish", classes="hint")
            elif self.path:
                from workbench.ui.widgets.path_input import PathInput

                yield PathInput(self.value, placeholder=self.placeholder, id="answer")
            else:
                yield OrderedInput(self.value, placeholder=self.placeholder, id="answer")
            yield Static(plain(self.error), classes="error" if self.error else "error -empty")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("OK", id="ok", variant="primary")

    def show_error(self, text: str) -> None:
        """The reason under the field (empty: hidden)."""
        self.error = text
        error = self.query_one(".error", Static)
        error.update(plain(text))
        error.set_class(not text, "-empty")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        widget = self.query_one("#answer")
        value = widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]
        try:
            problem = self.check(value) if self.check is not None else None
        except (OSError, RuntimeError, ValueError) as exc:  # e.g. a name over 255 bytes
            problem = f"cannot use that path: {getattr(exc, 'strerror', None) or exc}"
        if problem:
            self._wrong = value
            self.show_error(problem)
            widget.focus()
            return
        self.dismiss(value)

    @on(Input.Changed, "#answer")
    def _edited(self, event: Input.Changed) -> None:
        """The error was about the answer as it was: editing it puts the error away."""
        if self.error and event.value != self._wrong:
            self.show_error("")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class PickScreen(ModalScreen[int | None]):
    """Choose one of a few labelled items (e.g. which skill to remove); returns its index."""

    DEFAULT_CSS = MODAL_CSS.format(name="PickScreen") + """
    PickScreen OptionList { height: auto; max-height: 12; }
    PickScreen .hint { color: $text-muted; margin-top: 1; }
    """
    AUTO_FOCUS = "OptionList"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]

    def __init__(self, title: str, labels: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.labels = labels

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList

        with Vertical():
            yield Static(plain(self.title_text), classes="title")
            yield OptionList(*(plain(label, False) for label in self.labels))
            yield Static("enter chooses · esc cancels", classes="hint")

    def on_option_list_option_selected(self, event: Any) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)


def exchange_request_json(exchange: Any) -> str:
    try:
        return json.dumps(json.loads(exchange.request_body or "null"), indent=2)
    except ValueError:
        return exchange.request_body or ""


EVENT_DATA_SHOWN = 160  # characters of each event's data on screen (a copy has them all)
EVENTS_SHOWN = 2000  # events on screen (a copy has them all)


def limits_text(headers: Any) -> str:
    import time

    from workbench.services.ratelimits import lines, parse

    return "\n".join(lines(parse(headers or {}), time.time())) or "no rate limits reported"


class InspectorScreen(FindKeys, ModalScreen[None]):
    """The wire of the last run: request JSON, response headers, SSE events, retries."""

    DEFAULT_CSS = MODAL_CSS.format(name="InspectorScreen") + """
    InspectorScreen > Vertical { height: 90%; max-width: 140; }
    InspectorScreen TabbedContent { height: 1fr; }
    InspectorScreen TextArea { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "dismiss_screen", "Close", id="inspector.close"),
        Binding("c", "copy_tab", "Copy this tab", id="inspector.copy"),
        Binding("slash,ctrl+f", "find", "Find", id="inspector.find"),
        *find_keys("inspector", escape=False),
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
        events = self.events_text(cut=EVENT_DATA_SHOWN, most=EVENTS_SHOWN)
        retries = "\n".join(f"attempt {r.attempt}: {r.reason}, waited {r.delay:.2f} s"
                            for r in ex.retries) or "no retries"
        tabs = {
            "Request": "\n".join(head) + "\n\n" + request_headers + "\n\n"
            + exchange_request_json(ex),
            "Response": f"status {ex.status}\n\n{response_headers}\n\n{self.response_json}",
            "Events": events or "(not a stream)",
            "Retries": retries,
            "Limits": limits_text(ex.response_headers),  # rate limits (services/ratelimits)
        }  # a server may echo the key or send escape sequences: neither is shown
        return {k: clean(scrub_shown(self.app, v), multiline=True) for k, v in tabs.items()}

    def events_text(self, *, cut: int | None = None, most: int | None = None) -> str:
        """One line per SSE event: its time, name and data. `cut` shortens long data (shown
        with …) and `most` caps the count, for the screen only: a copy gets them whole."""
        ex = self.exchange
        lines = []
        for t, name, data in ex.events[:most]:
            if cut is not None and len(data) > cut:
                data = data[:cut] + f"… ({len(data):,} chars; c copies them whole)"
            lines.append(f"+{1000 * (t - ex.sent_at):8.1f} ms  {name:<20} {data}")
        if most is not None and len(ex.events) > most:
            lines.append(f"… {len(ex.events) - most:,} more events (c copies them all)")
        return scrub_shown(self.app, "\n".join(lines))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Inspector  (c copies the tab, esc closes)", style="bold"),
                         classes="title")
            with TabbedContent():
                for title, body in self.tabs().items():
                    with TabPane(title, id=f"tab-{title.lower()}"):
                        yield FindTextArea(body, read_only=True, language="json"
                                           if title == "Request" else None)

    def action_copy_tab(self) -> None:
        active = self.query_one(TabbedContent).active
        pane = self.query_one(f"#{active}", TabPane)
        text = pane.query_one(TextArea).text
        if active == "tab-events" and self.exchange.events:
            text = self.events_text()  # the screen shows them cut; the copy is whole
        copy_text(self.app, text, active.removeprefix("tab-"))

    def action_find(self) -> None:
        """In the shown tab's text (read-only, so `/` is free): the find bar at its bottom."""
        from workbench.ui.screens.find import open_find

        active = self.query_one(TabbedContent).active
        pane = self.query_one(f"#{active}", TabPane)
        area = pane.query_one(TextArea)
        open_find(pane, f"the {active.removeprefix('tab-')} tab", lambda: [area], view=area)

    def action_dismiss_screen(self) -> None:
        if (bar := self.find_bar()) is not None:  # esc in the text closes find first
            bar.action_close()
            return
        self.dismiss(None)
