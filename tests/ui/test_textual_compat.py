"""Canaries: one per private Textual name in workbench/ui/compat.py. Each fails when a Textual
release renames or changes the private, so the upgrade is fixed in compat, not found by users.
Also the behaviour built on them: OrderedInput keeps keys in the order typed."""

from __future__ import annotations

import inspect

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea
from textual.worker import Worker, WorkerState

from tests.ui.conftest import wait_until
from workbench.ui import compat
from workbench.ui.widgets.ordered_keys import OrderedInput


class Hooked(compat.KeyHook, Input):
    seen: list[str]

    async def on_key_in_order(self, event: events.Key) -> None:
        self.seen.append(event.key)
        await self.textual_on_key(event)


class OneField(App):
    def compose(self) -> ComposeResult:
        field = Hooked(id="hooked")
        field.seen = []
        yield field
        yield Static(id="target")


async def test_canary_widget_on_key_is_the_key_handler_of_input_and_textarea() -> None:
    """`Widget._on_key`: Textual calls it with each key before the key bubbles up."""
    for cls in (Input, TextArea):
        assert inspect.iscoroutinefunction(cls._on_key)
        assert list(inspect.signature(cls._on_key).parameters) == ["self", "event"]
    app = OneField()
    async with app.run_test() as pilot:
        field = app.query_one(Hooked)
        field.focus()
        await pilot.press("o", "k", "backspace")
        assert field.seen == ["o", "k", "backspace"]
        assert field.value == "o"  # textual_on_key inserted, the binding deleted


async def test_canary_widget_forward_event_marks_and_posts() -> None:
    """`Widget._forward_event`: the event is marked forwarded and queued on the widget."""
    app = OneField()
    async with app.run_test() as pilot:
        field = app.query_one(Hooked)
        event = events.Key("x", "x")
        compat.forward_key(field, event)
        assert event.is_forwarded
        await wait_until(pilot, lambda: field.value == "x")


def test_canary_footer_key_widget() -> None:
    """`textual.widgets._footer.FooterKey`: the Footer's key widget and its arguments."""
    footer_key = compat.FooterKey
    params = inspect.signature(footer_key).parameters
    assert list(params)[:4] == ["key", "key_display", "description", "action"]
    assert {"disabled", "tooltip", "classes"} <= set(params)
    assert hasattr(footer_key, "compact")
    footer_key("ctrl+r", "^r", "Run", "run", disabled=False, tooltip="", classes="x")


class Ends(App):
    """Its one handler records the end of every worker, the screen's included."""

    def on_mount(self) -> None:
        self.errors: list[BaseException] = []
        compat.let_worker_messages_bubble()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.errors.append(event.worker.error)


async def test_canary_worker_state_changed_bubble_reaches_the_app() -> None:
    """`Worker.StateChanged.bubble`: a class attribute that, set, carries a screen worker's
    error up to the App's handler."""
    assert hasattr(Worker.StateChanged, "bubble")
    assert isinstance(Worker.StateChanged.bubble, bool)
    app = Ends()
    async with app.run_test() as pilot:
        compat.let_worker_messages_bubble()
        assert Worker.StateChanged.bubble is True

        async def fail() -> None:
            raise RuntimeError("screen worker failed")

        screen: Screen = app.screen
        screen.run_worker(fail, exit_on_error=False)
        await wait_until(pilot, lambda: bool(app.errors))
        assert str(app.errors[0]) == "screen worker failed"


class Fields(App):
    """Two fields; f2 (an App binding) removes the first one while keys are queued."""

    BINDINGS = [Binding("f2", "drop", "Drop")]

    def compose(self) -> ComposeResult:
        yield OrderedInput(id="one")
        yield OrderedInput(id="two")

    async def action_drop(self) -> None:
        await self.query_one("#one").remove()


def burst(app: App, keys: list[str]) -> None:
    for name in keys:
        char = {"tab": "\t", "backspace": "\x7f"}.get(name, name if len(name) == 1 else None)
        app.post_message(events.Key(name, char))


async def test_ordered_input_text_after_tab_goes_to_the_next_field() -> None:
    app = Fields()
    async with app.run_test() as pilot:
        one, two = app.query_one("#one", Input), app.query_one("#two", Input)
        one.focus()
        await pilot.pause()
        burst(app, [*"Oslx", "backspace", "o", "tab", *"1990"])
        await wait_until(pilot, lambda: len(one.value + two.value) >= 8)
        assert (one.value, two.value) == ("Oslo", "1990")


async def test_a_binding_that_removes_the_focused_field_keeps_the_keys_after_it() -> None:
    """The App binding runs in the App's queue (awaiting the field's removal would deadlock
    inside the field's own queue); the keys typed after it reach the field focused next."""
    app = Fields()
    async with app.run_test() as pilot:
        app.query_one("#one").focus()
        await pilot.pause()
        burst(app, [*"gone", "f2", *"kept"])
        two = app.query_one("#two", Input)
        await wait_until(pilot, lambda: two.value == "kept")
        assert not app.query("#one")


def test_canary_control_strip_tables_drop_escape() -> None:
    """`content._CONTROL_STRIP_TRANSLATE` and `rich.control._CONTROL_STRIP_TRANSLATE`: the
    default tables Content and Text strip with; widened, ESC never reaches the terminal."""
    from rich.text import Text
    from textual.content import Content

    compat.strip_terminal_controls()
    hostile = "a\x1b]52;c;aGk=\x07b\x1b[2J\x9bc\tok\nend"
    for shown in (Content(hostile).plain, Text(hostile).plain, Content.from_markup(hostile).plain):
        assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
        assert "\tok\nend" in shown
