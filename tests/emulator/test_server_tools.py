"""Server tools, citations, refusal and pause_turn from the emulator, read by the official SDK.

Each reply is checked against the recorded real shapes (../shared/recorded-api: m02/s05 web
search, m03/s12 web fetch, m04/m21 bash code execution, m23/s22 char_location, m17
page_location, s26 refusal, m15/s16 pause_turn) and parsed by `anthropic` whole and streamed.
"""

from __future__ import annotations

import base64
import json
import re
import zlib

import anthropic
import pytest

MODEL = "claude-haiku-4-5"
SEARCH = {"type": "web_search_20250305", "name": "web_search", "max_uses": 3}
FETCH = {"type": "web_fetch_20250910", "name": "web_fetch"}
BASH = {"type": "code_execution_20250825", "name": "code_execution"}
PYTHON = {"type": "code_execution_20250522", "name": "code_execution"}
TEXT = ("The river Seine flows through Paris. It is 777 kilometres long.\n"
        "Its source is on the Langres plateau.")


@pytest.fixture
def sdk(emulator_url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-ant-test", base_url=emulator_url)


def ask(content, **extra) -> dict:
    return {"model": MODEL, "max_tokens": 600, "messages": [{"role": "user", "content": content}],
            **extra}


def both(sdk: anthropic.Anthropic, body: dict) -> anthropic.types.Message:
    """The whole reply, after checking the streamed one accumulates to the same content."""
    whole = sdk.messages.create(**body)
    with sdk.messages.stream(**body) as stream:
        streamed = stream.get_final_message()
    def content(message: anthropic.types.Message) -> str:  # each run saves a new file
        return re.sub(r'"file_id":"file_[^"]+"', "", json.dumps(
            message.model_dump()["content"], separators=(",", ":")))

    assert content(streamed) == content(whole)
    assert streamed.stop_reason == whole.stop_reason
    assert streamed.usage.server_tool_use == whole.usage.server_tool_use
    return whole


def test_web_search_result_and_cited_text(sdk) -> None:
    tool = dict(SEARCH, blocked_domains=["forum.example.io"],
                user_location={"type": "approximate", "city": "Lyon", "country": "FR"})
    message = both(sdk, ask("What are the best rivers for kayaking?", tools=[tool]))
    use, result = message.content[0], message.content[1]
    assert use.type == "server_tool_use" and use.name == "web_search"
    assert "Lyon" in use.input["query"]
    assert result.type == "web_search_tool_result" and result.tool_use_id == use.id
    hits = result.content
    assert hits and all(h.type == "web_search_result" and h.url.startswith("https://")
                        and h.encrypted_content for h in hits)
    assert not any("forum.example.io" in h.url for h in hits)
    cited = [b for b in message.content if b.type == "text" and b.citations]
    assert cited
    for block in cited:
        citation = block.citations[0]
        assert citation.type == "web_search_result_location"
        assert citation.url in {h.url for h in hits} and citation.encrypted_index
    assert message.usage.server_tool_use.web_search_requests == 1


def test_allowed_domains_are_the_only_hosts(sdk) -> None:
    message = sdk.messages.create(**ask("Tell me about glaciers", tools=[
        dict(SEARCH, allowed_domains=["wikipedia.org", "nasa.gov"])]))
    urls = [h.url for h in message.content[1].content]
    assert urls and all("wikipedia.org" in u or "nasa.gov" in u for u in urls)


def test_web_fetch_returns_the_page_as_a_document(sdk) -> None:
    message = both(sdk, ask("Summarise https://docs.example.com/guide please", tools=[FETCH]))
    use, result = message.content[0], message.content[1]
    assert use.name == "web_fetch" and use.input == {"url": "https://docs.example.com/guide"}
    assert result.type == "web_fetch_tool_result"
    assert result.content.type == "web_fetch_result"
    assert result.content.content.source.data and result.content.content.title
    assert message.usage.server_tool_use.web_fetch_requests == 1
    blocked = sdk.messages.create(**ask("Read https://evil.example.com/x",
                                        tools=[dict(FETCH, blocked_domains=["example.com"])]))
    assert blocked.content[1].content.type == "web_fetch_tool_result_error"
    assert blocked.content[1].content.error_code == "url_not_allowed"


def test_bash_code_execution_with_a_file(sdk, emulator_url) -> None:
    message = both(sdk, ask("Calculate 3 * 12390 and save it to a csv file", tools=[BASH]))
    use, result = message.content[0], message.content[1]
    assert use.name == "bash_code_execution" and "print(3 * 12390)" in use.input["command"]
    assert result.type == "bash_code_execution_tool_result"
    assert result.content.stdout == "37170\n" and result.content.return_code == 0
    assert result.content.stderr == ""
    outputs = result.content.content
    assert outputs and outputs[0].type == "bash_code_execution_output"
    meta = sdk.beta.files.retrieve_metadata(outputs[0].file_id)
    assert meta.filename == "output.csv" and meta.downloadable
    assert message.container is not None and message.container.id.startswith("container_")


def test_python_code_execution_error(sdk) -> None:
    message = sdk.messages.create(**ask("Run this emulator:code_error", tools=[PYTHON]))
    result = message.content[1]
    assert message.content[0].name == "code_execution"
    assert result.type == "code_execution_tool_result"
    assert result.content.type == "code_execution_result"
    assert result.content.return_code == 1 and "RuntimeError" in result.content.stderr


def test_char_location_citations_slice_the_document(sdk) -> None:
    doc = {"type": "document", "title": "seine.txt", "citations": {"enabled": True},
           "source": {"type": "text", "media_type": "text/plain", "data": TEXT}}
    message = both(sdk, ask([doc, {"type": "text", "text": "How long is the river?"}]))
    cites = [c for b in message.content if b.type == "text" for c in b.citations or []]
    assert len(cites) == 2
    for c in cites:
        assert c.type == "char_location" and c.document_index == 0
        assert c.document_title == "seine.txt"
        assert TEXT[c.start_char_index:c.end_char_index] == c.cited_text
    assert cites[0].cited_text == "The river Seine flows through Paris. "


def _pdf(pages: list[str]) -> str:
    objs = []
    for text in pages:
        stream = zlib.compress(f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode())
        objs.append(b"<< /Type /Page /Parent 1 0 R >>\nstream\n" + stream + b"\nendstream")
    data = b"%PDF-1.4\n<< /Type /Pages >>\n" + b"\n".join(objs) + b"\n%%EOF"
    return base64.b64encode(data).decode()


def test_page_and_content_block_locations(sdk) -> None:
    pdf = {"type": "document", "citations": {"enabled": True}, "title": "two.pdf",
           "source": {"type": "base64", "media_type": "application/pdf",
                      "data": _pdf(["Page one says hello.", "Page two says bye."])}}
    custom = {"type": "document", "citations": {"enabled": True}, "source": {
        "type": "content", "content": [{"type": "text", "text": "First chunk."},
                                       {"type": "text", "text": "Second chunk."}]}}
    message = both(sdk, ask([pdf, custom, {"type": "text", "text": "Compare them"}]))
    cites = [c for b in message.content if b.type == "text" for c in b.citations or []]
    pages = [c for c in cites if c.type == "page_location"]
    blocks = [c for c in cites if c.type == "content_block_location"]
    assert [(c.start_page_number, c.end_page_number, c.cited_text) for c in pages] == [
        (1, 2, "Page one says hello."), (2, 3, "Page two says bye.")]
    assert all(c.document_index == 0 for c in pages)
    assert [(c.document_index, c.start_block_index, c.end_block_index, c.cited_text)
            for c in blocks] == [(1, 0, 1, "First chunk."), (1, 1, 2, "Second chunk.")]


def test_search_result_location(sdk) -> None:
    result = {"type": "search_result", "source": "https://kb.example.com/a", "title": "KB",
              "citations": {"enabled": True},
              "content": [{"type": "text", "text": "Answer one."}]}
    message = both(sdk, ask([result, {"type": "text", "text": "What does the KB say?"}]))
    cite = next(c for b in message.content if b.type == "text" for c in b.citations or [])
    assert cite.type == "search_result_location" and cite.search_result_index == 0
    assert (cite.source, cite.title, cite.start_block_index, cite.end_block_index) == (
        "https://kb.example.com/a", "KB", 0, 1)
    assert cite.cited_text == "Answer one."


def test_refusal_has_stop_details(sdk) -> None:
    message = both(sdk, ask("Please emulator:refusal"))
    assert message.stop_reason == "refusal" and message.content == []
    assert message.stop_details.type == "refusal" and message.stop_details.explanation


def test_pause_turn_continues_with_the_partial_reply(sdk) -> None:
    body = ask("Look up tides emulator:pause_turn", tools=[SEARCH])
    paused = both(sdk, body)
    assert paused.stop_reason == "pause_turn"
    assert [b.type for b in paused.content] == ["server_tool_use", "web_search_tool_result"]
    body["messages"].append({"role": "assistant",
                             "content": [b.model_dump(exclude_none=True) for b in paused.content]})
    done = both(sdk, body)
    assert done.stop_reason == "end_turn"
    cited = [c for b in done.content if b.type == "text" for c in b.citations or []]
    assert cited and {c.url for c in cited} <= {h.url for h in paused.content[1].content}


def test_stream_events_match_the_recordings(emulator_url) -> None:
    import httpx

    body = ask("What are the best rivers for kayaking?", tools=[SEARCH], stream=True)
    with httpx.Client(base_url=emulator_url, timeout=30) as http:
        text = http.post("/v1/messages", json=body,
                         headers={"x-api-key": "k", "anthropic-version": "2023-06-01"}).text
    assert '"content_block":{"type":"server_tool_use"' in text and '"input":{}' in text
    assert '"partial_json":""' in text  # the first input delta is empty, as recorded
    assert '"content_block":{"citations":[],"type":"text","text":""}' in text
    assert '"type":"citations_delta"' in text
    assert '"server_tool_use":{"web_search_requests":1' in text
