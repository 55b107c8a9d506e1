"""The composer's replies, one ReplyView per run, newest last; `/` or ctrl+f finds in them.

Until the first reply it shows how to start, and the five keys that matter most."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.ui.widgets.find_bar import FindKeys, find_keys

if TYPE_CHECKING:
    from workbench.services.composer import Change
    from workbench.ui.widgets.reply_view import ReplyView


FIRST_KEYS = ("Keys that matter most: ctrl+r run · alt+a reply into the next turn · "
              "alt+p parameters · ctrl+s save prompt · F1 help (ctrl+q quits)")


class Transcript(FindKeys, VerticalScroll):
    ALLOW_MAXIMIZE = True  # alt+m: the replies fill the screen
    BINDINGS = [Binding("slash,ctrl+f", "find", "Find", id="transcript.find", show=False),
                *find_keys("transcript")]

    def compose(self) -> ComposeResult:
        yield Static("Replies appear here. ctrl+r runs the request.\n\n" + FIRST_KEYS,
                     id="transcript-hint", markup=False)

    def find_text(self) -> str:
        """The replies shown, as text: each one's header line and its text."""
        from workbench.ui.widgets.reply_view import ReplyView

        return "\n\n".join(f"#{r.run_no} assistant · {r.model}\n{r.prefill}{r.text}"
                            for r in self.query_children(ReplyView) if r.display)

    def action_find(self) -> None:
        """The find bar at the bottom of the replies, which stay where they are."""
        from workbench.ui.screens.find import open_find, shown_statics

        if not self.find_text():
            self.notify("no reply to search yet: ctrl+r runs the request", severity="warning")
            return
        open_find(self, "the replies", lambda: shown_statics(self), view=self)

    def add_reply(self, model: str, number: int, prefill: str = "") -> ReplyView:
        from workbench.ui.widgets.reply_view import ReplyView

        self.show_hint(False)
        reply = ReplyView(model, number, prefill)
        self.mount(reply)
        self.scroll_end(animate=False)
        return reply

    def show_hint(self, shown: bool) -> None:
        self.query_one("#transcript-hint").display = shown

    async def apply(self, change: Change) -> None:
        """Replies a clear, an undo or an opened draft set aside, brought back or let go."""
        for reply in change.hide:
            reply.display = False  # type: ignore[attr-defined]
        for reply in change.show:
            reply.display = True  # type: ignore[attr-defined]
        for reply in change.drop:
            await reply.remove()  # type: ignore[attr-defined]
        if change.hide or change.show:
            self.scroll_end(animate=False)
