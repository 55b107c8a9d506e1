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
from textual import events
from textual.widgets import DataTable


def cell(value: Any, style: str = "") -> Text:
    """A free-text cell: one line, cut with '…' (and not read as markup)."""
    text = " ".join(str(value or "").split())
    return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")


class FlexTable(DataTable):
    """DataTable with flexible columns: `flex(key=minimum, ...)` after adding the columns."""

    _flex: dict[str, int]

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

    def _update_dimensions(self, new_rows: Any) -> None:
        super()._update_dimensions(new_rows)
        if self._fit_flex():
            self._clear_caches()
            super()._update_dimensions([])  # the virtual width with the new column widths

    def _on_resize(self, event: events.Resize) -> None:
        super()._on_resize(event)
        if self._fit_flex():
            self._clear_caches()
            self._require_update_dimensions = True
            self.refresh()
