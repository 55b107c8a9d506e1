"""F1's help panel, plus a line saying where keys are remapped (imported on first F1: the
panel pulls in Markdown)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import HelpPanel, Static

from workbench.ui.keymap import help_note


class KeysHelpPanel(HelpPanel):
    DEFAULT_CSS = """
    KeysHelpPanel #keymap-note { height: auto; color: $text-muted; padding: 1 0 0 0; }
    """

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(help_note(), id="keymap-note", markup=False)
