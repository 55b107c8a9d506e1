"""Keys typed in a burst are applied in order, even while the event loop is busy.

Textual runs a widget's bound keys (backspace, delete, ...) only after they bubble back to the
App, while letters are inserted at once: with a few milliseconds of work per edit, letters
typed right after backspaces were inserted first and then deleted (a new-user trial lost text
this way in tmux). The composer's editors run their own bindings in order.
"""

from __future__ import annotations

import time

from textual import events

from tests.ui.conftest import wait_until


def key(name: str) -> events.Key:
    return events.Key(name, "\x7f" if name == "backspace" else name)


async def test_letters_after_a_burst_of_backspaces_are_kept(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.session.loaded and screen.side_ready)
        system = screen.query_one("#system")
        system.focus()
        system.text = "You are a terse geography tutor."
        system.move_cursor((0, 8))
        await pilot.pause(0.2)
        busy = screen.request_changed

        def slow_request_changed() -> None:  # a loaded machine: each edit costs 10 ms
            time.sleep(0.01)
            busy()

        screen.request_changed = slow_request_changed
        for name in ["backspace"] * 30 + list("LOSTTEXT"):  # as a terminal delivers a burst
            app.post_message(key(name))
        await wait_until(pilot, lambda: "LOSTTEXT" in system.text, timeout=5)
        await pilot.pause(0.3)
        assert system.text == "LOSTTEXTa terse geography tutor."


async def test_typing_right_after_a_clear_goes_into_the_new_turn(make_app):
    """ctrl+l replaces the turns; keys typed before that finished went to the system prompt
    (Textual gave it the focus while the focused turn was removed)."""
    from workbench.services.draft import Draft, Turn

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.session.loaded and screen.side_ready)
        screen.open_draft(Draft(system="Be brief.", turns=[Turn("user", "Sonnet about tides")]))
        await wait_until(pilot, lambda: screen.session.draft.turns[0].text != "")
        screen.turn_list.editors[0].area.focus()
        await pilot.pause(0.1)
        for name in ["ctrl+l", *"another"]:  # as a terminal delivers fast typing
            app.post_message(events.Key(name, "\x0c" if name == "ctrl+l" else name))
        await wait_until(pilot, lambda: "another" in screen.session.draft.turns[0].text
                         or "another" in screen.session.draft.system)
        draft = screen.session.draft
        assert (draft.system, [t.text for t in draft.turns]) == ("Be brief.", ["another"])


def burst(app, keys: list[str]) -> None:
    chars = {"tab": "\t", "backspace": "\x7f", "ctrl+n": "\x0e", "ctrl+r": "\x12"}
    for name in keys:
        app.post_message(events.Key(name, chars.get(name, name if len(name) == 1 else None)))


async def ready_composer(app, pilot, slow: bool = True):
    screen = app.screen
    await wait_until(pilot, lambda: screen.session.loaded and screen.side_ready)
    if slow:  # a loaded machine: each edit costs a few milliseconds
        busy = screen.request_changed

        def slow_request_changed() -> None:
            time.sleep(0.005)
            busy()

        screen.request_changed = slow_request_changed
    return screen


async def test_tab_from_the_system_prompt_then_typing_goes_into_the_turn(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready_composer(app, pilot)
        screen.query_one("#system").focus()
        await pilot.pause(0.1)
        burst(app, [*"Be terse.", "tab", *"Hello there"])
        await wait_until(pilot, lambda: "there" in screen.session.draft.turns[0].text
                         or "there" in screen.session.draft.system)
        draft = screen.session.draft
        assert (draft.system, draft.turns[0].text) == ("Be terse.", "Hello there")


async def test_text_around_ctrl_n_stays_in_its_own_turn(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready_composer(app, pilot)
        screen.turn_list.editors[0].area.focus()
        await pilot.pause(0.1)
        burst(app, [*"Who are you?", "ctrl+n", *"A parrot.", "ctrl+n", *"Tell a story."])
        await wait_until(pilot, lambda: "story" in str(screen.session.draft.turns))
        await pilot.pause(0.2)
        turns = screen.session.draft.turns
        assert [(t.role, t.text) for t in turns] == [
            ("user", "Who are you?"), ("assistant", "A parrot."), ("user", "Tell a story.")]


async def test_ctrl_r_right_after_typing_sends_everything_typed(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready_composer(app, pilot)
        screen.turn_list.editors[0].area.focus()
        await pilot.pause(0.1)
        burst(app, [*"Hello world", "ctrl+r"])
        await wait_until(pilot, lambda: screen.session.last_result is not None and not screen.session.running)
        sent = screen.session.last_result.body["messages"][0]["content"]
        assert sent == "Hello world"


async def test_typing_while_a_draft_opens_is_kept_in_the_new_turn(make_app):
    """open_draft runs in a worker: keys typed meanwhile reached the old (hidden) turn and were
    dropped with it (review finding)."""
    from workbench.services.draft import Draft, Turn

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready_composer(app, pilot, slow=False)
        screen.turn_list.editors[0].area.focus()
        await pilot.pause(0.1)
        screen.open_draft(Draft(system="S", turns=[Turn("user", "one"), Turn("assistant", "two"),
                                                   Turn("user", "three")]))
        burst(app, list("abcdefgh"))
        await wait_until(pilot, lambda: len(screen.session.draft.turns) == 3)
        await pilot.pause(0.3)
        draft = screen.session.draft
        typed = draft.system + "".join(t.text for t in draft.turns)
        assert "abcdefgh" in typed  # nothing typed is lost
        assert draft.system in ("S", "abcdefghS")


async def test_no_focus_stop_in_the_composer_swallows_typing(make_app):
    """The editor column and the parameters panel scroll but take no focus themselves: tab
    between the system prompt and the turns stopped on them, and typing there was dropped."""
    from textual.widgets import TextArea

    from workbench.services.draft import Draft, Turn

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready_composer(app, pilot, slow=False)
        screen.open_draft(Draft(system="S", turns=[Turn("user", "long text " * 400)]))
        await wait_until(pilot, lambda: "long" in screen.session.draft.turns[0].text)
        await pilot.pause(0.2)
        chain = screen.focus_chain
        ids = [w.id for w in chain]
        assert "editor" not in ids and "params" not in ids
        assert chain[0].id == "system" and isinstance(chain[1], TextArea)
