"""A reply appended to the conversation goes back to the API with its blocks in the order it
came, each block exactly as received (signatures, redacted thinking, server tool results,
compaction with `content: null`).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from tests.api import recorded
from workbench.api.client import ClaudeClient
from workbench.api.types import Message
from workbench.services.composer import ComposerSession
from workbench.services.conversation import reply_parts

KEY = "sk-ant-test-key-0000"


def session() -> ComposerSession:
    s = ComposerSession("order", default_model="claude-haiku-4-5", api_version="2023-06-01")
    s.set_text(0, "What is the weather in Oslo?")
    return s


def recorded_message(rec_id: str) -> Message:
    return Message.model_validate_json(recorded.body(recorded.BY_ID[rec_id]))


def sent_assistant_content(s: ComposerSession) -> list[dict]:
    if s.draft.turns[-1].is_empty():
        s.set_text(len(s.draft.turns) - 1, "Go on.")
    body = s.request()
    assistant = [m for m in body["messages"] if m["role"] == "assistant"]
    content = assistant[-1]["content"]
    return [{"type": "text", "text": content}] if isinstance(content, str) else content


# m12 thinking + text + tool_use; m13 text, thinking, text; m01 redacted_thinking + text;
# m02 web search with cited text; m04 code execution; m05 MCP; m06 compaction (content null?);
# m09 parallel tool_use; m11 text editor
@pytest.mark.parametrize("rec_id", ["m01", "m02", "m04", "m05", "m06", "m09", "m11", "m12",
                                    "m13", "m14", "m22"])
def test_appended_reply_is_sent_back_in_order_and_unchanged(rec_id: str) -> None:
    message = recorded_message(rec_id)
    s = session()
    s.started(object(), SimpleNamespace(message=message))
    s.append_reply()
    sent = sent_assistant_content(s)
    received = json.loads(recorded.body(recorded.BY_ID[rec_id]))["content"]
    # the trailing plain text becomes the editable text: the same text, sent last
    assert [b["type"] for b in sent] == [b["type"] for b in received][:len(sent)]
    head = sent[:-1] if received[-1]["type"] == "text" and not received[-1].get("citations") \
        else sent
    assert head == received[:len(head)]
    assert "".join(b.get("text", "") for b in sent[len(head):]) == "".join(
        b.get("text", "") for b in received[len(head):])


def test_text_then_tool_use_is_answered_in_order() -> None:
    """s21 (a real 2024 stream) replied [text, tool_use]; it went back as [tool_use, text]."""
    from tests.api.test_recorded_streams import ours

    message = ours([recorded.body(recorded.BY_ID["s21"])])
    assert [b.type for b in message.content] == ["text", "tool_use"]
    s = session()
    s.started(object(), SimpleNamespace(message=message))
    s.answer_tool("12 degrees")
    sent = sent_assistant_content(s)
    assert [b["type"] for b in sent] == ["text", "tool_use"]
    assert sent == [b.model_dump(mode="json", exclude_unset=True) for b in message.content]


def test_a_reply_with_blocks_continues_a_prefill_in_order() -> None:
    s = session()
    s.add_turn(text="Let me check.")  # an assistant prefill
    message = recorded_message("m12")  # thinking, text, tool_use
    s.started(object(), SimpleNamespace(message=message))
    s.append_reply()
    turns = s.draft.turns
    assert [t.role for t in turns] == ["user", "assistant", "user"]
    sent = sent_assistant_content(s)
    assert sent[0] == {"type": "text", "text": "Let me check."}
    assert [b["type"] for b in sent[1:]] == [b.type for b in message.content]


def test_plain_text_reply_stays_editable_text() -> None:
    text, blocks = reply_parts(SimpleNamespace(content=[
        SimpleNamespace(type="text", text="Hello "), SimpleNamespace(type="text", text="there")]))
    assert (text, blocks) == ("Hello there", [])


async def test_round_trip_through_the_emulator_keeps_the_order(emulator_url: str) -> None:
    """The emulator answers a tool question with [thinking, text, tool_use]; answered and run
    again, the request carries the assistant blocks in that order and is accepted."""
    s = session()
    s.draft.thinking = True
    s.draft.max_tokens = 4096
    s.texts["max-tokens"] = "4096"
    s.draft.tools_json = json.dumps([{
        "name": "get_weather", "description": "Weather for a city",
        "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                         "required": ["city"]}}])
    async with ClaudeClient(api_key=KEY, base_url=emulator_url) as client:
        async with client.messages.stream(s.run_body()) as stream:
            first = await stream.until_done()
        assert [b.type for b in first.content] == ["thinking", "text", "tool_use"]
        s.started(object(), SimpleNamespace(message=first))
        s.finished()
        s.answer_tool("12 degrees and sunny")
        body = s.run_body()
        assert body["messages"][1]["content"] == [
            b.model_dump(mode="json", exclude_unset=True) for b in first.content]
        second = await client.messages.create(body)
        record = client.recorder.exchanges[-1]
    assert second.stop_reason == "end_turn"
    sent = json.loads(record.request_body)["messages"][1]["content"]
    assert [b["type"] for b in sent] == ["thinking", "text", "tool_use"]
