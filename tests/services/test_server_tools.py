"""The composer's server tools as request tools, and back from a request (history, curl)."""

from __future__ import annotations

import pytest

from workbench.services.draft import Attachment, Draft, DraftError, Turn
from workbench.services.server_tools import ServerTools, split

V = "2023-06-01"


def test_options_become_the_sdk_wire_shapes() -> None:
    tools = ServerTools(
        web_search=True, search_max_uses=3, search_blocked=["spam.example"],
        location={"city": "Lyon", "country": "FR", "timezone": "Europe/Paris"},
        web_fetch=True, fetch_allowed=["docs.example.com"], fetch_citations=True,
        code_execution=True).to_tools()
    assert tools == [
        {"type": "web_search_20250305", "name": "web_search", "max_uses": 3,
         "blocked_domains": ["spam.example"],
         "user_location": {"type": "approximate", "city": "Lyon", "country": "FR",
                           "timezone": "Europe/Paris"}},
        {"type": "web_fetch_20250910", "name": "web_fetch",
         "allowed_domains": ["docs.example.com"], "citations": {"enabled": True}},
        {"type": "code_execution_20250825", "name": "code_execution"}]


def test_no_option_is_invented() -> None:
    assert ServerTools(web_search=True).to_tools() == [
        {"type": "web_search_20250305", "name": "web_search"}]
    assert ServerTools().to_tools() == []


@pytest.mark.parametrize("settings, words", [
    (dict(search_allowed=["a.example"], search_blocked=["b.example"]), "not both"),
    (dict(search_max_uses=0), "at least 1"),
    (dict(location={"country": "France"}), "two-letter"),
    (dict(search_allowed=["not a domain"]), "not a domain"),
])
def test_options_the_api_rejects_are_refused(settings, words) -> None:
    draft = Draft(turns=[Turn("user", "hi")],
                  server_tools=ServerTools(web_search=True, **settings).to_dict())
    with pytest.raises(DraftError, match=words):
        draft.to_request(V)


def test_a_tool_in_the_tools_json_is_not_added_twice() -> None:
    draft = Draft(turns=[Turn("user", "hi")], server_tools={"web_search": True},
                  tools_json='[{"type": "web_search_20250305", "name": "web_search", '
                             '"max_uses": 1}]')
    assert draft.to_request(V)["tools"] == [
        {"type": "web_search_20250305", "name": "web_search", "max_uses": 1}]


def test_a_request_round_trips_through_a_draft() -> None:
    settings = ServerTools(web_search=True, search_allowed=["a.example"],
                           location={"city": "Oslo"}, code_execution=True).to_dict()
    body = Draft(turns=[Turn("user", "hi")], server_tools=settings).to_request(V)
    again = Draft.from_request(body)
    assert again.server_tools == settings and again.tools_json == ""
    assert again.to_request(V) == body


def test_tools_the_toggles_cannot_hold_stay_in_the_json() -> None:
    odd = [{"type": "web_search_20260209", "name": "web_search"},
           {"type": "web_fetch_20250910", "name": "web_fetch", "max_content_tokens": 500}]
    settings, rest = split(odd)
    assert settings == {} and rest == odd


def test_cite_documents_enables_citations_on_attachments(tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("One. Two.")
    draft = Draft(turns=[Turn("user", "Sum it up", attachments=[Attachment.from_path(path)])],
                  server_tools={"cite_documents": True})
    body = draft.to_request(V)
    document = body["messages"][0]["content"][0]
    assert document["type"] == "document" and document["citations"] == {"enabled": True}
    assert "tools" not in body
    assert draft.turns[0].attachments[0].to_block().get("citations") is None  # not mutated
    assert Draft.from_request(body).server_tools["cite_documents"] is True
