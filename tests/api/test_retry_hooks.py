"""Retry hooks are per call (the client is shared by every pane), the server's retry-after is
obeyed only up to 60 s, and an exception raised in a hook is never swallowed."""

from __future__ import annotations

import asyncio
import logging

import pytest

from workbench.api.client import ClaudeClient
from workbench.api.errors import OverloadedError, RateLimitError
from workbench.api.transport import MAX_RETRY_AFTER, retry_delay

from .helpers import KEY, body


def fault(kind: str = "529", after: str = "0.01") -> dict[str, str]:
    """Headers that make the emulator fail this one call (and its retries)."""
    return {"x-emulator-fault": kind, "x-emulator-retry-after": after}


@pytest.fixture
async def one_retry(emulator_url: str):
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, max_retries=1)
    yield c
    await c.aclose()


async def test_a_hook_hears_its_own_call_only(one_retry: ClaudeClient) -> None:
    mine: list = []
    with pytest.raises(OverloadedError):
        await one_retry.messages.create(body(), headers=fault(), on_retry=lambda e, r: mine.append(e))
    assert len(mine) == 1
    first = mine[0]

    # later calls of every kind retry without it: create, count_tokens, a stream, any path
    with pytest.raises(OverloadedError):
        await one_retry.messages.create(body(), headers=fault())
    with pytest.raises(OverloadedError):
        await one_retry.messages.count_tokens(body(), headers=fault())
    with pytest.raises(OverloadedError):
        async with one_retry.messages.stream(body(), headers=fault()):
            pass
    with pytest.raises(OverloadedError):
        await one_retry.request("GET", "/v1/files", headers=fault())
    assert mine == [first]
    assert all(len(ex.retries) == 1 for ex in one_retry.recorder.exchanges)


async def test_concurrent_calls_keep_their_hooks_apart(one_retry: ClaudeClient) -> None:
    heard: dict[str, list] = {"a": [], "b": []}

    async def stream(name: str) -> None:
        with pytest.raises(OverloadedError):
            async with one_retry.messages.stream(
                    body(name), headers=fault(), on_retry=lambda e, r: heard[name].append(e)):
                pass

    await asyncio.gather(stream("a"), stream("b"), one_retry.models.list())
    assert len(heard["a"]) == len(heard["b"]) == 1
    assert heard["a"][0] is not heard["b"][0]
    assert '"a"' in heard["a"][0].request_body and '"b"' in heard["b"][0].request_body


async def test_the_generic_request_path_takes_a_hook(one_retry: ClaudeClient) -> None:
    seen: list = []
    with pytest.raises(RateLimitError):
        await one_retry.request("GET", "/v1/files", headers=fault("429"),
                                on_retry=lambda e, r: seen.append(r))
    assert [r.attempt for r in seen] == [1] and seen[0].delay == pytest.approx(0.01)
    listing = await one_retry.request("GET", "/v1/files", on_retry=lambda e, r: seen.append(r))
    assert "data" in listing and len(seen) == 1


def test_retry_after_obeyed_only_within_sixty_seconds() -> None:
    assert MAX_RETRY_AFTER == 60
    assert retry_delay(3.0, 0) == 3.0
    assert retry_delay(60.0, 0) == 60.0
    for ignored in (None, 0.0, -5.0, 60.5, 3600.0, float("inf"), float("nan")):
        assert 0.375 <= retry_delay(ignored, 0) <= 0.5, ignored  # the backoff, first retry
        assert 0.75 <= retry_delay(ignored, 1) <= 1.0, ignored


@pytest.mark.parametrize("after", ["120", "0"])
async def test_a_long_or_zero_retry_after_falls_back_to_backoff(one_retry, after) -> None:
    with pytest.raises(RateLimitError) as info:
        await one_retry.messages.create(body(), headers=fault("429", after))
    ex = one_retry.recorder.exchanges[-1]
    assert ex.response_headers["retry-after"] == after
    assert 0.375 <= ex.retries[0].delay <= 0.5
    assert info.value.retry_after == (None if after == "0" else 120.0)  # still reported


async def test_an_exception_in_a_hook_ends_the_call(one_retry: ClaudeClient) -> None:
    def broken(exchange, record) -> None:
        raise RuntimeError("hook bug")

    with pytest.raises(RuntimeError, match="hook bug"):
        await one_retry.messages.create(body(), headers=fault(after="5"), on_retry=broken)
    ex = one_retry.recorder.exchanges[-1]
    assert ex.finished and ex.error == "hook bug" and len(ex.retries) == 1  # no wait, no resend

    with pytest.raises(RuntimeError, match="hook bug"):
        async with one_retry.messages.stream(body(), headers=fault(after="5"), on_retry=broken):
            pass
    assert one_retry.recorder.exchanges[-1].error == "hook bug"


async def test_a_failing_observer_is_logged_not_hidden(one_retry, caplog) -> None:
    def observer(exchange) -> None:
        raise ValueError("observer bug")

    one_retry.recorder.subscribe(observer)
    with caplog.at_level(logging.ERROR, logger="workbench"):
        assert (await one_retry.models.list()).data  # another pane's request still works
    assert any("observer bug" in (r.exc_text or "") or r.exc_info for r in caplog.records)


async def test_a_view_gives_any_resource_call_a_hook(emulator_url: str) -> None:
    from .helpers import FaultFirst

    faults = FaultFirst("529", 1)
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, transport=faults)
    try:
        heard: list = []
        view = c.with_options(on_retry=lambda e, r: heard.append(e.url))
        assert (await view.files.list()).data is not None
        assert len(heard) == 1 and heard[0].endswith("/v1/files")
        await view.aclose()  # a view closes nothing: the shared client still works

        faults.seen = 0  # the next request fails once again
        await c.files.list()
        await c.request("GET", "/v1/models")
        assert len(heard) == 1  # the client itself never heard of the hook
        assert c.recorder.exchanges[-2].retries  # though that listing was retried
        models = await view.models.list()
        assert models.data and view.recorder is c.recorder
    finally:
        await c.aclose()
