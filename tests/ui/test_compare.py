"""Compare: two streams at once through the one shared client, side by side; both runs stored
with one compare group; the preferred one marked."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ui.conftest import wait_until
from workbench.api.client import ClaudeClient
from workbench.config import Settings
from workbench.services.draft import Draft, Turn
from workbench.ui.app import WorkbenchApp


def store_class():
    """The real Store; the panes' minimal stand-in while services/store.py is absent."""
    try:
        from workbench.services.store import Store
    except ImportError:
        from workbench.services.store import Store
    return Store


def make_store(tmp_path: Path):
    return store_class()(tmp_path / "t.db")


def draft() -> Draft:
    return Draft(model="claude-sonnet-5-5", turns=[Turn("user", "Write a haiku about tea")])


async def open_compare(app, pilot):
    from workbench.ui.screens.compare import CompareScreen

    await app.push_screen(CompareScreen(draft()))
    screen = app.screen
    await wait_until(pilot, lambda: all(c.select.value in screen.choices for c in screen.columns))
    return screen


async def test_two_models_stream_concurrently_and_are_stored(make_emulator, tmp_path) -> None:
    url = make_emulator(tokens_per_second=80)  # paced: each reply takes ~2 s
    store = make_store(tmp_path)
    client = ClaudeClient(api_key="sk-ant-test-key-0000", base_url=url)
    app = WorkbenchApp(settings=Settings(), client=client, store=store)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_compare(app, pilot)
        one, two = screen.columns
        assert one.select.value == "model:claude-sonnet-5-5"
        assert two.select.value != one.select.value  # defaults to another model

        await pilot.press("r")
        # Both columns show streamed text before either run has finished: live, side by side.
        await wait_until(pilot, lambda: one.text and two.text)
        assert screen.running and one.result.status == two.result.status == "running"
        await wait_until(pilot, lambda: not screen.running and one.run_id and two.run_id)
        a, b = one.result, two.result
        assert a.status == b.status == "complete"
        assert a.started < b.finished_at and b.started < a.finished_at  # overlapped in time
        assert a.body["model"] == "claude-sonnet-5-5" and b.body["model"] != a.body["model"]
        assert "tea" in one.text.lower() or one.text
        shown = str(one.query_one(".compare-stats").render())
        assert "TTFT" in shown and "tok/s" in shown and "$" in shown

        run_a = await store.arun(store.get_run, one.run_id)
        run_b = await store.arun(store.get_run, two.run_id)
        group_a = getattr(run_a, "compare_group", None) or run_a["compare_group"]
        group_b = getattr(run_b, "compare_group", None) or run_b["compare_group"]
        assert group_a == group_b == screen.compare_group

        await pilot.press("2")
        await wait_until(pilot, lambda: two.has_class("-preferred"))
        await pilot.pause(0.3)
        run_b = await store.arun(store.get_run, two.run_id)
        run_a = await store.arun(store.get_run, one.run_id)
        pref = lambda run: getattr(run, "preferred", None) if not isinstance(run, dict) else run.get("preferred")  # noqa: E731
        assert pref(run_b) and not pref(run_a)
    await client.aclose()


async def test_compare_without_store_still_streams(emulator_url) -> None:
    client = ClaudeClient(api_key="sk-ant-test-key-0000", base_url=emulator_url)
    app = WorkbenchApp(settings=Settings(), client=client)
    app.store = None
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_compare(app, pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: not screen.running and screen.columns[1].result
                         and screen.columns[1].result.status == "complete")
        for column in screen.columns:
            assert "haiku" in column.text.lower()
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is not screen)
    await client.aclose()


def test_compare_snapshot(snap_compare, emulator_url) -> None:
    """Both replies side by side (volatile timings and request-ids hidden)."""
    client = ClaudeClient(api_key="sk-ant-test-key-0000", base_url=emulator_url)
    app = WorkbenchApp(settings=Settings(), client=client)
    app.store = None

    async def run_before(pilot) -> None:
        screen = await open_compare(app, pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: not screen.running and all(
            c.result and c.result.status == "complete" for c in screen.columns))
        for stats in screen.query(".compare-stats"):
            stats.update("(timings hidden in the snapshot)")
        app.set_focus(None)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(140, 42), run_before=run_before)


async def test_compare_fills_variables_like_a_single_run(emulator_url) -> None:
    """{{variables}} are filled from the composer's values (its dialog, prefilled), and a
    missing one is refused by name: nothing unfilled is sent."""
    from textual.widgets import Input

    from workbench.ui.screens.compare import CompareScreen
    from workbench.ui.screens.compose_modals import VariablesScreen

    client = ClaudeClient(api_key="sk-ant-test-key-0000", base_url=emulator_url)
    app = WorkbenchApp(settings=Settings(), client=client)
    app.store = None
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        compose.open_draft(Draft(turns=[Turn("user", "Describe {{city}} in one line")]))
        await wait_until(pilot, lambda: "{{city}}" in compose.session.draft.turns[0].text)
        await pilot.press("ctrl+r")  # a single run asks once and remembers
        await wait_until(pilot, lambda: isinstance(app.screen, VariablesScreen))
        app.screen.query_one("#var-0", Input).value = "Oslo"
        await pilot.press("enter")
        await wait_until(pilot, lambda: compose.session.last_result is not None and not compose.session.running)

        await pilot.press("alt+k")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen))
        screen = app.screen
        await wait_until(pilot, lambda: all(c.select.value in screen.choices
                                            for c in screen.columns))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, VariablesScreen))
        assert app.screen.query_one("#var-0", Input).value == "Oslo"  # the composer's value
        await pilot.press("enter")
        await wait_until(pilot, lambda: not screen.running and all(
            c.result and c.result.status == "complete" for c in screen.columns))
        for column in screen.columns:
            sent = json.loads(column.result.exchange.request_body)
            assert sent["messages"][0]["content"] == "Describe Oslo in one line"
            assert "{{" not in column.result.exchange.request_body

        # a variable with no value: the dialog names it and nothing is sent
        screen.draft.turns[0].text = "Describe {{city}} in {{season}}"
        for key in list(screen.choices):
            screen.choices[key][1].turns[0].text = screen.draft.turns[0].text
        before = [c.result for c in screen.columns]
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, VariablesScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "missing: season" in str(
            app.screen.query_one(".error").render()))
        assert isinstance(app.screen, VariablesScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert [c.result for c in screen.columns] == before  # nothing ran
    await client.aclose()


async def test_compare_columns_render_markdown_while_streaming(make_emulator) -> None:
    """Like the transcript: finished blocks are Markdown as soon as they settle, not raw
    `**bold**` until the end; the finished reply is one Markdown render."""
    from tests.ui.conftest import screen_text
    from workbench.ui.screens.compare import CompareScreen

    url = make_emulator(tokens_per_second=40)  # paced: each reply takes a few seconds
    client = ClaudeClient(api_key="sk-ant-test-key-0000", base_url=url)
    app = WorkbenchApp(settings=Settings(), client=client)
    app.store = None
    async with app.run_test(size=(140, 42)) as pilot:
        await app.push_screen(CompareScreen(Draft(turns=[Turn("user", "Tell me about lighthouses")])))
        screen = app.screen
        await wait_until(pilot, lambda: all(c.select.value in screen.choices
                                            for c in screen.columns))
        await pilot.press("r")
        one = screen.columns[0]
        await wait_until(pilot, lambda: "**lighthouses**" in one.text and "\n\n- " in one.text)
        opening = one.text.split("\n", 1)[0]  # the emulator's first line, with **lighthouses**
        await wait_until(pilot, lambda: opening.replace("**", "") in screen_text(app))
        assert one.result.status == "running"  # still streaming, already Markdown
        assert opening not in screen_text(app)
        assert one.query(".compare-settled")
        await wait_until(pilot, lambda: not screen.running, timeout=20)
        shown = screen_text(app)
        assert "**" not in shown and "• Lighthouses:" in shown
        assert not one.query(".compare-settled")  # one Static per finished reply
    await client.aclose()
