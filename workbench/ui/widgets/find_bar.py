"""The find bar: docked at the bottom of the pane searched, which stays where the user was
reading, with every match marked in place (`find_marks`).

Keys in the field: enter (down, ctrl+n) the next match, shift+enter (up) the one before, alt+c
matches case, tab goes to the text (there n / N step, `/` comes back), esc closes.
The current match is drawn stronger than the others and kept on screen (centred when it was
off screen, not moved when it was on). Closing leaves the view where the last match was and
gives the focus back. Case-insensitive by default; the last search is offered again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from workbench.ui.focus import focus_now
from workbench.ui.widgets.find_marks import (
    LIMIT,
    AreaUnit,
    Span,
    StaticUnit,
    Unit,
    find_spans,
    pattern,
    reveal,
)
from workbench.ui.widgets.ordered_keys import OrderedInput

Match = tuple[Unit, int, int]  # unit, start, end (in the unit's joined text)


def shown_statics(root: Widget) -> list[Widget]:
    """The Statics under `root` that are drawn (not in a folded block or a hidden reply), in
    reading order; a find bar's own are not searched."""
    out: list[Widget] = []
    for static in root.query(Static):
        if type(static) is not Static:  # a fold's title, a label: they are controls
            continue
        node: Widget | None = static
        while node is not None and node is not root:
            if not node.display or isinstance(node, FindBar):
                break
            node = node.parent  # type: ignore[assignment]
        else:
            out.append(static)
    return out


class FindField(OrderedInput):
    """The query field. Ordered, so alt+p, alt+m, alt+h... run their bindings rather than
    type a letter; up and down step through the matches (an Input binds them to scrolling,
    which would come first)."""

    BINDINGS = [Binding("down", "step(1)", "Next match", show=False, id="find.field_next"),
                Binding("up", "step(-1)", "Previous match", show=False,
                        id="find.field_previous")]

    def action_step(self, by: int) -> None:
        self.query_ancestor(FindBar).action_step(by)


class FindBar(Vertical):
    HELP = """
## Find
Every match is marked where it is; the current one is drawn stronger.
`enter` / `down` / `ctrl+n` next · `shift+enter` / `up` previous · `alt+c` match case ·
`tab` to the text (there `n` / `N` step and `/` comes back here) · `esc` closes and leaves
the text where the last match was.
"""
    DEFAULT_CSS = """
    FindBar { dock: bottom; height: auto; background: $panel; padding: 0 1; }
    FindBar > Horizontal { height: 1; }
    FindBar #find-query { width: 1fr; }
    FindBar #find-count { width: auto; margin-left: 1; text-style: bold; }
    FindBar #find-count.-none { color: $text-error; }
    FindBar #find-keys { height: 1; color: $text-muted; text-wrap: nowrap;
                         text-overflow: ellipsis; }
    FindBar .find--match { background: $warning-muted; color: $foreground; }
    FindBar .find--current { background: $warning; color: $background; text-style: bold; }
    """
    COMPONENT_CLASSES = {"find--match", "find--current"}
    BINDINGS = [
        Binding("escape", "close", "Close find", id="find.close"),
        # (not ctrl+p nor F3: the command palette's and the Models pane's, before any widget's)
        Binding("shift+enter,up", "step(-1)", "Previous match", id="find.previous"),
        Binding("down,ctrl+n", "step(1)", "Next match", id="find.next"),
        Binding("alt+c", "toggle_case", "Match case", id="find.case"),
        Binding("tab", "to_text", "To the text", id="find.to_text", show=False),
    ]
    last_query = ""

    def __init__(self, what: str, collect: Callable[[], list[Widget]],
                 view: Widget | None = None) -> None:
        """`collect`: the widgets searched (Statics, TextAreas), in reading order; `view`: where
        the focus goes back (tab, esc)."""
        super().__init__()
        self.what = what
        self.collect = collect
        self.view = view
        self.case = False
        self.units: dict[Widget, Unit] = {}
        self.matches: list[Match] = []
        self.by_unit: dict[Unit, list[int]] = {}
        self.current = -1
        self.more = False  # more than LIMIT matches: only the first LIMIT are marked

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield FindField(FindBar.last_query, placeholder=f"find in {self.what}", compact=True,
                        id="find-query")
            yield Static("", id="find-count")
        yield Static("", id="find-keys")

    @property
    def field(self) -> Input:
        return self.query_one("#find-query", Input)

    def on_mount(self) -> None:
        focus_now(self.field)
        self._units()  # the marked drawings take the Statics' places: laid out by the search
        self.call_after_refresh(self.search)

    _drawn_width = -1
    _done = False

    def on_resize(self, event: events.Resize) -> None:
        """The pane got wider or narrower (a resize, alt+m): the text wraps anew, so it is drawn
        and searched again."""
        if self._drawn_width not in (-1, event.size.width):
            for unit in self.units.values():
                unit.restore()
            self.units.clear()
            self.call_after_refresh(self._redraw)
        self._drawn_width = event.size.width

    def _redraw(self) -> None:
        if not self._done:
            self._units()
            self.call_after_refresh(self.search)

    def drop(self) -> None:
        """The view is about to draw something new under the marks: find closes."""
        self.action_close()

    @on(Input.Changed, "#find-query")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        FindBar.last_query = event.value
        if self.is_mounted:
            self.search()

    @on(Input.Submitted, "#find-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_step(1)

    # --- searching ---------------------------------------------------------------------------
    def _units(self) -> list[Unit]:
        widgets = [w for w in self.collect() if w.is_mounted]
        for gone in set(self.units) - set(widgets):
            self.units.pop(gone).restore()
        units = []
        for widget in widgets:
            unit = self.units.get(widget)
            if unit is None:
                unit = AreaUnit(widget) if isinstance(widget, TextArea) \
                    else StaticUnit(widget)  # type: ignore[arg-type]
                self.units[widget] = unit
            unit.prepare()
            units.append(unit)
        return units

    def _anchor(self) -> int:
        """The screen row to search from: the current match's, else the top of the view."""
        if 0 <= self.current < len(self.matches):
            return self._row_y(self.current)
        host = self.parent
        return host.scrollable_content_region.y if isinstance(host, Widget) else 0

    def _row_y(self, index: int) -> int:
        unit, start, end = self.matches[index]
        pieces = unit.lines.pieces(start, end)
        return unit.screen_y(pieces[0][0]) if pieces else 0

    def search(self) -> None:
        anchor = self._anchor()
        found = pattern(self.field.value, self.case)
        old = set(self.by_unit)
        self.matches, self.by_unit, self.more = [], defaultdict(list), False
        units = self._units()
        if found is not None:
            for unit in units:
                left = LIMIT + 1 - len(self.matches)
                if left <= 0:
                    break
                for start, end in find_spans(unit.lines.text, found, left):
                    self.by_unit[unit].append(len(self.matches))
                    self.matches.append((unit, start, end))
        if len(self.matches) > LIMIT:
            self.more = True
            del self.matches[LIMIT:]
            for indexes in self.by_unit.values():
                indexes[:] = [i for i in indexes if i < LIMIT]
        self.current = next((i for i in range(len(self.matches))
                             if self._row_y(i) >= anchor), 0) if self.matches else -1
        self._mark(old | set(self.by_unit))
        self._show()

    def _mark(self, units: set[Unit]) -> None:
        soft = self.get_component_rich_style("find--match", partial=True)
        strong = self.get_component_rich_style("find--current", partial=True)
        for unit in units:
            spans: dict[int, list[Span]] = defaultdict(list)
            cells = isinstance(unit, StaticUnit)
            for index in self.by_unit.get(unit, ()):
                _unit, start, end = self.matches[index]
                style = strong if index == self.current else soft
                for row, a, b in unit.lines.pieces(start, end):
                    if cells:
                        a, b = unit.lines.cells(row, a, b)
                    spans[row].append((a, b, style))
            unit.mark(dict(spans))

    def _show(self) -> None:
        count = self.query_one("#find-count", Static)
        keys = Text("enter next · shift+enter previous · alt+c case "
                    f"{'on' if self.case else 'off'} · tab to the text · esc closes")
        count.set_class(False, "-none")
        if not self.field.value.strip():
            count.update("")
        elif not self.matches:
            count.update(Text("no match"))
            count.set_class(True, "-none")
        else:
            more = "+" if self.more else ""
            count.update(Text(f"{self.current + 1:,} of {len(self.matches):,}{more}"))
            if self.more:
                keys = Text(f"only the first {LIMIT:,} are marked · ") + keys
            unit, start, end = self.matches[self.current]
            pieces = unit.lines.pieces(start, end)
            if pieces:
                row, a, b = pieces[0]
                if isinstance(unit, StaticUnit):
                    a, b = unit.lines.cells(row, a, b)
                reveal(*unit.region(row, a, b))
        self.query_one("#find-keys", Static).update(keys)

    # --- actions -----------------------------------------------------------------------------
    def action_step(self, step: int) -> None:
        if not self.matches:
            return
        before = self.matches[self.current][0]
        self.current = (self.current + step) % len(self.matches)
        self._mark({before, self.matches[self.current][0]})
        self._show()

    def action_toggle_case(self) -> None:
        self.case = not self.case
        self.search()

    def action_to_text(self) -> None:
        view = self.view
        if isinstance(view, TextArea) and not view.read_only:
            self.action_close()  # an editor: typing goes on at the match (marks would go stale)
        elif view is not None and view.is_mounted:
            focus_now(view)

    def focus_field(self) -> None:
        focus_now(self.field)

    def action_close(self) -> None:
        if self._done:
            return
        self._done = True
        current = self.matches[self.current] if 0 <= self.current < len(self.matches) else None
        for unit in self.units.values():
            unit.restore()
        if current is not None and isinstance(current[0], AreaUnit):
            pieces = current[0].lines.pieces(current[1], current[2])
            if pieces:
                current[0].put_cursor(pieces[0][0], pieces[0][1])
        target = self.view if self.view is not None and self.view.is_mounted else self.parent
        self.remove()
        if isinstance(target, Widget) and target.focusable:
            focus_now(target)


def find_keys(prefix: str, *, escape: bool = True) -> list[Binding]:
    """n / N (and esc) for a view with `FindKeys`; they act only while a find bar is open."""
    keys = [Binding("n", "find_step(1)", "Next match", id=f"{prefix}.find_next", show=False),
            Binding("N,shift+n", "find_step(-1)", "Previous match", id=f"{prefix}.find_previous",
                    show=False)]
    if escape:
        keys.append(Binding("escape", "find_close", "Close find", id=f"{prefix}.find_close",
                            show=False))
    return keys


class FindKeys:
    """Mixin for a view (a widget or a screen) whose find bar lives inside it."""

    def find_bar(self) -> FindBar | None:
        return next(iter(self.query(FindBar)), None)  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("find_step", "find_close"):
            return self.find_bar() is not None
        return super().check_action(action, parameters)  # type: ignore[misc]

    def action_find_step(self, step: int) -> None:
        bar = self.find_bar()
        if bar is not None:
            bar.action_step(step)

    def action_find_close(self) -> Any:
        bar = self.find_bar()
        if bar is not None:
            bar.action_close()
