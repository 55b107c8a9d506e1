"""Our event-stream decoder against the SDK's (botocore's `EventStreamBuffer` underneath) on the
same bytes, cut into odd chunkings: the same events, in the same order."""

from __future__ import annotations

import json
import random

import pytest

from workbench.api.errors import OverloadedError
from workbench.api.eventstream import EventStreamDecoder, EventStreamError
from workbench.emulator.platforms.eventstream import chunk_frame, exception_frame, frame

pytest.importorskip("botocore")
from anthropic.lib.bedrock._stream_decoder import AWSEventStreamDecoder

EVENTS = [
    {"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant",
                                          "content": [], "model": "claude-haiku-4-5"}},
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    *({"type": "content_block_delta", "index": 0,
       "delta": {"type": "text_delta", "text": t}} for t in ["Héllo", " wörld", " ✓", " 🙂", "!"]),
    {"type": "content_block_stop", "index": 0},
    {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 5}},
    {"type": "message_stop"},
]


def stream_bytes() -> bytes:
    out = [chunk_frame(json.dumps(e, ensure_ascii=False).encode()) for e in EVENTS]
    # a frame that is not a chunk (another event type): both skip it
    out.insert(3, frame({":event-type": "metadata", ":message-type": "event",
                         ":content-type": "application/json"}, b"{}"))
    return b"".join(out)


def chunkings(data: bytes):
    yield [data]
    yield [bytes([b]) for b in data]  # one byte at a time
    yield [data[i:i + 7] for i in range(0, len(data), 7)]
    yield [data[i:i + 13] for i in range(0, len(data), 13)]
    rng = random.Random(7)
    for _ in range(20):
        cuts = sorted(rng.sample(range(1, len(data)), 12))
        yield [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


def ours(chunks) -> list[tuple[str | None, str]]:
    decoder = EventStreamDecoder()
    out = [(e.event, e.data) for c in chunks for e in decoder.feed(c)]
    return out + [(e.event, e.data) for e in decoder.flush()]


def sdks(chunks) -> list[tuple[str | None, str]]:
    return [(e.event, e.data) for e in AWSEventStreamDecoder().iter_bytes(iter(chunks))]


def test_same_events_as_the_sdk_in_any_chunking() -> None:
    data = stream_bytes()
    expected = sdks([data])
    assert [name for name, _ in expected] == [e["type"] for e in EVENTS]
    for chunks in chunkings(data):
        assert ours(chunks) == sdks(chunks) == expected


def test_exception_frame_becomes_our_error_event() -> None:
    data = chunk_frame(json.dumps(EVENTS[0]).encode()) + exception_frame(
        "serviceUnavailableException", "Bedrock is unable to process your request.")
    theirs = sdks([data])[-1]
    for chunks in chunkings(data):
        name, payload = ours(chunks)[-1]
        assert name == theirs[0] == "error"
        error = json.loads(payload)["error"]
        assert error["type"] == "overloaded_error"  # our type: the SDK keeps Bedrock's name
        assert json.loads(theirs[1])["error"]["message"] in error["message"]
    from workbench.api.accumulate import accumulate, parse_event

    with pytest.raises(OverloadedError):
        accumulate(parse_event(name, payload), None)


def test_corrupt_bytes_are_a_connection_error_not_garbage() -> None:
    data = bytearray(stream_bytes())
    data[40] ^= 0xFF
    with pytest.raises(EventStreamError, match="checksum"):
        ours([bytes(data)])
    with pytest.raises(EventStreamError, match="cut mid-frame"):
        ours([stream_bytes()[:-3]])
