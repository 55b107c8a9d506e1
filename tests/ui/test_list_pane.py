"""The list-pane base the Files, Skills, History, Library, Batches and Keys panes stand on: the
cursor follows the record (row key), not the row index; a gone record hands the cursor to its
neighbour; the filter applies once typing pauses; delete asks first; the palette has every
binding."""

from __future__ import annotations

import inspect

import pytest
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input

from tests.ui.conftest import wait_until
from workbench.ui.screens import list_pane
from workbench.ui.screens.confirm import ConfirmScreen
from workbench.ui.screens.list_pane import ListPane, Spot


class Pane(ListPane):
    LIST = "rows"
    FILTER = "filter"
    PALETTE_GROUP = "Demo"
    PALETTE_TITLES = {"demo.delete": "Delete row"}
    BINDINGS = [
        Binding("d,delete", "delete", "Delete", id="demo.delete",
                tooltip="The highlighted one (asks first)"),
        Binding("ctrl+r", "reload", "Refresh", id="demo.refresh"),
    ]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names
        self.applied: list[str] = []

    def compose_body(self) -> ComposeResult:
        yield Input(id="filter")
        yield DataTable(id="rows", cursor_type="row")

    def on_mount(self) -> None:
        self.list_table.add_column("name")
        self.show()
        self.list_table.focus()

    def show(self) -> None:
        self.fill((n, {"name": n}, (n,)) for n in self.names if self.filter_text in n)

    def filter_changed(self) -> None:
        self.applied.append(self.filter_text)
        self.show()

    def action_reload(self) -> None:
        self.show()

    def action_delete(self) -> None:
        key = self.current_key()
        if key is not None:
            self.confirm(f"Delete {key}?", lambda: self.drop(key))

    def drop(self, key: str) -> None:
        self.names.remove(key)
        self.show()


async def open_pane(app, pilot, names: list[str]) -> Pane:
    pane = Pane(names)
    await app.push_screen(pane)
    await wait_until(pilot, lambda: pane.list_table.row_count == len(names))
    return pane


def test_nearest_tries_the_key_then_neighbours_by_distance() -> None:
    spot = Spot("c", ("a", "b", "c", "d", "e"))
    assert list(spot.nearest()) == ["c", "d", "b", "e", "a"]
    assert list(Spot("x", ("a",)).nearest()) == ["x"]
    assert list(Spot("c").nearest()) == ["c"]


async def test_reload_keeps_the_cursor_on_the_record_when_rows_reorder(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_pane(app, pilot, ["a", "b", "c", "d", "e"])
        pane.list_table.move_cursor(row=2)
        assert pane.current_key() == "c" and pane.current() == {"name": "c"}
        pane.names = ["e", "c", "a", "d", "b"]
        await pilot.press("ctrl+r")
        assert pane.current_key() == "c" and pane.list_table.cursor_row == 1


async def test_a_removed_current_row_hands_the_cursor_to_a_neighbour(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_pane(app, pilot, ["a", "b", "c", "d", "e"])
        pane.list_table.move_cursor(row=2)
        pane.names = ["d", "e", "a", "b"]  # c gone, the rest reordered
        pane.show()
        assert pane.current_key() == "d"  # the next one in the order the user saw
        pane.list_table.move_cursor(row=3)  # b, the last row
        pane.names = ["d", "e", "a"]
        pane.show()
        assert pane.current_key() == "a"  # no next one: the previous


async def test_the_filter_applies_once_typing_pauses(make_app, monkeypatch) -> None:
    monkeypatch.setattr(list_pane, "FILTER_DELAY", 0.5)  # longer than a pause on a loaded machine
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_pane(app, pilot, ["alpha", "alpine", "beta"])
        field = pane.query_one("#filter", Input)
        for value in ("a", "al", "alp"):  # three changes in a row: one filter
            field.value = value
        await pilot.pause()
        # not applied while typing goes on (on a loaded machine the pause may outlast the
        # debounce: then it is applied once, with the last value)
        assert pane.applied in ([], ["alp"])
        await wait_until(pilot, lambda: pane.applied == ["alp"])
        assert pane.list_table.row_count == 2
        await pilot.pause(0.7)  # past the debounce: nothing more is applied
        assert pane.applied == ["alp"]
        # Enter applies at once and goes back to the list; clearing applies nothing
        field.focus()
        field.value = "alph"
        await pilot.press("enter")
        assert pane.applied == ["alp", "alph"] and pane.list_table.has_focus
        pane.clear_filter_field()
        await pilot.pause(0.7)
        assert pane.applied == ["alp", "alph"] and pane.filter_text == ""


@pytest.mark.parametrize("no", ["escape", "n"])
async def test_delete_asks_first_and_no_keeps_the_row(make_app, no) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_pane(app, pilot, ["a", "b", "c"])
        pane.list_table.move_cursor(row=1)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Delete b?" in app.screen.question
        await pilot.press(no)
        await wait_until(pilot, lambda: app.screen is pane)
        assert pane.names == ["a", "b", "c"] and pane.current_key() == "b"
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: pane.names == ["a", "c"])
        assert pane.current_key() == "c"


async def test_the_palette_has_a_command_per_binding(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_pane(app, pilot, ["a", "b"])
        commands = {c.title: c for c in app.get_system_commands(pane)}
        assert commands["Demo: delete row"].help == "The highlighted one (asks first) (d)"
        assert commands["Demo: refresh"].help == "(^r)"
        assert len(list(pane.palette_commands())) == len(Pane.BINDINGS)
        pane.list_table.move_cursor(row=1)
        result = commands["Demo: delete row"].callback()  # what choosing it runs
        if inspect.isawaitable(result):
            await result
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Delete b?" in app.screen.question
