"""The rest of the request surface in the parameters panel: effort, adaptive thinking, a reply
schema (checked, the reply validated), metadata.user_id, service_tier and anthropic-beta."""

from __future__ import annotations

import json

from textual.widgets import Select, Switch, TextArea

from tests.ui.conftest import screen_text, wait_until
from workbench.ui.widgets.ordered_keys import OrderedInput

SCHEMA = {"type": "object", "properties": {"city": {"type": "string"},
                                           "days": {"type": "integer"}},
          "required": ["city", "days"]}


async def test_options_go_into_the_request_and_the_reply_is_validated(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.settled)
        options = screen.params.query_one("#options")
        options.query_one("#effort", Select).value = "low"
        options.query_one("#service-tier", Select).value = "standard_only"
        options.query_one("#user-id", OrderedInput).value = "user-42"
        options.query_one("#betas", OrderedInput).value = "extended-cache-ttl-2025-04-11"
        options.query_one("#schema", TextArea).text = "{not json"
        await wait_until(pilot, lambda: "schema JSON" in (options.check_schema() or ""))
        options.query_one("#schema", TextArea).text = json.dumps(SCHEMA)
        await wait_until(pilot, lambda: options.check_schema() is None)
        screen.turn_list.editors[0].area.text = "Plan a trip to Lisbon"
        await wait_until(pilot, lambda: screen.session.draft.betas == [
            "extended-cache-ttl-2025-04-11"])
        body = screen.session.request()
        assert body["output_config"] == {"effort": "low", "format": {
            "type": "json_schema", "schema": SCHEMA}}
        assert body["metadata"] == {"user_id": "user-42"}
        assert body["service_tier"] == "standard_only"

        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.session.last_result is not None
                         and not screen.session.running, timeout=20)
        result = screen.session.last_result
        assert result.exchange.request_headers.get("anthropic-beta") == \
            "extended-cache-ttl-2025-04-11"
        assert set(json.loads(result.text)) == {"city", "days"}
        await wait_until(pilot, lambda: "structured output: JSON matching" in screen_text(app))
        assert screen.session.replies[-1].structured  # drawn as indented JSON (reply_code)
        assert '  "city": ' in screen_text(app)


async def test_adaptive_thinking_and_what_the_model_takes(make_app) -> None:
    from workbench.services.draft import Draft

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.settled)  # a refill would undo the switch
        panel = screen.params
        panel.query_one("#thinking", Switch).value = True
        await wait_until(pilot, lambda: screen.session.draft.thinking)
        panel.query_one("#adaptive", Switch).value = True  # one or the other
        await wait_until(pilot, lambda: not panel.query_one("#thinking", Switch).value)
        screen.turn_list.editors[0].area.text = "hello"
        await wait_until(pilot, lambda: screen.session.draft.extra.get("thinking")
                         == {"type": "adaptive"})
        assert screen.session.request()["thinking"] == {"type": "adaptive"}
        # a model without effort or adaptive thinking (Haiku 4.5 in the emulator) hides them
        screen.open_draft(Draft(model="claude-haiku-4-5"))
        await wait_until(pilot, lambda: not panel.query_one("#effort").display
                         and not panel.query_one("#adaptive-row").display)
