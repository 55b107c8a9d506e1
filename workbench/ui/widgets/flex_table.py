"""A DataTable whose free-text columns (previews, notes, descriptions) give way first.

DataTable sizes every column to its longest cell and scrolls sideways, so at 120 columns a long
prompt preview pushed History's TTFT (and Files' dates, Models' ids...) off screen. Here the
columns named flexible take what the others leave of the table's width (at least their
minimum, then the table scrolls as before); their cells should be `ellipsis` texts (`cell`),
which end in "…" where they are cut. The other columns keep their natural width, so ids,
names and dates stay whole.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable

from workbench.safe_text import clean
from workbench.ui.plain import safe_cell


def cell(value: Any, style: str = "") -> Text:
    """A free-text cell: one line, cut with '…' (and not read as markup)."""
    text = " ".join(clean(value or "").split())
    return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")


class FlexTable(DataTable):
    """DataTable with flexible columns: `flex(key=minimum, ...)` after adding the columns."""

    _flex: dict[str, int]
    _fitted: tuple[int, ...]

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        """Cells are data: a string is shown as it is (DataTable reads it as markup)."""
        return super().add_row(*(safe_cell(c) for c in cells), **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, safe_cell(value), **kwargs)

    def flex(self, **minimums: int) -> None:
        """These columns (by key) take the width left, each at least its minimum."""
        self._flex = dict(minimums)
        self._fit_flex()

    def _fit_flex(self) -> bool:
        """Set the flexible columns' widths; True when one changed."""
        flex = getattr(self, "_flex", None)
        # room for the vertical scrollbar even before it shows (more rows are loaded later)
        width = self.scrollable_content_region.width - (
            0 if self.show_vertical_scrollbar else self.styles.scrollbar_size_vertical)
        if not flex or not width:
            return False
        columns = [c for c in self.columns.values() if c.key.value in flex]
        if not columns:
            return False
        others = sum(c.get_render_width(self) for c in self.columns.values()
                     if c.key.value not in flex)
        free = width - others - 2 * self.cell_padding * len(columns)
        changed = False
        for i, column in enumerate(columns):
            share = free // len(columns) + (1 if i < free % len(columns) else 0)
            # no wider than its longest cell: the room then goes to the right edge
            new = max(flex[column.key.value], min(share, max(column.content_width, 1)))
            if column.auto_width or column.width != new:
                column.auto_width, column.width, changed = False, new, True
        return changed

    def _flex_state(self) -> tuple[int, ...]:
        """What the fit depends on: the width, the row count and every column's content."""
        return (self.scrollable_content_region.width, int(self.show_vertical_scrollbar),
                self.row_count, *(c.content_width for c in self.columns.values()))

    @property
    def settled(self) -> bool:
        """The flexible columns fit what the table holds now (tests wait for it)."""
        return not getattr(self, "_flex", None) or \
            self._flex_state() == getattr(self, "_fitted", None)

    def on_idle(self) -> None:
        # DataTable measures new rows in its own idle handler, which runs after this one:
        # fit once it has (`call_next` callbacks run after the idle handlers). Only when
        # something changed: `call_next` wakes the queue, which would idle again.
        if getattr(self, "_flex", None) and self._flex_state() != getattr(self, "_fitted", None):
            self.call_next(self.refit)

    def on_resize(self) -> None:
        self.refit()

    def refit(self) -> None:
        """Fit the flexible columns to the table's width now (public API only): the virtual
        width moves by what the columns gained or lost, and `notify_style_update` drops
        DataTable's rendered cells, which are cached without their width."""
        before = sum(c.get_render_width(self) for c in self.columns.values())
        changed = self._fit_flex()
        self._fitted = self._flex_state()
        if not changed:
            return
        after = sum(c.get_render_width(self) for c in self.columns.values())
        width, height = self.virtual_size
        self.virtual_size = Size(max(width + after - before, 0), height)
        self.notify_style_update()
