"""The notices log (alt+n): every notice of the session in full, newest last.

Toasts show one line; the whole message (an error's details, where its log file is) is here.
Messages are data: shown as plain text, never as markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.services.notices import Notice, NoticeLog
from workbench.ui.widgets.find_bar import FindKeys, find_keys

MARKS = {"information": "·", "warning": "!", "error": "✗"}


def notice_content(notice: Notice) -> Content:
    head = f"{notice.clock} {MARKS.get(notice.severity, '·')} "
    title = f"{notice.title}: " if notice.title else ""
    return Content.assemble((head, "dim"), (title, "bold"), notice.message)


class NoticesScreen(FindKeys, ModalScreen[None]):
    CSS_PATH = "notices.tcss"
    BINDINGS = [Binding("escape,alt+n", "close", "Close", id="notices.close"),
                Binding("ctrl+f,slash", "find", "Find", id="notices.find"),
                *find_keys("notices", escape=False)]

    def __init__(self, log: NoticeLog) -> None:
        super().__init__()
        self.log_ = log

    def compose(self) -> ComposeResult:
        entries = self.log_.entries
        with Vertical():
            yield Static(f"Notices of this session ({len(entries)})  · / finds · esc closes",
                         classes="title")
            with VerticalScroll(id="notices-list", can_focus=True):
                if not entries:
                    yield Static("no notices yet", classes="empty")
                for notice in entries:
                    yield Static(notice_content(notice), classes=f"notice -{notice.severity}")

    def on_mount(self) -> None:
        scroll = self.query_one("#notices-list")
        scroll.focus()
        scroll.scroll_end(animate=False)

    def text(self) -> str:
        return "\n".join(notice_content(n).plain for n in self.log_.entries)

    def action_find(self) -> None:
        from workbench.ui.screens.find import open_find, shown_statics

        scroll = self.query_one("#notices-list")
        open_find(scroll, "the notices", lambda: shown_statics(scroll), view=scroll)

    def action_close(self) -> None:
        if (bar := self.find_bar()) is not None:  # esc in the list closes find first
            bar.action_close()
            return
        self.dismiss(None)
