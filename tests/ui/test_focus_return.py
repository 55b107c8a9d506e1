"""Issue 13, item 2: every dialog gives the focus back (workbench/ui/focus.py, rule 2).

Each test focuses a known widget in the pane that opens the dialog, opens it the way a user
does (its key), closes it by esc and, where the dialog has one that stays on this machine (the
emulator, a temp dir), by its confirm path, and checks that the same widget has the focus and
is on screen (not scrolled off, not covered).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.errors import NoWidget
from textual.widget import Widget

from tests.ui.conftest import open_and_wait, wait_until
from workbench.services.draft import Draft, Turn
from workbench.ui.focus import focus_now
from workbench.ui.widgets.eval_grid import EvalGrid

Close = Callable[[Any], Awaitable[None]]


def shown(widget: Widget) -> bool:
    """`widget` is on its screen: part of it inside every scrolling parent, and the cell in
    the middle of that part is the widget's (no other layer on top of it)."""
    screen = widget.screen
    try:
        visible = screen.find_widget(widget).visible_region
        if not visible:
            return False
        at, _ = screen.get_widget_at(visible.x + visible.width // 2,
                                     visible.y + visible.height // 2)
    except NoWidget:
        return False
    return widget in at.ancestors_with_self


def press(*keys: str) -> Close:
    async def close(pilot) -> None:
        await pilot.press(*keys)
    return close


ESC = press("escape")


def palette(command: str) -> Close:
    """ctrl+p, type `command`, and enter once the palette highlights it (its search runs in a
    worker: an enter before that picks nothing, or another command)."""
    async def choose(pilot) -> None:
        from textual.command import CommandList

        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "CommandPalette")
        await pilot.press(*command)
        listed = pilot.app.screen.query_one(CommandList)

        def highlighted() -> bool:
            index = listed.highlighted
            return index is not None and str(listed.get_option_at_index(index).prompt) \
                .lower().startswith(command.lower())
        await wait_until(pilot, highlighted)
        await pilot.press("enter")
    return choose


def is_open(app, dialog: str) -> bool:
    """`dialog` (a screen's class name) is the active screen; find is a bar in the pane, not
    a screen: it is open when its field has the focus."""
    if dialog == "FindBar":
        focused = app.screen.focused
        return focused is not None and any(
            type(node).__name__ == "FindBar" for node in focused.ancestors)
    return type(app.screen).__name__ == dialog and app.screen.is_active


def is_closed(app, pane, dialog: str) -> bool:
    return app.screen is pane and not (dialog == "FindBar" and pane.query("FindBar"))


async def round_trip(pilot, widget: Widget, open_keys: tuple[str, ...] | Close, dialog: str,
                     close: Close = ESC, back_to: Callable[[], Widget] | None = None) -> None:
    """Focus `widget`, open `dialog` with `open_keys` (keys, or steps), `close` it, and wait
    for the focus to be back on `widget` (or on `back_to()`, where the rule names another)
    and on screen."""
    app = pilot.app
    pane = widget.screen
    focus_now(widget)
    await wait_until(pilot, lambda: pane.focused is widget)
    # ... and on screen before the dialog opens, or there is no "as it was" to come back to.
    # Focusing scrolls at the next message, which on a loaded machine can come before the
    # layout of turns just opened; scrolling after the refresh does not depend on that.
    def in_view() -> bool:
        if shown(widget):
            return True
        widget.scroll_visible(animate=False)  # again: an early scroll used a stale layout
        return False

    await wait_until(pilot, in_view)
    if callable(open_keys):
        await open_keys(pilot)
    else:
        await pilot.press(*open_keys)
    await wait_until(pilot, lambda: is_open(app, dialog))
    await close(pilot)
    await wait_until(pilot, lambda: is_closed(app, pane, dialog))
    target = back_to or (lambda: widget)
    try:
        await wait_until(pilot, lambda: pane.focused is target() and shown(target()))
    except AssertionError:
        raise AssertionError(f"after {dialog}: the focus is on {pane.focused!r}, "
                             f"not {target()!r} (shown: {shown(target())})") from None


# --- the composer -----------------------------------------------------------------------------
async def composer(app, pilot, draft: Draft | None = None):
    compose = app.screen
    await wait_until(pilot, lambda: compose.settled)
    await open_and_wait(app, pilot, draft or Draft(
        system="You are terse.", turns=[Turn("user", "Say hi"), Turn("assistant", "hi"),
                                         Turn("user", "again")]))
    return compose


def in_compose(where: str) -> Callable[[Any], Widget]:
    def get(compose) -> Widget:
        return {"system": lambda: compose.system,
                "turn": lambda: compose.turn_list.editors[1].area,
                "last": lambda: compose.turn_list.editors[-1].area,
                "reply": lambda: compose.transcript,
                "max_tokens": lambda: compose.params.query_one("#max-tokens"),
                "tools": lambda: compose.params.query_one("#tools")}[where]()
    return get


COMPOSE_DIALOGS = [  # (where the focus is, keys, the dialog)
    ("system", ("alt+n",), "NoticesScreen"),
    ("turn", ("alt+x",), "ExportScreen"),
    ("last", ("ctrl+g",), "ImportCurlScreen"),
    ("turn", ("ctrl+f",), "FindBar"),
    ("system", ("alt+i",), "AskScreen"),
    ("turn", ("ctrl+s",), "SavePromptScreen"),
    ("max_tokens", ("alt+w",), "ServerToolsScreen"),
    ("last", ("ctrl+b",), "BatchCreateScreen"),
    ("system", ("alt+k",), "CompareScreen"),
    ("tools", ("ctrl+p",), "CommandPalette"),
    ("reply", ("alt+n",), "NoticesScreen"),
]


async def reach(pilot, compose, where: str) -> Widget:
    """The widget `where` names, shown: below 140 columns the parameters are one line until
    alt+p shows them in the reply's place."""
    widget = in_compose(where)(compose)
    if where in ("max_tokens", "tools") and not shown(widget):
        await pilot.press("alt+p")
        await wait_until(pilot, lambda: compose.side.holds(compose.focused))
    await wait_until(pilot, lambda: shown(widget))
    return widget


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
@pytest.mark.parametrize(("where", "keys", "dialog"), COMPOSE_DIALOGS,
                         ids=[f"{d}-from-{w}" for w, _, d in COMPOSE_DIALOGS])
async def test_a_composer_dialog_closed_by_esc_gives_the_focus_back(
        make_app, where, keys, dialog, size) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        compose = await composer(app, pilot)
        await round_trip(pilot, await reach(pilot, compose, where), keys, dialog)


async def test_a_dialog_over_a_maximised_pane_gives_it_back_maximised(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        compose = await composer(app, pilot)
        area = in_compose("last")(compose)
        focus_now(area)
        await pilot.press("alt+m")
        await wait_until(pilot, lambda: compose.maximized is compose.editor)
        await round_trip(pilot, area, ("alt+n",), "NoticesScreen")
        await round_trip(pilot, area, ("ctrl+f",), "FindBar")
        assert compose.maximized is compose.editor  # esc closed the dialog, not the maximise


async def run_and_wait(pilot, compose) -> None:
    count = len(compose.session.replies)
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: len(compose.session.replies) > count
                     and not compose.session.running, timeout=20)


def typing(text: str, *then: str) -> Close:
    async def close(pilot) -> None:
        await pilot.press(*text, *then)
    return close


CURL = ("curl https://api.anthropic.com/v1/messages -H 'content-type: application/json' "
        "-d '{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 300, \"system\": \"Imported.\", "
        "\"messages\": [{\"role\": \"user\", \"content\": \"From curl\"}]}'")


async def test_import_curl_confirmed_focuses_the_turn_being_typed(make_app) -> None:
    """The imported request replaces the draft: what it did says where the focus goes, to
    the turn being typed (the last user turn), wherever it was before."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot)

        async def paste_and_import(pilot) -> None:
            pilot.app.screen.query_one("#curl-text").text = CURL
            await pilot.press("ctrl+r")

        await round_trip(pilot, compose.system, ("ctrl+g",), "ImportCurlScreen",
                         paste_and_import, back_to=lambda: compose.editor.typing_area())
        await wait_until(pilot, lambda: app.composer.draft.system == "Imported.")
        assert compose.focused is compose.editor.typing_area()
        await pilot.press(*" typed")
        await wait_until(pilot, lambda: app.composer.draft.turns[-1].text == "From curl typed")


async def test_attach_confirmed_focuses_the_turn_it_went_to(make_app, short_tmp) -> None:
    """From a user turn the focus stays; from elsewhere the file goes to the last user turn,
    and the focus with it (the callback says where)."""
    doc = short_tmp / "notes.txt"
    doc.write_text("some notes\n")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot)
        first = compose.turn_list.editors[0].area  # a user turn
        await round_trip(pilot, first, ("alt+i",), "AskScreen", typing(str(doc), "enter"))
        await wait_until(pilot, lambda: bool(app.composer.draft.turns[0].attachments))
        assert compose.focused is first
        # the remove-an-attachment pick, by esc and by choosing one
        await round_trip(pilot, first, ("alt+u",), "PickScreen")
        await round_trip(pilot, first, ("alt+u",), "PickScreen", press("enter"))
        await wait_until(pilot, lambda: not app.composer.draft.turns[0].attachments)
        assert compose.focused is first and shown(first)
        last = compose.turn_list.editors[-1].area
        await round_trip(pilot, in_compose("turn")(compose), ("alt+i",), "AskScreen",
                         typing(str(doc), "enter"), back_to=lambda: last)
        assert app.composer.draft.turns[-1].attachments


async def test_save_prompt_and_server_tools_confirmed_give_the_focus_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot)
        await round_trip(pilot, in_compose("turn")(compose), ("ctrl+s",), "SavePromptScreen",
                         typing("focus-check", "enter", "enter"))
        await round_trip(pilot, await reach(pilot, compose, "max_tokens"), ("alt+w",),
                         "ServerToolsScreen", press("ctrl+s"))
        await round_trip(pilot, in_compose("system")(compose), ("alt+w",),
                         "ServerToolsScreen", press("ctrl+s"))


async def test_remove_skill_pick_gives_the_focus_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot)
        compose.use_skill({"type": "anthropic", "skill_id": "pptx", "version": "latest"})
        await wait_until(pilot, lambda: bool(app.composer.draft.skills))
        area = in_compose("last")(compose)
        await round_trip(pilot, area, ("alt+s",), "PickScreen")
        await round_trip(pilot, area, ("alt+s",), "PickScreen", press("enter"))
        await wait_until(pilot, lambda: not app.composer.draft.skills)
        assert compose.focused is area


async def test_variables_by_esc_and_by_run_give_the_focus_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot, Draft(model="claude-haiku-4-5", max_tokens=100,
                                                   turns=[Turn("user", "Describe {{city}}")]))
        area = in_compose("last")(compose)
        await round_trip(pilot, area, ("ctrl+r",), "VariablesScreen")
        await round_trip(pilot, area, ("ctrl+r",), "VariablesScreen", typing("Oslo", "enter"))
        await wait_until(pilot, lambda: compose.session.replies
                         and not compose.session.running, timeout=20)
        assert compose.focused is area and shown(area)  # a run never moves it


async def test_after_a_run_the_inspector_find_and_tool_result_give_the_focus_back(
        make_app) -> None:
    import json

    tools = [{"name": "get_weather", "description": "weather for a city",
              "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                               "required": ["city"]}}]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot, Draft(
            model="claude-haiku-4-5", tools_json=json.dumps(tools),
            turns=[Turn("user", "What is the weather in Oslo?")]))
        await run_and_wait(pilot, compose)
        assert compose.session.last_result.message.stop_reason == "tool_use"
        await round_trip(pilot, compose.system, ("ctrl+o",), "InspectorScreen")
        # find inside the inspector: back in the inspector, then back in the composer
        await round_trip(pilot, compose.system, ("ctrl+o",), "InspectorScreen",
                         press("ctrl+f", "escape", "escape"))
        await round_trip(pilot, compose.transcript, ("slash",), "FindBar")
        await round_trip(pilot, compose.transcript, ("alt+t",), "AskScreen")
        area = in_compose("last")(compose)

        async def answer(pilot) -> None:
            pilot.app.screen.query_one("#answer").text = "-3 C, snow"
            await pilot.press("ctrl+s")

        # the answer adds the call and its tool_result turn: the focus goes to the new turn
        await round_trip(pilot, area, ("alt+t",), "AskScreen", answer,
                         back_to=lambda: compose.turn_list.editors[-1].area)
        await wait_until(pilot, lambda: len(compose.session.replies) == 2
                         and not compose.session.running, timeout=20)
        last = compose.turn_list.editors[-1].area  # the run that followed did not move it
        assert len(compose.turn_list.editors) == 3
        assert compose.focused is last and shown(last)


async def test_find_inside_the_notices_log_goes_back_to_the_log(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot)
        app.notify("one notice to find")
        area = in_compose("turn")(compose)

        async def find_then_close(pilot) -> None:
            log = pilot.app.screen
            before = log.focused
            await pilot.press("ctrl+f")
            await wait_until(pilot, lambda: is_open(pilot.app, "FindBar"))
            await pilot.press("escape")
            await wait_until(pilot, lambda: is_closed(pilot.app, log, "FindBar")
                             and log.focused is before)
            await pilot.press("escape")

        await round_trip(pilot, area, ("alt+n",), "NoticesScreen", find_then_close)


async def test_the_command_palette_and_help_give_the_focus_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot)
        area = in_compose("turn")(compose)
        theme = app.theme
        async def cycle_theme(pilot) -> None:
            await pilot.press("escape")  # open, and closed again
            await wait_until(pilot, lambda: pilot.app.screen is compose)
            await palette("Cycle theme")(pilot)

        await round_trip(pilot, area, ("ctrl+p",), "CommandPalette", cycle_theme)
        await wait_until(pilot, lambda: app.theme != theme)
        focus_now(compose.system)
        await pilot.press("f1")  # the help panel is beside the pane, not a dialog
        await wait_until(pilot, lambda: bool(compose.query("HelpPanel")))
        assert compose.focused is compose.system
        await pilot.press("f1")
        await wait_until(pilot, lambda: not compose.query("HelpPanel"))
        assert compose.focused is compose.system and shown(compose.system)


# --- the panes ------------------------------------------------------------------------------
def set_and_press(selector: str, value: str, *keys: str) -> Close:
    """Fill the dialog's field `selector`, focus it and press `keys` (enter: confirm)."""
    async def close(pilot) -> None:
        dialog = pilot.app.screen
        box = dialog.query_one(selector)
        box.value = value
        focus_now(box)
        await wait_until(pilot, lambda: dialog.focused is box and box.value == value)
        await pilot.press(*keys)
    return close


async def test_files_dialogs_give_the_list_its_focus_back(make_app, make_emulator,
                                                         short_tmp) -> None:
    from tests.ui.test_files import make_generated, open_files

    url = make_emulator(tokens_per_second=None)
    made = make_generated(url, "chart.csv", 300)
    doc = short_tmp / "notes.txt"
    doc.write_text("notes\n")
    app = make_app(url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_files(app, pilot, 1)
        table = screen.list_table
        await round_trip(pilot, table, ("u",), "UploadScreen")
        await round_trip(pilot, table, ("u",), "UploadScreen",
                         set_and_press("#upload-path", str(doc), "enter"))
        await wait_until(pilot, lambda: len(screen.files) == 2)
        screen.restore(made["id"])
        await wait_until(pilot, lambda: screen.current()["id"] == made["id"])
        await round_trip(pilot, table, ("s",), "DownloadScreen")
        await round_trip(pilot, table, ("s",), "DownloadScreen",
                         set_and_press("#download-path", str(short_tmp / "got.csv"), "enter"))
        await wait_until(pilot, lambda: (short_tmp / "got.csv").exists())
        await round_trip(pilot, table, ("d",), "ConfirmScreen")
        await round_trip(pilot, table, ("d",), "ConfirmScreen", press("y"))
        await wait_until(pilot, lambda: len(screen.files) == 1)
        assert screen.focused is table


async def test_skills_dialogs_give_the_list_its_focus_back(make_app, make_emulator,
                                                          short_tmp) -> None:
    from tests.ui.test_skills import open_skills, skill_folder
    from workbench.ui.widgets.skills_dialogs import source_of

    app = make_app(make_emulator(tokens_per_second=None))
    folder = skill_folder(short_tmp)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_skills(app, pilot)
        table = screen.list_table
        count = len(screen.skills)
        await round_trip(pilot, table, ("n",), "SkillFolderScreen")
        await round_trip(pilot, table, ("n",), "SkillFolderScreen",
                         set_and_press("#skill-folder", str(folder), "enter"))
        await wait_until(pilot, lambda: len(screen.skills) == count + 1
                         and source_of(screen.current() or {}) == "custom")
        await round_trip(pilot, table, ("v",), "SkillFolderScreen")
        await round_trip(pilot, table, ("v",), "SkillFolderScreen",
                         set_and_press("#skill-folder", str(folder), "enter"))
        await round_trip(pilot, table, ("d",), "ConfirmScreen")
        await round_trip(pilot, table, ("d",), "ConfirmScreen", press("y"))
        await wait_until(pilot, lambda: len(screen.skills) == count)
        assert screen.focused is table


async def test_library_dialogs_give_the_list_its_focus_back(tmp_path, emulator_url,
                                                           short_tmp) -> None:
    from tests.ui.test_library import _library_app, open_library

    app = _library_app(tmp_path, emulator_url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_library(app, pilot)
        table = screen.list_table
        await round_trip(pilot, table, ("e",), "AskScreen")
        await round_trip(pilot, table, ("e",), "AskScreen",
                         set_and_press("#ask-input", "renamed", "enter"))
        await wait_until(pilot, lambda: any("renamed" in str(p) for p in screen.prompts))
        await round_trip(pilot, table, ("s",), "AskScreen")
        out = short_tmp / "out.toml"
        await round_trip(pilot, table, ("s",), "AskScreen",
                         set_and_press("#ask-input", str(out), "enter"))
        await wait_until(pilot, out.exists)
        await round_trip(pilot, table, ("i",), "AskScreen")
        await round_trip(pilot, table, ("i",), "AskScreen",
                         set_and_press("#ask-input", str(out), "enter"))
        await round_trip(pilot, table, ("d",), "ConfirmScreen")
        await round_trip(pilot, table, ("d",), "ConfirmScreen", press("y"))


async def test_library_diff_gives_the_focus_back_to_either_table(tmp_path, emulator_url) -> None:
    from tests.ui.test_library import _library_app, open_library
    from workbench.ui.screens.library import VersionTable

    app = _library_app(tmp_path, emulator_url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_library(app, pilot)
        await wait_until(pilot, lambda: len(screen.versions) == 2)
        await round_trip(pilot, screen.list_table, ("f",), "DiffScreen")
        await round_trip(pilot, screen.query_one(VersionTable), ("f",), "DiffScreen")


async def test_history_run_detail_gives_the_list_its_focus_back(tmp_path, emulator_url) -> None:
    from tests.ui.test_history import app_with, make_store, seed

    store = make_store(tmp_path)
    seed(store, 60)
    app = app_with(store, emulator_url)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.switch_mode("history")
        screen = app.screen
        await wait_until(pilot, lambda: screen.list_table.row_count >= 60)
        table = screen.list_table
        table.move_cursor(row=table.row_count - 1)  # far down: it comes back scrolled there
        await wait_until(pilot, lambda: table.cursor_row == table.row_count - 1)
        await wait_until(pilot, lambda: table.scroll_y > 0)
        scrolled = table.scroll_y
        await round_trip(pilot, table, ("enter",), "RunDetailScreen")
        assert table.cursor_row == table.row_count - 1 and table.scroll_y == scrolled
        # reopened in the composer: the draft's turn being typed takes the focus there, and
        # History keeps its own (each pane keeps its focus)
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "RunDetailScreen")
        await pilot.press("o")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ComposeScreen")
        compose = app.screen
        await wait_until(pilot, lambda: compose.focused is compose.editor.typing_area()
                         and shown(compose.focused))
        await pilot.press("f4")
        await wait_until(pilot, lambda: app.screen is screen and screen.focused is table)


async def test_batch_dialogs_give_the_focus_back(make_app, make_emulator, short_tmp) -> None:
    from tests.ui.test_batch_results import _ended_batch

    url = make_emulator(tokens_per_second=None, batch_seconds_per_request=0.01,
                        batch_max_seconds=0.5)
    await _ended_batch(url, 3)
    app = make_app(url)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.switch_mode("batches")
        screen = app.screen
        await wait_until(pilot, lambda: screen.list_table.row_count == 1)
        await wait_until(pilot, lambda: "ended" in str(screen.list_table.get_row_at(0)))
        table = screen.list_table
        await round_trip(pilot, table, ("d",), "ConfirmScreen")
        await round_trip(pilot, table, ("enter",), "BatchDetailScreen")  # a screen, not a dialog
        focus_now(table)
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "BatchDetailScreen")
        detail = app.screen
        await wait_until(pilot, lambda: detail.results_done, timeout=20)
        results = detail.query_one("ResultsTable")
        await round_trip(pilot, results, ("enter",), "ResultScreen")
        await round_trip(pilot, results, ("s",), "AskScreen")
        out = short_tmp / "results.jsonl"
        await round_trip(pilot, results, ("s",), "AskScreen",
                         set_and_press("#answer", str(out), "enter"))
        await wait_until(pilot, out.exists)
        await round_trip(pilot, results, ("d",), "ConfirmScreen")
        # deleted: its screen closes, and the list it was opened from has the focus
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is screen and table.row_count == 0)
        assert screen.focused is table and shown(table)


async def test_batch_create_by_esc_and_by_send_gives_the_composer_its_focus_back(
        make_app, make_emulator, short_tmp) -> None:
    from tests.ui.test_batches import _dataset

    url = make_emulator(tokens_per_second=None, batch_seconds_per_request=0.01,
                        batch_max_seconds=0.5)
    dataset = _dataset(short_tmp, 2)
    app = make_app(url)
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot, Draft(model="claude-haiku-4-5", max_tokens=100,
                                                   turns=[Turn("user", "Describe {{city}}")]))
        area = in_compose("last")(compose)
        await round_trip(pilot, area, ("ctrl+b",), "BatchCreateScreen")

        async def send_then_back(pilot) -> None:
            dialog = pilot.app.screen
            dialog.query_one("#dataset").value = str(dataset)
            dialog.query_one("#id-column").value = "id"
            await pilot.press("ctrl+k")
            await wait_until(pilot, lambda: dialog.plan is not None)
            await pilot.press("ctrl+s")  # sent: the Batches pane shows the new batch
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__
                             == "BatchDetailScreen")
            await pilot.press("escape")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "BatchesScreen")
            await pilot.press("f2")  # back in the composer: the focus is where it was

        await round_trip(pilot, area, ("ctrl+b",), "BatchCreateScreen", send_then_back)


async def test_evaluate_dialogs_give_the_grid_its_focus_back(make_app, tmp_path) -> None:
    from tests.ui.test_evaluate import EXAMPLE, open_pane

    suite = tmp_path / "explain.toml"
    suite.write_text(EXAMPLE.read_text())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_pane(app, pilot, suite)
        grid = screen.query_one("#eval-grid", EvalGrid)
        await round_trip(pilot, grid, ("ctrl+r",), "ConfirmRun")
        await round_trip(pilot, grid, ("b",), "ConfirmRun")
        await round_trip(pilot, grid, ("ctrl+r",), "ConfirmRun", press("enter"))
        total = len(screen.session.cells)
        await wait_until(pilot, lambda: len(screen.session.results) == total
                         and not screen._busy, timeout=20)
        assert screen.focused is grid
        grid.move_cursor(row=3, column=1)
        await round_trip(pilot, grid, ("enter",), "CellScreen")
        await round_trip(pilot, grid, ("enter",), "CellScreen", press("4", "ctrl+s"))
        await pilot.press("m", "up")
        await round_trip(pilot, grid, ("d",), "TextScreen")
        await round_trip(pilot, grid, ("h",), "RunsScreen")
        await round_trip(pilot, grid, ("h",), "RunsScreen", press("enter"))
        await round_trip(pilot, grid, ("g",), "GenerateScreen")

        async def generate_and_add(pilot) -> None:
            dialog = pilot.app.screen
            focus_now(dialog.query_one("#eval-gen-count"))
            await pilot.press("enter")
            area = dialog.query_one("#eval-gen-cases")
            await wait_until(pilot, lambda: "[[cases]]" in area.text, timeout=20)
            area.text = area.text.replace('id = "', 'id = "new-', 1)
            await pilot.press("ctrl+s")

        # adding the cases reloads the suite: the grid is filled again, and keeps the focus
        await round_trip(pilot, grid, ("g",), "GenerateScreen", generate_and_add)
        await wait_until(pilot, lambda: len(screen.session.case_ids) == 5)
        await wait_until(pilot, lambda: screen.focused is grid and shown(grid))


async def test_keys_confirm_gives_the_list_its_focus_back(make_app, memory_keyring) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.switch_mode("keys")
        screen = app.screen
        await wait_until(pilot, lambda: screen.list_table.row_count >= 1)
        await round_trip(pilot, screen.list_table, ("d",), "ConfirmScreen")
        await round_trip(pilot, screen.list_table, ("d",), "ConfirmScreen", press("y"))


async def test_a_dialog_opened_from_the_palette_gives_the_focus_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot)
        area = in_compose("turn")(compose)
        await round_trip(pilot, area, palette("Save prompt"), "SavePromptScreen")
        await round_trip(pilot, compose.system, palette("Import curl"), "ImportCurlScreen")


async def test_nested_dialogs_in_the_code_export_give_the_focus_back(make_app,
                                                                    short_tmp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot, Draft(model="claude-haiku-4-5",
                                                   turns=[Turn("user", "Describe {{city}}")]))
        area = in_compose("last")(compose)

        async def nested(pilot) -> None:
            export = pilot.app.screen
            before = export.focused
            for keys, dialog in ((("f",), "VariablesScreen"), (("ctrl+f",), "FindBar")):
                await pilot.press(*keys)
                await wait_until(pilot, lambda d=dialog: is_open(pilot.app, d))
                await pilot.press("escape")
                await wait_until(pilot, lambda d=dialog: is_closed(pilot.app, export, d)
                                 and export.focused is before)
            await pilot.press("w")  # its confirm: save the code to a file, then close
            await set_and_press("#save-path", str(short_tmp / "request.sh"), "enter")(pilot)
            await wait_until(pilot, (short_tmp / "request.sh").exists)
            await wait_until(pilot, lambda: export.focused is before)
            await pilot.press("escape")

        await round_trip(pilot, area, ("alt+x",), "ExportScreen", nested)


async def test_a_terminal_shrunk_under_a_dialog_keeps_the_field_shown(make_app) -> None:
    """The terminal shrank while the dialog was open: the parameters fold into one line below
    140 columns, but the field with the focus keeps them shown in the reply's place."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        compose = await composer(app, pilot)

        async def shrink(pilot) -> None:
            await pilot.resize_terminal(80, 24)
            await wait_until(pilot, lambda: pilot.app.size.width == 80)
            await pilot.press("escape")

        await round_trip(pilot, in_compose("max_tokens")(compose), ("alt+n",), "NoticesScreen",
                         shrink)
        assert compose.side.is_open


async def test_a_focused_turn_far_down_comes_back_in_view(make_app) -> None:
    text = "\n".join(f"line {i}" for i in range(6))
    turns = [Turn("user" if i % 2 == 0 else "assistant", f"{i}: {text}") for i in range(11)]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        compose = await composer(app, pilot, Draft(turns=turns))
        area = compose.turn_list.editors[7].area
        await round_trip(pilot, area, ("alt+n",), "NoticesScreen")
        await round_trip(pilot, area, ("ctrl+f",), "FindBar")
        await round_trip(pilot, area, ("ctrl+s",), "SavePromptScreen")


async def test_download_from_a_reply_gives_the_focus_back(make_app, short_tmp) -> None:
    from tests.ui.test_reply_blocks import code_draft

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot, code_draft())
        await run_and_wait(pilot, compose)
        reply = compose.session.replies[-1]
        await wait_until(pilot, lambda: bool(reply.files))
        area = in_compose("last")(compose)
        await round_trip(pilot, area, ("alt+o",), "DownloadScreen")
        out = short_tmp / "out.csv"
        await round_trip(pilot, area, ("alt+o",), "DownloadScreen",
                         set_and_press("#download-path", str(out), "enter"))
        await wait_until(pilot, out.exists)


async def test_narrow_run_from_the_parameters_through_the_variables_dialog(make_app) -> None:
    """80x24, alt+p from a turn, ctrl+r asks the variables, Run: the dialog gives the focus
    back to max_tokens, then the run puts the reply back in the parameters' place and the
    focus goes back where it was before alt+p (rule 3), never on a hidden field."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        compose = await composer(app, pilot, Draft(model="claude-haiku-4-5", max_tokens=100,
                                                   turns=[Turn("user", "Describe {{city}}")]))
        area = in_compose("last")(compose)
        focus_now(area)
        await pilot.press("alt+p")
        await wait_until(pilot, lambda: compose.side.is_open)
        max_tokens = in_compose("max_tokens")(compose)
        await round_trip(pilot, max_tokens, ("ctrl+r",), "VariablesScreen")
        assert compose.side.is_open  # the dialog's esc closed the dialog only
        await round_trip(pilot, max_tokens, ("ctrl+r",), "VariablesScreen",
                         typing("Oslo", "enter"), back_to=lambda: area)
        await wait_until(pilot, lambda: compose.session.replies and not compose.session.running,
                         timeout=20)
        assert not compose.side.is_open and compose.focused is area and shown(area)


async def test_the_first_run_screen_hands_the_composer_its_first_focus(memory_keyring) -> None:
    """No key: the first-run screen comes first (nothing was focused before it); leaving it
    for the demo, the composer's first focus is the turn being typed (rule 5)."""
    from workbench.config import Settings
    from workbench.ui.app import WorkbenchApp

    app = WorkbenchApp(settings=Settings())
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: type(app.screen).__name__ == "FirstRunScreen")
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ComposeScreen")
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        await wait_until(pilot, lambda: compose.focused is compose.editor.typing_area()
                         and shown(compose.focused))
        await pilot.press(*"hello")
        await wait_until(pilot, lambda: app.composer.draft.turns[-1].text == "hello")


async def test_a_pane_switch_with_a_dialog_open_keeps_both(make_app) -> None:
    """F3 from a dialog goes to Models; F2 finds the dialog still open over the composer, and
    closing it gives the focus back as usual."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await composer(app, pilot)

        async def away_and_back(pilot) -> None:
            dialog = pilot.app.screen
            await pilot.press("f3")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ModelsScreen")
            await pilot.press("f2")
            await wait_until(pilot, lambda: pilot.app.screen is dialog)
            await pilot.press("escape")

        await round_trip(pilot, compose.system, ("alt+n",), "NoticesScreen", away_and_back)


def test_the_written_rule_names_the_jump_keys_the_composer_binds() -> None:
    """README's focus section and focus.py list the same jump keys as the composer binds,
    each to the action the rule says (a renamed key fails here, not in a user's hands)."""
    from pathlib import Path

    from workbench.ui import focus
    from workbench.ui.screens.compose_keys import COMPOSE_BINDINGS

    actions = {b.key: b.action for b in COMPOSE_BINDINGS}
    said = {"alt+h": "jump('system')", "alt+l": "jump('turns')", "alt+v": "jump('reply')",
            "alt+p": "params"}
    assert {key: actions.get(key) for key in said} == said
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Where the focus goes", 1)[1].split("\n### ", 1)[0]
    for key in said:
        assert f"`{key}`" in section and key in (focus.__doc__ or "")
    assert "A dialog gives the focus back" in section
