"""Every alt binding of the app must be a key a terminal can actually send.

xterm and tmux send alt+letter as ESC + letter; Textual reads some of those as other keys
(ESC f / ESC b are the readline word moves, reported as ctrl+right / ctrl+left), so a binding on
alt+f or alt+b never fires. The sequences are fed through Textual's own terminal parser.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

from tests.ui.conftest import wait_until

ARROWS = {"up": "A", "down": "B", "right": "C", "left": "D"}


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def app_bindings() -> list[tuple[str, str]]:
    """(class name, key) for every binding declared by a workbench App, Screen or Widget."""
    import workbench.ui.screens
    import workbench.ui.widgets

    for package in (workbench.ui.screens, workbench.ui.widgets):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    importlib.import_module("workbench.ui.app")
    found = []
    for cls in set(_subclasses(DOMNode)):
        if not cls.__module__.startswith("workbench."):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            keys = binding.key if isinstance(binding, Binding) else binding[0]
            found += [(cls.__name__, key.strip()) for key in keys.split(",")]
    return sorted(set(found))


def terminal_bytes(key: str) -> str:
    """What xterm (and tmux, with its default xterm keys) sends for an alt key."""
    name = key.removeprefix("alt+")
    if name in ARROWS:
        return f"\x1b[1;3{ARROWS[name]}"
    if name.startswith("shift+") and len(name) == 7:
        return "\x1b" + name[-1].upper()
    assert len(name) == 1, f"add {key!r} to terminal_bytes"
    return "\x1b" + name


def received(data: str) -> list[str]:
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    events = [*parser.feed(data), *parser.feed("")]
    return [getattr(e, "key", type(e).__name__) for e in events]


ALT_BINDINGS = [(owner, key) for owner, key in app_bindings() if key.startswith("alt+")]


def test_the_app_has_alt_bindings_to_check() -> None:
    keys = {key for _, key in ALT_BINDINGS}
    assert {"alt+i", "alt+y", "alt+x", "alt+k", "alt+c"} <= keys


@pytest.mark.parametrize(("owner", "key"), ALT_BINDINGS)
def test_every_alt_binding_arrives_as_itself(owner: str, key: str) -> None:
    assert received(terminal_bytes(key)) == [key], (
        f"{owner} binds {key}, but a terminal's {terminal_bytes(key)!r} reaches Textual as "
        f"{received(terminal_bytes(key))}")


async def test_attach_and_copy_code_keys(make_app) -> None:
    from workbench.ui.screens.compose_modals import AskScreen

    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.press(*"Write a python function")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: app.screen.session.last_result is not None
                         and not app.screen.session.running)
        await pilot.pause(0.1)
        await pilot.press("alt+y")
        assert app.clipboard.startswith("def ") and "```" not in app.clipboard
        await pilot.press("alt+i")
        await wait_until(pilot, lambda: isinstance(app.screen, AskScreen))
        assert "Attach an image or PDF" in app.screen.title_text
        await pilot.press("escape")
