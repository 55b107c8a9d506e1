"""Run one request as a stream and measure it: TTFT, tokens/s, the final or partial Message.

Headless, so the composer, the compare pane and tests share it. The caller passes a callback
for each stream event; on cancel or error the `RunResult` still holds what arrived.

Output tokens come from the usage of the `message_delta` event, which carries the final count.
A run cut short (cancelled, failed) never gets that event: the usage it holds is
`message_start`'s placeholder (`output_tokens: 1`), so the output is then counted from what
really arrived with the local estimator, and marked as an estimate.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["running", "complete", "cancelled", "failed"]
USAGE_FIELDS = ("input_tokens", "output_tokens", "cache_creation_input_tokens",
                "cache_read_input_tokens")
ESTIMATED_MARK = "output_tokens_estimated"  # in a stored usage: output counted locally


@dataclass
class RunResult:
    body: dict[str, Any]
    status: Status = "running"
    message: Any = None              # workbench.api.types.Message (final or partial)
    error: Exception | None = None
    started: float = field(default_factory=time.monotonic)
    first_token_at: float | None = None
    last_token_at: float | None = None   # the last content delta: the end of what streamed
    finished_at: float | None = None
    final_usage: bool = False            # message_delta (the final count) arrived
    request_id: str | None = None
    exchange: Any = None
    betas: tuple[str, ...] = ()          # the request's anthropic-beta names (History keeps them)

    @property
    def ttft(self) -> float | None:
        return None if self.first_token_at is None else self.first_token_at - self.started

    @property
    def duration(self) -> float | None:
        return None if self.finished_at is None else self.finished_at - self.started

    @property
    def output_estimated(self) -> bool:
        """True when the output count is ours, from the received content, not the API's."""
        return self.message is not None and not self.final_usage

    @property
    def output_tokens(self) -> int:
        if self.message is None:
            return 0
        if self.final_usage:
            usage = getattr(self.message, "usage", None)
            return int(getattr(usage, "output_tokens", 0) or 0)
        return estimate_output(self.message)

    @property
    def tokens_per_second(self) -> float | None:
        """Over the time tokens actually streamed (first to last content delta); a reply that
        came in one delta is measured to the end of the stream instead."""
        if self.first_token_at is None or self.last_token_at is None:
            return None
        span = self.last_token_at - self.first_token_at
        if span <= 0 and self.finished_at is not None:
            span = self.finished_at - self.first_token_at
        return self.output_tokens / span if span > 0 else None

    @property
    def text(self) -> str:
        return getattr(self.message, "text", "") if self.message is not None else ""

    def usage(self) -> dict[str, Any] | None:
        """The usage to show, price and store: the API's, with the output count estimated
        (and marked) when the final count never arrived."""
        usage = getattr(self.message, "usage", None)
        if usage is None:
            return None
        data = usage.model_dump(mode="json") if hasattr(usage, "model_dump") else dict(usage)
        if self.output_estimated:
            data["output_tokens"] = self.output_tokens
            data[ESTIMATED_MARK] = True
        return data

    def message_to_store(self) -> Any:
        """The message for the history record: as it arrived, except a usage whose output
        count is only `message_start`'s placeholder gets the estimate (marked)."""
        if not self.output_estimated or not hasattr(self.message, "model_copy"):
            return self.message
        from workbench.api.types import Usage

        return self.message.model_copy(update={"usage": Usage(**(self.usage() or {}))})


def estimate_output(message: Any) -> int:
    """Output tokens of a (partial) message, counted locally from its content."""
    from workbench.api.accumulate import partial_json
    from workbench.services.tokens import estimate_tokens

    parts: list[str] = []
    for block in getattr(message, "content", None) or []:
        kind = getattr(block, "type", "")
        if kind == "text":
            parts.append(block.text or "")
        elif kind == "thinking":
            parts.append(getattr(block, "thinking", "") or "")
        elif kind in ("tool_use", "server_tool_use"):
            raw = partial_json(block) or (json.dumps(block.input) if block.input else "")
            parts.append(f"{block.name} {raw}")
    return sum(estimate_tokens(p) for p in parts if p)


async def run_stream(client: Any, body: dict[str, Any], result: RunResult,
                     on_event: Callable[[Any], None], *,
                     on_retry: Callable[[Any, Any], None] | None = None,
                     betas: list[str] | tuple[str, ...] = ()) -> RunResult:
    """Stream `body` through `client`, filling `result` as events arrive.

    `on_retry(exchange, record)` hears this run's retries only (the client is shared);
    `betas` are the draft's anthropic-beta names (the client adds the profile's).

    Cancellation (the caller's task is cancelled) propagates, with `result.status` set to
    "cancelled" first; API errors are caught into `result.error` with status "failed".
    """
    from workbench.api.errors import APIError

    result.betas = tuple(betas)
    try:
        async with client.messages.stream(body, betas=betas, on_retry=on_retry) as stream:
            result.exchange = stream.exchange
            async for event in stream:
                if event.type == "content_block_delta":
                    result.last_token_at = time.monotonic()
                    if result.first_token_at is None:
                        result.first_token_at = result.last_token_at
                elif event.type == "message_delta":
                    result.final_usage = True
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
        result.exchange = result.exchange or exc.exchange  # a request refused before a stream
    finally:
        result.finished_at = time.monotonic()
        ex = result.exchange
        result.request_id = getattr(ex, "request_id", None) or getattr(
            result.error, "request_id", None)
    return result


UNSENT_KEPT = 4096  # characters of an inline attachment kept from a request never sent


def unsent_body(body: dict[str, Any]) -> dict[str, Any]:
    """`body` without the inline attachment data it holds: for a request that was never sent
    (refused before sending, e.g. over the size limit), which history keeps only as a record."""
    import copy

    body = copy.deepcopy(body)
    for message in body.get("messages") or []:
        for block in message.get("content") if isinstance(message.get("content"), list) else []:
            source = block.get("source") if isinstance(block, dict) else None
            data = source.get("data") if isinstance(source, dict) else None
            if isinstance(data, str) and len(data) > UNSENT_KEPT:
                source["data"] = f"(not sent: {len(data):,} characters not kept)"
    return body


def store_run(store: Any, result: RunResult, cost: float | None, profile: str,
              profile_betas: list[str] | tuple[str, ...] = ()) -> None:
    """Keep a run in History exactly as sent, with whatever reply arrived (keys masked in the
    error: a server may echo one; the client has masked its own already), and its betas: the
    request's and the profile's (`profile_betas`, which the client sent with it)."""
    from workbench.api.errors import RequestRejectedLocally, RequestSizeError
    from workbench.services.keys import scrub_keys

    sent = not isinstance(result.error, RequestSizeError | RequestRejectedLocally)
    store.add_run(request=result.body if sent else unsent_body(result.body), message=result.message_to_store(), status=result.status,
                  error=scrub_keys(str(result.error)) if result.error else None, cost_usd=cost,
                  ttft=result.ttft, duration=result.duration,
                  output_tps=result.tokens_per_second, request_id=result.request_id,
                  profile=profile, betas=result.betas, profile_betas=profile_betas)
