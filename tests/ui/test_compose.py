"""Compose pane behaviour against the emulator (Pilot)."""

from __future__ import annotations

import json
import re

from textual.widgets import TextArea

from tests.conftest import set_constant
from tests.ui.conftest import open_and_wait, screen_text, wait_until
from workbench.services.draft import Draft, Turn


async def type_prompt(pilot, text: str) -> None:
    await pilot.press(*text) if len(text) < 40 else None
    if len(text) >= 40:
        pilot.app.screen.turn_list.editors[0].area.text = text


async def run_and_wait(pilot) -> None:
    app = pilot.app
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: app.screen.session.last_result is not None and not app.screen.session.running)
    await pilot.pause(0.1)


async def test_type_run_and_see_the_streamed_reply(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await type_prompt(pilot, "Tell me about lighthouses")
        await run_and_wait(pilot)
        result = app.screen.session.last_result
        assert result.status == "complete"
        assert "lighthouses" in result.text.lower()
        shown = screen_text(app)
        assert "#1 assistant" in shown and "stop_reason end_turn" in shown
        assert "request-id req_" in shown and "TTFT" in shown and "tok/s" in shown
        # the draft is untouched by the run
        assert app.screen.session.draft.turns[0].text == "Tell me about lighthouses"


async def test_cancel_keeps_partial_reply_and_draft(make_app, make_emulator) -> None:
    slow = make_emulator(tokens_per_second=40)
    app = make_app(slow)
    async with app.run_test(size=(140, 42)) as pilot:
        app.screen.turn_list.editors[0].area.text = "Write a long essay about canals"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: app.screen.session.replies and len(app.screen.session.replies[0].text) > 20)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not app.screen.session.running)
        await pilot.pause(0.2)
        result = app.screen.session.last_result
        assert result.status == "cancelled"
        assert len(result.text) > 20 and result.message.stop_reason is None
        assert app.screen.session.replies[0].status == "cancelled"
        assert "cancelled" in screen_text(app)
        assert app.screen.session.draft.turns[0].text == "Write a long essay about canals"


async def test_append_reply_and_prefill(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await type_prompt(pilot, "Name a colour")
        await run_and_wait(pilot)
        reply = app.screen.session.last_result.text
        await pilot.press("alt+a")
        await wait_until(pilot, lambda: [t.role for t in app.screen.session.draft.turns]
                         == ["user", "assistant", "user"])
        turns = app.screen.session.draft.turns
        assert turns[1].text == reply
        # a trailing assistant turn is sent as a prefill
        app.screen.open_draft(Draft(turns=[Turn("user", "Name a colour"),
                                           Turn("assistant", "The colour is")]))
        await wait_until(pilot, lambda: "prefill" in screen_text(app))
        body = app.screen.session.draft.to_request("2023-06-01")
        assert body["messages"][-1] == {"role": "assistant", "content": "The colour is"}


async def test_tool_use_answered_with_tool_result_and_run_again(make_app) -> None:
    tools = [{"name": "get_weather", "description": "weather for a city",
              "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                               "required": ["city"]}}]
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await open_and_wait(app, pilot, Draft(
            model="claude-haiku-4-5", tools_json=json.dumps(tools),
            turns=[Turn("user", "What is the weather in Oslo?")]))
        await run_and_wait(pilot)
        assert app.screen.session.last_result.message.stop_reason == "tool_use"
        assert "tool_use · get_weather" in screen_text(app)
        compose = app.screen
        await pilot.press("alt+t")
        await pilot.pause(0.2)
        app.screen.query_one("#answer", TextArea).text = "-3 C, snow"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(compose.session.replies) == 2 and not compose.session.running)
        turns = compose.session.draft.turns
        assert turns[1].role == "assistant"  # sent back in the order received: text, then the call
        assert [b["type"] for b in turns[1].blocks][-1] == "tool_use"
        assert turns[2].blocks[0]["type"] == "tool_result"
        assert turns[2].blocks[0]["content"] == "-3 C, snow"
        assert "-3 C, snow" in compose.session.last_result.text


async def test_thinking_shown_in_a_collapsible(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await open_and_wait(app, pilot, Draft(
            max_tokens=4000, thinking=True, thinking_budget=1024,
            turns=[Turn("user", "Why do cats purr?")]))
        await run_and_wait(pilot)
        assert app.screen.session.last_result.message.content[0].type == "thinking"
        assert "thinking" in screen_text(app)
        from textual.widgets import Collapsible
        assert app.screen.session.replies[0].query(Collapsible)


async def test_invalid_tools_json_blocks_the_run(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await open_and_wait(app, pilot, Draft(
            tools_json='[{"name": "x",\n "input_schema": }]', turns=[Turn("user", "hi")]))
        sent_before = len(app.client.recorder.exchanges)
        await pilot.press("ctrl+r")
        await pilot.pause(0.3)
        assert app.screen.session.last_result is None
        assert any("line 2, column" in n.message for n in app.notices.entries)
        assert "line 2, column" in str(app.screen.query_one("#tools-error").render())
        assert not any(e.url.endswith("/v1/messages") for e in app.client.recorder.exchanges[sent_before:])


async def test_sampling_params_hidden_under_2026_version(make_app) -> None:
    app = make_app(api_version="2026-10-21")
    async with app.run_test(size=(140, 42)):
        await app.screen.wait_side_loaded()
        assert not app.screen.query_one("#sampling").display
        assert "2026-10-21" in str(app.screen.query_one("#sampling-note").render())
    classic = make_app()
    async with classic.run_test(size=(140, 42)):
        await classic.screen.wait_side_loaded()
        assert classic.screen.query_one("#sampling").display


async def test_api_errors_are_notices_with_request_id(make_app, make_emulator) -> None:
    broken = make_emulator(fault_rate_529=1.0, tokens_per_second=None, retry_after=0.0)
    app = make_app(broken, max_retries=0)
    async with app.run_test(size=(140, 42)) as pilot:
        await type_prompt(pilot, "hello")
        await run_and_wait(pilot)
        result = app.screen.session.last_result
        assert result.status == "failed" and result.error.status == 529
        notices = [n.message for n in app.notices.entries]
        assert any("Overloaded" in n and "req_" in n and "draft is unchanged" in n for n in notices)
        assert app.screen.session.draft.turns[0].text == "hello"


async def test_token_gauge_estimate_then_exact_with_few_requests(make_app, monkeypatch) -> None:
    set_constant(monkeypatch, "workbench.services.composer.COUNT_DEBOUNCE", 0.4)  # the app's
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.side_ready and compose.session.loaded)
        before = sum(1 for e in app.client.recorder.exchanges if "count_tokens" in e.url)
        text = "The quick brown fox jumps over the lazy dog."
        for ch in text:  # 44 edits, typed quickly
            await pilot.press(ch if ch != " " else "space")
        gauge = app.screen.gauge
        assert gauge.exact is None and gauge.value > 0  # the instant ~estimate
        assert "~" in str(gauge.render())
        await wait_until(pilot, lambda: gauge.exact is not None)
        sent = sum(1 for e in app.client.recorder.exchanges if "count_tokens" in e.url) - before
        assert sent <= 3
        assert gauge.limit == 1_000_000


async def test_copy_reply_and_code_block(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await type_prompt(pilot, "Write a python function")
        await run_and_wait(pilot)
        await pilot.press("alt+c")
        assert app.clipboard == app.screen.session.last_result.text
        await pilot.press("alt+y")
        assert app.clipboard.startswith("def ") and "```" not in app.clipboard


async def test_inspector_shows_request_and_headers(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await type_prompt(pilot, "hello inspector")
        await run_and_wait(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause(0.3)
        shown = screen_text(app)
        assert "POST" in shown and "/v1/messages" in shown and "hello inspector" in shown
        assert "sk-ant-test-key-0000" not in shown
        tabs = app.screen.tabs()
        assert "request-id" in tabs["Response"] and "anthropic-ratelimit" in tabs["Response"]
        assert "message_start" in tabs["Events"]


async def test_variables_are_asked_before_the_run(make_app) -> None:
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await open_and_wait(app, pilot, Draft(turns=[Turn("user", "Describe {{city}} in winter")]))
        compose = app.screen
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: bool(app.screen.query("#var-0")))
        app.screen.query_one("#var-0", Input).value = "Reykjavik"
        await pilot.press("enter")
        await wait_until(pilot, lambda: compose.session.last_result is not None and not compose.session.running)
        sent = json.loads(compose.session.last_result.exchange.request_body)
        assert sent["messages"][0]["content"] == "Describe Reykjavik in winter"
        assert compose.session.draft.turns[0].text == "Describe {{city}} in winter"


async def test_draft_is_autosaved_and_restored(make_app) -> None:
    from workbench.services.drafts import load_draft

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await type_prompt(pilot, "remember me")
        await wait_until(pilot, lambda: (load_draft("default") or {}).get("turns", [{}])[0]
                         .get("text") == "remember me")  # the autosave has landed
    again = make_app()
    async with again.run_test(size=(140, 42)) as pilot:
        await wait_until(pilot, lambda: again.screen.session.draft.turns[0].text == "remember me")


async def test_add_move_delete_turns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await type_prompt(pilot, "first")
        await pilot.press("ctrl+n")
        await pilot.press(*"second")
        assert [t.role for t in app.screen.session.draft.turns] == ["user", "assistant"]
        await pilot.press("alt+up")
        assert [t.text for t in app.screen.session.draft.turns] == ["second", "first"]
        await pilot.press("alt+d")
        await wait_until(pilot, lambda: [t.text for t in app.screen.session.draft.turns]
                         == ["first"])


async def test_rate_limit_shows_a_live_retry_countdown(make_app, make_emulator) -> None:
    limited = make_emulator(fault_rate_429=1.0, tokens_per_second=None, retry_after=3.0)
    app = make_app(limited, max_retries=1)
    async with app.run_test(size=(140, 42)) as pilot:
        await type_prompt(pilot, "hello")
        await pilot.press("ctrl+r")
        # the notice and the countdown from the API's 3 s (a loaded machine may first show 2 s)
        await wait_until(pilot, lambda: "429 rate_limit_error" in screen_text(app)
                         and re.search(r"retrying in [23] s", screen_text(app)))
        await wait_until(pilot, lambda: "retrying in 1 s" in screen_text(app), timeout=5)
        await wait_until(pilot, lambda: not app.screen.session.running, timeout=10)
        assert app.screen.session.last_result.error.status == 429
        # the notice follows the reply's final render (running is cleared just before it)
        await wait_until(pilot, lambda: any("wait 3 s" in n.message
                                            for n in app.notices.entries), timeout=5)


async def test_a_model_id_is_shown_as_text_not_markup(make_app) -> None:
    """An id from a curl import or History may hold `[/...]`: shown as typed, never parsed."""
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await compose.wait_side_loaded()
        compose.set_model("no-such-[/model]")
        await wait_until(pilot, lambda: "unknown model" in str(
            compose.params.query_one("#model-info").render()))
        assert app.composer.draft.model == "no-such-[/model]"
        assert "no-such-[/model]" in screen_text(app)


async def test_alt_d_outside_the_turns_deletes_nothing(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42), notifications=True) as pilot:
        await type_prompt(pilot, "keep me")
        app.screen.query_one("#system").focus()
        await pilot.press("alt+d")
        await wait_until(pilot, lambda: any("turn to delete" in n.message
                                            for n in app.notices.entries))
        assert [t.text for t in app.composer.draft.turns] == ["keep me"]
