"""Our one client speaking each platform's wire to the emulator: create, stream (Bedrock's
event-stream included), tool use, counting where offered, errors as our classes with the
platform's request id, and what a platform lacks refused before sending."""

from __future__ import annotations

import pytest

from workbench.api import errors
from workbench.api.client import ClaudeClient
from workbench.api.platforms import PlatformUnsupported, adapter_for
from workbench.emulator.platforms.bedrock import ACCESS_KEY, SECRET_KEY

pytest.importorskip("botocore")

MODEL = "claude-haiku-4-5"
TOOLS = [{"name": "get_weather", "description": "Get the weather for a city",
          "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                           "required": ["city"]}}]


def ask(text: str, model: str = MODEL, **extra) -> dict:
    return {"model": model, "max_tokens": 300,
            "messages": [{"role": "user", "content": text}], **extra}


def make(platform: str, url: str, **over) -> ClaudeClient:
    from workbench.api.sigv4 import static_credentials

    settings = {
        "bedrock": {"region": "us-east-1", "base_url": url + "/bedrock", "model_prefix": "us.",
                    "credentials": static_credentials(ACCESS_KEY, SECRET_KEY)},
        "vertex": {"project": "demo-project", "region": "us-east5",
                   "base_url": url + "/vertex/v1", "access_token": "ya29.emulator"},
        "foundry": {"base_url": url + "/foundry/anthropic", "api_key": "foundry-key-0000"},
    }[platform]
    settings.update(over)
    return ClaudeClient(platform=adapter_for(platform, "2023-06-01", **settings), max_retries=0)


@pytest.fixture(params=["bedrock", "vertex", "foundry"])
async def platform_client(request, emulator_url: str):
    client = make(request.param, emulator_url)
    yield request.param, client
    await client.aclose()


async def test_create_and_stream_agree(platform_client) -> None:
    name, client = platform_client
    assert client.platform == name
    message = await client.messages.create(ask("Explain caching briefly"))
    async with client.messages.stream(ask("Explain caching briefly")) as stream:
        pieces = [piece async for piece in stream.text_deltas()]
    assert len(pieces) > 5
    assert "".join(pieces) == message.content[0].text == stream.snapshot.content[0].text
    assert stream.exchange.request_id  # the platform's own request id


async def test_stream_tool_use(platform_client) -> None:
    _, client = platform_client
    async with client.messages.stream(ask("Weather in Lisbon?", tools=TOOLS)) as stream:
        final = await stream.until_done()
    assert final.stop_reason == "tool_use"
    use = next(b for b in final.content if b.type == "tool_use")
    assert use.name == "get_weather" and isinstance(use.input["city"], str)


async def test_overload_mid_stream_is_our_error(platform_client) -> None:
    _, client = platform_client
    with pytest.raises(errors.OverloadedError):
        async with client.messages.stream(
                ask("Explain caching briefly"),
                headers={"x-emulator-fault": "overloaded-event"}) as stream:
            await stream.until_done()


async def test_rate_limit_is_our_class_with_request_id(platform_client) -> None:
    _, client = platform_client
    with pytest.raises(errors.RateLimitError) as info:
        await client.messages.create(ask("hi"), headers={"x-emulator-fault": "429"})
    assert info.value.request_id


async def test_counting_where_offered(emulator_url: str) -> None:
    for name in ("vertex", "foundry"):
        async with make(name, emulator_url) as client:
            count = await client.messages.count_tokens(ask("hello there"))
            assert count.input_tokens > 0
    async with make("bedrock", emulator_url) as client:
        with pytest.raises(PlatformUnsupported, match="token counting"):
            await client.messages.count_tokens(ask("hello there"))
        with pytest.raises(PlatformUnsupported, match="Message Batches"):
            await client.batches.list()
        assert not client.recorder.exchanges  # refused before anything was sent


async def test_bedrock_errors_map_to_our_classes(emulator_url: str) -> None:
    from workbench.api.sigv4 import static_credentials

    async with make("bedrock", emulator_url) as client:
        with pytest.raises(errors.InvalidRequestError, match="model identifier is invalid") as bad:
            await client.messages.create(ask("hi", model="claude-nope"))
        assert bad.value.request_id
    wrong = static_credentials(ACCESS_KEY, "not-the-secret")
    async with make("bedrock", emulator_url, credentials=wrong) as client:
        with pytest.raises(errors.AuthenticationError, match="InvalidSignatureException"):
            await client.messages.create(ask("hi"))
    async with make("bedrock", emulator_url, api_key="ABSKZW11bGF0b3I=",
                    credentials=None) as client:
        assert (await client.messages.create(ask("hi"))).content


async def test_vertex_and_foundry_errors(emulator_url: str) -> None:
    async with make("vertex", emulator_url) as client:
        with pytest.raises(errors.NotFoundError, match="Vertex AI NOT_FOUND"):
            await client.messages.create(ask("hi", model="claude-nope-20250101"))
    async with make("vertex", emulator_url, access_token="bad") as client:
        with pytest.raises(errors.AuthenticationError, match="UNAUTHENTICATED"):
            await client.messages.create(ask("hi"))
    async with make("foundry", emulator_url) as client:
        with pytest.raises(errors.NotFoundError):
            await client.messages.create(ask("hi", model="claude-nope"))
        with pytest.raises(PlatformUnsupported, match="model list"):
            await client.models.list()


async def test_token_command_gives_the_bearer(emulator_url: str) -> None:
    async with make("vertex", emulator_url, access_token=None,
                    token_command="echo ya29.from-a-command") as client:
        assert (await client.messages.create(ask("hi"))).content
        recorded = client.recorder.exchanges[-1].request_headers["authorization"]
        assert recorded.startswith("Bearer …") and "from-a-command" not in recorded
    async with make("vertex", emulator_url, access_token=None,
                    token_command="false") as client:
        with pytest.raises(errors.APIError, match="failed"):
            await client.messages.create(ask("hi"))
