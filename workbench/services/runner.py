"""Run one request as a stream and measure it: TTFT, tokens/s, the final or partial Message.

Headless, so the composer, the compare pane and tests share it. The caller passes a callback
for each stream event; on cancel or error the `RunResult` still holds what arrived.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["running", "complete", "cancelled", "failed"]


@dataclass
class RunResult:
    body: dict[str, Any]
    status: Status = "running"
    message: Any = None              # workbench.api.types.Message (final or partial)
    error: Exception | None = None
    started: float = field(default_factory=time.monotonic)
    first_token_at: float | None = None
    finished_at: float | None = None
    request_id: str | None = None
    exchange: Any = None

    @property
    def ttft(self) -> float | None:
        return None if self.first_token_at is None else self.first_token_at - self.started

    @property
    def duration(self) -> float | None:
        return None if self.finished_at is None else self.finished_at - self.started

    @property
    def output_tokens(self) -> int:
        usage = getattr(self.message, "usage", None)
        return int(getattr(usage, "output_tokens", 0) or 0)

    @property
    def tokens_per_second(self) -> float | None:
        if self.first_token_at is None or self.finished_at is None:
            return None
        span = self.finished_at - self.first_token_at
        return self.output_tokens / span if span > 0 else None

    @property
    def text(self) -> str:
        return getattr(self.message, "text", "") if self.message is not None else ""


async def run_stream(client: Any, body: dict[str, Any], result: RunResult,
                     on_event: Callable[[Any], None]) -> RunResult:
    """Stream `body` through `client`, filling `result` as events arrive.

    Cancellation (the caller's task is cancelled) propagates, with `result.status` set to
    "cancelled" first; API errors are caught into `result.error` with status "failed".
    """
    from workbench.api.errors import APIError

    try:
        async with client.messages.stream(body) as stream:
            result.exchange = stream.exchange
            async for event in stream:
                if result.first_token_at is None and event.type == "content_block_delta":
                    result.first_token_at = time.monotonic()
                result.message = stream.snapshot
                on_event(event)
            result.message = stream.snapshot
        result.status = "complete"
    except BaseException as exc:
        import asyncio

        snapshot = getattr(locals().get("stream"), "snapshot", None)
        if snapshot is not None:
            result.message = snapshot
        if isinstance(exc, asyncio.CancelledError):
            result.status = "cancelled"
            raise
        if not isinstance(exc, APIError):
            result.status = "failed"
            result.error = exc
            raise
        result.status = "failed"
        result.error = exc
    finally:
        result.finished_at = time.monotonic()
        ex = result.exchange
        result.request_id = getattr(ex, "request_id", None) or getattr(
            result.error, "request_id", None)
    return result
