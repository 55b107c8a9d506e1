"""Issue 13, items 3 and 5: one-line notices with a log of them all (alt+n), and costs that
add up (top bar totals, batch cost at the batch price, prices in the models picker, History's
vote column)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import screen_text, wait_until


async def ready(app, pilot):
    compose = app.screen
    await wait_until(pilot, lambda: compose.settled)
    return compose


# --- 3. notices --------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_a_notice_is_one_line_and_the_log_keeps_it_whole(make_app, size) -> None:
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await ready(app, pilot)
        app.notify("first line of it\nthe details: [b]not markup[/b]", title="Stopped",
                   severity="error", markup=False)
        app.notify("[b]bold[/b] words", title="Markup")
        await wait_until(pilot, lambda: len(app.screen.query("Toast")) == 2
                         and all(t.region.height for t in app.screen.query("Toast")))
        for toast in app.screen.query("Toast"):
            assert toast.region.height == 1
        assert "Stopped: first line of it …" in screen_text(app)
        await pilot.press("alt+n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NoticesScreen")
        text = screen_text(app)
        assert "the details: [b]not markup[/b]" in text  # whole, and shown as typed
        assert "Markup: [b]bold[/b] words" in text  # notices are data, never markup
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ComposeScreen")
    assert [n.title for n in app.notices.entries][-2:] == ["Stopped", "Markup"]


# --- 5. costs ----------------------------------------------------------------------------------
async def test_the_top_bar_adds_up_the_session_and_today(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = await ready(app, pilot)
        assert "session" not in screen_text(app).splitlines()[0]  # nothing spent yet
        compose.turn_list.editors[0].area.focus()
        await pilot.press(*"hello")
        store = await app.wait_store()
        for n in (1, 2):
            await pilot.press("ctrl+r")
            await wait_until(pilot, lambda n=n: len(compose.session.replies) == n
                             and not compose.session.running and store.count_runs() == n)
        total = store.cost_since(0)
        assert total > 0
        from workbench.services.pricing import money

        await wait_until(pilot, lambda: f"{money(total)} session" in screen_text(app).splitlines()[0])
        assert f"{money(total)} today" in screen_text(app).splitlines()[0]


async def test_models_show_prices_per_million_tokens(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("models")
        await wait_until(pilot, lambda: "$/MTok" in screen_text(app) and "per MTok" in screen_text(app))
        text = screen_text(app)
        assert "$2/$10" in text or "$3/$15" in text or "$5/$25" in text


def test_the_batch_cost_counts_succeeded_results_at_half_price(tmp_path) -> None:
    import json

    from workbench.services.batch_results import ResultIndex
    from workbench.services.pricing import cost_usd

    usage = {"input_tokens": 1000, "output_tokens": 500}
    index = ResultIndex(tmp_path / "r.jsonl")
    for i, kind in enumerate(("succeeded", "succeeded", "errored")):
        result = {"type": kind}
        if kind == "succeeded":
            result["message"] = {"model": "claude-sonnet-5-5", "usage": usage, "content": []}
        index.add(json.dumps({"custom_id": f"r{i}", "result": result}))
    full = cost_usd("claude-sonnet-5-5", usage)
    assert index.cost == pytest.approx(full)  # two at half price
    assert "batch price" in index.cost_text()
    index.close()


async def test_history_shows_the_compare_vote(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        store = await app.wait_store()
        request = {"model": "claude-sonnet-5-5", "messages": [{"role": "user", "content": "q"}]}
        won = store.add_run(request=request, compare_group="g1")
        store.add_run(request=request, compare_group="g1")
        store.add_run(request=request)
        store.mark_preferred(won)
        await app.switch_mode("history")
        await wait_until(pilot, lambda: len(app.screen.run_ids) == 3)
        table = app.screen.query_one("DataTable")
        votes = [str(table.get_row_at(i)[3]) for i in range(3)]
        assert sorted(votes) == ["", "·", "★"]
