"""The conversation as a whole: empty turns are refused by name (never dropped), clearing
to start over is undoable, a skill can be removed again."""

from __future__ import annotations

from tests.ui.conftest import wait_until
from workbench.services.draft import Draft, Turn


def messages_sent(app) -> int:
    return sum(1 for x in app.client.recorder.exchanges
               if x.method == "POST" and x.url.endswith("/v1/messages"))


async def open_and_wait(app, pilot, draft: Draft) -> None:
    app.screen.open_draft(draft)
    await wait_until(pilot, lambda: [t.text for t in app.screen.current_draft().turns]
                     == [t.text for t in draft.turns])
    await pilot.pause(0.1)


async def test_an_empty_middle_turn_is_named_focused_and_nothing_is_sent(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        draft = Draft(turns=[Turn("user", "Hi"), Turn("assistant", ""), Turn("user", "More")])
        await open_and_wait(app, pilot, draft)
        sent = messages_sent(app)
        await pilot.press("ctrl+r")
        await pilot.pause(0.3)
        assert not app.screen.replies and app.screen.last_result is None
        assert messages_sent(app) == sent == 0  # nothing went out
        notices = [n.message for n in app._notifications]
        assert any("Turn 2 (assistant) is empty" in n for n in notices), notices
        assert app.focused is app.screen.turn_list.editors[1].area
        assert [t.text for t in app.screen.current_draft().turns] == ["Hi", "", "More"]
        # filled in, it goes
        await pilot.press(*"Hello")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: app.screen.last_result is not None
                         and not app.screen.running)
        assert [m["content"] for m in app.screen.last_result.body["messages"]] == \
            ["Hi", "Hello", "More"]
