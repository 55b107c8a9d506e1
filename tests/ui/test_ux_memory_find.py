"""Issue 13, items 4, 6 and 7: what the user typed is remembered (save dialog, variables per
prompt, alt+d undoable), find and branch, and the small ones."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.ui.conftest import open_and_wait, screen_text, wait_until
from workbench.services.draft import Draft, Turn


async def ready(app, pilot):
    compose = app.screen
    await wait_until(pilot, lambda: compose.settled)
    return compose


def shape(app) -> list[tuple[str, str]]:
    return [(t.role, t.text) for t in app.composer.draft.turns]


# --- 4. memory ---------------------------------------------------------------------------------
async def test_alt_d_alt_r_and_moves_are_undone_by_alt_z(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await ready(app, pilot)
        await open_and_wait(app, pilot, Draft(turns=[Turn("user", "a"), Turn("assistant", "b"),
                                                     Turn("user", "c")]))
        compose.turn_list.editors[1].area.focus()
        await pilot.press("alt+d")
        await wait_until(pilot, lambda: shape(app) == [("user", "a"), ("user", "c")])
        await pilot.press("alt+r")
        await wait_until(pilot, lambda: shape(app)[1] == ("assistant", "c"))
        await pilot.press("alt+z")
        await wait_until(pilot, lambda: shape(app)[1] == ("user", "c"))
        await pilot.press("alt+z")
        await wait_until(pilot, lambda: [e.area.text for e in compose.turn_list.editors]
                         == ["a", "b", "c"])
        assert shape(app) == [("user", "a"), ("assistant", "b"), ("user", "c")]
        assert any("deleted turn brought back" in n.message for n in app.notices.entries)


async def test_the_save_dialog_prefills_the_prompt_and_says_which_version(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await ready(app, pilot)
        store = await app.wait_store()
        store.save_prompt("weather-review", Draft(turns=[Turn("user", "v1")]).to_dict())
        store.save_prompt("weather-review", Draft(turns=[Turn("user", "v2")]).to_dict())
        compose.open_draft(Draft(turns=[Turn("user", "v2")]), "library:weather-review v2")
        await wait_until(pilot, lambda: app.composer.prompt_name == "weather-review")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "SavePromptScreen")
        dialog = app.screen
        assert dialog.query_one("#save-name", Input).value == "weather-review"
        await wait_until(pilot, lambda: "saves v3 of 'weather-review'" in screen_text(app))
        await pilot.press("enter", "enter")  # name, then the (empty) note
        await wait_until(pilot, lambda: app.screen is compose)
        assert any("saved weather-review v3" in n.message for n in app.notices.entries)


async def test_variables_are_remembered_per_prompt_across_restarts(make_app) -> None:
    for attempt in range(2):
        app = make_app()
        async with app.run_test(size=(120, 36)) as pilot:
            compose = await ready(app, pilot)
            await open_and_wait(app, pilot, Draft(turns=[Turn("user", "Weather in {{city}}")]))
            compose.session.set_prompt("weather")
            await pilot.press("ctrl+r")
            await wait_until(pilot, lambda a=app: type(a.screen).__name__ == "VariablesScreen")
            field = app.screen.query_one("#var-0", Input)
            if attempt == 0:
                assert field.value == ""
                field.value = "Oslo"
                await pilot.press("enter")
                await wait_until(pilot, lambda c=compose: c.session.last_result is not None
                                 and not c.session.running)
            else:
                assert field.value == "Oslo"  # remembered for this prompt after a restart
                compose.session.set_prompt("another")
                await pilot.press("escape")


# --- 6. find and branch --------------------------------------------------------------------------
async def test_find_in_the_replies_marks_each_match(make_app) -> None:
    """Find marks the matches in place (tests/ui/test_find.py has the rest): the current match
    is the word looked for, enter moves it, esc gives the focus back to the replies."""
    from workbench.ui.widgets.find_bar import FindBar

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await ready(app, pilot)
        compose.turn_list.editors[0].area.focus()
        await pilot.press(*"Say something")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None
                         and not compose.session.running)
        word = compose.session.last_message.text.split()[1].strip(".,").lower()
        await pilot.press("alt+v", "slash")
        await wait_until(pilot, lambda: bool(compose.query(FindBar)))
        find = compose.query_one(FindBar)
        find.field.value = ""
        await pilot.press(*word)
        await wait_until(pilot, lambda: find.matches and find.field.value == word)

        def current() -> str:
            unit, start, end = find.matches[find.current]
            return unit.lines.text[start:end]

        assert current().lower() == word
        first = find.current
        if len(find.matches) > 1:
            await pilot.press("enter")
            await wait_until(pilot, lambda: find.current != first)
            assert current().lower() == word
        await pilot.press("escape")
        await wait_until(pilot, lambda: not compose.query(FindBar))
        assert compose.focused is compose.transcript


async def test_branch_from_an_earlier_turn_keeps_the_original(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await ready(app, pilot)
        original = Draft(turns=[Turn("user", "one"), Turn("assistant", "two"),
                                Turn("user", "three"), Turn("assistant", "four")])
        await open_and_wait(app, pilot, original)
        compose.turn_list.editors[1].area.focus()
        await pilot.press("alt+shift+b")
        await wait_until(pilot, lambda: shape(app) == [("user", "one"), ("assistant", "two")])
        assert app.composer.draft is not original and len(original.turns) == 4
        await pilot.press("alt+z")  # the original comes back whole
        await wait_until(pilot, lambda: [t.text for t in app.composer.draft.turns]
                         == ["one", "two", "three", "four"])


# --- 7. the small ones ---------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_labels_stay_beside_filled_fields_and_skills_show_by_name(make_app, size) -> None:
    from workbench.ui import messages as m

    app = make_app()
    async with app.run_test(size=size) as pilot:
        compose = await ready(app, pilot)
        await pilot.press("alt+p")
        await wait_until(pilot, lambda: compose.side.holds(compose.focused))
        params = compose.params
        params.query_one("#temperature", Input).value = "0.5"
        params.query_one("#top-k", Input).value = "40"
        await pilot.pause(0.05)
        labels = [str(label.render()) for label in params.query("Label")
                  if label.region.height]  # laid out, so on screen
        assert {"temperature", "top_p", "top_k", "budget"} <= {t.strip() for t in labels}
        app.post_message(m.UseSkill({"type": "custom", "skill_id": "skill_01abc",
                                     "version": "latest"}, "pdf-helper"))
        await wait_until(pilot, lambda: "pdf-helper@latest" in str(
            params.query_one("#skills").render()))
        assert "skill_01abc" in str(params.query_one("#skills").tooltip)  # the id on demand


async def test_a_fixed_parameter_clears_its_not_sent_notice(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42), notifications=True) as pilot:
        compose = await ready(app, pilot)
        compose.turn_list.editors[0].area.focus()
        await pilot.press(*"hi")
        compose.params.query_one("#temperature", Input).value = "1.5"
        await pilot.pause(0.05)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: len(app.screen.query("Toast")) >= 1)
        compose.params.query_one("#temperature", Input).value = "0.5"
        await wait_until(pilot, lambda: not app.screen.query("Toast"))


async def test_prefill_starts_the_reply_and_thinking_sits_under_its_header(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = await ready(app, pilot)
        draft = Draft(turns=[Turn("user", "Count to three"), Turn("assistant", "One, two")],
                      thinking=True, thinking_budget=1024, max_tokens=2048)
        await open_and_wait(app, pilot, draft)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None
                         and not compose.session.running)
        reply = compose.session.replies[-1]
        await wait_until(pilot, lambda: reply.query(".reply-body"))
        kinds = [type(c).__name__ for c in reply.children]
        if "Collapsible" in kinds:  # the emulator thought: head, thinking, body
            assert kinds == ["Static", "Collapsible", "Static"]
            assert reply.children[0].has_class("reply-head")
        assert "One, two" in screen_text(app)


async def test_the_first_run_line_lists_the_keys_that_matter_and_ctrl_q(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        text = screen_text(app)
        for key in ("ctrl+r", "alt+a", "alt+p", "ctrl+s", "F1"):
            assert key in text
        assert "^q" in text.splitlines()[-1] or "ctrl+q" in text
