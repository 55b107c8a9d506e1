"""Property tests: any chunking of an SSE byte stream gives the same events and Message."""

from __future__ import annotations

import json
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.api.accumulate import accumulate, parse_event
from workbench.api.errors import OverloadedError
from workbench.api.sse import SSEDecoder, decode_all
from workbench.api.types import Message, TextBlock, ThinkingBlock, ToolUseBlock

texts = st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=8)
newlines = st.sampled_from(["\n", "\r\n", "\r"])


def _ev(name: str, obj: dict) -> tuple[str, str]:
    return name, json.dumps(obj, ensure_ascii=False)


@st.composite
def conversations(draw):
    """A realistic event sequence: thinking+signature, text with citations, a tool_use."""
    events: list[tuple[str, str]] = []
    usage = {"input_tokens": draw(st.integers(0, 999)), "output_tokens": 1}
    events.append(_ev("message_start", {"type": "message_start", "message": {
        "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-opus-5",
        "content": [], "stop_reason": None, "stop_sequence": None, "usage": usage}}))
    expected: list[dict] = []
    idx = 0
    if draw(st.booleans()):
        parts = draw(texts)
        sig = draw(st.text(alphabet="abcdef0123456789", min_size=1, max_size=20))
        events.append(_ev("content_block_start", {"type": "content_block_start", "index": idx,
                          "content_block": {"type": "thinking", "thinking": "", "signature": ""}}))
        for p in parts:
            events.append(_ev("content_block_delta", {"type": "content_block_delta", "index": idx,
                              "delta": {"type": "thinking_delta", "thinking": p}}))
        events.append(_ev("content_block_delta", {"type": "content_block_delta", "index": idx,
                          "delta": {"type": "signature_delta", "signature": sig}}))
        events.append(_ev("content_block_stop", {"type": "content_block_stop", "index": idx}))
        expected.append({"type": "thinking", "thinking": "".join(parts), "signature": sig})
        idx += 1
    parts = draw(texts)
    cites = draw(st.lists(st.text(max_size=10), max_size=2))
    events.append(_ev("content_block_start", {"type": "content_block_start", "index": idx,
                      "content_block": {"type": "text", "text": ""}}))
    for i, p in enumerate(parts):
        events.append(_ev("content_block_delta", {"type": "content_block_delta", "index": idx,
                          "delta": {"type": "text_delta", "text": p}}))
        if i < len(cites):
            events.append(_ev("content_block_delta", {"type": "content_block_delta", "index": idx,
                              "delta": {"type": "citations_delta", "citation": {
                                  "type": "char_location", "cited_text": cites[i],
                                  "document_index": 0, "start_char_index": 0,
                                  "end_char_index": len(cites[i])}}}))
        if draw(st.booleans()):
            events.append(_ev("ping", {"type": "ping"}))
    block = {"type": "text", "text": "".join(parts)}
    if cites[: len(parts)]:
        block["citations"] = cites[: len(parts)]
    events.append(_ev("content_block_stop", {"type": "content_block_stop", "index": idx}))
    expected.append(block)
    idx += 1
    stop = "end_turn"
    if draw(st.booleans()):
        tool_input = draw(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=8),
                                          max_size=3))
        raw = json.dumps(tool_input)
        cuts = sorted(draw(st.lists(st.integers(0, len(raw)), max_size=4)))
        pieces = [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True)]
        events.append(_ev("content_block_start", {"type": "content_block_start", "index": idx,
                          "content_block": {"type": "tool_use", "id": "toolu_1", "name": "calc",
                                            "input": {}}}))
        for p in ["", *pieces]:
            events.append(_ev("content_block_delta", {"type": "content_block_delta", "index": idx,
                              "delta": {"type": "input_json_delta", "partial_json": p}}))
        events.append(_ev("content_block_stop", {"type": "content_block_stop", "index": idx}))
        expected.append({"type": "tool_use", "id": "toolu_1", "name": "calc",
                         "input": tool_input})
        stop = "tool_use"
    out_tokens = draw(st.integers(1, 5000))
    events.append(_ev("message_delta", {"type": "message_delta",
                      "delta": {"stop_reason": stop, "stop_sequence": None},
                      "usage": {"output_tokens": out_tokens}}))
    events.append(_ev("message_stop", {"type": "message_stop"}))
    return events, expected, stop, out_tokens


def encode(events: list[tuple[str, str]], nl: str, comments: bool) -> bytes:
    out = []
    for i, (name, data) in enumerate(events):
        if comments and i % 3 == 0:
            out.append(f": keep-alive {i}{nl}")
        out.append(f"event: {name}{nl}data: {data}{nl}{nl}")
    return "".join(out).encode()


def chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


def run(chunks: list[bytes]) -> tuple[list[tuple[str | None, str]], Message]:
    decoder = SSEDecoder()
    events = []
    snapshot = None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a mid-stream snapshot dumps cleanly (UI saves them)
        for chunk in [*chunks, None]:
            sses = decoder.flush() if chunk is None else decoder.feed(chunk)
            for sse in sses:
                events.append((sse.event, sse.data))
                snapshot = accumulate(parse_event(sse.event, sse.data), snapshot)
            if snapshot is not None:
                json.dumps(snapshot.model_dump(mode="json"))
    return events, snapshot


@settings(max_examples=300, deadline=None)
@given(conversations(), newlines, st.booleans(), st.lists(st.integers(0, 10**6), max_size=40))
def test_any_chunking_same_events_and_message(conv, nl, comments, cuts):
    events, expected, stop, out_tokens = conv
    data = encode(events, nl, comments)
    whole_events, whole_msg = run([data])
    assert whole_events == events  # the decoder is right on the whole stream
    got_events, got_msg = run(chunked(data, cuts))
    assert got_events == events
    assert got_msg.model_dump() == whole_msg.model_dump()
    # and the Message is the one the events describe
    assert isinstance(got_msg, Message)
    assert got_msg.stop_reason == stop
    assert got_msg.usage.output_tokens == out_tokens
    assert len(got_msg.content) == len(expected)
    for block, want in zip(got_msg.content, expected, strict=True):
        assert block.type == want["type"]
        if want["type"] == "text":
            assert isinstance(block, TextBlock)
            assert block.text == want["text"]
            assert [c.cited_text for c in block.citations or []] == want.get("citations", [])
        elif want["type"] == "thinking":
            assert isinstance(block, ThinkingBlock)
            assert (block.thinking, block.signature) == (want["thinking"], want["signature"])
        else:
            assert isinstance(block, ToolUseBlock)
            assert block.input == want["input"]


@given(st.lists(st.integers(0, 200), max_size=30))
def test_byte_by_byte_multibyte_utf8_and_crlf_split(cuts):
    text = "event: message_start\r\ndata: {\"a\": \"héllo ✓ 𝄞\"}\r\n\r\n"
    data = text.encode() * 3
    events = decode_all(chunked(data, cuts))
    assert [(e.event, e.data) for e in events] == [("message_start", '{"a": "héllo ✓ 𝄞"}')] * 3


def test_decoder_rules():
    raw = (b": comment\n"
           b"data: line1\ndata:line2\n\n"          # no event line; multi-line data
           b"event: ping\ndata: {}\r\r"           # CR-only
           b"id: 7\nretry: 100\nevent: x\ndata\n\n"  # data with no colon = empty line
           b"event: tail\ndata: unterminated")      # last event without blank line
    events = decode_all([raw])
    assert [(e.event, e.data) for e in events] == [
        (None, "line1\nline2"), ("ping", "{}"), ("x", ""), ("tail", "unterminated")]
    assert events[2].id == "7" and events[2].retry == 100


def test_accumulator_error_event_raises_typed_error():
    start = parse_event("message_start", json.dumps({"type": "message_start", "message": {
        "id": "m", "model": "x", "content": [], "usage": {"input_tokens": 1}}}))
    snap = accumulate(start, None)
    err = parse_event("error", json.dumps({"type": "error", "error": {
        "type": "overloaded_error", "message": "Overloaded"}, "request_id": "req_9"}))
    with pytest.raises(OverloadedError) as info:
        accumulate(err, snap)
    assert info.value.status == 200
    assert "Overloaded" in str(info.value) and "req_9" in str(info.value)


def test_message_delta_usage_overwrites():
    snap = accumulate(parse_event("message_start", json.dumps({"type": "message_start",
        "message": {"id": "m", "model": "x", "content": [],
                    "usage": {"input_tokens": 10, "output_tokens": 1}}})), None)
    for n in (5, 9):
        snap = accumulate(parse_event("message_delta", json.dumps({
            "type": "message_delta", "delta": {"stop_reason": "max_tokens"},
            "usage": {"output_tokens": n, "input_tokens": 12}})), snap)
    assert snap.usage.output_tokens == 9 and snap.usage.input_tokens == 12
    assert snap.stop_reason == "max_tokens"


async def test_message_stream_skips_nameless_events_and_reports_early_end():
    import httpx

    from workbench.api.errors import APIConnectionError
    from workbench.api.recording import Exchange, ExchangeRecorder
    from workbench.api.stream import MessageStream

    start = json.dumps({"type": "message_start", "message": {
        "id": "m", "model": "x", "content": [], "usage": {"input_tokens": 1}}})
    raw = (f": hello\r\nevent: message_start\r\ndata: {start}\r\n\r\n"
           'data: {"type":"ping"}\r\n\r\n'  # no event line: skipped like the SDK does
           "event: content_block_start\r\ndata: "
           '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'
           "\r\n\r\nevent: content_block_delta\r\ndata: "
           '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}'
           "\r\n\r\n").encode()

    async def chunks():
        for i in range(0, len(raw), 7):
            yield raw[i:i + 7]

    recorder = ExchangeRecorder()
    ex = Exchange("POST", "http://x/v1/messages", {})
    recorder.start(ex)

    async def opener():
        return httpx.Response(200, content=chunks()), ex

    names: list[str] = []
    with pytest.raises(APIConnectionError, match="before message_stop"):
        async with MessageStream(opener, recorder) as stream:
            async for event in stream:
                names.append(event.type)
    assert names == ["message_start", "content_block_start", "content_block_delta"]
    assert stream.snapshot.text == "Hi"
    assert [n for _, n, _ in ex.events] == ["message_start", "", "content_block_start",
                                            "content_block_delta"]
    assert "before message_stop" in ex.error and ex.done_at is not None
