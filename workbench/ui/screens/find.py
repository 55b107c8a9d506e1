"""Find in a reply, the transcript, the inspector, a code view or the notices log (`/`, ctrl+f).

The text is shown read-only with the current match selected (highlighted) and scrolled into
view; enter goes to the next match, shift+enter to the one before, esc closes. Case-insensitive;
the last search is offered again the next time.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea
from textual.widgets.text_area import Selection


def find_all(text: str, query: str) -> list[int]:
    """Where `query` starts in `text`, case-insensitive (overlaps not counted)."""
    if not query:
        return []
    haystack, needle = text.lower(), query.lower()
    found, at = [], haystack.find(needle)
    while at >= 0:
        found.append(at)
        at = haystack.find(needle, at + len(needle))
    return found


def location(text: str, offset: int) -> tuple[int, int]:
    """(row, column) of a character offset, as TextArea counts them."""
    row = text.count("\n", 0, offset)
    return row, offset - (text.rfind("\n", 0, offset) + 1)


class FindScreen(ModalScreen[None]):
    CSS_PATH = "find.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="find.close"),
                Binding("shift+enter,ctrl+p", "step(-1)", "Previous", id="find.previous"),
                Binding("ctrl+n", "step(1)", "Next", id="find.next")]
    last_query = ""

    def __init__(self, what: str, text: str) -> None:
        super().__init__()
        self.what = what
        self.text = text
        self.matches: list[int] = []
        self.current = -1

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Find in {self.what}", classes="title")
            yield Input(FindScreen.last_query, placeholder="text to find (enter: next match)",
                        id="find-query")
            yield Static("", id="find-status")
            yield TextArea(self.text, read_only=True, soft_wrap=True, id="find-text")

    def on_mount(self) -> None:
        self.query_one("#find-query", Input).focus()
        self._search(FindScreen.last_query)

    @on(Input.Changed, "#find-query")
    def _changed(self, event: Input.Changed) -> None:
        FindScreen.last_query = event.value
        self._search(event.value)

    @on(Input.Submitted, "#find-query")
    def _submitted(self) -> None:
        self.action_step(1)

    def _search(self, query: str) -> None:
        self.matches = find_all(self.text, query)
        self.current = 0 if self.matches else -1
        self._show()

    def action_step(self, step: int) -> None:
        if self.matches:
            self.current = (self.current + step) % len(self.matches)
            self._show()

    def _show(self) -> None:
        status = self.query_one("#find-status", Static)
        area = self.query_one("#find-text", TextArea)
        query = self.query_one("#find-query", Input).value
        if not query:
            status.update("")
            return
        if not self.matches:
            status.update("no match")
            area.selection = Selection.cursor(area.cursor_location)
            return
        start = self.matches[self.current]
        area.selection = Selection(location(self.text, start),
                                   location(self.text, start + len(query)))
        area.scroll_cursor_visible(center=True, animate=False)
        status.update(f"match {self.current + 1} of {len(self.matches)}"
                      "  · enter next · shift+enter previous · esc closes")

    def action_close(self) -> None:
        self.dismiss(None)
