"""The one-line bar at the top of every pane: app name, pane tabs, profile, demo marker."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

# (mode, label, key) in the order they appear; the key is the app's binding for the pane.
PANES: tuple[tuple[str, str, str], ...] = (
    ("compose", "Compose", "f2"),
    ("models", "Models", "f3"),
    ("history", "History", "f4"),
    ("library", "Library", "f5"),
    ("batches", "Batches", "f6"),
    ("files", "Files", "f7"),
    ("skills", "Skills", "f8"),
    ("keys", "Keys", "f9"),
)


class TopBar(Widget):
    """Shows where you are and what you talk to; click a tab to switch panes."""

    DEFAULT_CSS = """
    TopBar {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    active: reactive[str] = reactive("compose")
    status: reactive[str] = reactive("")
    demo: reactive[bool] = reactive(False)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" ◆ workbench ", style="bold")
        self._spans: list[tuple[int, int, str]] = []
        for mode, label, key in PANES:
            start = len(text)
            text.append(f" {key.upper()}", style="dim")
            if mode == self.active:
                text.append(f" {label} ", style="bold reverse")
            else:
                text.append(f" {label} ")
            self._spans.append((start, len(text), mode))
        right = Text()
        if self.demo:
            right.append(" DEMO ", style="bold reverse")
            right.append(" ")
        right.append(self.status, style="dim")
        pad = self.size.width - len(text) - len(right)
        if pad > 0:
            text.append(" " * pad)
        text.append_text(right)
        return text

    async def on_click(self, event) -> None:
        for start, end, mode in getattr(self, "_spans", []):
            if start <= event.x < end:
                await self.app.run_action(f"pane('{mode}')")
                return
