"""The conversation as a whole: empty turns are refused by name (never dropped), clearing
to start over is undoable, a skill can be removed again."""

from __future__ import annotations

from tests.ui.conftest import open_and_wait, screen_text, wait_until
from workbench.services.draft import Draft, Turn


def messages_sent(app) -> int:
    return sum(1 for x in app.client.recorder.exchanges
               if x.method == "POST" and x.url.endswith("/v1/messages"))


async def test_an_empty_middle_turn_is_named_focused_and_nothing_is_sent(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        draft = Draft(turns=[Turn("user", "Hi"), Turn("assistant", ""), Turn("user", "More")])
        await open_and_wait(app, pilot, draft)
        sent = messages_sent(app)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: any("Turn 2 (assistant) is empty" in n.message
                                            for n in app._notifications))
        await wait_until(pilot, lambda: app.focused is app.screen.turn_list.editors[1].area)
        assert not app.screen.session.replies and app.screen.session.last_result is None
        assert messages_sent(app) == sent == 0  # nothing went out
        assert [t.text for t in app.screen.session.draft.turns] == ["Hi", "", "More"]
        # filled in, it goes
        await pilot.press(*"Hello")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: app.screen.session.last_result is not None
                         and not app.screen.session.running)
        assert [m["content"] for m in app.screen.session.last_result.body["messages"]] == \
            ["Hi", "Hello", "More"]


async def test_clear_the_conversation_and_bring_it_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await open_and_wait(app, pilot, Draft(system="Be brief.", turns=[
            Turn("user", "Name a colour")]))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None and not compose.session.running)
        await pilot.press("alt+a")
        await pilot.press(*"and another")
        await pilot.pause(0.1)
        before = [(t.role, t.text) for t in compose.session.draft.turns]
        assert len(before) == 3 and len(compose.session.replies) == 1

        await pilot.press("ctrl+l")  # start over
        await pilot.pause(0.2)
        draft = compose.session.draft
        assert [(t.role, t.text) for t in draft.turns] == [("user", "")]
        assert draft.system == "Be brief."  # the setup stays
        assert compose.session.replies == [] and compose.session.last_result is None
        assert "#1 assistant" not in screen_text(app)
        assert any("alt+z brings it back" in n.message for n in app._notifications)
        assert app.focused is compose.turn_list.editors[0].area
        await pilot.press(*"fresh start")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None and not compose.session.running)
        assert [m["content"] for m in compose.session.last_result.body["messages"]] == ["fresh start"]

        await pilot.press("alt+z")  # the cleared conversation comes back, replies and all
        await wait_until(pilot, lambda: [(t.role, t.text) for t in compose.session.draft.turns]
                         == before)
        assert len(compose.session.replies) == 1 and compose.session.replies[0].display
        assert "Name a colour" in compose.session.last_result.body["messages"][0]["content"]
        await pilot.press("alt+z")  # and the newer one was kept aside, not lost
        await wait_until(pilot, lambda: [t.text for t in compose.session.draft.turns]
                         == ["fresh start"])


async def test_clear_and_undo_are_in_the_command_palette(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause(0.1)
        titles = [c.title for c in app.screen.palette_commands()]
        assert "Clear conversation" in titles and "Undo" in titles
        assert "Remove skill" in titles


async def test_remove_a_skill_from_the_request(make_app) -> None:
    from workbench.ui.screens.compose_modals import PickScreen

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await compose.wait_side_loaded()
        await pilot.press(*"Make a deck")
        compose.use_skill({"type": "anthropic", "skill_id": "pptx", "version": "latest"})
        compose.use_skill({"type": "custom", "skill_id": "skill_01abc", "version": "3"})
        await wait_until(pilot, lambda: "pptx" in screen_text(app)
                         and "alt+s removes" in screen_text(app))
        await pilot.press("alt+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("down", "enter")  # the second one
        await wait_until(pilot, lambda: app.screen is compose)
        body = compose.session.draft.to_request("2023-06-01")
        assert body["container"]["skills"] == [
            {"type": "anthropic", "skill_id": "pptx", "version": "latest"}]
        await pilot.press("alt+s", "enter")  # the last one: no container, no code tool
        await wait_until(pilot, lambda: not compose.session.draft.skills)
        body = compose.session.draft.to_request("2023-06-01")
        assert "container" not in body and "tools" not in body
        assert "pptx" not in screen_text(app)
        await pilot.press("alt+s")
        await wait_until(pilot, lambda: any("no skill to remove" in n.message
                                            for n in app._notifications))
        assert app.screen is compose


def forget_open_stores() -> None:
    """What a restart does to the drafts' database connections: closes them (the next app
    opens the file again and reads what is on disk)."""
    from workbench.services import drafts

    for store in drafts._stores.values():
        store.close()
    drafts._stores.clear()


async def test_a_cleared_conversation_comes_back_after_a_restart(make_app) -> None:
    from workbench.services.drafts import load_draft, load_set_aside

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await open_and_wait(app, pilot, Draft(system="Be brief.", turns=[
            Turn("user", "Name a colour")]))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None and not compose.session.running)
        await pilot.press("alt+a")
        await pilot.press(*"and another")
        await pilot.pause(0.1)
        before = [(t.role, t.text) for t in compose.session.draft.turns]
        assert len(before) == 3
        await pilot.press("ctrl+l")
        await pilot.press(*"fresh start")
        # the emptied draft and the conversation it replaced land together
        await wait_until(pilot, lambda: (load_draft("default") or {}).get("turns", [{}])[0]
                         .get("text") == "fresh start")
        aside = load_set_aside("default")
        assert [(t["role"], t["text"]) for t in aside["turns"]] == before
        assert aside["replies"] == 1
    forget_open_stores()

    again = make_app()  # a new app on the same data dir
    async with again.run_test(size=(140, 42)) as pilot:
        compose = again.screen
        await wait_until(pilot, lambda: compose.session.loaded)
        assert [t.text for t in compose.session.draft.turns] == ["fresh start"]
        assert compose.session.draft.system == "Be brief."
        await pilot.press("alt+z")
        await wait_until(pilot, lambda: [(t.role, t.text) for t in
                                         compose.session.draft.turns] == before)
        notices = [n.message for n in again._notifications]
        assert any("1 reply from before the restart" in n and "History" in n
                   for n in notices), notices
        assert again.focused is compose.turn_list.editors[-1].area  # typing goes on there
        # the swap is saved too: the newer conversation is now the one set aside
        await wait_until(pilot, lambda: [t["text"] for t in
                                         (load_set_aside("default") or {}).get("turns", [])]
                         == ["fresh start"])
        await pilot.press("alt+z")
        await wait_until(pilot, lambda: [t.text for t in compose.session.draft.turns]
                         == ["fresh start"])
    forget_open_stores()


async def test_undo_that_leaves_nothing_aside_forgets_the_saved_one(make_app) -> None:
    """Bringing a conversation back over an empty one leaves nothing to undo: not after a
    restart either."""
    from workbench.services.drafts import load_draft, load_set_aside

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await open_and_wait(app, pilot, Draft(turns=[Turn("user", "keep me")]))
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: load_set_aside("default") is not None)
        await pilot.press("alt+z")  # the new conversation is still empty: nothing goes aside
        await wait_until(pilot, lambda: load_set_aside("default") is None)
        assert load_draft("default")["turns"][0]["text"] == "keep me"
    forget_open_stores()
    again = make_app()
    async with again.run_test(size=(140, 42)) as pilot:
        await wait_until(pilot, lambda: again.screen.session.loaded)
        await pilot.press("alt+z")
        await wait_until(pilot, lambda: any("no cleared conversation" in n.message
                                            for n in again._notifications))
        assert [t.text for t in again.screen.session.draft.turns] == ["keep me"]


async def test_opening_a_draft_keeps_the_replaced_one_for_alt_z(make_app) -> None:
    """History's or the Library's `o` replaced the composer's draft, setup and all, with no
    way back (trial finding): alt+z now brings it back whole, and swaps again."""
    from workbench.ui import messages as m

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        mine = Draft(system="Answer in French.", turns=[Turn("user", "Bonjour")],
                     max_tokens=2000, temperature=0.3)
        await open_and_wait(app, pilot, mine)
        opened = Draft(system="Be brief.", turns=[Turn("user", "From history")])
        app.post_message(m.OpenDraft(opened, "history"))
        await wait_until(pilot, lambda: compose.session.draft.system == "Be brief.")
        await wait_until(pilot, lambda: any("alt+z brings back the draft it replaced"
                                            in n.message for n in app._notifications))
        await pilot.press("alt+z")
        await wait_until(pilot, lambda: compose.session.draft.system == "Answer in French.")
        back = compose.session.draft
        assert [t.text for t in back.turns] == ["Bonjour"]
        assert (back.max_tokens, back.temperature) == (2000, 0.3)
        assert any("draft restored" in n.message for n in app._notifications)
        await pilot.press("alt+z")  # and the opened one was kept in turn
        await wait_until(pilot, lambda: compose.session.draft.system == "Be brief.")
        assert [t.text for t in compose.session.draft.turns] == ["From history"]
