"""The composer's server tools dialog (alt+w): web search, web fetch and code execution.

A view of `services.server_tools.ServerTools`: toggles and their options; ctrl+s (or the Save
button) hands the settings back when the API would accept them, Escape leaves them as they
were. An empty field is left out of the request (the API's default applies).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from workbench.services.server_tools import LOCATION_KEYS, ServerTools
from workbench.ui.widgets.ordered_keys import OrderedInput


def _domains(text: str) -> list[str]:
    return [d for d in text.replace(",", " ").split() if d]


class ServerToolsScreen(ModalScreen[dict[str, Any] | None]):
    CSS_PATH = "server_tools_dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="server_tools.cancel"),
                Binding("ctrl+s", "save", "Save", id="server_tools.save")]
    HELP = """
## Server tools
Tools the API runs itself. **Web search** (max uses, allowed *or* blocked domains, an
approximate user location), **web fetch** (max uses, domains, citations of the fetched page),
**code execution** (Python and bash in a container; files it creates can be downloaded).
**Cite attached documents** enables citations on the documents of the user turns: the reply
cites them by characters (text), pages (PDF) or blocks (custom content).
On the built-in emulator, a prompt holding `emulator:refusal`, `emulator:pause_turn` or
`emulator:code_error` shows a refusal, a paused turn (alt+g continues it) or failing code.
Domains are separated by spaces or commas. An empty field is left out of the request.
**ctrl+s** saves, **Escape** cancels.
"""

    def __init__(self, settings: dict[str, Any] | None) -> None:
        super().__init__()
        self.settings = ServerTools.from_dict(settings)

    def _row(self, label: str, value: Any, field_id: str, placeholder: str = "") -> ComposeResult:
        with Horizontal(classes="st-row"):
            yield Label(label)
            text = " ".join(value) if isinstance(value, list) else (
                "" if value is None else str(value))
            yield OrderedInput(text, placeholder=placeholder, id=field_id)

    def compose(self) -> ComposeResult:
        s = self.settings
        with VerticalScroll():
            yield Static("Server tools", classes="dialog-title")
            yield Checkbox("Web search", s.web_search, id="st-web-search")
            yield from self._row("max uses", s.search_max_uses, "st-search-uses", "no limit")
            yield from self._row("allowed domains", s.search_allowed, "st-search-allowed",
                                 "any (e.g. wikipedia.org docs.python.org)")
            yield from self._row("blocked domains", s.search_blocked, "st-search-blocked",
                                 "none")
            for key in LOCATION_KEYS:
                yield from self._row(f"user {key}", s.location.get(key, ""),
                                     f"st-location-{key}",
                                     {"country": "two letters, e.g. FR",
                                      "timezone": "e.g. Europe/Paris"}.get(key, ""))
            yield Checkbox("Web fetch", s.web_fetch, id="st-web-fetch")
            yield from self._row("max uses", s.fetch_max_uses, "st-fetch-uses", "no limit")
            yield from self._row("allowed domains", s.fetch_allowed, "st-fetch-allowed", "any")
            yield from self._row("blocked domains", s.fetch_blocked, "st-fetch-blocked", "none")
            yield Checkbox("cite the fetched pages", s.fetch_citations, id="st-fetch-citations")
            yield Checkbox("Code execution", s.code_execution, id="st-code")
            yield Checkbox("Cite attached documents (citations enabled on each document)",
                           s.cite_documents, id="st-cite-documents")
            yield Static("ctrl+s saves, Escape cancels", classes="dialog-hint")
            yield Static(id="st-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="st-save", variant="primary")
                yield Button("Cancel", id="st-cancel")

    def on_mount(self) -> None:
        self.query_one("#st-web-search", Checkbox).focus()

    def read(self) -> ServerTools | str:
        """The settings as given, or why they cannot be used."""
        def text(field_id: str) -> str:
            return self.query_one(f"#{field_id}", Input).value.strip()

        def checked(field_id: str) -> bool:
            return self.query_one(f"#{field_id}", Checkbox).value

        uses: dict[str, int | None] = {}
        for name, field_id in (("search", "st-search-uses"), ("fetch", "st-fetch-uses")):
            raw = text(field_id)
            if raw and not raw.isdigit():
                return f"{name} max uses must be a whole number (or empty: no limit)"
            uses[name] = int(raw) if raw else None
        settings = ServerTools(
            web_search=checked("st-web-search"), search_max_uses=uses["search"],
            search_allowed=_domains(text("st-search-allowed")),
            search_blocked=_domains(text("st-search-blocked")),
            location={k: v for k in LOCATION_KEYS if (v := text(f"st-location-{k}"))},
            web_fetch=checked("st-web-fetch"), fetch_max_uses=uses["fetch"],
            fetch_allowed=_domains(text("st-fetch-allowed")),
            fetch_blocked=_domains(text("st-fetch-blocked")),
            fetch_citations=checked("st-fetch-citations"), code_execution=checked("st-code"),
            cite_documents=checked("st-cite-documents"))
        problems = settings.problems()
        return problems[0] if problems else settings

    def action_save(self) -> None:
        result = self.read()
        if isinstance(result, str):
            self.query_one("#st-error", Static).update(Text(result))  # names typed text
            return
        self.dismiss(result.to_dict())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#st-save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#st-cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
