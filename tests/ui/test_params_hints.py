"""The parameter fields say why a key did nothing and what is out of range (trial finding: a
letter or a second '.' vanished without a word; out-of-range values showed nothing until a run).
"""

from __future__ import annotations

from textual.widgets import Input, Switch

from tests.ui.conftest import wait_until


async def ready(app, pilot):
    compose = app.screen
    await wait_until(pilot, lambda: compose.settled)
    await wait_until(pilot, lambda: compose.params.model_max is not None)
    return compose


def hint(compose, hint_id: str) -> str:
    widget = compose.params.query_one(f"#{hint_id}")
    return str(widget.render()) if widget.display else ""


async def test_a_refused_key_is_explained_under_the_field(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = await ready(app, pilot)
        await pilot.press("alt+p")
        field = compose.params.query_one("#max-tokens", Input)
        assert app.focused is field
        await pilot.press("end", "x")
        await pilot.pause(0.05)
        assert field.value == "1024"  # still refused: the field holds a whole number
        assert hint(compose, "max-tokens-hint") == \
            "'x' not typed: max_tokens takes a whole number"
        await pilot.press("backspace")  # the next edit replaces the note
        await pilot.pause(0.05)
        assert hint(compose, "max-tokens-hint") == ""

        temperature = compose.params.query_one("#temperature", Input)
        temperature.focus()
        await pilot.press(*"0.5", ".")
        await pilot.pause(0.05)
        assert temperature.value == "0.5"
        assert "'.' not typed: temperature takes a number from 0 to 1" in \
            hint(compose, "sampling-hint")


async def test_out_of_range_values_are_named_at_once_and_at_run(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = await ready(app, pilot)
        maximum = compose.params.model_max
        area = compose.turn_list.editors[0].area
        area.focus()
        await pilot.press(*"Hello")
        field = compose.params.query_one("#max-tokens", Input)
        field.value = str(maximum + 1)
        await pilot.pause(0.05)
        expected = f"max_tokens {maximum + 1:,} is over claude-sonnet-5-5's maximum of {maximum:,}"
        assert hint(compose, "max-tokens-hint") == expected
        assert field.has_class("-invalid")

        temperature = compose.params.query_one("#temperature", Input)
        temperature.value = "1.5"
        await pilot.pause(0.05)
        assert hint(compose, "sampling-hint") == "temperature must be between 0 and 1 (1.5 is not)"

        runs = lambda: sum(e.url.endswith("/v1/messages")  # noqa: E731 (token counts may go on)
                           for e in app.client.recorder.exchanges)
        sent = runs()
        await pilot.press("ctrl+r")  # refused with the same words, nothing sent, nothing clamped
        await wait_until(pilot, lambda: any(expected in n.message for n in app._notifications))
        assert runs() == sent and field.value == str(maximum + 1)

        field.value = "1024"
        await pilot.pause(0.05)
        assert hint(compose, "max-tokens-hint") == ""
        app.clear_notifications()
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: any("between 0 and 1" in n.message
                                            for n in app._notifications))
        temperature.value = "0.7"
        await pilot.pause(0.05)
        assert hint(compose, "sampling-hint") == ""


async def test_the_thinking_budget_is_checked_when_thinking_is_on(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = await ready(app, pilot)
        assert hint(compose, "budget-hint") == ""  # 2048 over max_tokens 1024, but thinking off
        compose.params.query_one("#thinking", Switch).value = True
        await pilot.pause(0.05)
        assert hint(compose, "budget-hint") == \
            "thinking budget must be below max_tokens (1,024); it is 2,048"
        compose.params.query_one("#max-tokens", Input).value = "4096"  # fixed from the other end
        await pilot.pause(0.05)
        assert hint(compose, "budget-hint") == ""


async def test_at_80x24_the_gauge_is_one_line_under_the_parameters(make_app) -> None:
    """alt+p at 80x24: the six-row gauge left the parameters a few rows (trial finding)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        compose = await ready(app, pilot)
        await pilot.press("alt+p")
        await pilot.pause(0.1)
        params, gauge = compose.params, compose.gauge
        assert app.focused is params.query_one("#max-tokens")  # the first field one edits
        assert gauge.region.height <= 2 and gauge.compact
        assert params.region.bottom <= gauge.region.y  # nothing drawn over the parameters
        assert params.region.height >= 16
        assert "/ 1M input tokens" in str(gauge.render())
        await pilot.resize_terminal(140, 42)  # wide: the full gauge with its breakdown
        await pilot.pause(0.3)
        assert not gauge.compact and gauge.region.height >= 6
        assert "attachments" in str(gauge.render())


async def test_sampling_values_a_version_rejects_are_named_as_left_out(make_app) -> None:
    """A reopened run's temperature under a version without sampling was dropped unsaid."""
    from workbench.services.draft import Draft

    app = make_app(api_version="2026-10-21")
    async with app.run_test(size=(140, 42)) as pilot:
        compose = await ready(app, pilot)
        note = compose.params.query_one("#sampling-note")
        assert str(note.render()) == \
            "temperature / top_p / top_k: not accepted by API version 2026-10-21"
        compose.params.fill(Draft(model="claude-sonnet-5-5", temperature=0.7, top_k=40))
        await pilot.pause(0.05)
        assert str(note.render()).endswith("left out of the request: temperature 0.7, top_k 40")


async def test_compare_and_batch_refuse_what_a_run_refuses(make_app) -> None:
    """alt+k and ctrl+b send the composer's parameters too: they are checked the same way
    (an out-of-range temperature got the API's 400 in compare, or N errored batch results)."""
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = await ready(app, pilot)
        compose.turn_list.editors[0].area.focus()
        await pilot.press(*"Hello")
        compose.params.query_one("#temperature", Input).value = "1.5"
        await pilot.pause(0.05)
        for key in ("alt+k", "ctrl+b"):
            app.clear_notifications()
            await pilot.press(key)
            await wait_until(pilot, lambda: any("between 0 and 1" in n.message
                                                for n in app._notifications))
            assert app.screen is compose, key
        compose.params.query_one("#temperature", Input).value = "0.5"
        await pilot.pause(0.05)
        await pilot.press("alt+k")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CompareScreen")
