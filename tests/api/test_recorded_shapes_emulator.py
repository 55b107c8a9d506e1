"""The emulator's replies of every recorded shape (server tools, citations of each location type,
refusal, pause_turn), read by our client exactly as by the SDK: the same stream bytes through
both accumulators, and our streamed Message equal to our non-streamed one.
"""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

import httpx
import pytest

from tests.api import recorded
from tests.api.test_recorded_streams import _sdk_stream, ours
from workbench.api.client import ClaudeClient
from workbench.api.types import (
    BashCodeExecutionToolResultBlock,
    CharLocationCitation,
    ContentBlockLocationCitation,
    PageLocationCitation,
    SearchResultLocationCitation,
    ServerToolUseBlock,
    WebFetchToolResultBlock,
    WebSearchResultLocationCitation,
    WebSearchToolResultBlock,
)

KEY = "sk-ant-test-key-0000"
SEARCH = {"type": "web_search_20250305", "name": "web_search", "max_uses": 3}
FETCH = {"type": "web_fetch_20250910", "name": "web_fetch"}
BASH = {"type": "code_execution_20250825", "name": "code_execution"}
TEXT = "The river Seine flows through Paris. It is 777 kilometres long."


def _pdf(pages: list[str]) -> str:
    objs = [b"<< /Type /Page /Parent 1 0 R >>\nstream\n"
            + zlib.compress(f"BT /F1 12 Tf 72 712 Td ({t}) Tj ET".encode()) + b"\nendstream"
            for t in pages]
    return base64.b64encode(b"%PDF-1.4\n<< /Type /Pages >>\n" + b"\n".join(objs)
                            + b"\n%%EOF").decode()


def doc(**source: Any) -> dict:
    return {"type": "document", "citations": {"enabled": True}, "title": "d", "source": source}


CASES: dict[str, tuple[Any, list, type | None]] = {
    "web search": ("What are the best rivers for kayaking?", [SEARCH],
                   WebSearchResultLocationCitation),
    "web fetch": ("Summarise https://docs.example.com/guide please", [FETCH], None),
    "bash code execution": ("Calculate 3 * 12390 and save it to a csv file", [BASH], None),
    "char location": ([doc(type="text", media_type="text/plain", data=TEXT),
                       {"type": "text", "text": "How long is the river?"}], [],
                      CharLocationCitation),
    "page location": ([doc(type="base64", media_type="application/pdf",
                           data=_pdf(["Page one.", "Page two."])),
                       {"type": "text", "text": "Compare"}], [], PageLocationCitation),
    "content block location": ([doc(type="content", content=[{"type": "text", "text": "A."}]),
                                {"type": "text", "text": "Say"}], [],
                               ContentBlockLocationCitation),
    "search result location": ([{"type": "search_result", "source": "https://kb.example.com",
                                 "title": "KB", "citations": {"enabled": True},
                                 "content": [{"type": "text", "text": "Answer one."}]},
                                {"type": "text", "text": "What does the KB say?"}], [],
                               SearchResultLocationCitation),
    "refusal": ("Please emulator:refusal", [], None),
    "pause turn": ("Look up tides emulator:pause_turn", [SEARCH], None),
}


def _no_file_ids(data: Any) -> Any:  # each run saves a new file
    return re.sub(r"file_[A-Za-z0-9]+", "file_x", repr(data))


@pytest.mark.parametrize("case", list(CASES))
async def test_emulator_shape_reads_as_the_sdk_reads_it(emulator_url: str, case: str) -> None:
    content, tools, citation = CASES[case]
    body: dict[str, Any] = {"model": "claude-haiku-4-5", "max_tokens": 600,
                            "messages": [{"role": "user", "content": content}]}
    if tools:
        body["tools"] = tools
    async with httpx.AsyncClient(base_url=emulator_url) as http:
        response = await http.post("/v1/messages", json={**body, "stream": True}, headers={
            "x-api-key": KEY, "anthropic-version": "2023-06-01"})
    raw = response.content
    mine = ours(recorded.chunk(raw, 7))
    with _sdk_stream(raw) as stream:
        theirs = stream.get_final_message()
    assert recorded.same(mine.model_dump(mode="json"), recorded.without_sdk_inventions(
        theirs.model_dump(mode="json", exclude_unset=True), raw)) == []
    async with ClaudeClient(api_key=KEY, base_url=emulator_url) as client:
        whole = await client.messages.create(body)
    assert _no_file_ids(whole.model_dump(mode="json")["content"]) == _no_file_ids(
        mine.model_dump(mode="json")["content"])
    kinds = {type(b) for b in mine.content}
    if tools:
        assert ServerToolUseBlock in kinds
        assert kinds & {WebSearchToolResultBlock, WebFetchToolResultBlock,
                        BashCodeExecutionToolResultBlock}
    if citation is not None:
        cites = [c for b in mine.content if b.type == "text" for c in b.citations or []]
        assert cites and all(isinstance(c, citation) for c in cites)
    if case == "refusal":
        assert mine.stop_reason == "refusal" and mine.stop_details.type == "refusal"
    if case == "pause turn":
        assert mine.stop_reason == "pause_turn"
