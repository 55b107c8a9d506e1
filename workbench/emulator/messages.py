"""POST /v1/messages (whole or streamed) and POST /v1/messages/count_tokens."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from workbench.api.rules import MESSAGES_LIMIT
from workbench.emulator.block_events import (
    block_events,
    file_reader,
    finish_delta,
    realize,
    special,
)
from workbench.emulator.cache import prompt_cache
from workbench.emulator.context import Call
from workbench.emulator.errors import error_body
from workbench.emulator.ratelimit import rate_limiter
from workbench.emulator.replies import Plan, plan_reply
from workbench.emulator.validate import check_messages_body, check_references
from workbench.tokenizer import count_request

PLANS_KEPT = 256  # distinct bodies one batch's results remember the reply plan of


def message_json(
    body: dict[str, Any],
    plan: Plan,
    msg_id: str,
    model: str,
    container: dict[str, Any] | None = None,
    service_tier: str = "standard",
    cache: dict[str, Any] | None = None,
) -> dict[str, Any]:
    usage = plan.usage(service_tier)
    if cache:  # the prompt cache's split of the input tokens (emulator/cache.py)
        usage.update(cache)
    return {
        "id": msg_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [b.to_content() for b in plan.blocks],
        "stop_reason": plan.stop_reason,
        "stop_sequence": plan.stop_sequence,
        "stop_details": plan.stop_details,
        "container": container,
        "usage": usage,
    }


def build_message(
    call: Call, body: dict[str, Any], service_tier: str = "standard",
    plans: dict[str, Plan] | None = None,
) -> dict[str, Any]:
    """A complete Message for a validated body (also used by batches). `plans`: replies
    already planned in this pass, by body (a batch of 100,000 alike requests plans once)."""
    plan = _plan(call, body, plans)
    container = call.state.container_for(body, plan) if plan.wants_file else None
    cache = prompt_cache(call.state).use(body, api_key(call)).fields()
    return message_json(
        body, plan, "msg_01" + secrets.token_hex(11), body["model"], container, service_tier,
        cache,
    )


def _plan(call: Call, body: dict[str, Any], plans: dict[str, Plan] | None) -> Plan:
    if plans is None:
        return realize(plan_reply(body, file_reader(call.state)), call.state)
    key = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    plan = plans.get(key)
    if plan is None:
        plan = realize(plan_reply(body, file_reader(call.state)), call.state)
        # Same request, same reply (replies are seeded by the body); a plan that made files
        # (code execution) or asks for a container is made again, as each request's would be
        if plan.server_counts is None and not plan.wants_file and len(plans) < PLANS_KEPT:
            plans[key] = plan
    return plan


def api_key(call: Call) -> str:
    """Caches and rate limits are per key, as the API's are per organization."""
    headers = call.request.headers
    auth = headers.get("authorization", "")
    return headers.get("x-api-key", "").strip() or auth.removeprefix("Bearer ").strip()


def admit(call: Call, body: dict[str, Any]) -> None:
    """Take the request from the key's rate-limit buckets (a 429 when they are short); the
    response carries the buckets' headers. Cache reads do not count as input tokens."""
    cached = prompt_cache(call.state).use(body, api_key(call), dry=True)
    spent = cached.uncached + cached.written_5m + cached.written_1h
    limiter = rate_limiter(call.state, call.config)
    call.headers.update(limiter.admit(api_key(call), str(body["model"]), spent))


def spend_output(call: Call, body: dict[str, Any], output_tokens: int) -> None:
    rate_limiter(call.state, call.config).spend_output(api_key(call), str(body["model"]),
                                                       output_tokens)


async def create(request: Request, call: Call) -> Response:
    body = await call.json_body(MESSAGES_LIMIT)
    check_messages_body(body, call.version)
    check_references(body, call.state)
    admit(call, body)
    await call.maybe_slow()
    if body.get("stream"):
        return stream_response(call, body)
    message = build_message(call, body)
    spend_output(call, body, message["usage"]["output_tokens"])
    return JSONResponse(message, headers=call.headers)


async def count_tokens(request: Request, call: Call) -> Response:
    body = await call.json_body(MESSAGES_LIMIT)
    check_messages_body(body, call.version, count_only=True)
    check_references(body, call.state)
    return JSONResponse({"input_tokens": count_request(body)}, headers=call.headers)


def _event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def stream_events(call: Call, body: dict[str, Any]) -> list[bytes]:
    """Every SSE event of the reply, pre-encoded (cheap to send at full speed)."""
    plan = realize(plan_reply(body, file_reader(call.state)), call.state)
    container = call.state.container_for(body, plan) if plan.wants_file else None
    cache = prompt_cache(call.state).use(body, api_key(call)).fields()
    spend_output(call, body, plan.output_tokens)
    msg = message_json(body, plan, "msg_01" + secrets.token_hex(11), body["model"], container,
                       cache=cache)
    start = dict(msg, content=[], stop_reason=None, stop_sequence=None, container=None)
    start["usage"] = dict(msg["usage"], output_tokens=1, server_tool_use=None)  # counts: at the end
    events = [_event("message_start", {"type": "message_start", "message": start})]
    for index, block in enumerate(plan.blocks):
        if special(block):  # server tools and citations
            events += [_event(e["type"], e) for e in block_events(index, block)]
            continue
        if block.kind == "thinking":
            first = {"type": "thinking", "thinking": "", "signature": ""}
        elif block.kind == "tool_use":
            first = {"type": "tool_use", "id": block.tool_id, "name": block.name, "input": {}}
        else:
            first = {"type": "text", "text": ""}
        events.append(
            _event(
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": first},
            )
        )
        if index == 0:
            events.append(_event("ping", {"type": "ping"}))
        if block.kind == "tool_use":
            raw = json.dumps(block.input)
            chunks = [""] + [raw[i : i + 12] for i in range(0, len(raw), 12)]
            for chunk in chunks:
                events.append(
                    _event(
                        "content_block_delta",
                        {
                            "type": "content_block_delta",
                            "index": index,
                            "delta": {"type": "input_json_delta", "partial_json": chunk},
                        },
                    )
                )
        else:
            kind, key = (
                ("thinking_delta", "thinking")
                if block.kind == "thinking"
                else ("text_delta", "text")
            )
            for piece in block.tokens:
                events.append(
                    _event(
                        "content_block_delta",
                        {
                            "type": "content_block_delta",
                            "index": index,
                            "delta": {"type": kind, key: piece},
                        },
                    )
                )
            if block.kind == "thinking":
                events.append(
                    _event(
                        "content_block_delta",
                        {
                            "type": "content_block_delta",
                            "index": index,
                            "delta": {"type": "signature_delta", "signature": block.signature},
                        },
                    )
                )
        events.append(_event("content_block_stop", {"type": "content_block_stop", "index": index}))
    delta: dict[str, Any] = {"stop_reason": plan.stop_reason, "stop_sequence": plan.stop_sequence}
    if container:
        delta["container"] = container
    usage = {
        k: msg["usage"][k]
        for k in (
            "input_tokens",
            "output_tokens",
            "cache_creation_input_tokens",
            "cache_read_input_tokens",
        )
    }
    finish_delta(plan, delta, usage)
    events.append(
        _event("message_delta", {"type": "message_delta", "delta": delta, "usage": usage})
    )
    events.append(_event("message_stop", {"type": "message_stop"}))
    return events


def stream_response(call: Call, body: dict[str, Any]) -> StreamingResponse:
    events = stream_events(call, body)
    speed = call.tokens_per_second()
    fault = call.fault
    cut_at = len(events) // 2 if (fault == "cut" or call.roll("cut")) else None
    error_at = len(events) // 2 if fault == "overloaded-event" else None

    async def gen() -> AsyncIterator[bytes]:
        interval = 1.0 / speed if speed else 0.0
        started = time.monotonic()
        sent_tokens = 0
        batch: list[bytes] = []
        for i, event in enumerate(events):
            if cut_at is not None and i == cut_at:
                if batch:
                    yield b"".join(batch)
                raise ConnectionResetError("emulator: stream cut (fault injection)")
            if error_at is not None and i == error_at:
                batch.append(
                    _event("error", error_body("overloaded_error", "Overloaded", call.request_id))
                )
                yield b"".join(batch)
                return
            batch.append(event)
            if interval:
                sent_tokens += 1
                due = started + sent_tokens * interval
                delay = due - time.monotonic()
                if delay > 0.005:
                    yield b"".join(batch)
                    batch = []
                    await asyncio.sleep(delay)
            elif len(batch) >= 256:
                yield b"".join(batch)
                batch = []
        if batch:
            yield b"".join(batch)

    headers = dict(call.headers)
    headers["cache-control"] = "no-cache"
    return StreamingResponse(gen(), media_type="text/event-stream; charset=utf-8", headers=headers)
