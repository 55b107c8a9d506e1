"""Messages against the emulator: create, stream (text, tools, thinking), count_tokens."""

from __future__ import annotations

import asyncio

import pytest

from workbench.api.client import ClaudeClient
from workbench.api.errors import RequestRejectedLocally, RequestSizeError
from workbench.api.types import (
    ContentBlockDeltaEvent,
    Message,
    MessageStartEvent,
    MessageStopEvent,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
)

from .helpers import KEY, MODEL, body

WEATHER_TOOL = {
    "name": "get_weather", "description": "Current weather for a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                     "required": ["city"]},
}


async def test_create_returns_a_message_that_refers_to_the_prompt(client: ClaudeClient):
    msg = await client.messages.create(body("Tell me about lighthouses."))
    assert isinstance(msg, Message)
    assert msg.id.startswith("msg_") and msg.model == MODEL
    assert msg.stop_reason == "end_turn"
    assert isinstance(msg.content[0], TextBlock) and msg.text.strip()
    assert "lighthouse" in msg.text.lower()
    assert msg.usage.input_tokens > 0 and msg.usage.output_tokens > 0
    ex = client.recorder.exchanges[-1]
    assert ex.status == 200 and ex.request_id and ex.request_id.startswith("req_")
    assert "anthropic-organization-id" in ex.response_headers
    assert ex.sent_at <= ex.first_byte_at <= ex.done_at


async def test_params_are_not_mutated(client: ClaudeClient):
    params = body(stream=True)
    snapshot = repr(params)
    await client.messages.create(params)
    async with client.messages.stream(params) as stream:
        await stream.until_done()
    assert repr(params) == snapshot


async def test_count_tokens_matches_usage(client: ClaudeClient):
    params = body("Count me, please: one two three.")
    count = await client.messages.count_tokens(params)
    msg = await client.messages.create(params)
    assert count.input_tokens == msg.usage.input_tokens > 0


async def test_stream_text_events_and_final_message(client: ClaudeClient):
    params = body("Write a short poem about the sea.")
    async with client.messages.stream(params) as stream:
        events = [e async for e in stream]
        assert stream.done
    assert isinstance(events[0], MessageStartEvent)
    assert isinstance(events[-1], MessageStopEvent)
    deltas = [e.delta.text for e in events
              if isinstance(e, ContentBlockDeltaEvent) and e.delta.type == "text_delta"]
    final = stream.snapshot
    assert isinstance(final, Message) and final.stop_reason == "end_turn"
    assert final.text == "".join(deltas) and len(deltas) > 3
    ex = stream.exchange
    assert ex.status == 200 and ex.error is None and ex.done_at is not None
    names = [name for _, name, _ in ex.events]
    assert names[0] == "message_start" and names[-1] == "message_stop"
    # a non-streamed create of the same request says the same thing
    again = await client.messages.create(params)
    assert again.text == final.text


async def test_text_deltas_helper(client: ClaudeClient):
    async with client.messages.stream(body("Name three colours.")) as stream:
        parts = [t async for t in stream.text_deltas()]
    assert "".join(parts) == stream.snapshot.text != ""


async def test_stream_tool_use(client: ClaudeClient):
    params = body("What is the weather in Paris right now? Use the tool.", tools=[WEATHER_TOOL])
    async with client.messages.stream(params) as stream:
        await stream.until_done()
    final = stream.snapshot
    assert final.stop_reason == "tool_use"
    tool = next(b for b in final.content if isinstance(b, ToolUseBlock))
    assert tool.name == "get_weather" and isinstance(tool.input, dict)
    assert isinstance(tool.input.get("city"), str)
    created = await client.messages.create(params)
    assert created.tool_uses[0].input == tool.input
    # answering with a tool_result gives text
    follow = body("x", tools=[WEATHER_TOOL])
    follow["messages"] = [
        params["messages"][0],
        {"role": "assistant", "content": [b.model_dump() for b in created.content]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": tool.id,
                                      "content": "18°C and sunny"}]},
    ]
    answer = await client.messages.create(follow)
    assert answer.stop_reason == "end_turn" and answer.text


async def test_stream_thinking_then_text(client: ClaudeClient):
    params = body("Why is the sky blue?", max_tokens=4000,
                  thinking={"type": "enabled", "budget_tokens": 1024})
    async with client.messages.stream(params) as stream:
        await stream.until_done()
    final = stream.snapshot
    assert isinstance(final.content[0], ThinkingBlock)
    assert final.content[0].thinking and final.content[0].signature
    assert final.text


async def test_max_tokens_and_stop_sequences(client: ClaudeClient):
    short = await client.messages.create(body("Write a long story about dragons.", max_tokens=5))
    assert short.stop_reason == "max_tokens" and short.usage.output_tokens <= 5


async def test_version_rules_refused_before_sending(emulator_url: str):
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, api_version="2026-10-21")
    try:
        with pytest.raises(RequestRejectedLocally) as info:
            await c.messages.create(body(temperature=0.5))
        assert "temperature" in str(info.value) and "2026-10-21" in str(info.value)
        with pytest.raises(RequestRejectedLocally):
            c.messages.stream(body(top_k=5))
        with pytest.raises(RequestRejectedLocally, match="request a: top_p"):
            await c.batches.create([{"custom_id": "a", "params": body(top_p=0.9)}])
        assert len(c.recorder) == 0  # nothing sent
        # count_tokens leaves sampling fields out, so the same body counts fine
        assert (await c.messages.count_tokens(body(temperature=0.5))).input_tokens > 0
        msg = await c.messages.create(body())
        assert msg.text
        assert c.recorder.exchanges[-1].request_headers["anthropic-version"] == "2026-10-21"
    finally:
        await c.aclose()
    classic = ClaudeClient(api_key=KEY, base_url=emulator_url)
    try:
        assert (await classic.messages.create(body(temperature=0.5))).text
    finally:
        await classic.aclose()


async def test_size_limits_nothing_sent(client: ClaudeClient, tmp_path):
    huge = "x" * (33 * 1024 * 1024)
    with pytest.raises(RequestSizeError) as info:
        await client.messages.create(body(huge))
    assert "32 MB" in str(info.value) and "33 MB" in str(info.value)
    with pytest.raises(RequestSizeError):
        await client.messages.count_tokens(body(huge))
    with pytest.raises(RequestSizeError):
        client.messages.stream(body(huge))
    big = "y" * (129 * 1024 * 1024)
    with pytest.raises(RequestSizeError, match="256 MB"):
        await client.batches.create([{"custom_id": "a", "params": body(big)},
                                     {"custom_id": "b", "params": body(big)}])
    del big, huge
    sparse = tmp_path / "big.bin"
    with open(sparse, "wb") as fh:
        fh.truncate(501 * 1024 * 1024)
    with pytest.raises(RequestSizeError, match="500 MB"):
        await client.files.upload(sparse)
    assert client.recorder.exchanges == []


async def test_exchange_recording_masks_the_key(emulator_url: str):
    secret = "sk-ant-api03-SECRETSECRETSECRET-9z9z"
    c = ClaudeClient(api_key=secret, base_url=emulator_url)
    try:
        await c.messages.create(body(f"Repeat this: {secret}"))
        async with c.messages.stream(body(f"Please echo {secret}")) as stream:
            await stream.until_done()
        await c.models.list()
    finally:
        await c.aclose()
    assert len(c.recorder.exchanges) == 3
    for ex in c.recorder.exchanges:
        blob = repr(ex) + repr(ex.events) + repr(ex.response_headers)
        assert secret not in blob
        assert ex.request_headers["x-api-key"] == "sk-ant-…9z9z"


async def test_cancel_mid_stream_keeps_what_arrived(emulator_url: str):
    c = ClaudeClient(api_key=KEY, base_url=emulator_url)
    seen: list[str] = []
    holder = {}

    async def consume():
        async with c.messages.stream(body("Write a long essay about rivers.", max_tokens=2000),
                                     headers={"x-emulator-speed": "200"}) as stream:
            holder["s"] = stream
            async for text in stream.text_deltas():
                seen.append(text)

    try:
        task = asyncio.create_task(consume())
        while len(seen) < 5:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        stream = holder["s"]
        assert not stream.done
        text = stream.snapshot.text
        assert text.startswith("".join(seen[:5])) and len(text) >= len("".join(seen[:5]))
        assert stream.exchange.error == "cancelled" and stream.exchange.done_at

        # breaking out of the loop and close() behave the same
        async with c.messages.stream(body("Write a long essay about rivers.", max_tokens=2000),
                                     headers={"x-emulator-speed": "200"}) as stream2:
            n = 0
            async for _ in stream2:
                n += 1
                if n == 6:
                    break
            await stream2.close()
            kept = stream2.snapshot
        assert kept is not None and not stream2.done
        assert stream2.exchange.error == "closed by the caller"
    finally:
        await c.aclose()


async def test_base_url_from_environment_and_beta_headers(emulator_url, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_BASE_URL", emulator_url + "/")
    c = ClaudeClient(api_key=KEY, betas=("files-api-2025-04-14",))
    try:
        assert c.base_url == emulator_url
        await c.messages.create(body(), betas=("context-1m-2025-08-07", "files-api-2025-04-14"))
        sent = c.recorder.exchanges[-1].request_headers
        assert sent["anthropic-beta"] == "files-api-2025-04-14,context-1m-2025-08-07"
        await c.models.list()
        assert c.recorder.exchanges[-1].request_headers["anthropic-beta"] == \
            "files-api-2025-04-14"
    finally:
        await c.aclose()


async def test_recorder_is_bounded(emulator_url):
    from workbench.api.recording import ExchangeRecorder

    heard = []
    rec = ExchangeRecorder(max_exchanges=3)
    rec.subscribe(heard.append)
    c = ClaudeClient(api_key=KEY, base_url=emulator_url, recorder=rec)
    try:
        for _ in range(5):
            await c.models.get(MODEL)
    finally:
        await c.aclose()
    assert len(rec.exchanges) == 3 and rec.exchanges[-1].url.endswith(MODEL)
    assert len(heard) == 10  # a start and an end per exchange
    assert [e.id for e in rec.exchanges] == sorted(e.id for e in rec.exchanges)
