"""Every HTTP exchange, recorded for the inspector: bounded, and the key never stored.

Memory stays bounded however long a session runs or a stream gets: only the last
`max_exchanges` are kept, bodies are capped, and a stream keeps its first and last events.
What the caller receives is never truncated — only this record is.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

BODY_CAP = 256 * 1024
EVENTS_HEAD = 1000
EVENTS_TAIL = 1000

_ids = itertools.count(1)


def mask_key(key: str | None) -> str:
    """'sk-ant-api03-…' -> 'sk-ant-…abcd': enough to tell keys apart, useless to a thief."""
    if not key:
        return ""
    if len(key) <= 12:
        return "…" + key[-2:] if len(key) > 4 else "…"
    prefix = "sk-ant-" if key.startswith("sk-ant-") else key[:3]
    return f"{prefix}…{key[-4:]}"


def cap_text(text: str, cap: int = BODY_CAP) -> str:
    if len(text) <= cap:
        return text
    return text[:cap] + f"\n… ({len(text) - cap} more characters not kept)"


@dataclass(slots=True)
class RetryRecord:
    attempt: int  # 1 = the first retry
    reason: str  # "429 rate_limit_error", "connection error: …"
    delay: float  # seconds waited before the retry


@dataclass(slots=True, eq=False)
class Exchange:
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str = ""
    id: int = field(default_factory=lambda: next(_ids))
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str | None = None
    events: list[tuple[float, str, str]] = field(default_factory=list)
    events_dropped: int = 0
    sent_at: float | None = None
    first_byte_at: float | None = None
    done_at: float | None = None
    started_wall: float = field(default_factory=time.time)
    retries: list[RetryRecord] = field(default_factory=list)
    error: str | None = None
    request_id: str | None = None
    _tail: deque | None = None

    def add_event(self, t: float, name: str, data: str) -> None:
        """Keep the first EVENTS_HEAD and the last EVENTS_TAIL events of a stream."""
        if len(self.events) < EVENTS_HEAD:
            self.events.append((t, name, data))
            return
        if self._tail is None:
            self._tail = deque(maxlen=EVENTS_TAIL)
        if len(self._tail) == EVENTS_TAIL:
            self.events_dropped += 1
        self._tail.append((t, name, data))

    def seal_events(self) -> None:
        """Move the kept tail after the head, with a marker where events were left out."""
        if not self._tail:
            return
        if self.events_dropped:
            t = self._tail[0][0]
            self.events.append((t, "…", f"{self.events_dropped} events not kept"))
        self.events.extend(self._tail)
        self._tail = None

    @property
    def duration(self) -> float | None:
        if self.sent_at is None or self.done_at is None:
            return None
        return self.done_at - self.sent_at

    @property
    def ttfb(self) -> float | None:
        if self.sent_at is None or self.first_byte_at is None:
            return None
        return self.first_byte_at - self.sent_at

    @property
    def finished(self) -> bool:
        return self.done_at is not None


Subscriber = Callable[[Exchange], None]


class ExchangeRecorder:
    """The last `max_exchanges` exchanges, newest last; subscribers hear starts and ends."""

    def __init__(self, max_exchanges: int = 200) -> None:
        self._exchanges: deque[Exchange] = deque(maxlen=max_exchanges)
        self._subscribers: list[Subscriber] = []

    @property
    def exchanges(self) -> list[Exchange]:
        return list(self._exchanges)

    def __len__(self) -> int:
        return len(self._exchanges)

    def clear(self) -> None:
        self._exchanges.clear()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """`callback(exchange)` on start, on each retry and at the end; returns an unsubscribe."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def start(self, exchange: Exchange) -> None:
        self._exchanges.append(exchange)
        self.notify(exchange)

    def finish(self, exchange: Exchange) -> None:
        if exchange.done_at is None:
            exchange.done_at = time.monotonic()
        exchange.seal_events()
        self.notify(exchange)

    def notify(self, exchange: Exchange) -> None:
        for callback in self._subscribers:
            try:
                callback(exchange)
            except Exception:  # an observer must not break another pane's request: logged
                logging.getLogger("workbench").exception("an exchange observer failed")
