"""Two prompt versions side by side as a coloured unified diff, section by section
(system, turns, parameters, tools), so a one-line change to the system prompt stands out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.services.diff import SECTIONS, diff_sections
from workbench.ui.plain import plain
from workbench.ui.widgets.pane_footer import PaneFooter


def render_diff(diffs: dict[str, list[str]]) -> Text:
    text = Text()
    for name in SECTIONS:
        lines = diffs.get(name, [])
        text.append(f"▌ {name}", style="bold")
        if not lines:
            text.append("  (unchanged)\n\n", style="dim")
            continue
        text.append("\n")
        for line in lines:
            if line.startswith(("---", "+++")):
                style = "bold dim"
            elif line.startswith("@@"):
                style = "cyan"
            elif line.startswith("+"):
                style = "green"
            elif line.startswith("-"):
                style = "red"
            else:
                style = ""
            text.append(line + "\n", style=style)
        text.append("\n")
    return text


class DiffScreen(ModalScreen[None]):
    """Read-only diff of two versions; Escape closes."""

    CSS_PATH = "diff_view.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="diff.close"),
        Binding("c", "copy", "Copy diff", id="diff.copy"),
    ]
    HELP = "## Diff\nRed lines are only in the first version, green only in the second."

    def __init__(self, a: Any, b: Any, a_label: str, b_label: str) -> None:
        super().__init__()
        self.diffs = diff_sections(a, b, a_label, b_label)
        self.labels = (a_label, b_label)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(plain(f"{self.labels[0]}  →  {self.labels[1]}", False), id="diff-title")
            yield Static(render_diff(self.diffs), id="diff-body")
        yield PaneFooter()  # keys whole, never cut

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self) -> None:
        from workbench.ui.widgets.clipboard import copy_text

        text = "\n".join(line for lines in self.diffs.values() for line in lines)
        copy_text(self.app, text, "diff")

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Copy diff", "Copy the unified diff (c)", self.action_copy)
