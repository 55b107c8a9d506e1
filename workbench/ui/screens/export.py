"""Code export (curl / Python / TypeScript for the composer's request) and curl import.

Both are modal screens pushed over the composer (ctrl+e, ctrl+g or the palette). Export never
puts the key in the code: the snippets read ANTHROPIC_API_KEY. A request with `{{variables}}`
still in it is named above the code (a run would ask for them; code would send them as written),
and `f` fills them with the composer's variables dialog.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, Switch, Tab, Tabs, TextArea

from workbench.ui import messages as m
from workbench.ui.plain import plain
from workbench.ui.widgets.code_view import FORMATS, CodeView, generate
from workbench.ui.widgets.ordered_keys import OrderedInput
from workbench.ui.widgets.pane_footer import PaneFooter

DEFAULT_BASE_URL = "https://api.anthropic.com"


class ExportScreen(ModalScreen[None]):
    """The composer's request as code, with highlighting; copy with one key or save to a file."""

    CSS_PATH = "export.tcss"

    BINDINGS = [
        Binding("escape", "close", "Close", id="export.close"),
        Binding("c", "copy", "Copy", id="export.copy"),
        Binding("w", "save", "Save to file", id="export.save"),
        Binding("s", "toggle_stream", "Streaming", id="export.stream"),
        Binding("f", "fill_variables", "Fill variables", id="export.fill"),
        Binding("1", "format('curl')", "curl", id="export.curl", show=False),
        Binding("2", "format('python')", "Python", id="export.python", show=False),
        Binding("3", "format('typescript')", "TypeScript", id="export.typescript", show=False),
        # From the code too, not only once the tab strip has the focus (a text field keeps them)
        Binding("left", "step_format(-1)", "Previous format", id="export.previous", show=False,
                priority=True),
        Binding("right", "step_format(1)", "Next format", id="export.next", show=False,
                priority=True),
    ]

    def __init__(self, draft: Any) -> None:
        super().__init__()
        self.draft = draft
        self.fmt = "curl"
        self.values: dict[str, str] = {}  # filled with `f`; the code then uses them
        self.unfilled: list[str] = []  # {{variables}} the shown code still holds

    @property
    def wb(self) -> Any:
        return self.app

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            with Horizontal(id="export-head"):
                yield Tabs(*(Tab(label, id=f"fmt-{key}") for key, (label, *_) in FORMATS.items()))
                with Horizontal(id="stream-box"):
                    yield Label("stream")
                    yield Switch(False, id="stream")
            yield Static(id="export-warning")
            yield CodeView(id="code")
            yield Static(id="export-note")
            yield OrderedInput(placeholder="save to path (Enter to write, Escape to cancel)",
                               id="save-path")
        yield PaneFooter()  # keys whole, never cut

    def on_mount(self) -> None:
        self.render_code()
        self.query_one(CodeView).focus()

    # --- code -------------------------------------------------------------------------------
    def _base_url(self) -> str | None:
        settings = self.wb.settings
        url = settings.base_url
        if settings.demo and getattr(self.wb, "client", None) is not None:
            url = self.wb.client.base_url
        return None if url.rstrip("/") == DEFAULT_BASE_URL else url

    def render_code(self) -> None:
        from workbench.services.draft import DraftError

        view = self.query_one(CodeView)
        label, name, lexer, _ = FORMATS[self.fmt]
        stream = self.query_one("#stream", Switch).value
        try:
            body = self._body()
            code = generate(name, body, stream=stream, base_url=self._base_url(),
                            api_version=self.wb.settings.api_version,
                            betas=getattr(self.draft, "betas", []),
                            platform=export_target(self.wb))
        except (DraftError, ValueError) as exc:
            view.show_error(f"cannot export this request: {exc}")
            return
        self._show_warning()
        view.show(code, lexer)
        note = f"{label} · {'streaming' if stream else 'not streaming'} · key from $ANTHROPIC_API_KEY"
        if self._base_url():
            note += f" · base URL {self._base_url()}"
        if self.values and not self.unfilled:
            note += " · variables filled in"
        self.query_one("#export-note", Static).update(plain(note))

    def _body(self) -> dict[str, Any]:
        """The request, with the variables filled so far; `unfilled` names the rest."""
        from workbench.services.templates import body_variables, render

        body = self.draft.to_request(self.wb.settings.api_version)
        names = body_variables(body)
        self.unfilled = [n for n in names if n not in self.values]
        if names and not self.unfilled:
            body = render(body, self.values)
        return body

    def _show_warning(self) -> None:
        warning = self.query_one("#export-warning", Static)
        names = ", ".join("{{" + n + "}}" for n in self.unfilled)
        plural = "s" if len(self.unfilled) > 1 else ""
        warning.update(plain(f"⚠ unfilled variable{plural} {names}: the code sends them as written. "
                       f"f fills them in; copy or save exports as it is." if self.unfilled else ""))
        warning.set_class(bool(self.unfilled), "-shown")
        self.refresh_bindings()

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        if event.tab.id:
            self.fmt = event.tab.id.removeprefix("fmt-")
            self.render_code()

    @on(Switch.Changed, "#stream")
    def _stream(self) -> None:
        self.render_code()

    # --- actions ----------------------------------------------------------------------------
    def action_format(self, fmt: str) -> None:
        self.query_one(Tabs).active = f"fmt-{fmt}"

    def action_toggle_stream(self) -> None:
        switch = self.query_one("#stream", Switch)
        switch.value = not switch.value

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "fill_variables":
            return bool(self.unfilled)
        if action == "step_format":
            return not isinstance(self.focused, (Input, TextArea))
        return True

    def action_step_format(self, step: int) -> None:
        keys = list(FORMATS)
        current = str(self.query_one(Tabs).active).removeprefix("fmt-")
        index = keys.index(current) if current in keys else 0
        self.action_format(keys[(index + step) % len(keys)])

    def action_fill_variables(self) -> None:
        """The composer's variables dialog (its remembered values filled in), then the code with
        them; over another screen, the dialog alone."""
        if not self.unfilled:
            self.notify("this request has no {{variables}} to fill")
            return
        from workbench.services.templates import body_variables

        names = body_variables(self.draft.to_request(self.wb.settings.api_version))

        def filled(values: dict[str, str] | None) -> None:
            if values is not None:
                self.values = dict(values)
                self.render_code()

        from workbench.ui.screens.compose_modals import ask_variables

        ask_variables(self.app, self.wb.composer, names, filled)

    def action_copy(self) -> None:
        code = self.query_one(CodeView).code
        if not code:
            self.notify("nothing to copy", severity="warning")
            return
        from workbench.ui.widgets.clipboard import copy_text

        copy_text(self.app, code, f"{FORMATS[self.fmt][0]} code")

    def action_save(self) -> None:
        box = self.query_one("#save-path", Input)
        if not box.value:
            box.value = f"request{FORMATS[self.fmt][3]}"
        box.add_class("-shown")
        box.focus()

    def action_close(self) -> None:
        box = self.query_one("#save-path", Input)
        if box.has_class("-shown"):
            box.remove_class("-shown")
            self.query_one(CodeView).focus()
            return
        self.dismiss(None)

    @on(Input.Submitted, "#save-path")
    def _save_submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if path:
            self.write_file(Path(os.path.expanduser(path)), self.query_one(CodeView).code)
        event.input.remove_class("-shown")
        self.query_one(CodeView).focus()

    @work(thread=True, group="export-save", exit_on_error=False)
    def write_file(self, path: Path, code: str) -> None:
        try:
            path.write_text(code, encoding="utf-8")
        except OSError as exc:
            self.app.call_from_thread(self.notify, f"could not save {path}: {exc.strerror or exc}",
                                      severity="error")
            return
        self.app.call_from_thread(self.notify, f"saved {path}")

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Copy code", "Copy the shown code (c)", self.action_copy)
        yield SystemCommand("Save code to file", "Write the shown code to a path (w)",
                            self.action_save)
        yield SystemCommand("Toggle streaming code", "Streaming or not (s)",
                            self.action_toggle_stream)
        if self.unfilled:
            yield SystemCommand("Fill variables", "Fill the {{variables}} in the code (f)",
                                self.action_fill_variables)
        for key, (label, *_) in FORMATS.items():
            yield SystemCommand(f"Show {label} code", f"Switch to {label}",
                                lambda key=key: self.action_format(key))


class ImportCurlScreen(ModalScreen[None]):
    """Paste a curl command for /v1/messages; Import fills the composer or shows what failed."""

    CSS_PATH = "export.tcss"

    BINDINGS = [
        Binding("escape", "close", "Close", id="import_curl.close"),
        Binding("ctrl+r", "import", "Import", id="import_curl.import"),
    ]

    HELP = """
## Import curl
Paste a `curl` command for `/v1/messages` (as in the API docs: `-H`/`--header`,
`-d`/`--data`, line continuations, single or double quotes). `ctrl+r` imports it into the
composer; if it cannot be read, the reason is shown here.
"""

    def compose(self) -> ComposeResult:
        with Vertical(id="curl-box"):
            yield Label("Paste a curl command for /v1/messages, then ctrl+r (Import)")
            yield TextArea(id="curl-text", soft_wrap=True, show_line_numbers=False)
            yield Static(id="curl-error")
            with Horizontal(id="curl-buttons"):
                yield Button("Import", id="curl-import", variant="primary")
                yield Button("Cancel", id="curl-cancel")
        yield PaneFooter()  # keys whole, never cut

    def on_mount(self) -> None:
        self.query_one("#curl-text", TextArea).focus()

    @on(Button.Pressed, "#curl-import")
    def action_import(self) -> None:
        text = self.query_one("#curl-text", TextArea).text
        error = self.query_one("#curl-error", Static)
        if not text.strip():
            error.update("paste a curl command first")
            return
        try:
            from workbench.services.curl_import import parse_curl

            draft = parse_curl(text).to_draft()  # the body and its anthropic-beta header
        except Exception as exc:  # the parser's message says what was not understood
            error.update(plain(f"cannot import: {exc}"))
            return
        error.update("")
        self.dismiss(None)
        self.app.post_message(m.OpenDraft(draft, "curl"))
        self.app.notify(f"imported curl request for {draft.model}")

    @on(Button.Pressed, "#curl-cancel")
    def action_close(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Import the pasted curl", "Fill the composer (ctrl+r)",
                            self.action_import)


def export_target(app: Any) -> Any:
    """The cloud platform the exported code talks to (None: the direct API)."""
    from workbench.services.export_platforms import target_for_settings

    client = getattr(app, "client", None)
    return target_for_settings(app.settings, client.base_url if client is not None else None)
