"""Find marks drawn in place: every match in the view the user is reading, restyled where it is.

A searched view is made of *units*: a `Static` (a reply's body, a notice, the exported code) or a
`TextArea` (the inspector's tabs, the editors). Marks change styles only, never text or size, so
the view keeps its layout and scroll position while find is open.

- A Static is drawn once (`Visual.to_strips`, as Textual draws it) and a `MarkedLines` of the
  same size takes its place until find closes; it draws the rows on screen, with the cells of
  the matches restyled. The search runs over what is drawn (a reply's Markdown as rendered,
  line by line), so what is found is what is seen.
- A TextArea with the `FindMarks` mixin stylizes the matches in `get_line`, the hook TextArea
  offers for extra styling.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.geometry import NULL_SPACING, Offset, Region, Spacing
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Static, TextArea

LIMIT = 10_000  # matches marked at most: a 1 MB reply of "e" stays quick to search and draw

Span = tuple[int, int, RichStyle]  # start, end (cells for a Static, characters for a TextArea)


def pattern(query: str, case: bool = False) -> re.Pattern[str] | None:
    """The query as a literal pattern; a space matches any run of white space, so a phrase is
    found across a wrapped line. None: nothing to find."""
    if not query.strip():
        return None
    body = r"\s+".join(re.escape(part) for part in query.split(" "))
    return re.compile(body, 0 if case else re.IGNORECASE)


def find_spans(text: str, found: re.Pattern[str], most: int) -> list[tuple[int, int]]:
    """(start, end) of up to `most` matches in `text`."""
    out: list[tuple[int, int]] = []
    for match in found.finditer(text):
        if match.end() > match.start():
            out.append(match.span())
            if len(out) >= most:
                break
    return out


class Lines:
    """Lines joined into one text to search, with the way back from an offset to (line, col)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.starts: list[int] = []
        at = 0
        for line in lines:
            self.starts.append(at)
            at += len(line) + 1
        self.text = "\n".join(lines)

    def pieces(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(line, start col, end col) of a match, one piece per line it covers; white space a
        match runs over at the edges of a line is left unmarked."""
        out = []
        row = bisect_right(self.starts, start) - 1
        while row < len(self.lines) and self.starts[row] < end:
            line, at = self.lines[row], self.starts[row]
            a = start - at if start >= at else len(line) - len(line.lstrip())
            b = min(end - at, len(line))
            if b > a:
                out.append((row, a, b))
            row += 1
        return out

    def cells(self, row: int, a: int, b: int) -> tuple[int, int]:
        line = self.lines[row]
        if line.isascii():
            return a, b
        return cell_len(line[:a]), cell_len(line[:b])


def restyle(strip: Strip, spans: list[Span]) -> Strip:
    """`strip` with each (start cell, end cell) span drawn in its style on top of its own."""
    length = strip.cell_length
    cuts = sorted({min(c, length) for s, e, _ in spans for c in (s, e)} | {length})
    styles = {s: style for s, _e, style in spans}
    pieces, at, out = strip.divide(cuts), 0, []
    for piece, cut in zip(pieces, cuts, strict=False):
        style = styles.get(at)
        if style is not None:
            piece = Strip(list(Segment.apply_style(iter(piece), post_style=style)),
                          piece.cell_length)
        out.append(piece)
        at = cut
    return Strip.join(out)


class MarkedLines(Widget):
    """Stands in for a Static while find is open: its lines as the Static drew them, with the
    marks over them, in a box of the same size and place. Only the rows on screen are drawn
    (`render_line`), so stepping through a 1 MB reply repaints a screenful, not the reply."""

    def __init__(self, strips: list[Strip], original: Static) -> None:
        super().__init__(classes=" ".join(original.classes))
        self.strips = strips
        self.marks: dict[int, list[Span]] = {}
        styles, source = self.styles, original.styles
        # Over the Static, in its box: nothing moves.
        styles.position = "absolute"
        styles.offset = tuple(original.virtual_region.offset)
        styles.width, styles.height = original.outer_size.width, original.outer_size.height
        styles.padding, styles.background = source.padding, source.background

    def render_line(self, y: int) -> Strip:
        if y >= len(self.strips):
            return Strip.blank(self.size.width)
        spans = self.marks.get(y)
        return restyle(self.strips[y], spans) if spans else self.strips[y]


class Unit:
    """One searchable widget of a view: its lines, its matches, how to mark and show them."""

    widget: Widget
    lines: Lines

    def prepare(self) -> None: ...

    def mark(self, spans: dict[int, list[Span]]) -> None: ...

    def restore(self) -> None: ...

    def region(self, row: int, a: int, b: int) -> tuple[Widget, Region, Spacing]:
        """Where a piece of a match is: a container and a region in its scroll space."""
        raise NotImplementedError

    def screen_y(self, row: int) -> int:
        raise NotImplementedError


class StaticUnit(Unit):
    def __init__(self, static: Static) -> None:
        self.widget = static
        self.overlay: MarkedLines | None = None
        self.origin = Offset()  # its content's top left in its parent's scroll space
        self.lines = Lines([])

    def prepare(self) -> None:
        """Draw the Static once at its width, search what is drawn, and show the drawing (with
        marks) in its place."""
        static = self.widget
        if self.overlay is not None or static.parent is None:
            return
        width = static.content_size.width
        strips = Visual.to_strips(static, static.visual, width, None, static.visual_style,
                                  apply_selection=False) if width > 0 else []
        self.lines = Lines([strip.text.rstrip() for strip in strips])
        self.origin = static.virtual_region.offset + static.styles.gutter.top_left
        self.overlay = MarkedLines(strips, static)
        # Over the Static, which is left alone: touching it would have Textual measure and draw
        # it again (seconds for a 1 MB reply), on opening and on closing.
        static.parent.mount(self.overlay, after=static)

    def mark(self, spans: dict[int, list[Span]]) -> None:
        overlay = self.overlay
        if overlay is not None and (spans or overlay.marks):
            overlay.marks = spans
            overlay.refresh()

    def restore(self) -> None:
        if self.overlay is not None:
            self.overlay.remove()
            self.overlay = None

    def region(self, row: int, a: int, b: int) -> tuple[Widget, Region, Spacing]:
        static = self.widget
        x, y = self.origin
        return static.parent, Region(x + a, y + row, max(b - a, 1), 1), static.dock_gutter  # type: ignore[return-value]

    def screen_y(self, row: int) -> int:
        return (self.overlay or self.widget).content_region.y + row


class FindMarks:
    """Mixin for a TextArea: `find_marks` (row -> character spans) drawn in `get_line`.

    TextArea styles the cursor's line over what `get_line` returns, which hid the marks on
    that line (a one-line turn showed none): while there are marks, that highlight is off.
    """

    find_marks: dict[int, list[Span]] = {}
    cursor_line_before: bool | None = None

    def set_find_marks(self, spans: dict[int, list[Span]]) -> None:
        area: Any = self
        if spans and self.cursor_line_before is None:
            self.cursor_line_before = area.highlight_cursor_line
            area.highlight_cursor_line = False
        elif not spans and self.cursor_line_before is not None:
            area.highlight_cursor_line = self.cursor_line_before
            self.cursor_line_before = None
        self.find_marks = spans
        area.notify_style_update()  # clears TextArea's cache of drawn lines ...
        area.refresh()  # ... which alone redraws nothing until something else does

    def get_line(self, line_index: int) -> Any:
        line = super().get_line(line_index)  # type: ignore[misc]
        for start, end, style in self.find_marks.get(line_index, ()):
            line.stylize(style, start, end)
        return line


class FindTextArea(FindMarks, TextArea):
    """A TextArea that can show find marks (the inspector's tabs)."""


class AreaUnit(Unit):
    def __init__(self, area: TextArea) -> None:
        self.widget = area
        self.lines = Lines([])

    def prepare(self) -> None:
        self.lines = Lines(self.widget.text.split("\n"))

    def mark(self, spans: dict[int, list[Span]]) -> None:
        area = self.widget
        if isinstance(area, FindMarks) and (spans or area.find_marks):
            area.set_find_marks(spans)

    def restore(self) -> None:
        self.mark({})

    def region(self, row: int, a: int, b: int) -> tuple[Widget, Region, Spacing]:
        area = self.widget
        x, y = area.wrapped_document.location_to_offset((row, a))
        return area, Region(x, y, max(b - a, 1), 1), Spacing(right=area.gutter_width)

    def screen_y(self, row: int) -> int:
        area = self.widget
        _x, y = area.wrapped_document.location_to_offset((row, 0))
        return area.content_region.y + y - area.scroll_y

    def put_cursor(self, row: int, col: int) -> None:
        area = self.widget
        area.move_cursor((row, col))


def reveal(container: Widget, region: Region, spacing: Spacing = NULL_SPACING) -> None:
    """Scroll `container` and each container around it so `region` (in `container`'s scroll
    space) is on screen: centred when it was off screen, left where it is when it was on.
    (Textual's `scroll_to_widget` does this for a whole widget; a match is part of one.)"""
    node: Any = container
    while isinstance(node, Widget):
        before = node.scroll_offset
        window = node.scrollable_content_region.at_offset(before).shrink(spacing)
        delta = Offset()
        if not window.contains_region(region):
            delta = node.scroll_to_region(region, spacing=spacing, center=True, animate=False,
                                          force=isinstance(node, TextArea), immediate=True)
        after = before + delta
        region = region.translate(-after).translate(node.styles.gutter.top_left) \
            .translate(node.virtual_region.offset)
        spacing = node.dock_gutter
        node = node.parent
