"""The bounds without a server: the recorder in bytes, the decoders in pieces, the list walk."""

from __future__ import annotations

import zlib

import httpx
import pytest

from workbench.api.bounds import (
    PIECE,
    BoundedStream,
    MalformedResponseError,
    PaginationError,
    ResponseTooLargeError,
    env_seconds,
    take_encoding,
)
from workbench.api.pagination import iter_style_a
from workbench.api.recording import EVENTS_BYTES, Exchange, ExchangeRecorder
from workbench.api.types import Page


def test_a_stream_of_big_events_is_kept_within_its_byte_budget() -> None:
    """2,000 events of 1 MB each used to be kept whole (2 GB); now a few MB at most."""
    ex = Exchange("POST", "/v1/messages", {})
    big = "x" * (1024 * 1024)
    for i in range(2000):
        ex.add_event(float(i), "content_block_delta", big)
    recorder = ExchangeRecorder()
    recorder.start(ex)
    recorder.finish(ex)
    assert ex.event_count == 2000
    assert ex.size() < 2 * EVENTS_BYTES + 2 * 1024 * 1024
    assert "more characters not kept" in ex.events[0][2]
    assert any(name == "…" for _, name, _ in ex.events) and ex.events_dropped > 0
    assert ex.events[-1][0] == 1999.0  # the last event is among those kept


def test_the_recorder_forgets_the_oldest_past_its_bytes() -> None:
    recorder = ExchangeRecorder(max_bytes=10 * 1024 * 1024)
    for i in range(50):
        ex = Exchange("GET", f"/v1/x/{i}", {}, request_body="y" * 200_000)
        ex.response_body = "z" * 250_000
        recorder.start(ex)
        recorder.finish(ex)
    assert recorder.kept_bytes <= 10 * 1024 * 1024
    assert 10 < len(recorder) < 50
    assert recorder.exchanges[-1].url == "/v1/x/49"


class _Chunks(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    async def __aiter__(self):
        for chunk in self.chunks:
            yield chunk


def _response(data: list[bytes], encoding: str) -> httpx.Response:
    return httpx.Response(200, headers={"content-encoding": encoding}, stream=_Chunks(data))


async def _read(response: httpx.Response, limit: int | None) -> list[bytes]:
    stream = BoundedStream(response.stream, take_encoding(response), what="the answer",
                           limit=limit, request_id="req_unit")
    return [piece async for piece in stream]


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS | 16, zlib.MAX_WBITS, -zlib.MAX_WBITS])
async def test_decoders_hand_on_bounded_pieces(wbits: int) -> None:
    raw = bytes(range(256)) * 40_000  # 10 MB
    comp = zlib.compressobj(6, zlib.DEFLATED, wbits)
    data = comp.compress(raw) + comp.flush()
    encoding = "gzip" if wbits > zlib.MAX_WBITS else "deflate"
    pieces = await _read(_response([data[:1000], data[1000:]], encoding), None)
    assert b"".join(pieces) == raw and max(map(len, pieces)) <= PIECE


async def test_a_bomb_stops_at_the_bound_and_bad_gzip_is_typed() -> None:
    comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    bomb = comp.compress(bytes(50 * 1024 * 1024)) + comp.flush()
    with pytest.raises(ResponseTooLargeError, match="req_unit"):
        await _read(_response([bomb], "gzip"), 4 * 1024 * 1024)
    with pytest.raises(MalformedResponseError, match="decompressed"):
        await _read(_response([b"not gzip"], "gzip"), None)
    with pytest.raises(MalformedResponseError, match="ends early"):
        await _read(_response([bomb[:200]], "gzip"), None)


async def test_pagination_bounds() -> None:
    async def fetch(after):
        n = int(after or 0) + 1
        return Page(data=[n, n], has_more=True, first_id=str(n), last_id=str(n))

    seen = []
    with pytest.raises(PaginationError, match="past 10 items"):
        async for item in iter_style_a(fetch, max_items=10):
            seen.append(item)
    assert len(seen) == 10
    with pytest.raises(PaginationError, match="past 3 pages"):
        async for _ in iter_style_a(fetch, max_pages=3):
            pass


def test_env_seconds(monkeypatch) -> None:
    for raw, want in (("", 7.0), ("2.5", 2.5), ("0", 7.0), ("-1", 7.0), ("inf", 7.0),
                      ("nan", 7.0), ("soon", 7.0)):
        monkeypatch.setenv("WB_TEST_SECONDS", raw)
        assert env_seconds("WB_TEST_SECONDS", 7.0) == want, raw
