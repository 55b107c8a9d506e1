"""A recorded stream spoiled in every way a broken server or proxy can: each becomes a typed
error (`MalformedResponseError`, an `APIError`) with the response's request-id, never a raw
AttributeError, IndexError, RecursionError or UnicodeDecodeError; and the decoder stays linear
in line length.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.api import recorded
from workbench.api.client import ClaudeClient
from workbench.api.errors import APIError, MalformedResponseError
from workbench.api.sse import SSEDecoder

ASK = {"model": "claude-recorded", "max_tokens": 1,
       "messages": [{"role": "user", "content": "replayed"}]}
RID = "req_malformed_01"
START = {"type": "message_start", "message": {
    "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
    "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": 1}}}
TEXT = {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}


def sse(*events: tuple[str, Any]) -> bytes:
    out = []
    for name, data in events:
        out.append(f"event: {name}\ndata: {data if isinstance(data, str) else json.dumps(data)}\n\n")
    return "".join(out).encode()


def delta(index: Any, **d: Any) -> tuple[str, dict]:
    return "content_block_delta", {"type": "content_block_delta", "index": index,
                                   "delta": d or {"type": "text_delta", "text": "x"}}


BAD_STREAMS: dict[str, bytes] = {
    "data is a list": sse(("message_start", [1, 2])),
    "data is a string": sse(("message_start", '"hello"')),
    "data lacks type and message": sse(("message_start", {"id": "x"})),
    "delta lacks type and index": sse(("message_start", START), ("content_block_start", TEXT),
                                      ("content_block_delta", {})),
    "delta is not an object": sse(("message_start", START), ("content_block_start", TEXT),
                                  ("content_block_delta", {"type": "content_block_delta",
                                                           "index": 0, "delta": 3})),
    "index out of range": sse(("message_start", START), ("content_block_start", TEXT),
                              delta(5)),
    "negative index": sse(("message_start", START), ("content_block_start", TEXT), delta(-1)),
    "index is a string": sse(("message_start", START), ("content_block_start", TEXT), delta("0")),
    "stop of a block never started": sse(("message_start", START),
                                         ("content_block_stop", {"type": "content_block_stop",
                                                                 "index": 0})),
    "start with a gap": sse(("message_start", START),
                            ("content_block_start", {**TEXT, "index": 3})),
    "block is not an object": sse(("message_start", START),
                                  ("content_block_start", {**TEXT, "content_block": [1]})),
    "delta before message_start": sse(("content_block_start", TEXT), delta(0)),
    "message_delta before message_start": sse(("message_delta", {
        "type": "message_delta", "delta": {"stop_reason": "end_turn"},
        "usage": {"output_tokens": 1}})),
    "message_delta of the wrong shape": sse(("message_start", START), ("message_delta", {
        "type": "message_delta", "delta": {"stop_reason": 7}, "usage": "lots"})),
    "two message_starts": sse(("message_start", START), ("message_start", START)),
    "deeply nested JSON": sse(("message_start", "[" * 100_000 + "]" * 100_000)),
    "nested JSON in a delta": sse(("message_start", START), ("content_block_start", TEXT),
                                  ("content_block_delta", '{"type": "content_block_delta", '
                                   '"index": 0, "delta": ' + "[" * 5000 + "]" * 5000 + "}")),
    "invalid JSON": sse(("message_start", '{"type": "message_start", "message": {')),
    "invalid UTF-8": b"event: message_start\ndata: {\"type\": \"mess\xff\xfeage_start\"}\n\n",
    "truncated UTF-8 at the end": "event: ping\ndata: {\"type\": \"ping\", \"x\": \"é".encode()[:-1],
    "tool input not JSON": sse(
        ("message_start", START),
        ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {
            "type": "tool_use", "id": "t", "name": "n", "input": {}}}),
        delta(0, type="input_json_delta", partial_json='{"a": '),
        ("content_block_stop", {"type": "content_block_stop", "index": 0})),
    "citation is not an object": sse(("message_start", START), ("content_block_start", TEXT),
                                     delta(0, type="citations_delta", citation=5)),
}


def _stream_rec(raw: bytes, request_id: str | None = RID) -> dict[str, Any]:
    headers = {"content-type": "text/event-stream"}
    if request_id:
        headers["request-id"] = request_id
    return {"id": "bad", "status": 200, "headers": headers, "raw": raw}


@pytest.mark.parametrize("case", list(BAD_STREAMS))
async def test_malformed_stream_is_a_typed_error_with_the_request_id(case: str) -> None:
    with recorded.replay_server() as (url, handler):
        handler.recording, handler.piece = _stream_rec(BAD_STREAMS[case]), 5
        async with ClaudeClient(api_key=recorded.KEY, base_url=url, max_retries=0) as client:
            stream = client.messages.stream(ASK)
            with pytest.raises(APIError) as err:
                async with stream:
                    await stream.until_done()
    assert isinstance(err.value, MalformedResponseError), repr(err.value)
    assert err.value.request_id == RID
    assert RID in str(err.value)
    assert stream.exchange.error  # the record says how it ended


def test_an_event_named_by_its_line_needs_no_type_in_its_data() -> None:
    """Data without `type` is read as the event line names it (what the SDK dispatches on)."""
    from tests.api.test_recorded_streams import ours

    raw = sse(("message_start", {k: v for k, v in START.items() if k != "type"}),
              ("content_block_start", TEXT), ("content_block_delta", {"index": 0, "delta": {
                  "type": "text_delta", "text": "hi"}}),
              ("message_stop", {}))
    assert ours([raw]).content[0].text == "hi"


BAD_BODIES: dict[str, bytes] = {
    "not JSON": b"{\"id\": ",
    "invalid UTF-8": b"{\"id\": \"\xff\xfe\"}",
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "a list": b"[1, 2]",
    "nested in a field": b'{"id": "m", "model": "x", "content": [], "usage": {}, "x": '
                         + b"[" * 5000 + b"]" * 5000 + b"}",
}


@pytest.mark.parametrize("case", list(BAD_BODIES))
async def test_malformed_json_body_is_a_typed_error_with_the_request_id(case: str) -> None:
    rec = {"id": "bad", "status": 200, "raw": BAD_BODIES[case],
           "headers": {"content-type": "application/json", "request-id": RID}}
    with recorded.replay_server() as (url, handler):
        handler.recording = rec
        async with ClaudeClient(api_key=recorded.KEY, base_url=url, max_retries=0) as client:
            with pytest.raises(APIError) as err:
                await client.messages.create(ASK)
            assert err.value.request_id == RID
            if case != "a list":  # a list is JSON: only the raw call takes any JSON
                with pytest.raises(APIError) as raw_err:
                    await client.request("GET", "/v1/anything")
                assert raw_err.value.request_id == RID


def test_decoder_is_linear_in_line_length() -> None:
    """A 40 MB line in 64 KB chunks: quadratic joining took 11.5 s here; linear takes ~0.1 s."""
    line = b'event: x\ndata: "' + b"a" * (40 << 20) + b'"\n\n'
    decoder = SSEDecoder()
    started = time.perf_counter()
    events = []
    for i in range(0, len(line), 1 << 16):
        events += decoder.feed(line[i:i + (1 << 16)])
    elapsed = time.perf_counter() - started
    assert len(events) == 1 and len(events[0].data) == (40 << 20) + 2
    assert elapsed < 4.0, f"{elapsed:.1f} s for a 40 MB line"
