"""Crash-safe autosave of the composer's draft: debounced, with a maximum wait.

Snapshots are taken on the event loop (cheap dict copies) and written in a thread (SQLite);
numbered when taken, they land in that order whatever the threads do. A burst of edits is
saved once it pauses, yet never later than `max_wait` after its first edit, so a kill -9 while
typing loses at most about that much. Textual-free: plain asyncio.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Autosave(Generic[T]):
    def __init__(self, slot: str, snapshot: Callable[[], T],
                 write: Callable[[str, T], None],
                 on_error: Callable[[Exception], None]) -> None:
        self.slot = slot
        self._snapshot = snapshot
        self._saver: OrderedSaver[T] = OrderedSaver(write)
        self._on_error = on_error
        self._handle: asyncio.TimerHandle | None = None
        self._dirty_since: float | None = None
        self._writing: set[asyncio.Future[Any]] = set()
        self._failed = False  # the last write failed: the next flush tries again

    @property
    def pending(self) -> bool:
        return self._handle is not None

    def changed(self, debounce: float, max_wait: float) -> None:
        """Something changed: save after `debounce` s of quiet, at most `max_wait` s from now."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (the CLI): nothing autosaves
            return
        now = loop.time()
        if self._dirty_since is None:
            self._dirty_since = now
        if self._handle is not None:
            self._handle.cancel()
        delay = min(debounce, max(0.0, self._dirty_since + max_wait - now))
        self._handle = loop.call_later(delay, self.save_now)

    def save_now(self) -> asyncio.Future[Any]:
        """Write a snapshot taken now, in a thread."""
        if self._handle is not None:
            self._handle.cancel()
        self._handle, self._dirty_since = None, None
        number = self._saver.take()
        future = asyncio.ensure_future(
            asyncio.to_thread(self._saver.save, number, self.slot, self._snapshot()))
        self._writing.add(future)
        future.add_done_callback(self._written)
        return future

    def _written(self, future: asyncio.Future[Any]) -> None:
        self._writing.discard(future)
        self._failed = not future.cancelled() and future.exception() is not None
        if self._failed:
            self._on_error(future.exception())  # type: ignore[arg-type]

    async def flush(self) -> None:
        """Write what is pending now and wait until every write has landed."""
        if self._handle is not None or self._failed:
            self.save_now()
        await asyncio.gather(*self._writing, return_exceptions=True)


class OrderedSaver(Generic[T]):
    """Autosave snapshots land in the order they were taken, whatever threads write them.

    Each snapshot gets a number when it is taken (on the UI thread, `take()`); `save()` writes
    under a lock and skips a snapshot older than the last one written for the same slot. So two
    saves racing in worker threads can never leave an older draft on disk over a newer one.
    A snapshot is whatever `write` takes (the composer's: its draft and its set-aside).
    """

    def __init__(self, write: Callable[[str, T], None]) -> None:
        self._write = write
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._written: dict[str, int] = {}

    def take(self) -> int:
        """The number of a snapshot taken now (call it where the snapshot is taken)."""
        return next(self._numbers)

    def save(self, number: int, slot: str, data: T) -> bool:
        """Write snapshot `number` unless a newer one for `slot` is already written; errors
        from `write` propagate (and the snapshot does not count as written)."""
        with self._lock:
            if number <= self._written.get(slot, 0):
                return False
            self._write(slot, data)
            self._written[slot] = number
            return True
