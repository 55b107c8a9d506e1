"""PathInput takes a completion in the order keys were typed: letters typed right after Tab
go after the completed folder's `/`, not before it."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App, ComposeResult

from tests.ui.conftest import wait_until
from workbench.ui.widgets.path_input import PathInput


class TwoFields(App):
    def compose(self) -> ComposeResult:
        yield PathInput(id="path")
        yield PathInput(id="other")


def burst(app: App, keys: str) -> None:
    """Keys posted at once, as a fast typist (or a paste of keystrokes) sends them."""
    names = {".": "full_stop", "/": "slash", "\t": "tab"}
    for ch in keys:
        app.post_message(events.Key(names.get(ch, ch), None if ch == "\t" else ch))


async def test_typing_right_after_tab_goes_inside_the_completed_folder(tmp_path: Path) -> None:
    (tmp_path / "skill1").mkdir()
    (tmp_path / "skill1" / "SKILL.md").write_text("x")
    app = TwoFields()
    async with app.run_test() as pilot:
        field = app.query_one("#path", PathInput)
        field.focus()
        await pilot.pause()
        burst(app, f"{tmp_path}/ski\tSKILL.md")
        await wait_until(pilot, lambda: field.value.endswith("SKILL.md"))  # every key handled
        assert field.value == f"{tmp_path}/skill1/SKILL.md"
        assert field.cursor_position == len(field.value)
        assert app.focused is field


async def test_tab_with_nothing_to_complete_moves_on(tmp_path: Path) -> None:
    app = TwoFields()
    async with app.run_test() as pilot:
        field = app.query_one("#path", PathInput)
        field.focus()
        await pilot.pause()
        burst(app, f"{tmp_path}/nothing-here\t")
        await wait_until(pilot, lambda: app.focused is not field)  # the tab moved on
        assert field.value == f"{tmp_path}/nothing-here"
        assert app.focused is app.query_one("#other")
