"""A virtual table: only the rows on screen are rendered, so 100,000 rows cost nothing to show.

Rows come from a callable (`get_row(position) -> tuple[str, ...]`) over a sequence of
positions that may keep growing while results stream in; call `rows_changed()` after.
A plain DataTable measures and stores every row up front and froze for ~9 s at 100,000.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass
class Column:
    title: str
    width: int  # 0 = take the rest
    styles: dict[str, str] | None = None  # cell value -> Rich style
    min_width: int = 0  # how far a narrow terminal may shrink it (0: not at all)


REST_MIN = 30  # the "rest" column (the reply's text) keeps this much before others shrink


class ResultsTable(ScrollView, can_focus=True):
    HELP = """
## Results
Every result of the batch; only what is on screen is drawn, so scrolling stays instant for
100,000 results. **up/down/pgup/pgdn/home/end** move, **enter** opens the whole result.
"""
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, id="results.up"),
        Binding("down", "move(1)", "Down", show=False, id="results.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="results.pageup"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="results.pagedown"),
        Binding("home", "move(-1_000_000_000)", "First", show=False, id="results.home"),
        Binding("end", "move(1_000_000_000)", "Last", show=False, id="results.end"),
        Binding("enter", "select", "Open", id="results.open"),
    ]
    COMPONENT_CLASSES = {"results-table--header", "results-table--cursor"}
    DEFAULT_CSS = """
    ResultsTable { height: 1fr; background: $surface; overflow-x: hidden; }
    ResultsTable > .results-table--header { text-style: bold; background: $panel; }
    ResultsTable > .results-table--cursor { background: $accent 40%; }
    ResultsTable:focus > .results-table--cursor { background: $accent; color: $text; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    @dataclass
    class Selected(Message):
        table: ResultsTable
        position: int  # index into the shown sequence's values (the source row)

    def __init__(self, columns: list[Column], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = columns
        self._positions: Sequence[int] = ()
        self._get_row: Callable[[int], tuple[str, ...]] = lambda _: ()

    # --- data -----------------------------------------------------------------------------
    def show(self, positions: Sequence[int], get_row: Callable[[int], tuple[str, ...]]) -> None:
        self._positions, self._get_row = positions, get_row
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        self.rows_changed()

    def on_unmount(self) -> None:
        # Let go of the rows' source (a screen's results index): a closed screen can outlive
        # its unmount for minutes, kept by the context of a cancelled timer that httpx or
        # asyncio left in the loop's heap until its deadline (a read timeout of 600 s).
        self._positions, self._get_row = (), lambda _: ()

    def rows_changed(self) -> None:
        """The sequence grew (or was replaced): resize the virtual area and repaint."""
        self.virtual_size = Size(self.size.width, len(self._positions) + 1)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._positions)

    def source_row(self) -> int | None:
        if 0 <= self.cursor < len(self._positions):
            return self._positions[self.cursor]
        return None

    # --- rendering ------------------------------------------------------------------------
    def _widths(self, total: int) -> list[int]:
        """Fixed columns as set; in a narrow terminal they shrink towards their `min_width`
        (in proportion) so the rest column still shows some of each reply."""
        widths = [c.width for c in self.columns]
        fixed = sum(w + 1 for w in widths if w)
        short = REST_MIN - (total - fixed)
        slack = sum(c.width - c.min_width for c in self.columns if c.width and c.min_width)
        if short > 0 and slack > 0:
            ratio = min(1.0, short / slack)
            widths = [w - int((w - c.min_width) * ratio + 0.999) if w and c.min_width else w
                      for w, c in zip(widths, self.columns, strict=True)]
            fixed = sum(w + 1 for w in widths if w)
        rest = max(8, total - fixed)
        return [w or rest for w in widths]

    def _cells(self, values: Sequence[str], widths: list[int], base: Style,
               colour: bool) -> list[Segment]:
        segments: list[Segment] = []
        for column, value, width in zip(self.columns, values, widths, strict=False):
            text = value if len(value) <= width else value[: max(0, width - 1)] + "…"
            style = base
            if colour and column.styles and value in column.styles:
                style = base + Style.parse(column.styles[value])
            segments.append(Segment(text.ljust(width) + " ", style))
        return segments

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._widths(width)
        if y == 0:
            style = self.get_component_rich_style("results-table--header")
            return Strip(self._cells([c.title for c in self.columns], widths, style, False),
                         ).adjust_cell_length(width, style)
        row = int(self.scroll_offset.y) + y - 1
        base = self.rich_style
        if row >= len(self._positions):
            return Strip.blank(width, base)
        if row == self.cursor:
            base = self.get_component_rich_style("results-table--cursor")
        values = self._get_row(self._positions[row])
        return Strip(self._cells(values, widths, base, row != self.cursor)).adjust_cell_length(
            width, base)

    # --- cursor ---------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_offset.y)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.refresh()

    def action_move(self, step: int) -> None:
        if self._positions:
            self.cursor = max(0, min(len(self._positions) - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.scrollable_content_region.height - 2))

    def action_select(self) -> None:
        row = self.source_row()
        if row is not None:
            self.post_message(self.Selected(self, row))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return
        row = int(self.scroll_offset.y) + event.y - 1
        if 0 <= row < len(self._positions):
            self.cursor = row
            if event.chain >= 2:
                self.action_select()
