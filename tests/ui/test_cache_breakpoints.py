"""Setting, showing and pricing prompt-cache breakpoints in the composer (Pilot + emulator)."""

from __future__ import annotations

import json

from tests.ui.conftest import screen_text, wait_until

LONG = " ".join(f"Rule {i}: answer politely and cite the handbook section." for i in range(80))


def notices(app) -> str:
    return " | ".join(n.message for n in app._notifications)


async def run_and_wait(pilot, runs: int) -> None:
    app = pilot.app
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: len(app.screen.session.replies) == runs
                     and not app.screen.session.running, timeout=20)


async def test_set_show_and_price_a_cache_breakpoint(make_app, make_emulator) -> None:
    from workbench.services.pricing import cost_usd

    app = make_app(make_emulator(tokens_per_second=None))
    async with app.run_test(size=(140, 42)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.settled)
        screen.system.text = LONG
        screen.system.focus()
        await pilot.press("alt+shift+f")
        await wait_until(pilot, lambda: screen.session.draft.cache_system == "5m")
        assert screen.system.border_subtitle == "⚑ cache 5m"
        await wait_until(pilot, lambda: "cache breakpoint on the system prompt: 5m (1 of 4 "
                         "used)" in notices(app))

        editor = screen.turn_list.editors[0]
        editor.area.focus()
        await pilot.press(*"Which rule is first?")
        await pilot.press("alt+shift+f", "alt+shift+f")  # 5m, then 1h: refused after a 5m one, so off
        await wait_until(pilot, lambda: screen.session.draft.turns[0].cache is None)
        await pilot.press("alt+shift+f")
        await wait_until(pilot, lambda: editor.area.border_subtitle == "⚑ cache 5m")
        assert "⚑ cache 5m" in screen_text(app)
        assert "cached prefix" in screen_text(app)  # the token gauge

        body = screen.session.request()  # what the request JSON holds
        assert body["system"][0]["cache_control"] == {"type": "ephemeral", "ttl": "5m"}
        assert body["messages"][0]["content"][-1]["cache_control"]["ttl"] == "5m"

        await run_and_wait(pilot, 1)
        first = screen.session.last_result
        sent = json.loads(first.exchange.request_body)
        assert sent["system"][0]["cache_control"]["type"] == "ephemeral"
        assert first.usage()["cache_creation_input_tokens"] > 1024
        await wait_until(pilot, lambda: "cache write ≈ $" in screen_text(app))

        await run_and_wait(pilot, 2)
        second = screen.session.last_result
        assert second.usage()["cache_read_input_tokens"] == \
            first.usage()["cache_creation_input_tokens"]
        await wait_until(pilot, lambda: "cache read ≈ $" in screen_text(app)
                         and "saved ≈ $" in screen_text(app))
        model = first.body["model"]
        assert cost_usd(model, second.usage()) < cost_usd(model, first.usage())


async def test_a_fifth_breakpoint_is_refused(make_app) -> None:
    from workbench.services.draft import Draft, Turn

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.settled)
        turns = [Turn("user" if i % 2 == 0 else "assistant", f"turn {i}") for i in range(5)]
        for turn in turns[:4]:
            turn.cache = "5m"
        screen.open_draft(Draft(turns=turns))
        await wait_until(pilot, lambda: len(screen.turn_list.editors) == 5
                         and screen.turn_list.editors[0].area.border_subtitle == "⚑ cache 5m")
        screen.turn_list.editors[4].area.focus()
        await pilot.press("alt+shift+f")
        await wait_until(pilot, lambda: "maximum of 4" in notices(app))
        assert screen.session.draft.turns[4].cache is None
