"""The Evaluate pane's grid: rows of test cases, a column per variant, a cell cursor.

A small Line-API widget rather than a DataTable: results arrive hundreds a second, and a
DataTable re-renders every visible row whenever any cell changes (its render cache is keyed on a
global update count), ~50-100 ms a frame on a loaded machine. Here each row's strip is cached
until one of its cells (or the cursor, or the width) changes, so a frame redraws only the rows
that did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

GAP = 1  # columns between cells
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # ids and labels come from suite files: data


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text)


class EvalGrid(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up", "move(-1, 0)", "Up", show=False, id="grid.up"),
        Binding("down", "move(1, 0)", "Down", show=False, id="grid.down"),
        Binding("left", "move(0, -1)", "Left", show=False, id="grid.left"),
        Binding("right", "move(0, 1)", "Right", show=False, id="grid.right"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="grid.pageup"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="grid.pagedown"),
        Binding("home", "edge(-1)", "First", show=False, id="grid.home"),
        Binding("end", "edge(1)", "Last", show=False, id="grid.end"),
        Binding("enter", "select", "Open", show=False, id="grid.select"),
    ]
    COMPONENT_CLASSES = {"eval-grid--header", "eval-grid--cursor", "eval-grid--stripe"}
    DEFAULT_CSS = """
    EvalGrid { height: 1fr; background: $surface; }
    EvalGrid > .eval-grid--header { text-style: bold; background: $panel; }
    EvalGrid > .eval-grid--cursor { background: $block-cursor-blurred-background; }
    EvalGrid:focus > .eval-grid--cursor { background: $block-cursor-background;
                                          color: $block-cursor-foreground; }
    EvalGrid > .eval-grid--stripe { background: $boost; }
    """

    @dataclass
    class CellSelected(Message):
        """Enter (or a click on the cursor's cell): `key` is (row key, column key)."""

        grid: EvalGrid
        key: tuple[str, str]

        @property
        def control(self) -> EvalGrid:
            return self.grid

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[tuple[str, str, int]] = []  # (key, label, width)
        self.rows: list[str] = []
        self.cells: dict[tuple[str, str], Text] = {}
        self.cursor_row = 0
        self.cursor_column = 0
        self._cache: dict[int, Strip] = {}
        self._row_at: dict[str, int] = {}

    # --- data -----------------------------------------------------------------------------
    def set_columns(self, columns: list[tuple[str, str, int]]) -> None:
        self.columns = columns
        self.cursor_column = min(self.cursor_column, max(0, len(columns) - 1))
        self._resize()

    def set_rows(self, rows: list[str], cells: dict[tuple[str, str], Text]) -> None:
        """Replace the rows (a filter, a new suite); the cursor stays on its row if shown."""
        current = self.rows[self.cursor_row] if self.cursor_row < len(self.rows) else None
        self.rows = rows
        self.cells = dict(cells)
        self._row_at = {key: i for i, key in enumerate(rows)}
        self.cursor_row = self._row_at.get(current, 0) if current else 0
        self._resize()

    def update_cell(self, row: str, column: str, value: Text) -> None:
        self.cells[(row, column)] = value
        index = self._row_at.get(row)
        if index is not None:
            self._cache.pop(index, None)
            self.refresh_line(index + 1)  # the header is line 0

    def get_cell(self, row: str, column: str) -> Text:
        return self.cells.get((row, column), Text(""))

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def cursor_key(self) -> tuple[str, str] | None:
        if not self.rows or not self.columns:
            return None
        return (self.rows[self.cursor_row], self.columns[self.cursor_column][0])

    def move_cursor(self, row: int | None = None, column: int | None = None) -> None:
        old = self.cursor_row
        if row is not None:
            self.cursor_row = max(0, min(row, len(self.rows) - 1))
        if column is not None:
            self.cursor_column = max(0, min(column, len(self.columns) - 1))
        for index in {old, self.cursor_row}:
            self._cache.pop(index, None)
        self._scroll_to_cursor()
        self.refresh()

    # --- layout and drawing -------------------------------------------------------------------
    def _resize(self) -> None:
        self._cache.clear()
        width = sum(w + GAP for _, _, w in self.columns)
        self.virtual_size = Size(width, len(self.rows) + 1)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = round(self.scroll_x)
        if y == 0:
            return self._header().crop(scroll_x, scroll_x + width).extend_cell_length(
                width, self.get_component_rich_style("eval-grid--header"))
        index = y - 1 + round(self.scroll_y)
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._cache[index] = self._row(index)
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(
            width, self.rich_style)

    def _header(self) -> Strip:
        style = self.get_component_rich_style("eval-grid--header")
        segments = []
        for _, label, width in self.columns:
            segments.append(Segment(_clean(label)[:width].ljust(width) + " " * GAP, style))
        return Strip(segments)

    def _row(self, index: int) -> Strip:
        base = self.rich_style
        if index % 2:
            base = base + self.get_component_rich_style("eval-grid--stripe")
        cursor = self.get_component_rich_style("eval-grid--cursor")
        key = self.rows[index]
        segments: list[Segment] = []
        for col, (ckey, _, width) in enumerate(self.columns):
            text = Text(_clean(key)) if col == 0 else self.cells.get((key, ckey), Text(""))
            style = base + cursor if (index == self.cursor_row and
                                      col == self.cursor_column) else base
            line = text.copy()
            line.truncate(width, overflow="ellipsis", pad=True)
            if text.style:  # a Text's own style is not in its rendered segments
                style = style + self.app.console.get_style(text.style)
            for segment in line.render(self.app.console):
                if segment.text != "\n":
                    segments.append(Segment(segment.text, style + (segment.style or Style())))
            segments.append(Segment(" " * GAP, base))
        return Strip(segments)

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height - 1
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif height > 0 and self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False)
        left = sum(w + GAP for _, _, w in self.columns[: self.cursor_column])
        right = left + (self.columns[self.cursor_column][2] if self.columns else 0)
        width = self.scrollable_content_region.width
        if left < self.scroll_x:
            self.scroll_to(x=left, animate=False)
        elif right > self.scroll_x + width:
            self.scroll_to(x=right - width, animate=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()  # a theme change or focus: the cached rows have old colours

    def on_focus(self) -> None:
        self._cache.pop(self.cursor_row, None)
        self.refresh()

    def on_blur(self) -> None:
        self._cache.pop(self.cursor_row, None)
        self.refresh()

    # --- keys and the mouse -------------------------------------------------------------------
    def action_move(self, rows: int, columns: int) -> None:
        self.move_cursor(self.cursor_row + rows, self.cursor_column + columns)

    def action_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height - 2)
        self.move_cursor(self.cursor_row + direction * step)

    def action_edge(self, direction: int) -> None:
        self.move_cursor(0 if direction < 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.CellSelected(self, key))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0 or not self.rows:
            return
        index = event.y - 1 + round(self.scroll_y)
        x = event.x + round(self.scroll_x)
        column, edge = None, 0
        for i, (_, _, width) in enumerate(self.columns):
            if edge <= x < edge + width + GAP:
                column = i
                break
            edge += width + GAP
        if index >= len(self.rows) or column is None:
            return
        same = (index, column) == (self.cursor_row, self.cursor_column)
        self.move_cursor(index, column)
        if same or event.chain > 1:
            self.action_select()
