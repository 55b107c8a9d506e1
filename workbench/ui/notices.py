"""Notices: one line on screen, every one of them kept in the session's notices log (alt+n).

The App's `notify` (its public signature) is where every notice passes, a widget's and a
screen's too: the full title and message go into `app.notices`; the toast shows one line (the
title and the first line of the message, cut with an ellipsis when the terminal is narrow),
so toasts no longer stack up over the tables and the parameter line (workbench.tcss keeps a
toast to one line). Details are in the log.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from textual.content import Content
from textual.markup import MarkupError

from workbench.services.notices import Notice, NoticeLog


def plain(message: str, markup: bool) -> str:
    if not markup:
        return message
    try:
        return Content.from_markup(message).plain
    except MarkupError:  # not valid markup: Textual would show it as it is
        return message


class Notices:
    """App mixin: the notices log and one-line toasts."""

    @cached_property
    def notices(self) -> NoticeLog:
        return NoticeLog()

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        notice = self.notices.add(Notice(plain(str(message), markup), title, str(severity)))
        super().notify(notice.line, severity=severity, timeout=timeout,  # type: ignore[misc]
                       markup=False)

    def action_notices(self) -> None:
        from workbench.ui.screens.notices import NoticesScreen

        self.push_screen(NoticesScreen(self.notices))  # type: ignore[attr-defined]
