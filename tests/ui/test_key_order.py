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
        await wait_until(pilot, lambda: getattr(screen, "_loaded", False) and screen.side_ready)
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
        await wait_until(pilot, lambda: getattr(screen, "_loaded", False) and screen.side_ready)
        screen.open_draft(Draft(system="Be brief.", turns=[Turn("user", "Sonnet about tides")]))
        await wait_until(pilot, lambda: screen.current_draft().turns[0].text != "")
        screen.turn_list.editors[0].area.focus()
        await pilot.pause(0.1)
        for name in ["ctrl+l", *"another"]:  # as a terminal delivers fast typing
            app.post_message(events.Key(name, "\x0c" if name == "ctrl+l" else name))
        await wait_until(pilot, lambda: "another" in screen.current_draft().turns[0].text
                         or "another" in screen.current_draft().system)
        draft = screen.current_draft()
        assert (draft.system, [t.text for t in draft.turns]) == ("Be brief.", ["another"])
