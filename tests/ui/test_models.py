"""Models picker: loads from the API, caches per profile, fuzzy search, picks for the composer."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from tests.ui.conftest import screen_text, wait_until


async def open_models(app, pilot):
    await app.switch_mode("models")
    screen = app.screen
    await wait_until(pilot, lambda: len(screen.models) > 0 and "from" in str(
        screen.query_one("#models-status").render()))
    return screen


async def test_lists_every_model_with_lifecycle(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_models(app, pilot)
        ids = [m["id"] for m in screen.models]
        assert "claude-opus-5" in ids and "claude-sonnet-4-5-20250929" in ids
        assert screen.query_one(DataTable).row_count == len(ids)
        shown = screen_text(app)
        assert "deprecated" in shown and "Claude Opus 5" in shown and "1M" in shown


async def test_fuzzy_search_narrows_and_pick_sets_the_composer_model(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_models(app, pilot)
        screen.query_one("#model-search", Input).value = "hku45"
        await pilot.pause(0.1)
        assert screen.shown[0]["id"] == "claude-haiku-4-5-20251001"
        assert "Claude Haiku 4.5" in screen_text(app)
        assert "thinking" in str(screen.query_one("#model-detail").render())
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current_mode == "compose")
        await wait_until(pilot, lambda: app.composer_draft().model == "claude-haiku-4-5-20251001"
                         and "context 200,000" in str(app.screen.query_one("#model-info").render()))


async def test_second_open_uses_the_cache_before_any_request(make_app) -> None:
    first = make_app()
    async with first.run_test(size=(140, 42)) as pilot:
        await open_models(first, pilot)
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        before = len(app.client.recorder.exchanges)
        await app.switch_mode("models")
        await wait_until(pilot, lambda: len(app.screen.models) > 0, timeout=2)
        model_requests = [e for e in app.client.recorder.exchanges[before:] if "/v1/models" in e.url
                          and e.url.split("/v1/models")[1].startswith("?")]
        assert len(app.screen.models) > 5
        assert len(model_requests) <= 1  # the cache showed first; at most the refresh is under way


async def test_models_error_is_a_notice(make_app) -> None:
    app = make_app("http://127.0.0.1:9")  # nothing listens there
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("models")
        await wait_until(pilot, lambda: "could not" in str(app.screen.query_one("#models-status").render()), timeout=20)
        assert any("could not list models" in n.message for n in app._notifications)


def test_models_snapshot(snap_compare, make_app) -> None:
    async def before(pilot) -> None:
        await open_models(pilot.app, pilot)
        pilot.app._set_status("default · api.example")
        pilot.app.screen._status("13 models")
        await pilot.pause(0.1)

    assert snap_compare(make_app(), terminal_size=(140, 42), run_before=before)
