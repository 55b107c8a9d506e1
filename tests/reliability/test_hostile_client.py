"""Every hostile server case through our client: a typed error, with the request-id when the
server sent one, within the bounds (deadline, idle timeout, size), and a stream keeps its
partial text."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.reliability.hostile import CASES, HostileServer, bomb
from workbench.api.bounds import (
    MAX_JSON_BODY,
    MalformedResponseError,
    PaginationError,
    ResponseTooLargeError,
)
from workbench.api.client import ClaudeClient
from workbench.api.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    UnexpectedResponseError,
)

DEADLINE = 1.0
IDLE = 0.5
# the size cases read 64 MB before their bound stops them: on a loaded machine that can take
# longer than the 1 s the hang cases are given, and must not turn into a timeout there
SIZE_CASES = frozenset({"gzip-bomb", "huge"})


def deadline_for(case: str) -> float:
    return 30.0 if case in SIZE_CASES else DEADLINE
BODY = {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}

# case -> (error class, whether a request-id must be named) per call
Expected = tuple[type[APIError] | tuple[type[APIError], ...], bool]
NON_STREAM: dict[str, Expected] = {
    "silence": (APITimeoutError, False),
    "trickle": (APITimeoutError, True),
    "head-trickle": (APITimeoutError, False),
    "gzip-bomb": (ResponseTooLargeError, True),
    "huge": (ResponseTooLargeError, True),
    "retry-after": (RateLimitError, True),
    "retry-after-ms": (RateLimitError, True),
    "html": (UnexpectedResponseError, True),
    "html-500": (InternalServerError, True),
    "bad-json": (UnexpectedResponseError, True),
    "deep-json": (UnexpectedResponseError, True),
    "deep-error": (UnexpectedResponseError, True),
    "wrong-type": (UnexpectedResponseError, True),
    "bad-gzip": (MalformedResponseError, True),
    "truncated": (APIConnectionError, True),
    "reset": (APIConnectionError, False),
    "reset-after-headers": (APIConnectionError, True),
    "cut-stream": (APIConnectionError, True),
}
STREAM: dict[str, Expected] = {
    **NON_STREAM,
    # 300 MB of one "line" of spaces: cut at the bound, or by the idle clock when a loaded
    # machine has not decoded 64 MB of it within the idle time
    "huge": ((ResponseTooLargeError, APITimeoutError), True),
}
PARTIAL = {"trickle", "cut-stream"}  # streams that sent a delta before failing


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    bomb()  # made once, before any clock runs
    with HostileServer() as s:
        yield s


def client_for(server: HostileServer, case: str) -> ClaudeClient:
    return ClaudeClient(api_key="sk-ant-hostile-0000", base_url=server.url(case),
                        deadline=deadline_for(case), stream_idle=IDLE)


def check(exc: APIError, expected: Expected, elapsed: float, case: str) -> None:
    cls, has_rid = expected
    assert isinstance(exc, cls), (type(exc), str(exc))
    if has_rid:
        assert exc.request_id and exc.request_id.startswith("req_"), str(exc)
        assert exc.request_id in str(exc)
    # the deadline, plus a little for the retries' bookkeeping on a loaded machine
    assert elapsed < deadline_for(case) + 4, elapsed


def test_every_case_is_covered() -> None:
    assert set(NON_STREAM) | {"pages-endless", "pages-cycle"} == set(CASES)


@pytest.mark.parametrize("case", sorted(NON_STREAM))
async def test_create(server: HostileServer, case: str) -> None:
    async with client_for(server, case) as client:
        start = time.monotonic()
        with pytest.raises(APIError) as info:
            await client.messages.create(BODY)
        check(info.value, NON_STREAM[case], time.monotonic() - start, case)
        ex = client.recorder.exchanges[-1]
        assert ex.finished and ex.error  # the record says how it ended


@pytest.mark.parametrize("case", sorted(STREAM))
async def test_stream(server: HostileServer, case: str) -> None:
    async with client_for(server, case) as client:
        start = time.monotonic()
        stream = None
        with pytest.raises(APIError) as info:
            async with client.messages.stream(BODY) as stream:
                await stream.until_done()
        check(info.value, STREAM[case], time.monotonic() - start, case)
        if case in PARTIAL:
            assert stream is not None and stream.snapshot is not None
            assert stream.snapshot.content[0].text == "partial reply"


@pytest.mark.parametrize("case", ["pages-endless", "pages-cycle"])
@pytest.mark.parametrize("what", ["models", "files", "batches", "skills"])
async def test_pagination_is_bounded(server: HostileServer, case: str, what: str) -> None:
    async with client_for(server, case) as client:
        items = []
        with pytest.raises(PaginationError) as info:
            async for item in getattr(client, what).iter_all():
                items.append(item)
        assert items  # what came before the error was handed on
        text = str(info.value)
        assert ("twice" in text) if case == "pages-cycle" else ("past" in text)
        assert len(items) <= 1000


async def test_retry_after_is_not_obeyed_for_a_day(server: HostileServer) -> None:
    """86400 s and `inf` are out of range: the SDK's backoff, the retries all taken."""
    for case in ("retry-after", "retry-after-ms"):
        async with ClaudeClient(api_key="k" * 20, base_url=server.url(case), deadline=30,
                                max_retries=2) as client:
            with pytest.raises(RateLimitError):
                await client.models.list()
            retries = client.recorder.exchanges[-1].retries
            assert len(retries) == 2 and all(r.delay <= 8 for r in retries)


async def test_deadline_per_call(server: HostileServer) -> None:
    """A view's deadline replaces the client's; the client's own is left alone."""
    async with ClaudeClient(api_key="k" * 20, base_url=server.url("silence"),
                            deadline=60) as client:
        start = time.monotonic()
        with pytest.raises(APITimeoutError, match=r"0\.3 s deadline"):
            await client.with_options(deadline=0.3).models.list()
        assert time.monotonic() - start < 3
        assert client._transport.deadline == 60


@pytest.mark.slow
async def test_bomb_and_huge_body_stay_bounded(server: HostileServer) -> None:
    """Python memory at the peak stays near the bound, not the 256 MB / 300 MB sent."""
    import tracemalloc

    for case in ("gzip-bomb", "huge"):
        async with client_for(server, case) as client:
            tracemalloc.start()
            try:
                with pytest.raises(ResponseTooLargeError):
                    await client.messages.create(BODY)
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        assert peak < 3 * MAX_JSON_BODY, (case, peak)
