"""Small modals for the library: ask for a text (rename, paths), save a prompt (the delete
confirm is the panes' shared `screens/confirm.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from workbench.ui.plain import plain
from workbench.ui.widgets.ordered_keys import OrderedInput


class AskScreen(ModalScreen[str | None]):
    """One line of text; Enter answers, Escape cancels (returns None)."""

    CSS_PATH = "library_dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(self.title_text))
            yield OrderedInput(self.value, placeholder=self.placeholder, id="ask-input")
            yield Static("Enter to confirm, Escape to cancel", classes="dialog-hint")

    @on(Input.Submitted, "#ask-input")
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SavePromptScreen(ModalScreen[None]):
    """Save the composer's draft as a new version of a named prompt (ctrl+s)."""

    CSS_PATH = "library_dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save_prompt.cancel")]
    HELP = """
## Save prompt
Each save of a name is a new version (v1, v2, …) with an optional note. Existing names are
suggested as you type; `{{variables}}` in the prompt are listed with it.
"""

    def __init__(self, draft: Any) -> None:
        super().__init__()
        self.draft = draft
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        from workbench.services.templates import find_variables

        variables = find_variables(self.draft.text_for_variables())
        with Vertical():
            yield Label(plain(f"Save prompt · {self.draft.model}", False))
            yield OrderedInput(placeholder="name (an existing name adds a version)", id="save-name")
            yield OrderedInput(placeholder="note (optional): what changed", id="save-note")
            yield Static(
                "variables: " + (", ".join(variables) if variables else "none"),
                classes="dialog-hint", id="save-variables",
            )
            yield Static(id="save-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save-ok", variant="primary")
                yield Button("Cancel", id="save-cancel")

    def on_mount(self) -> None:
        self.query_one("#save-name", Input).focus()
        self.load_names()

    @work(exclusive=True, group="save-prompt-names", exit_on_error=False)
    async def load_names(self) -> None:
        store = await self.app.wait_store()  # type: ignore[attr-defined]
        if store is None:
            return
        from workbench.ui.widgets.library_data import prompt_names

        self.names = await store.arun(prompt_names, store)
        self.query_one("#save-name", Input).suggester = SuggestFromList(
            self.names, case_sensitive=False
        )

    @on(Input.Submitted, "#save-name")
    def _next(self) -> None:
        self.query_one("#save-note", Input).focus()

    @on(Input.Submitted, "#save-note")
    @on(Button.Pressed, "#save-ok")
    def action_save(self) -> None:
        name = self.query_one("#save-name", Input).value.strip()
        if not name:
            self.query_one("#save-error", Static).update("a prompt needs a name")
            self.query_one("#save-name", Input).focus()
            return
        note = self.query_one("#save-note", Input).value.strip()
        self.save(name, note)

    @work(exclusive=True, group="save-prompt", exit_on_error=False)
    async def save(self, name: str, note: str) -> None:
        store = await self.app.wait_store()  # type: ignore[attr-defined]
        if store is None:
            self.query_one("#save-error", Static).update("the prompt database is unavailable")
            return
        from workbench.ui.widgets.library_data import save_version

        try:
            version = await store.arun(save_version, store, name, self.draft, note)
        except Exception as exc:
            self.query_one("#save-error", Static).update(plain(f"could not save: {exc}"))
            return
        self.app.notify(f"saved {name} v{version}")
        self.dismiss(None)

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Save this prompt version", "Store it in the library",
                            self.action_save)
