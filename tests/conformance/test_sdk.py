"""The official `anthropic` SDK, with its default settings, against the emulator.

The SDK sends `Authorization: Bearer` and `anthropic-version: 2026-10-21`; only the base URL
and a key are given. Every endpoint, and errors as the SDK's own exception classes.
"""

from __future__ import annotations

import time
from pathlib import Path

import anthropic
import httpx
import pytest

KEY = "sk-ant-conformance-0000"
MODEL = "claude-haiku-4-5"
CONTROL = {"x-api-key": KEY}  # the emulator's /_emulator controls want a key too


@pytest.fixture
def sdk(emulator_url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key=KEY, base_url=emulator_url)


def ask(text: str, **extra) -> dict:
    return {"model": MODEL, "max_tokens": 400, "messages": [{"role": "user", "content": text}],
            **extra}


def test_create_returns_a_typed_message(sdk) -> None:
    message = sdk.messages.create(**ask("Name three uses of bridges"))
    assert isinstance(message, anthropic.types.Message)
    assert message.role == "assistant" and message.stop_reason == "end_turn"
    assert "bridges" in message.content[0].text.lower()
    assert message.usage.input_tokens > 0 and message.usage.output_tokens > 0
    assert message._request_id and message._request_id.startswith("req_")


def test_stream_text_matches_create(sdk) -> None:
    with sdk.messages.stream(**ask("Explain caching briefly")) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert len(pieces) > 5
    assert "".join(pieces) == final.content[0].text
    assert final.content[0].text == sdk.messages.create(**ask("Explain caching briefly")).content[0].text
    assert final.usage.output_tokens == len(pieces)


def test_stream_tool_use_input_matches_schema(sdk) -> None:
    tools = [{"name": "get_weather", "description": "Get the weather for a city",
              "input_schema": {"type": "object", "properties": {
                  "city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]},
                  "days": {"type": "integer", "minimum": 1, "maximum": 7}},
                  "required": ["city", "unit"]}}]
    with sdk.messages.stream(**ask("What is the weather in Lisbon?"), tools=tools) as stream:
        final = stream.get_final_message()
    assert final.stop_reason == "tool_use"
    use = next(b for b in final.content if b.type == "tool_use")
    assert use.name == "get_weather"
    assert isinstance(use.input["city"], str) and use.input["unit"] in ("c", "f")
    assert 1 <= use.input["days"] <= 7
    follow = sdk.messages.create(model=MODEL, max_tokens=300, tools=tools, messages=[
        {"role": "user", "content": "What is the weather in Lisbon?"},
        {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in final.content]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": use.id,
                                      "content": "18 C and sunny"}]}])
    assert follow.stop_reason == "end_turn" and "18 C and sunny" in follow.content[0].text


def test_stream_thinking_then_text(sdk) -> None:
    with sdk.messages.stream(**ask("Why is the sky blue?", max_tokens=3000),
                             thinking={"type": "enabled", "budget_tokens": 1024}) as stream:
        kinds = [e.type for e in stream]
        final = stream.get_final_message()
    assert final.content[0].type == "thinking" and final.content[0].signature
    assert final.content[1].type == "text"
    assert "thinking" in kinds and "text" in kinds


def test_count_tokens_agrees_with_usage(sdk) -> None:
    body = ask("How many tokens is this prompt?")
    counted = sdk.messages.count_tokens(model=body["model"], messages=body["messages"])
    assert counted.input_tokens == sdk.messages.create(**body).usage.input_tokens


def test_models_auto_pagination(sdk) -> None:
    first = sdk.models.list(limit=3)
    assert len(first.data) == 3 and first.has_more
    ids = [m.id for m in sdk.models.list(limit=3)]  # iterating follows every page
    assert len(ids) > 3 and len(ids) == len(set(ids))
    assert sdk.models.retrieve("claude-haiku-4-5").id == "claude-haiku-4-5-20251001"
    assert first.data[0].max_input_tokens and first.data[0].capabilities is not None


def test_batches_through_to_results(sdk) -> None:
    batch = sdk.messages.batches.create(requests=[
        {"custom_id": "ok-1", "params": ask("Say one")},
        {"custom_id": "ok-2", "params": ask("Say two")},
        {"custom_id": "bad-1", "params": {"model": MODEL, "max_tokens": 5, "messages": []}},
    ])
    assert batch.processing_status == "in_progress"
    deadline = time.monotonic() + 10
    while sdk.messages.batches.retrieve(batch.id).processing_status != "ended":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    results = {r.custom_id: r.result for r in sdk.messages.batches.results(batch.id)}
    assert results["ok-1"].type == "succeeded" and results["ok-1"].message.content[0].text
    assert results["bad-1"].type == "errored"
    listed = [b.id for b in sdk.messages.batches.list(limit=100)]
    assert batch.id in listed
    assert sdk.messages.batches.delete(batch.id).id == batch.id


def test_files_round_trip(sdk, tmp_path: Path, emulator_url: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello files\n" * 100)
    uploaded = sdk.files.upload(file=path)
    assert uploaded.size_bytes == 1200 and uploaded.filename == "notes.txt"
    assert sdk.files.retrieve_metadata(uploaded.id).id == uploaded.id
    assert uploaded.id in [f.id for f in sdk.files.list()]
    with pytest.raises(anthropic.BadRequestError):
        sdk.files.download(uploaded.id)  # uploads are not downloadable, like the API
    made = httpx.post(f"{emulator_url}/_emulator/files", headers=CONTROL,
                      json={"filename": "out.csv", "size": 5000, "mime_type": "text/csv"}).json()
    content = sdk.files.download(made["id"]).read()
    assert len(content) == 5000
    assert sdk.files.delete(uploaded.id).id == uploaded.id
    with pytest.raises(anthropic.NotFoundError):
        sdk.files.retrieve_metadata(uploaded.id)


def test_skills_with_versions(sdk, tmp_path: Path) -> None:
    files = [("my-skill/SKILL.md", b"---\nname: my-skill\ndescription: Does a thing\n---\nUse it.\n",
              "text/markdown")]
    skill = sdk.skills.create(files=files, display_name="My skill")
    assert skill.display_name == "My skill" and skill.latest_version_id
    version = sdk.skills.versions.create(skill.id, files=files)
    versions = [v.id for v in sdk.skills.versions.list(skill.id)]
    assert version.id in versions and len(versions) == 2
    assert sdk.skills.retrieve(skill.id).latest_version_id == version.id
    anthropic_ids = [s.id for s in sdk.skills.list(source="anthropic")]
    assert {"pptx", "xlsx", "docx", "pdf"} <= set(anthropic_ids)
    for v in versions:
        sdk.skills.versions.delete(v, skill_id=skill.id)
    assert sdk.skills.delete(skill.id).id == skill.id


@pytest.mark.parametrize(("fault", "cls"), [
    ("429", anthropic.RateLimitError),
    ("500", anthropic.InternalServerError),
    ("529", anthropic.OverloadedError),
])
def test_errors_arrive_as_sdk_exceptions(emulator_url: str, fault: str, cls: type) -> None:
    sdk = anthropic.Anthropic(api_key=KEY, base_url=emulator_url, max_retries=0,
                              default_headers={"x-emulator-fault": fault})
    with pytest.raises(cls) as info:
        sdk.messages.create(**ask("hi"))
    assert info.value.request_id and info.value.request_id.startswith("req_")


def test_client_errors_as_sdk_exceptions(sdk, emulator_url: str) -> None:
    with pytest.raises(anthropic.NotFoundError):
        sdk.messages.create(**{**ask("hi"), "model": "claude-nope-1"})
    with pytest.raises(anthropic.BadRequestError, match="max_tokens"), sdk.messages.stream(
            model=MODEL, messages=[{"role": "user", "content": "x"}], max_tokens=200_000):
        pass  # over claude-haiku-4-5's 64K maximum (streamed: the SDK refuses big non-streamed)
    with pytest.raises(anthropic.BadRequestError, match="temperature"):
        sdk.messages.create(**ask("hi"), extra_body={"temperature": 0.5})  # 2026-10-21 rejects it
    unknown_file = [{"type": "document", "source": {"type": "file", "file_id": "file_nope"}},
                    {"type": "text", "text": "Read it"}]
    with pytest.raises(anthropic.NotFoundError, match="file_nope"):
        sdk.messages.create(model=MODEL, max_tokens=50,
                            messages=[{"role": "user", "content": unknown_file}])
    with pytest.raises(anthropic.NotFoundError, match="skill_nope"):
        sdk.messages.create(**ask("hi"), container={"skills": [
            {"type": "custom", "skill_id": "skill_nope", "version": "latest"}]})
    from anthropic._types import Omit

    with pytest.raises(anthropic.AuthenticationError):  # no key header at all
        sdk.models.list(extra_headers={"Authorization": Omit(), "X-Api-Key": Omit()})


def test_error_event_mid_stream(emulator_url: str) -> None:
    sdk = anthropic.Anthropic(api_key=KEY, base_url=emulator_url, max_retries=0,
                              default_headers={"x-emulator-fault": "overloaded-event"})
    with pytest.raises(anthropic.APIStatusError, match="Overloaded"), \
            sdk.messages.stream(**ask("Tell me a story")) as stream:
        for _ in stream:
            pass


async def test_async_client_stream(emulator_url: str) -> None:
    sdk = anthropic.AsyncAnthropic(api_key=KEY, base_url=emulator_url)
    async with sdk.messages.stream(**ask("Describe rivers")) as stream:
        final = await stream.get_final_message()
    assert final.content[0].text
    await sdk.close()
