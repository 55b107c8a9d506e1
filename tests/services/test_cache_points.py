"""Cache breakpoints in the draft, kept through every way a request travels, and priced."""

from __future__ import annotations

import pytest

from workbench.services import cache_points
from workbench.services.curl_import import parse_curl
from workbench.services.draft import Draft, Turn
from workbench.services.export import export_code

V = "2023-06-01"
TOOLS = '[{"name": "lookup", "input_schema": {"type": "object"}}]'


def marked() -> Draft:
    draft = Draft(system="You are terse.", tools_json=TOOLS,
                  turns=[Turn("user", "first"), Turn("assistant", "ok"), Turn("user", "second")])
    assert cache_points.toggle(draft, "tools", V) == "5m"
    assert cache_points.toggle(draft, "system", V) == "5m"
    assert cache_points.toggle(draft, 0, V) == "5m"
    return draft


def test_breakpoints_go_into_the_request() -> None:
    body = marked().to_request(V)
    eph = {"type": "ephemeral", "ttl": "5m"}
    assert body["tools"][-1]["cache_control"] == eph
    assert body["system"] == [{"type": "text", "text": "You are terse.", "cache_control": eph}]
    assert body["messages"][0]["content"] == [{"type": "text", "text": "first",
                                               "cache_control": eph}]
    assert body["messages"][2]["content"] == "second"


def test_toggle_cycles_and_refuses_a_fifth() -> None:
    draft = marked()
    assert cache_points.toggle(draft, 2, V) == "5m"  # the fourth
    with pytest.raises(ValueError, match="maximum of 4"):
        cache_points.toggle(draft, 1, V)
    assert draft.turns[1].cache is None  # left as it was
    assert cache_points.toggle(draft, 2, V) is None  # 5m -> 1h is refused after 5m ones: off
    draft = Draft(system="s", turns=[Turn("user", "x")])
    assert [cache_points.toggle(draft, "system", V) for _ in range(3)] == ["5m", "1h", None]


def test_history_prompt_files_and_saved_drafts_keep_them() -> None:
    from workbench.services.promptfile import PromptFile, dumps, loads

    draft = marked()
    body = draft.to_request(V)
    assert Draft.from_request(body).to_request(V) == body  # history reopens the request
    assert Draft.from_dict(draft.to_dict()).to_request(V) == body  # autosave, library
    text = dumps(PromptFile(name="p", draft=draft.to_dict()))
    assert Draft.from_dict(loads(text).draft).to_request(V) == body
    old = draft.to_dict()  # a draft saved before breakpoints existed
    for key in ("cache_system", "cache_tools"):
        del old[key]
    for turn in old["turns"]:
        del turn["cache"]
    assert "cache_control" not in str(Draft.from_dict(old).to_request(V))


def test_markers_the_editor_has_no_place_for_are_kept_verbatim() -> None:
    eph = {"type": "ephemeral"}
    body = {"model": "claude-sonnet-5-5", "max_tokens": 10,
            "system": [{"type": "text", "text": "a", "cache_control": eph},
                       {"type": "text", "text": "b"}],
            "messages": [{"role": "user", "content": [
                {"type": "text", "text": "x", "cache_control": eph},
                {"type": "text", "text": "y"}]}],
            "tools": [{"name": "t", "input_schema": {"type": "object"}, "cache_control": eph},
                      {"name": "u", "input_schema": {"type": "object"}}]}
    again = Draft.from_request(body).to_request(V)
    assert again["system"] == body["system"]
    assert again["tools"] == body["tools"]
    assert again["messages"][0]["content"][0] == body["messages"][0]["content"][0]


def test_curl_round_trip_keeps_cache_control_and_betas() -> None:
    draft = marked()
    draft.betas = ["extended-cache-ttl-2025-04-11", "context-1m-2025-08-07"]
    body = draft.to_request(V)
    code = export_code(body, "curl", api_version=V, betas=draft.betas)
    parsed = parse_curl(code)
    back = parsed.to_draft()
    assert back.to_request(V) == body
    assert back.betas == draft.betas


def test_curl_json_flag_and_repeated_beta_headers() -> None:
    parsed = parse_curl("curl https://api.anthropic.com/v1/messages -H 'anthropic-beta: a' "
                        "-H 'anthropic-beta: b' --json '{\"model\": \"m\", \"max_tokens\": 5, "
                        "\"messages\": []}'")
    assert parsed.body["model"] == "m" and parsed.betas == ["a", "b"]


def test_cost_of_writes_and_reads() -> None:
    from workbench.services.pricing import cost_parts, prices_for

    price = prices_for("claude-haiku-4-5")["input"]
    write = cost_parts("claude-haiku-4-5", {"cache_creation_input_tokens": 1_000_000,
                                            "cache_creation": {
                                                "ephemeral_5m_input_tokens": 0,
                                                "ephemeral_1h_input_tokens": 1_000_000}})
    assert write["cache_write"] == pytest.approx(2 * price)
    write5 = cost_parts("claude-haiku-4-5", {"cache_creation_input_tokens": 1_000_000})
    assert write5["cache_write"] == pytest.approx(1.25 * price)
    read = cost_parts("claude-haiku-4-5", {"cache_read_input_tokens": 1_000_000})
    assert read["cache_read"] == pytest.approx(0.1 * price)


def test_gauge_estimate_counts_the_cached_prefix() -> None:
    from workbench.services.tokens import estimate_request

    draft = marked()
    breakdown = estimate_request(draft.to_request(V))
    assert 0 < breakdown.cached < breakdown.total
    assert estimate_request(Draft(system="x", turns=[Turn("user", "y")])
                            .to_request(V)).cached == 0


def test_a_run_refuses_more_than_four_breakpoints_from_an_import() -> None:
    """alt+shift+f refuses a fifth; an imported request can carry more: the run says so before
    anything is sent (the API would answer 400)."""
    import pytest as _pytest

    from workbench.services.composer import ComposerSession
    from workbench.services.draft import Draft, DraftError

    marked = {"type": "ephemeral"}
    body = {"model": "claude-sonnet-4-5", "max_tokens": 100,
            "system": [{"type": "text", "text": "s", "cache_control": marked}],
            "messages": [{"role": "user" if i % 2 == 0 else "assistant", "content": [
                {"type": "text", "text": f"turn {i}", "cache_control": marked}]}
                for i in range(5)]}
    session = ComposerSession("t", default_model="claude-sonnet-4-5", api_version="2023-06-01")
    session.open(Draft.from_request(body))
    with _pytest.raises(DraftError, match="4 blocks with cache_control"):
        session.run_body()


def test_a_structured_reply_is_shown_as_indented_json() -> None:
    from workbench.ui.widgets.reply_code import json_shown

    shown = json_shown([{"type": "text", "text": '{"city": "Oslo", "days": [1, 2]}'}])
    assert shown[0]["text"].startswith("```json\n{\n  \"city\": \"Oslo\"")
    prose = [{"type": "text", "text": "not JSON"}]
    assert json_shown(prose) is prose
    mixed = [{"type": "text", "text": "{}"}, {"type": "tool_use", "id": "t", "name": "x",
                                              "input": {}}]
    assert json_shown(mixed) is mixed
