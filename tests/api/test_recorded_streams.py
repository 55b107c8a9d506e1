"""Every recorded real stream, in any chunking, gives the official SDK's final message.

Our SSE decoder and accumulator are fed each stream whole, byte by byte, in odd chunk sizes and
cut inside every UTF-8 character and every `\\r\\n` (the stream re-framed with CRLF); the final
Message, dumped with `exclude_unset`, must equal what the SDK's own stream accumulator (the beta
one, which knows compaction and context management) makes of the same bytes: no field missing,
none invented. Then each stream once more through our whole client over loopback HTTP.
"""

from __future__ import annotations

import functools
from typing import Any

import anthropic
import httpx2
import pytest

from tests.api import recorded
from workbench.api.accumulate import accumulate, parse_event
from workbench.api.client import ClaudeClient
from workbench.api.errors import APIStatusError, OverloadedError
from workbench.api.sse import SSEDecoder

STREAMS = recorded.ids("stream")
STREAM_ERRORS = recorded.ids("stream_error")
ASK = {"model": "claude-recorded", "max_tokens": 1,
       "messages": [{"role": "user", "content": "replayed"}]}


def test_every_file_is_in_the_manifest_and_every_entry_has_its_files() -> None:
    named = {"README.md", "manifest.json"}
    for rec in recorded.MANIFEST:
        named.add(rec["body_file"])
        if rec.get("request_file"):
            named.add(rec["request_file"])
    on_disk = {p.name for p in recorded.CORPUS.iterdir()}
    assert on_disk - named == set(), "files not in manifest.json"
    assert named - on_disk == set(), "manifest.json names missing files"
    assert len({r["id"] for r in recorded.MANIFEST}) == len(recorded.MANIFEST)
    known = {"stream", "stream_error", "message", "count_tokens", "models_page", "model",
             "batch", "batch_page", "batch_results", "file", "file_deleted", "error"}
    assert {r["kind"] for r in recorded.MANIFEST} <= known, "a new kind: teach the tests it"


def _sdk_stream(raw: bytes) -> Any:
    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=raw)

    sdk = anthropic.Anthropic(api_key=recorded.KEY, max_retries=0,
                              http_client=httpx2.Client(transport=httpx2.MockTransport(answer)))
    return sdk.beta.messages.stream(**ASK)


@functools.cache
def sdk_final(rec_id: str) -> dict[str, Any]:
    raw = recorded.body(recorded.BY_ID[rec_id])
    with _sdk_stream(raw) as stream:
        message = stream.get_final_message()
    return recorded.without_sdk_inventions(
        message.model_dump(mode="json", exclude_unset=True), raw)


def ours(chunks: list[bytes]) -> Any:
    decoder = SSEDecoder()
    snapshot = None
    for piece in [*chunks, None]:
        for sse in decoder.flush() if piece is None else decoder.feed(piece):
            if sse.event is not None:
                snapshot = accumulate(parse_event(sse.event, sse.data), snapshot)
    return snapshot


@pytest.mark.parametrize("how", list(recorded.CHUNKINGS))
@pytest.mark.parametrize("newline", ["lf", "crlf"])
@pytest.mark.parametrize("rec_id", STREAMS)
def test_stream_reads_as_the_sdk_reads_it(rec_id: str, newline: str, how: str) -> None:
    raw = recorded.body(recorded.BY_ID[rec_id])
    if newline == "crlf":
        raw = recorded.crlf(raw)
    final = ours(recorded.chunk(raw, recorded.CHUNKINGS[how]))
    assert final is not None
    assert recorded.same(final.model_dump(mode="json", exclude_unset=True),
                         sdk_final(rec_id)) == []


@pytest.mark.parametrize("how", ["whole", "1", "awkward"])
@pytest.mark.parametrize("rec_id", STREAM_ERRORS)
def test_error_event_is_the_typed_error_with_what_came_before(rec_id: str, how: str) -> None:
    raw = recorded.body(recorded.BY_ID[rec_id])
    with _sdk_stream(raw) as stream, pytest.raises(anthropic.APIStatusError) as sdk_err:
        for _ in stream:
            pass
    sdk_snapshot = getattr(stream, "_MessageStream__final_message_snapshot", None)
    decoder = SSEDecoder()
    snapshot = None
    with pytest.raises(APIStatusError) as err:
        for piece in [*recorded.chunk(raw, recorded.CHUNKINGS[how]), None]:
            for sse in decoder.flush() if piece is None else decoder.feed(piece):
                if sse.event is not None:
                    snapshot = accumulate(parse_event(sse.event, sse.data), snapshot)
    assert isinstance(err.value, OverloadedError)  # the SDK: APIStatusError of type overloaded
    assert err.value.error_type == sdk_err.value.type == "overloaded_error"
    # no request-id header here: the event's own, as the SDK names it in its message
    assert err.value.request_id == "req_011CYeT1GYt7Kg27RdtV9zeo"
    assert "request_id: req_011CYeT1GYt7Kg27RdtV9zeo" in str(sdk_err.value)
    assert err.value.status == 200
    if sdk_snapshot is not None:  # the text that arrived before the error is kept
        assert snapshot is not None
        assert recorded.same(snapshot.model_dump(mode="json", exclude_unset=True),
                             sdk_snapshot.model_dump(mode="json", exclude_unset=True)) == []


@pytest.mark.parametrize("rec_id", STREAMS + STREAM_ERRORS)
async def test_stream_through_the_whole_client_over_http(rec_id: str) -> None:
    rec = recorded.BY_ID[rec_id]
    with recorded.replay_server() as (url, handler):
        handler.recording, handler.piece = rec, 7
        async with ClaudeClient(api_key=recorded.KEY, base_url=url, max_retries=0) as client:
            stream = client.messages.stream(ASK)
            if rec["kind"] == "stream_error":
                with pytest.raises(OverloadedError) as err:
                    async with stream:
                        await stream.until_done()
                assert err.value.request_id == "req_011CYeT1GYt7Kg27RdtV9zeo"
                return
            async with stream:
                final = await stream.until_done()
            assert stream.exchange.request_id == rec["headers"].get("request-id")
    assert stream.done and stream.exchange.error is None
    assert recorded.same(final.model_dump(mode="json", exclude_unset=True),
                         sdk_final(rec_id)) == []


def test_future_block_delta_and_event_types_are_kept_whole() -> None:
    """A block type, a delta type and an event type this client has never heard of: the block
    is kept with every field (shown raw), the rest changes nothing and breaks nothing."""
    import json

    from workbench.api.types import GenericBlock

    future = {"type": "hologram", "shape": {"sides": 7}, "colour": None}
    events = [
        ("message_start", {"type": "message_start", "message": {
            "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
            "stop_reason": None, "stop_sequence": None, "future_field": [1],
            "usage": {"input_tokens": 1, "output_tokens": 1, "future_tokens": 3}}}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": future}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                 "delta": {"type": "hologram_delta", "sides": 8}}),
        ("telemetry", {"type": "telemetry", "load": 0.5}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {
            "stop_reason": "end_turn", "stop_sequence": None, "future_reason": "x"},
            "usage": {"output_tokens": 9, "future_tokens": 4}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    raw = "".join(f"event: {n}\ndata: {json.dumps(d)}\n\n" for n, d in events).encode()
    final = ours(recorded.chunk(raw, 3))
    assert isinstance(final.content[0], GenericBlock)
    dumped = final.model_dump(mode="json")
    assert dumped["content"] == [future]
    assert dumped["future_field"] == [1] and dumped["future_reason"] == "x"
    assert dumped["usage"] == {"input_tokens": 1, "output_tokens": 9, "future_tokens": 4}
