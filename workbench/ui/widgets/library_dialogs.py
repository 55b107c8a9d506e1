"""Small modals for the library: ask for a text (rename, paths), save a prompt (the delete
confirm is the panes' shared `screens/confirm.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
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

    def __init__(self, draft: Any, name: str = "") -> None:
        """`name`: the prompt the draft is a version of (pre-filled; empty for a new one)."""
        super().__init__()
        self.draft = draft
        self.prompt_name = name
        self.prompt_names: list[str] = []
        self.latest: dict[str, int] = {}  # prompt name -> its latest version

    def compose(self) -> ComposeResult:
        from workbench.services.templates import find_variables

        variables = find_variables(self.draft.text_for_variables())
        with Vertical():
            yield Label(plain(f"Save prompt · {self.draft.model}", False))
            yield OrderedInput(self.prompt_name, placeholder="name (an existing name adds a version)",
                               id="save-name")
            yield Static("", classes="dialog-hint", id="save-version")
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
        field = self.query_one("#save-name", Input)
        if not self.prompt_name:  # the composer's: the prompt its draft was opened from or saved as
            self.prompt_name = self.app.composer.prompt_name  # type: ignore[attr-defined]
            field.value = self.prompt_name
        field.focus()
        self.load_names()

    @work(exclusive=True, group="save-prompt-names", exit_on_error=False)
    async def load_names(self) -> None:
        store = await self.app.wait_store()  # type: ignore[attr-defined]
        if store is None:
            return
        from workbench.ui.widgets.library_data import latest_versions, prompt_names

        self.prompt_names = await store.arun(prompt_names, store)
        self.latest = await store.arun(latest_versions, store)
        self._show_version(self.query_one("#save-name", Input).value)
        self.query_one("#save-name", Input).suggester = SuggestFromList(
            self.prompt_names, case_sensitive=False
        )

    @on(Input.Changed, "#save-name")
    def _name_changed(self, event: Input.Changed) -> None:
        self._show_version(event.value)

    def _show_version(self, name: str) -> None:
        """Which version a save makes: the next of an existing prompt, or v1 of a new one."""
        name = name.strip()
        latest = self.latest.get(name)
        text = ("" if not name else f"saves v1 of a new prompt '{name}'" if latest is None
                else f"saves v{latest + 1} of '{name}' (its latest is v{latest})")
        self.query_one("#save-version", Static).update(Content(text))

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
        self.app.notify(f"saved {name} v{version}", markup=False)
        self.app.composer.set_prompt(name)  # type: ignore[attr-defined]  # ctrl+s offers it next
        self.dismiss(None)

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Save this prompt version", "Store it in the library",
                            self.action_save)
