"""The composer's replies, one ReplyView per run, newest last."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

if TYPE_CHECKING:
    from workbench.services.composer import Change
    from workbench.ui.widgets.reply_view import ReplyView


class Transcript(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield Static("Replies appear here. ctrl+r runs the request.", id="transcript-hint")

    def add_reply(self, model: str, number: int) -> ReplyView:
        from workbench.ui.widgets.reply_view import ReplyView

        self.show_hint(False)
        reply = ReplyView(model, number)
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
