"""Errors, faults and retries against the emulator: typed errors with status and request-id."""

from __future__ import annotations

import json
import time

import pytest

from workbench.api import messages as messages_module
from workbench.api.client import ClaudeClient
from workbench.api.errors import (
    ERROR_TYPES,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    OverloadedError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    error_from_body,
)

from .helpers import KEY, FaultFirst, body


def _check(err: APIStatusError, cls: type, status: int, error_type: str) -> None:
    assert type(err) is cls
    assert err.status == status and err.error_type == error_type
    assert err.request_id and err.request_id.startswith("req_")
    assert err.request_id in str(err) and err.message in str(err)


@pytest.mark.parametrize("error_type", sorted(ERROR_TYPES))
def test_every_error_type_maps_to_its_class(error_type):
    cls = ERROR_TYPES[error_type]
    raw = json.dumps({"type": "error", "error": {"type": error_type, "message": "m"},
                      "request_id": "req_x"})
    err = error_from_body(cls.default_status, raw, {})
    assert type(err) is cls and err.status == cls.default_status and "req_x" in str(err)


async def test_invalid_request_missing_field(client: ClaudeClient):
    params = body()
    del params["max_tokens"]
    with pytest.raises(InvalidRequestError) as info:
        await client.messages.create(params)
    _check(info.value, InvalidRequestError, 400, "invalid_request_error")
    assert "max_tokens" in info.value.message
    ex = client.recorder.exchanges[-1]
    assert ex.status == 400 and ex.error and ex.request_id == info.value.request_id
    assert ex.retries == []  # 400 is never retried


async def test_authentication_error_without_key(emulator_url: str):
    c = ClaudeClient(api_key=None, base_url=emulator_url)
    try:
        with pytest.raises(AuthenticationError) as info:
            await c.models.list()
        _check(info.value, AuthenticationError, 401, "authentication_error")
    finally:
        await c.aclose()


async def test_not_found_everywhere(client: ClaudeClient):
    for call in (client.models.get("claude-nope-1"), client.batches.get("msgbatch_nope"),
                 client.files.get("file_nope"), client.skills.get("skill_nope")):
        with pytest.raises(NotFoundError) as info:
            await call
        _check(info.value, NotFoundError, 404, "not_found_error")
    with pytest.raises(NotFoundError) as info:
        await client.messages.create(body() | {"model": "claude-nope-1"})
    assert "claude-nope-1" in info.value.message


@pytest.mark.parametrize(("fault", "cls", "status", "etype"), [
    ("429", RateLimitError, 429, "rate_limit_error"),
    ("500", InternalServerError, 500, "api_error"),
    ("529", OverloadedError, 529, "overloaded_error"),
])
async def test_faults_exhaust_retries(emulator_url, fault, cls, status, etype):
    seen = []
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, max_retries=1,
                     default_headers={"x-emulator-fault": fault, "retry-after-override": "0.05"})
    try:
        t0 = time.monotonic()
        with pytest.raises(cls) as info:
            await c.messages.create(body(), on_retry=lambda ex, r: seen.append(r))
        _check(info.value, cls, status, etype)
        ex = c.recorder.exchanges[-1]
        assert len(ex.retries) == 1 and seen == ex.retries
        assert ex.retries[0].reason == f"{status} {etype}"
        assert time.monotonic() - t0 >= ex.retries[0].delay
        if fault == "429":
            assert info.value.retry_after is not None
            assert ex.retries[0].delay == pytest.approx(info.value.retry_after)
            assert "retry-after" in ex.response_headers
    finally:
        await c.aclose()


@pytest.mark.parametrize("fault", ["429", "500", "529"])
async def test_retried_then_succeeds(emulator_url, fault):
    transport = FaultFirst(fault, 2)
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, transport=transport)
    try:
        msg = await c.messages.create(body())
        assert msg.text
        ex = c.recorder.exchanges[-1]
        assert ex.status == 200 and ex.error is None
        assert [r.attempt for r in ex.retries] == [1, 2]
        assert all(r.reason.startswith(fault) for r in ex.retries)
        if fault in ("429", "529"):  # the server's retry-after is honoured exactly
            assert [r.delay for r in ex.retries] == [0.05, 0.05]
        else:  # backoff with jitter: 0.375-0.5 s, then 0.75-1 s
            assert 0.375 <= ex.retries[0].delay <= 0.5 and 0.75 <= ex.retries[1].delay <= 1
        assert transport.seen == 3
    finally:
        await c.aclose()


async def test_no_retries_when_disabled(emulator_url):
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, max_retries=0,
                     transport=FaultFirst("529", 1))
    try:
        with pytest.raises(OverloadedError):
            await c.messages.create(body())
        assert c.recorder.exchanges[-1].retries == []
    finally:
        await c.aclose()


async def test_slow_first_byte_times_out_and_is_retried(emulator_url):
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, max_retries=1, timeout=0.3,
                     transport=FaultFirst("slow", 5))
    try:
        with pytest.raises(APITimeoutError) as info:
            await c.messages.create(body())
        assert isinstance(info.value, APIConnectionError)
        ex = c.recorder.exchanges[-1]
        assert [r.reason for r in ex.retries] == ["timeout"]
        assert "timed out" in ex.error
    finally:
        await c.aclose()


async def test_slow_first_byte_within_timeout_succeeds(emulator_url):
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, transport=FaultFirst("slow", 1))
    try:
        msg = await c.messages.create(body())
        ex = c.recorder.exchanges[-1]
        assert msg.text and ex.retries == [] and ex.ttfb > 0.2
    finally:
        await c.aclose()


async def test_connection_refused_is_a_connection_error():
    c = ClaudeClient(api_key=KEY, base_url="http://127.0.0.1:9", max_retries=1)
    try:
        with pytest.raises(APIConnectionError) as info:
            await c.models.list()
        assert not isinstance(info.value, APITimeoutError)
        assert len(c.recorder.exchanges[-1].retries) == 1
    finally:
        await c.aclose()


async def test_cut_stream_keeps_partial_snapshot(emulator_url):
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, transport=FaultFirst("cut", 1))
    try:
        with pytest.raises(APIConnectionError):
            async with c.messages.stream(body("Write a long essay about bridges.",
                                              max_tokens=1000)) as stream:
                async for _ in stream:
                    pass
        assert stream.snapshot is not None and not stream.done
        assert stream.exchange.status == 200 and stream.exchange.error
        assert stream.exchange.retries == []  # never retried after the first byte
        full = await c.messages.create(body("Write a long essay about bridges.", max_tokens=1000))
        partial = stream.snapshot.content[0].text if stream.snapshot.content else ""
        assert full.text.startswith(partial) and len(partial) < len(full.text)
    finally:
        await c.aclose()


async def test_overloaded_event_mid_stream(emulator_url):
    c = ClaudeClient(api_key=KEY, base_url=emulator_url,
                     transport=FaultFirst("overloaded-event", 1))
    try:
        with pytest.raises(OverloadedError) as info:
            async with c.messages.stream(body("Tell me a story.")) as stream:
                async for _ in stream:
                    pass
        assert info.value.status == 200 and info.value.error_type == "overloaded_error"
        assert stream.exchange.status == 200 and "overloaded" in stream.exchange.error
        assert stream.snapshot is not None
    finally:
        await c.aclose()


async def test_stream_error_status_before_first_byte_is_retried(emulator_url):
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, transport=FaultFirst("529", 1))
    try:
        async with c.messages.stream(body()) as stream:
            await stream.until_done()
        assert stream.done and len(stream.exchange.retries) == 1
    finally:
        await c.aclose()


async def test_permission_error_on_anthropic_skill(client: ClaudeClient):
    page = await client.skills.list(source="anthropic")
    assert page.data, "the emulator lists Anthropic skills"
    with pytest.raises(PermissionDeniedError) as info:
        await client.skills.delete(page.data[0].id)
    _check(info.value, PermissionDeniedError, 403, "permission_error")


async def test_request_too_large_from_the_server(client: ClaudeClient, monkeypatch):
    # lift our own pre-check to see the server's 413 arrive as its typed error
    monkeypatch.setattr(messages_module, "MESSAGES_LIMIT", 64 * 1024 * 1024)
    with pytest.raises(RequestTooLargeError) as info:
        await client.messages.count_tokens(body("x" * (33 * 1024 * 1024)))
    _check(info.value, RequestTooLargeError, 413, "request_too_large")
    assert "33" in info.value.message
    ex = client.recorder.exchanges[-1]
    assert len(ex.request_body) < 300 * 1024  # the record keeps a capped body
