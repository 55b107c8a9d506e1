"""Deadlines and size bounds for what a server sends back, so no server can hang or exhaust us.

A response body is read through `BoundedStream`, which decompresses gzip/deflate itself in
pieces of at most `PIECE` bytes (a 500 KB gzip bomb never becomes 2.6 GB: it stops at the
bound), counts what arrives against a limit, and for streams keeps an idle clock that only a
*complete* server-sent event resets (a server trickling one byte every few seconds cannot keep
a dead stream alive). Every way out is one of our typed errors, with the request-id.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import zlib
from collections.abc import AsyncIterator, Callable, Iterator

import httpx

from workbench.api.errors import APIError, APITimeoutError, human_bytes

# The SDK's total timeout (600 s); ours spans every attempt and every wait between them.
DEFAULT_DEADLINE = 600.0
# Between two complete events of a stream (the SDK's read timeout, counted per event).
DEFAULT_STREAM_IDLE = 600.0
# A JSON answer (a Message of 128k output tokens is a few MB): the API's own 32 MB request
# limit, doubled for headroom.
MAX_JSON_BODY = 64 * 1024 * 1024
# Bytes of a stream without one complete event between them.
MAX_EVENT_BYTES = 64 * 1024 * 1024
# Largest piece handed on at a time, whatever a compressed chunk expands to.
PIECE = 1024 * 1024
# Pagination: a page cursor seen twice is a cycle; past these, the server is not ending.
MAX_PAGES = 1000
MAX_ITEMS = 100_000

_DECODED = frozenset({"identity", "gzip", "x-gzip", "deflate"})


def env_seconds(name: str, default: float) -> float:
    """A positive number of seconds from the environment (WORKBENCH_DEADLINE, ...)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


class ResponseTooLargeError(APIError):
    """The answer grew past its bound: reading stopped there, nothing more was kept."""

    def __init__(self, what: str, limit: int, *, status: int | None = None,
                 request_id: str | None = None) -> None:
        self.limit = limit
        self.status = status
        super().__init__(f"{what} is over {human_bytes(limit)}: reading stopped there",
                         request_id=request_id)


class MalformedResponseError(APIError):
    """The answer cannot be decoded (bad gzip, not JSON, JSON nested too deep, ...)."""

    def __init__(self, message: str, *, status: int | None = None,
                 request_id: str | None = None) -> None:
        self.status = status
        super().__init__(message, request_id=request_id)


class PaginationError(APIError):
    """A list that does not end: a cursor came back twice, or too many pages or items."""


class _Inflate:
    """zlib in bounded pieces (gzip or deflate, zlib-wrapped or raw, as httpx accepts)."""

    def __init__(self, encoding: str) -> None:
        self.raw_fallback = encoding == "deflate"
        wbits = zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self.d = zlib.decompressobj(wbits)
        self.started = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        buf = data
        while True:
            try:
                out = self.d.decompress(buf, PIECE)
            except zlib.error:
                if self.raw_fallback and not self.started:
                    self.raw_fallback = False
                    self.d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise
            self.started = True
            if out:
                yield out
            buf = self.d.unconsumed_tail
            if not buf and len(out) < PIECE:
                return

    def finish(self) -> Iterator[bytes]:
        yield from self.decode(b"")
        if self.started and not self.d.eof:
            raise zlib.error("the compressed data ends early")


def take_encoding(response: httpx.Response) -> list[_Inflate] | None:
    """Decoders for the response's content-encoding, and the header removed so httpx does not
    decode again; None (header kept, httpx decodes) for an encoding we did not ask for."""
    raw = response.headers.get("content-encoding", "")
    names = [n.strip().lower() for n in raw.split(",") if n.strip()]
    if not names:
        return []
    if any(n not in _DECODED for n in names):
        return None
    del response.headers["content-encoding"]
    return [_Inflate(n) for n in reversed(names) if n != "identity"]


def _decode(decoders: list[_Inflate], chunk: bytes, final: bool = False) -> Iterator[bytes]:
    if not decoders:
        if chunk:
            yield chunk
        return
    first, rest = decoders[0], decoders[1:]
    pieces = first.decode(chunk) if not final else first.finish()
    for piece in pieces:
        yield from _decode(rest, piece)
    if final and rest:
        yield from _decode(rest, b"", final=True)


class _Idle:
    """One timer for a whole stream (a timeout per chunk would cost more than the decoding):
    when the idle time has passed since the last progress, it cancels the reading task, but
    only while that task waits for bytes (never in the middle of the caller's own work)."""

    def __init__(self, idle: float) -> None:
        self.idle = idle
        self.loop = asyncio.get_running_loop()
        self.moved_at = self.loop.time()
        self.waiting: asyncio.Task | None = None
        self.fired = False
        self.handle = self._at(self.moved_at + idle)

    def _at(self, when: float) -> asyncio.TimerHandle:
        # An empty context: a cancelled handle stays in the loop's heap until its time, and the
        # caller's context (a Textual screen, say) would stay alive with it for `idle` seconds.
        return self.loop.call_at(when, self._check, context=contextvars.Context())

    def moved(self) -> None:
        self.moved_at = self.loop.time()

    def wait(self) -> asyncio.Task | None:
        self.waiting = asyncio.current_task()
        return self.waiting

    def _check(self) -> None:
        now = self.loop.time()
        due = self.moved_at + self.idle
        if now < due:
            self.handle = self._at(due)
        elif self.waiting is None:  # the caller is busy with what it got: look again later
            self.handle = self._at(now + min(self.idle, 1.0))
        else:
            self.fired = True
            self.waiting.cancel()

    def close(self) -> None:
        self.handle.cancel()
        self.waiting = None


class BoundedStream(httpx.AsyncByteStream):
    """The response's byte stream, decoded in bounded pieces and cut at a bound.

    `limit`: bytes allowed in all (None: no total bound, e.g. a download to disk), or, when
    `progress` is given, bytes allowed while `progress()` does not change. `line_limit`: bytes
    allowed without a newline (JSONL read line by line). `idle`: seconds
    allowed while `progress()` does not change (streams: the count of complete events), or
    between two chunks when there is no `progress`.
    """

    def __init__(
        self, inner: httpx.AsyncByteStream, decoders: list[_Inflate] | None, *, what: str,
        limit: int | None, idle: float | None = None,
        progress: Callable[[], object] | None = None, status: int | None = None,
        request_id: str | None = None, line_limit: int | None = None,
    ) -> None:
        self._inner = inner
        self._decoders = decoders or []
        self._what = what
        self._limit = limit
        self._idle = idle
        self._progress = progress
        self._status = status
        self._request_id = request_id
        self._line_limit = line_limit
        self._watchdog: _Idle | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        progress = self._progress
        mark = progress() if progress else None
        counted = 0
        line = 0  # bytes since the last newline (JSONL read line by line)
        line_limit = self._line_limit
        watchdog = self._watchdog = _Idle(self._idle) if self._idle is not None else None
        chunks = self._inner.__aiter__()
        try:
            while True:
                if progress is not None:
                    now = progress()
                    if now != mark:
                        mark, counted = now, 0
                        if watchdog is not None:
                            watchdog.moved()
                task = watchdog.wait() if watchdog is not None else None
                try:
                    chunk = await chunks.__anext__()
                except StopAsyncIteration:
                    final = True
                    chunk = b""
                except asyncio.CancelledError:
                    if watchdog is not None and task is not None and watchdog.fired \
                            and task.uncancel() == 0:
                        raise APITimeoutError(
                            f"{self._what}: nothing complete arrived for {self._idle:g} s",
                            request_id=self._request_id) from None
                    raise
                else:
                    final = False
                    if progress is None and watchdog is not None:
                        watchdog.moved()  # no event clock (a download): any byte is progress
                finally:
                    if watchdog is not None:
                        watchdog.waiting = None
                try:
                    for piece in _decode(self._decoders, chunk, final):
                        counted += len(piece)
                        if self._limit is not None and counted > self._limit:
                            raise ResponseTooLargeError(
                                self._what, self._limit, status=self._status,
                                request_id=self._request_id)
                        if line_limit is not None:
                            end = piece.rfind(b"\n")
                            line = len(piece) - end - 1 if end >= 0 else line + len(piece)
                            if line > line_limit:
                                raise ResponseTooLargeError(
                                    f"a line of {self._what}", line_limit, status=self._status,
                                    request_id=self._request_id)
                        yield piece
                except zlib.error as exc:
                    raise MalformedResponseError(
                        f"{self._what} could not be decompressed ({exc})", status=self._status,
                        request_id=self._request_id) from None
                if final:
                    return
        finally:
            if watchdog is not None:
                watchdog.close()

    async def aclose(self) -> None:
        if self._watchdog is not None:  # a stream left before its end: no timer lingers
            self._watchdog.close()
        await self._inner.aclose()
