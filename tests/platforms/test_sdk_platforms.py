"""The official SDK's platform clients, unchanged, against the emulator's platform wires:
create, stream, tool use and errors as the SDK's own exception classes."""

from __future__ import annotations

import anthropic
import httpx
import pytest

from workbench.emulator.platforms.bedrock import ACCESS_KEY, SECRET_KEY

pytest.importorskip("botocore")  # AnthropicBedrock signs with botocore (the bedrock extra)

TOOLS = [{"name": "get_weather", "description": "Get the weather for a city",
          "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                           "required": ["city"]}}]


def ask(model: str, text: str, **extra) -> dict:
    return {"model": model, "max_tokens": 300,
            "messages": [{"role": "user", "content": text}], **extra}


def bedrock(url: str, **kw) -> anthropic.AnthropicBedrock:
    creds = kw or {"aws_access_key": ACCESS_KEY, "aws_secret_key": SECRET_KEY}
    return anthropic.AnthropicBedrock(base_url=url + "/bedrock", aws_region="us-east-1",
                                      max_retries=0, **creds)


def vertex(url: str, token: str = "ya29.emulator-token") -> anthropic.AnthropicVertex:
    return anthropic.AnthropicVertex(base_url=url + "/vertex/v1", region="us-east5",
                                     project_id="my-project", access_token=token, max_retries=0)


def foundry(url: str, key: str = "foundry-key-0000") -> anthropic.AnthropicFoundry:
    return anthropic.AnthropicFoundry(base_url=url + "/foundry/anthropic", api_key=key,
                                      max_retries=0)


CLIENTS = {
    "bedrock": (bedrock, "us.anthropic.claude-haiku-4-5-20251001-v1:0"),
    "vertex": (vertex, "claude-haiku-4-5@20251001"),
    "foundry": (foundry, "claude-haiku-4-5"),
}


@pytest.fixture(params=sorted(CLIENTS))
def platform(request, emulator_url: str):
    make, model = CLIENTS[request.param]
    return request.param, make(emulator_url), model


def test_create(platform) -> None:
    _, client, model = platform
    message = client.messages.create(**ask(model, "Name three uses of bridges"))
    assert isinstance(message, anthropic.types.Message)
    assert message.stop_reason == "end_turn" and "bridges" in message.content[0].text.lower()
    assert message.usage.output_tokens > 0


def test_stream_matches_create(platform) -> None:
    _, client, model = platform
    with client.messages.stream(**ask(model, "Explain caching briefly")) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert len(pieces) > 5 and "".join(pieces) == final.content[0].text
    again = client.messages.create(**ask(model, "Explain caching briefly"))
    assert again.content[0].text == final.content[0].text


def test_stream_tool_use(platform) -> None:
    _, client, model = platform
    with client.messages.stream(**ask(model, "What is the weather in Lisbon?"),
                                tools=TOOLS) as stream:
        final = stream.get_final_message()
    assert final.stop_reason == "tool_use"
    use = next(b for b in final.content if b.type == "tool_use")
    assert use.name == "get_weather" and isinstance(use.input["city"], str)


def test_invalid_request_is_a_bad_request(platform) -> None:
    _, client, model = platform
    with pytest.raises(anthropic.BadRequestError):
        client.messages.create(model=model, max_tokens=100,
                               messages=[{"role": "robot", "content": "hi"}])


def test_injected_overload_mid_stream_is_an_error(platform) -> None:
    _, client, model = platform
    with pytest.raises(anthropic.APIStatusError), client.messages.stream(
            **ask(model, "Explain caching briefly"),
            extra_headers={"x-emulator-fault": "overloaded-event"}) as stream:
        for _ in stream:
            pass


def test_rate_limit_status(platform) -> None:
    _, client, model = platform
    with pytest.raises(anthropic.RateLimitError):
        client.messages.create(**ask(model, "hi"), extra_headers={"x-emulator-fault": "429"})


def test_bedrock_unknown_model_is_a_validation_exception(emulator_url: str) -> None:
    with pytest.raises(anthropic.BadRequestError) as info:
        bedrock(emulator_url).messages.create(**ask("anthropic.claude-nope-v1:0", "hi"))
    assert "model identifier is invalid" in str(info.value)
    assert info.value.response.headers["x-amzn-errortype"].startswith("ValidationException")
    assert info.value.response.headers["x-amzn-requestid"]


def test_bedrock_wrong_secret_is_refused(emulator_url: str) -> None:
    client = bedrock(emulator_url, aws_access_key=ACCESS_KEY, aws_secret_key="wrong")
    with pytest.raises(anthropic.PermissionDeniedError) as info:
        client.messages.create(**ask("anthropic.claude-haiku-4-5-v1:0", "hi"))
    assert "signature we calculated does not match" in str(info.value)
    stranger = bedrock(emulator_url, aws_access_key="AKIASTRANGER0000", aws_secret_key="x")
    with pytest.raises(anthropic.PermissionDeniedError, match="security token"):
        stranger.messages.create(**ask("anthropic.claude-haiku-4-5-v1:0", "hi"))


def test_bedrock_api_key_as_bearer(emulator_url: str) -> None:
    ok = bedrock(emulator_url, api_key="ABSKZW11bGF0b3I=")
    assert ok.messages.create(**ask("global.anthropic.claude-haiku-4-5-v1:0", "hi")).content
    with pytest.raises(anthropic.PermissionDeniedError, match="API Key format"):
        bedrock(emulator_url, api_key="not-a-bedrock-key").messages.create(
            **ask("anthropic.claude-haiku-4-5-v1:0", "hi"))


def test_vertex_unknown_model_and_bad_token(emulator_url: str) -> None:
    with pytest.raises(anthropic.NotFoundError, match="Publisher Model"):
        vertex(emulator_url).messages.create(**ask("claude-nope@20250101", "hi"))
    with pytest.raises(anthropic.AuthenticationError, match="invalid authentication"):
        vertex(emulator_url, token="not-a-google-token").messages.create(
            **ask("claude-haiku-4-5", "hi"))


def test_vertex_counts_tokens(emulator_url: str) -> None:
    count = vertex(emulator_url).messages.count_tokens(
        model="claude-haiku-4-5@20251001", messages=[{"role": "user", "content": "hello there"}])
    assert count.input_tokens > 0


def test_foundry_unknown_model_and_missing_key(emulator_url: str) -> None:
    with pytest.raises(anthropic.NotFoundError):
        foundry(emulator_url).messages.create(**ask("claude-nope", "hi"))
    # no key at all (the SDK refuses to send that, so plain HTTP): Azure's 401
    answer = httpx.post(emulator_url + "/foundry/anthropic/v1/messages",
                        json=ask("claude-haiku-4-5", "hi"),
                        headers={"anthropic-version": "2023-06-01"})
    assert answer.status_code == 401 and "Access denied" in answer.json()["error"]["message"]
    plain = anthropic.Anthropic(base_url=emulator_url + "/foundry/anthropic", api_key="k",
                                max_retries=0)
    with pytest.raises(anthropic.NotFoundError):  # Foundry has no Message Batches
        plain.messages.batches.list()
