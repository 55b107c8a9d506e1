"""`MessageStream`: a streamed Messages call as typed events plus an always-current snapshot.

Whatever happens — the caller breaks out, the task is cancelled, `close()` is awaited, the
connection is cut or the server sends an `error` event — `stream.snapshot` keeps what arrived
and the exchange record says how it ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx

from workbench.api.accumulate import accumulate, parse_event
from workbench.api.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    MalformedResponseError,
    UnexpectedResponseError,
)
from workbench.api.eventstream import decoder_for
from workbench.api.recording import Exchange, ExchangeRecorder
from workbench.api.sse import SSEDecoder
from workbench.api.types import Message, StreamEvent

__all__ = ["MessageStream", "accumulate", "parse_event"]

HEAD_BYTES = 4096
Opener = Callable[[], Awaitable[tuple[httpx.Response, Exchange]]]


class MessageStream:
    """Async context manager and async iterator of typed stream events."""

    def __init__(self, opener: Opener, recorder: ExchangeRecorder) -> None:
        self._opener = opener
        self._recorder = recorder
        self._response: httpx.Response | None = None
        self._iterator: AsyncIterator[StreamEvent] | None = None
        self.exchange: Exchange | None = None
        self.snapshot: Message | None = None
        self.done = False  # message_stop arrived
        self.closed = False

    async def __aenter__(self) -> MessageStream:
        self._response, self.exchange = await self._opener()
        self._iterator = self._events()
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        reason = None
        if exc_type is not None and issubclass(exc_type, asyncio.CancelledError):
            reason = "cancelled"
        await self.close(reason)

    def __aiter__(self) -> AsyncIterator[StreamEvent]:
        if self._iterator is None:
            raise RuntimeError("use `async with client.messages.stream(...) as stream` first")
        return self._iterator

    async def text_deltas(self) -> AsyncIterator[str]:
        """Only the text as it arrives (text_delta events)."""
        async for event in self:
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                yield event.delta.text

    async def until_done(self) -> Message | None:
        """Drain the stream; the final Message."""
        async for _ in self:
            pass
        return self.snapshot

    get_final_message = until_done

    async def close(self, reason: str | None = None) -> None:
        """Stop reading now; the snapshot keeps what arrived. Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        ex = self.exchange
        if ex is not None and not ex.finished:
            ex.error = ex.error or (None if self.done else (reason or "closed by the caller"))
            ex.done_at = time.monotonic()
            self._recorder.finish(ex)
        if self._iterator is not None:
            with contextlib.suppress(Exception):
                await self._iterator.aclose()  # type: ignore[attr-defined]
        if self._response is not None:
            await self._response.aclose()

    async def _events(self) -> AsyncIterator[StreamEvent]:
        response = self._response
        ex = self.exchange
        assert response is not None and ex is not None
        # Bedrock frames its stream as AWS event-stream messages; everything else is SSE.
        decoder = decoder_for(response.headers.get("content-type")) or SSEDecoder()
        add_event = ex.add_event
        clock = time.monotonic
        snapshot = self.snapshot
        head = b""  # the first bytes, until an event arrives: to describe a non-SSE answer
        try:
            chunks = response.aiter_bytes()
            while True:
                try:
                    chunk = await chunks.__anext__()
                except StopAsyncIteration:
                    sses = decoder.flush()
                    last = True
                else:
                    sses = decoder.feed(chunk)
                    last = False
                    if not ex.events and len(head) < HEAD_BYTES:
                        head += chunk[:HEAD_BYTES]
                for sse in sses:
                    name = sse.event
                    add_event(clock(), name or "", sse.data)
                    if name is None:  # like the SDK: events without a name are skipped
                        continue
                    event = parse_event(name, sse.data)
                    snapshot = self.snapshot = accumulate(event, snapshot)
                    if event.type == "message_stop":
                        self.done = True
                    yield event
                if last:
                    break
            if head and not ex.events:
                raise UnexpectedResponseError(
                    response.status_code, head.decode("utf-8", "replace"),
                    response.headers.get("content-type"), where=f"{ex.method} {ex.url}",
                    problem="no server-sent events", request_id=ex.request_id,
                    headers=response.headers)
            if not self.done:
                raise APIConnectionError(
                    "the stream ended before message_stop", request_id=ex.request_id
                )
        except httpx.TimeoutException:
            self._end(APITimeoutError("stream timed out while reading",
                                      request_id=ex.request_id))
        except httpx.TransportError as exc:
            self._end(APIConnectionError(
                f"stream cut: {str(exc) or type(exc).__name__}", request_id=ex.request_id))
        except APIError as exc:
            if ex.request_id:  # the header's, else the error event's own (as the SDK)
                exc.request_id = ex.request_id
            self._end(exc)
        except (AttributeError, TypeError, KeyError, IndexError, ValueError,
                RecursionError) as exc:  # a shape no check foresaw: still a typed error
            self._end(MalformedResponseError(
                f"malformed event stream ({type(exc).__name__}: {str(exc)[:200]})",
                request_id=ex.request_id, status=response.status_code))
        else:
            ex.done_at = clock()
            self._recorder.finish(ex)

    def _end(self, error: APIError) -> None:
        ex = self.exchange
        assert ex is not None
        ex.error = str(error)
        ex.done_at = time.monotonic()
        self._recorder.finish(ex)
        raise error
