"""What the list panes share (Files, Skills, History, Library, Batches, Keys): the current
record by row key, a refill that keeps the cursor on the same record (or its nearest neighbour
when it is gone), a debounced filter field, confirm-then-act, and palette commands made from
the pane's BINDINGS.

Row keys, not row indexes: a reload may reorder the rows (a sort, a fresh page on top), and the
cursor must stay on what the user was looking at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.timer import Timer
from textual.widgets import DataTable, Input

from workbench.ui.screens.base import WorkbenchScreen

FILTER_DELAY = 0.15  # seconds of no typing before a filter applies (tests shorten it)

Row = tuple[str, Any, Sequence[Any]]  # (row key, record, cells)


@dataclass(frozen=True)
class Spot:
    """Where the cursor was: its row key and the keys in the order they were shown."""

    key: str
    order: tuple[str, ...] = ()

    def nearest(self) -> Iterator[str]:
        """The key itself, then its neighbours by distance (the next one first)."""
        yield self.key
        if self.key not in self.order:
            return
        at = self.order.index(self.key)
        for step in range(1, len(self.order)):
            for i in (at + step, at - step):
                if 0 <= i < len(self.order):
                    yield self.order[i]


KEEP = Spot("")  # `fill(keep=KEEP)`: wherever the cursor is now


class ListPane(WorkbenchScreen):
    """A pane around one DataTable of records. Subclasses set `LIST` (the table's id),
    optionally `FILTER` (a filter Input's id) and `PALETTE_GROUP` (the palette's prefix)."""

    LIST: ClassVar[str] = ""
    FILTER: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[str, Any] = {}  # row key -> record, for the rows in the table
        self.filter_text = ""  # the filter applied (what is typed may be ahead of it)
        self._pending_filter: str | None = None
        self._filter_timer: Timer | None = None

    # --- rows and the cursor ------------------------------------------------------------------
    @property
    def list_table(self) -> DataTable:
        return self.query_one(f"#{self.LIST}", DataTable)

    def current_key(self) -> str | None:
        """The row key under the cursor (None before mount or on an empty list)."""
        if not self.is_mounted:
            return None
        table = self.list_table
        if not 0 <= table.cursor_row < table.row_count:
            return None
        return table.ordered_rows[table.cursor_row].key.value

    def current(self) -> Any:
        """The record under the cursor, or None."""
        key = self.current_key()
        return None if key is None else self.records.get(key)

    def spot(self, exact: bool = False) -> Spot | None:
        """Where the cursor is now, to `restore` after the rows change. `exact`: that record
        or none (a new filter: a neighbour of a row filtered out would be an arbitrary one)."""
        key = self.current_key()
        if key is None or exact:
            return None if key is None else Spot(key)
        return Spot(key, tuple(str(row.key.value) for row in self.list_table.ordered_rows))

    def fill(self, rows: Iterable[Row], keep: Spot | str | None = KEEP) -> None:
        """Replace every row; the cursor stays on its record (or goes to `keep`), else on the
        nearest one still shown."""
        spot = self.spot() if keep is KEEP else keep
        self.list_table.clear()
        self.records = {}
        self.add_rows(rows)
        self.restore(spot)

    def add_rows(self, rows: Iterable[Row]) -> None:
        """Append rows (a next page); the cursor does not move."""
        table = self.list_table
        for key, record, cells in rows:
            if key in self.records:
                continue
            self.records[key] = record
            table.add_row(*cells, key=key)

    def restore(self, spot: Spot | str | None) -> bool:
        """Move the cursor to `spot`'s record or its nearest neighbour still shown; False when
        none is (the cursor stays)."""
        if spot is None:
            return False
        if isinstance(spot, str):
            spot = Spot(spot)
        table = self.list_table
        for key in spot.nearest():
            if key in self.records:
                table.move_cursor(row=table.get_row_index(key))
                return True
        return False

    # --- the filter field ---------------------------------------------------------------------
    @on(Input.Changed)
    def _filter_typed(self, event: Input.Changed) -> None:
        """Debounced: the list is rebuilt once typing pauses, not once per key."""
        if not self.FILTER or event.input.id != self.FILTER:
            return
        self._pending_filter = event.value
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self.apply_filter)

    @on(Input.Submitted)
    def _filter_entered(self, event: Input.Submitted) -> None:
        if not self.FILTER or event.input.id != self.FILTER:
            return
        self.apply_filter()
        self.filter_submitted(event.value)

    def apply_filter(self) -> None:
        """Apply what was typed now (the pause came, or Enter was pressed)."""
        value = self._pending_filter
        self.drop_pending_filter()
        if value is not None and value != self.filter_text:
            self.filter_text = value
            self.filter_changed()

    def drop_pending_filter(self) -> None:
        """Forget what was typed but not applied (the field is being cleared)."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        self._pending_filter = None

    def clear_filter_field(self) -> None:
        """Empty the field and the applied filter at once (no `filter_changed`)."""
        self.drop_pending_filter()
        if self.FILTER:
            self.query_one(f"#{self.FILTER}", Input).value = ""
        self.filter_text = ""

    def filter_changed(self) -> None:
        """`filter_text` changed: show the rows that match."""

    def filter_submitted(self, value: str) -> None:
        """Enter in the filter field (the filter is applied already): back to the list."""
        self.list_table.focus()

    # --- confirm, then act --------------------------------------------------------------------
    def confirm(self, question: str, then: Callable[[], Any]) -> None:
        """Ask `question` (escape or n: no); `then()` only on yes."""
        from workbench.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmScreen(question), answered)

    # --- the command palette ------------------------------------------------------------------
