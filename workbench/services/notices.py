"""Every notice of the session, kept for the notices log (the toasts show one line of each).

Plain text only: a notice that was markup is stored as the text it showed, so the log screen
never interprets anything a server or a file put into a message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

LIMIT = 2000  # a long session's notices; the oldest go first


@dataclass(frozen=True)
class Notice:
    message: str
    title: str = ""
    severity: str = "information"
    at: float = field(default_factory=time.time)

    @property
    def line(self) -> str:
        """One line: the title and the message's first line (the toast's text)."""
        first, _, rest = self.message.strip().partition("\n")
        text = f"{self.title}: {first}" if self.title else first
        return f"{text} … (alt+n: all of it)" if rest.strip() else text

    @property
    def clock(self) -> str:
        return time.strftime("%H:%M:%S", time.localtime(self.at))


class NoticeLog:
    def __init__(self) -> None:
        self.entries: list[Notice] = []

    def add(self, notice: Notice) -> Notice:
        self.entries.append(notice)
        del self.entries[:-LIMIT]
        return notice

    def __len__(self) -> int:
        return len(self.entries)
