"""Issue 13, items 1 and 2: room to read (maximise, a remembered split, the reply's share) and
the focus rule (workbench/ui/focus.py): jumps, alt+p from the tools box, dialogs give it back."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.ui.conftest import open_and_wait, wait_until
from workbench.services.draft import Draft, Turn


async def ready(app, pilot):
    compose = app.screen
    await wait_until(pilot, lambda: compose.settled)
    return compose


# --- 1. layout -------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_alt_m_maximises_the_focused_pane_and_gives_the_room_back(make_app, size) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        compose = await ready(app, pilot)
        await pilot.press("alt+v")  # the reply
        await wait_until(pilot, lambda: compose.focused is compose.transcript)
        await pilot.press("alt+m")
        await wait_until(pilot, lambda: compose.maximized is compose.transcript)
        assert compose.transcript.region.width == size[0]
        await pilot.press("alt+m")
        await wait_until(pilot, lambda: compose.maximized is None)
        await pilot.press("alt+l", "alt+m")  # from a turn: the whole editor column
        await wait_until(pilot, lambda: compose.maximized is compose.editor)
        await pilot.press("escape")  # no run going: esc gives the room back too
        await wait_until(pilot, lambda: compose.maximized is None)
        assert compose.focused is compose.turn_list.editors[0].area


async def test_the_reply_gets_the_room_and_the_split_is_resized_and_remembered(make_app) -> None:
    from workbench import config

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await ready(app, pilot)
        editor, reply = compose.editor.region.width, compose.transcript.region.width
        assert reply > editor  # 60 / 40 by default
        await pilot.press("alt+right", "alt+right", "alt+right", "alt+right")
        await wait_until(pilot, lambda: compose.editor.region.width > compose.transcript.region.width)
        assert app.settings.compose_split == 60
        await wait_until(pilot, lambda: config.load().compose_split == 60)  # saved
        for _ in range(20):
            await pilot.press("alt+left")
        await wait_until(pilot, lambda: app.settings.compose_split == 20)  # never vanishes
    again = make_app()
    again.settings.compose_split = config.load().compose_split
    async with again.run_test(size=(120, 36)) as pilot:
        compose = await ready(again, pilot)
        assert compose.editor.region.width < compose.transcript.region.width / 2


# --- 2. focus --------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_jump_keys_reach_each_pane_and_alt_p_toggles_from_anywhere(make_app, size) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        compose = await ready(app, pilot)
        await open_and_wait(app, pilot, Draft(system="sys", turns=[Turn("user", "hi")]))
        await pilot.press("alt+h")
        await wait_until(pilot, lambda: compose.focused is compose.system)
        await pilot.press("alt+v")
        await wait_until(pilot, lambda: compose.focused is compose.transcript)
        await pilot.press("alt+p")
        await wait_until(pilot, lambda: compose.side.holds(compose.focused))
        tools = compose.params.query_one("#tools")
        tools.focus()  # from the tools box, alt+p goes back: nothing is typed into a field
        await pilot.pause(0.05)
        await pilot.press("alt+p")
        await wait_until(pilot, lambda: not compose.side.holds(compose.focused))
        await pilot.press("alt+l")
        await wait_until(pilot, lambda: compose.focused is compose.turn_list.editors[0].area)
        await pilot.press(*" there")
        await wait_until(pilot, lambda: app.composer.draft.turns[0].text == "hi there")
        assert compose.params.query_one("#max-tokens", Input).value == "1024"
        assert tools.text == ""


async def test_a_dialog_gives_the_focus_back_where_it_was(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await ready(app, pilot)
        await pilot.press("alt+h")
        await wait_until(pilot, lambda: compose.focused is compose.system)
        await pilot.press("alt+i")  # the attach dialog
        await wait_until(pilot, lambda: app.screen is not compose)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is compose)
        assert compose.focused is compose.system
        await pilot.press("alt+x")  # code export: left/right switch the format at once
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExportScreen")
        export = app.screen
        tabs = export.query_one("Tabs")
        first = tabs.active
        await pilot.press("right")
        await wait_until(pilot, lambda: tabs.active != first)
        await pilot.press("left")
        await wait_until(pilot, lambda: tabs.active == first)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is compose)
        assert compose.focused is compose.system


def test_the_focus_rule_is_written_down() -> None:
    from workbench.ui import focus

    doc = focus.__doc__ or ""
    for words in ("A dialog gives the focus back", "alt+p toggles", "Jump keys",
                  "Typing goes where the command put it"):
        assert words in doc


async def test_after_an_upload_the_focus_is_on_the_list_not_the_filter(make_app, tmp_path) -> None:
    from tests.ui.test_files import open_files, upload_via_dialog

    doc = tmp_path / "notes.txt"
    doc.write_text("notes\n")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_files(app, pilot)
        meta = await upload_via_dialog(app, pilot, doc)
        await wait_until(pilot, lambda: screen.focused is screen.list_table)
        assert screen.current()["id"] == meta["id"]
        assert screen.query_one("#files-filter", Input).value == ""


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_a_wide_code_block_scrolls_sideways_instead_of_wrapping(make_app, size) -> None:
    from workbench.ui.widgets.reply_code import CodeScroll

    app = make_app()
    async with app.run_test(size=size) as pilot:
        compose = await ready(app, pilot)
        long_line = "total = " + " + ".join(f"value_{i}" for i in range(30))
        reply = compose.transcript.add_reply("claude-test", 1)
        reply.add_text(f"Here it is:\n\n```python\n{long_line}\nprint(total)\n```\n\nDone.\n")
        await wait_until(pilot, lambda: reply.is_mounted)
        await reply.finish("complete")
        await wait_until(pilot, lambda: bool(reply.query(CodeScroll)))
        scroll = reply.query_one(CodeScroll)
        await wait_until(pilot, lambda: scroll.max_scroll_x > 0)
        assert scroll.virtual_size.height == 4  # two lines and the padding: not wrapped
        scroll.focus()
        await pilot.press("right", "right")
        await wait_until(pilot, lambda: scroll.scroll_x > 0)
        short = compose.transcript.add_reply("claude-test", 2)  # short code: one widget
        short.add_text("```python\nprint(1)\n```\n")
        await wait_until(pilot, lambda: short.is_mounted)
        await short.finish("complete")
        await wait_until(pilot, lambda: bool(short.query(".reply-body")))
        assert not short.query(CodeScroll) and len(short.children) == 1
