"""Every HTTP exchange, recorded for the inspector: bounded, and the key never stored.

Memory stays bounded however long a session runs or a stream gets: only the last
`max_exchanges` are kept and at most `max_bytes` of them, bodies and each event's data are
capped (with a marker saying how much was left out), and a stream keeps its first and last
events within a byte budget. What the caller receives is never truncated — only this record is.
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
EVENT_DATA_CAP = 64 * 1024  # one event's data as kept (a delta is a few bytes)
EVENTS_BYTES = 2 * 1024 * 1024  # for the head, and again for the tail, of one stream
RECORDER_BYTES = 64 * 1024 * 1024  # all kept exchanges together

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


def cap_body(data: bytes, cap: int = BODY_CAP) -> str:
    """A response body as kept text: only its first `cap` bytes are ever decoded."""
    if len(data) <= cap:
        return data.decode("utf-8", "replace")
    return data[:cap].decode("utf-8", "replace") + f"\n… ({len(data) - cap} more bytes not kept)"


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
    event_count: int = 0  # complete events received (the stream's idle clock watches it)
    _tail: deque | None = None
    _head_bytes: int = 0
    _tail_bytes: int = 0

    def add_event(self, t: float, name: str, data: str) -> None:
        """Keep the first EVENTS_HEAD and the last EVENTS_TAIL events of a stream, each part
        within EVENTS_BYTES, and each event's data within EVENT_DATA_CAP."""
        self.event_count += 1
        if len(data) > EVENT_DATA_CAP:
            data = cap_text(data, EVENT_DATA_CAP)
        size = len(data) + len(name) + 32
        if self._tail is None and len(self.events) < EVENTS_HEAD and (
                self._head_bytes + size <= EVENTS_BYTES):
            self.events.append((t, name, data))
            self._head_bytes += size
            return
        if self._tail is None:
            self._tail = deque()
        tail = self._tail
        tail.append((t, name, data))
        self._tail_bytes += size
        while len(tail) > 1 and (len(tail) > EVENTS_TAIL or self._tail_bytes > EVENTS_BYTES):
            _, old_name, old_data = tail.popleft()
            self._tail_bytes -= len(old_data) + len(old_name) + 32
            self.events_dropped += 1

    def seal_events(self) -> None:
        """Move the kept tail after the head, with a marker where events were left out."""
        if not self._tail:
            return
        if self.events_dropped:
            t = self._tail[0][0]
            self.events.append((t, "…", f"{self.events_dropped} events not kept"))
        self.events.extend(self._tail)
        self._head_bytes += self._tail_bytes
        self._tail = None
        self._tail_bytes = 0

    def size(self) -> int:
        """About how many bytes this record holds (characters of its texts)."""
        return (len(self.request_body) + len(self.response_body or "") + self._head_bytes
                + self._tail_bytes + len(self.error or "") + 512)

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
    """The last `max_exchanges` exchanges (and at most about `max_bytes` of them), newest
    last; subscribers hear starts and ends."""

    def __init__(self, max_exchanges: int = 200, max_bytes: int = RECORDER_BYTES) -> None:
        self._exchanges: deque[Exchange] = deque(maxlen=max_exchanges)
        self._subscribers: list[Subscriber] = []
        self.max_bytes = max_bytes
        self._sizes: dict[int, int] = {}  # finished exchange id -> its size when it finished
        self._bytes = 0

    @property
    def exchanges(self) -> list[Exchange]:
        return list(self._exchanges)

    def __len__(self) -> int:
        return len(self._exchanges)

    @property
    def kept_bytes(self) -> int:
        """About how many bytes the finished exchanges kept here hold."""
        return self._bytes

    def clear(self) -> None:
        self._exchanges.clear()
        self._sizes.clear()
        self._bytes = 0

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """`callback(exchange)` on start, on each retry and at the end; returns an unsubscribe."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def start(self, exchange: Exchange) -> None:
        exchanges = self._exchanges
        if exchanges.maxlen is not None and len(exchanges) == exchanges.maxlen:
            self._forget(exchanges[0])
        exchanges.append(exchange)
        self.notify(exchange)

    def finish(self, exchange: Exchange) -> None:
        if exchange.done_at is None:
            exchange.done_at = time.monotonic()
        exchange.seal_events()
        size = exchange.size()
        self._bytes += size - self._sizes.get(exchange.id, 0)
        self._sizes[exchange.id] = size
        exchanges = self._exchanges
        while self._bytes > self.max_bytes and len(exchanges) > 1 and exchanges[0] is not exchange:
            self._forget(exchanges.popleft())
        self.notify(exchange)

    def _forget(self, exchange: Exchange) -> None:
        self._bytes -= self._sizes.pop(exchange.id, 0)

    def notify(self, exchange: Exchange) -> None:
        for callback in self._subscribers:
            try:
                callback(exchange)
            except Exception:  # an observer must not break another pane's request: logged
                logging.getLogger("workbench").exception("an exchange observer failed")
