"""The one-line bar at the top of every pane: app name, pane tabs, what the runs cost (this
session and today, from History), profile, demo marker."""

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
    ("evaluate", "Evaluate", "f10"),
)


# Shorter tab labels for narrow terminals (an 80-column SSH session).
SHORT: dict[str, str] = {"compose": "Comp", "models": "Mod", "history": "Hist", "library": "Lib",
                         "batches": "Batch", "files": "Files", "skills": "Skill", "keys": "Keys",
                         "evaluate": "Eval"}
MIN_STATUS = 10  # the status keeps at least this much room ("offline", "no API key")


class TopBar(Widget):
    """Shows where you are and what you talk to; click a tab to switch panes.

    Narrower terminals get a shorter bar rather than a cut one: the app name goes first, then
    inactive tabs shorten to their key and a short label, then to their key alone; the status
    keeps its first part (the profile) or is ellipsized, and the DEMO marker always shows.
    """

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
    costs: reactive[str] = reactive("")  # "$0.0123 session · $0.45 today" (ui/costs.py)

    # (app name, tab style): "full" = every label whole, "short" = inactive tabs shortened,
    # "tiny" = every label short, "keys" = inactive tabs by their key only
    LEVELS: tuple[tuple[str, str], ...] = (
        (" ◆ workbench ", "full"), (" ◆ ", "full"), (" ◆ ", "short"), (" ◆ ", "tiny"),
        (" ◆ ", "keys"),
    )

    def _left(self, brand: str, style: str) -> tuple[Text, list[tuple[int, int, str]]]:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(brand, style="bold")
        spans: list[tuple[int, int, str]] = []
        for mode, label, key in PANES:
            start = len(text)
            active = mode == self.active
            if style != "full":
                label = SHORT.get(mode, label) if style == "tiny" or not active else label
            text.append(f" {key.upper()}" if style == "full" else key.upper(), style="dim")
            if active:
                text.append(f" {label} ", style="bold reverse")
            elif style == "keys":
                text.append(" ")
            else:
                text.append(f" {label} ")
            spans.append((start, len(text), mode))
        return text, spans

    def _status_text(self, room: int) -> str:
        """The status in at most `room` cells: whole, its first part, or ellipsized."""
        status = self.status
        if len(status) <= room:
            return status
        first = status.split(" · ", 1)[0]
        if len(first) <= room:
            return first
        return first[: room - 1] + "…" if room >= 5 else ""  # 'e…' would say nothing

    def render(self) -> Text:
        width = self.size.width or 140
        marker = " DEMO " if self.demo else ""
        gap = 1 if marker else 0
        # in demo mode the marker says what we talk to; otherwise keep room for the profile
        status_min = 0 if marker else min(len(self.status.split(" · ", 1)[0]), MIN_STATUS)
        # the totals, else shorter ("$0.01/$0.45 today"); they give way before the status
        short_costs = self.costs.replace(" session · ", "/")
        wanted = status_min + (len(self.costs) + 3 if self.costs else 0)
        for brand, style in self.LEVELS:
            text, spans = self._left(brand, style)
            if len(text) + len(marker) + gap + wanted + 1 <= width:
                break
        self._spans = spans
        right = Text()
        if marker:
            right.append(marker, style="bold reverse")
            right.append(" ")
        room = width - len(text) - len(right) - 1
        # the totals only where the status keeps its room: they give way first
        for costs in (self.costs, short_costs) if self.costs else ():
            if room - len(costs) - 3 >= status_min:
                right.append(costs, style="bold")
                right.append(" · ", style="dim")
                room -= len(costs) + 3
                break
        right.append(self._status_text(room), style="dim")
        pad = width - len(text) - len(right)
        if pad > 0:
            text.append(" " * pad)
        text.append_text(right)
        return text

    async def on_click(self, event) -> None:
        for start, end, mode in getattr(self, "_spans", []):
            if start <= event.x < end:
                await self.app.run_action(f"pane('{mode}')")
                return
