"""Rendered lines in a scroll view that draws only what is on screen.

For long read-only documents (a batch result's 100 KB reply and its JSON): Rich lays the
content out once, in a thread, and scrolling then costs a few `Strip`s per frame. A Static
holding the same renderable lays it all out again on every measure and draw (seconds).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


def to_strips(lines: list[list[Segment]]) -> list[Strip]:
    """Rich's `render_lines` output as Strips (cheap enough to do in the rendering thread)."""
    return [Strip(line) for line in lines]


class LinesView(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up", "scroll_up", "Up", show=False, id="lines.up"),
        Binding("down", "scroll_down", "Down", show=False, id="lines.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="lines.pageup"),
        Binding("pagedown", "page_down", "Page down", show=False, id="lines.pagedown"),
        Binding("home", "scroll_home", "Top", show=False, id="lines.home"),
        Binding("end", "scroll_end", "Bottom", show=False, id="lines.end"),
    ]
    DEFAULT_CSS = "LinesView { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: list[Strip] = []

    @property
    def line_count(self) -> int:
        return len(self._strips)

    @property
    def text(self) -> str:
        """The plain text shown (for tests and copying)."""
        return "\n".join(strip.text for strip in self._strips)

    def set_strips(self, strips: list[Strip]) -> None:
        self._strips = strips
        width = max((strip.cell_length for strip in strips), default=0)
        self.virtual_size = Size(width, len(strips))
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self._strips):
            return Strip.blank(width, self.rich_style)
        style = self.rich_style  # the widget's colours under what Rich left unstyled
        return self._strips[index].crop_extend(scroll_x, scroll_x + width, style).apply_style(
            style)
