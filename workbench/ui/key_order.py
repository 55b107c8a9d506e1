"""Keys typed into a text field are applied in the order typed.

Textual forwards each key to the focused widget at once, but runs a binding either at once in
the App (priority bindings: ctrl+r, ctrl+n, alt+a...) or only after the key has bubbled back up
from the field (tab, a field's own backspace or enter). On a busy event loop the typed order was
lost both ways: "Oslo", tab, "1990" in the variables dialog gave "Oslo1990"; text typed just
before ctrl+n, or right after it, landed in the wrong turn; a path completed by tab and checked
at once with ctrl+k was checked as it was before the completion (new-user trials).

So for a key bound above the letters, while a text field has the focus, the App first lets the
field finish the keys already sent to it (a callback through its queue, bounded by DRAIN_LIMIT),
then runs the binding itself, and only then forwards the keys typed after it. Actions that move
the focus use `focus_now`, so those later keys reach the new field. A field that takes a key
itself after awaiting something (PathInput's tab: a completion looked up on disk, else the next
field) is called the same way, through its `key_in_order`. Other keys a field handles itself
(letters; a TextArea's own bindings, see OrderedTextArea) keep Textual's path.
"""

from __future__ import annotations

import asyncio
import contextlib

from textual import events
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input, TextArea

FOCUS_KEYS = ("tab", "shift+tab")
DRAIN_LIMIT = 0.5  # seconds: a field busy for longer than this does not hold the keys up


async def handle_in_order(app: App, event: events.Key) -> bool:
    """Run this key's binding here, in order, when the focused field would race it; True if
    a binding handled it (False: Textual's own dispatch goes on as usual)."""
    focused = app.focused
    if event.is_printable or not isinstance(focused, (Input, TextArea)):
        return False
    if event.key in getattr(focused, "KEYS_IN_ORDER", ()):
        await drain(focused)
        if await focused.key_in_order(event.key):  # type: ignore[union-attr]
            return True
    # Textual's own calls for binding lookup and dispatch (private, but the same ones it uses).
    if _bound(app, event.key, priority=True):
        await drain(focused)
        return await app._check_bindings(event.key, priority=True)
    if _bindings_run_above(focused, event.key) and _bound(app, event.key, priority=False):
        await drain(focused)
        return await app._check_bindings(event.key)
    return False


def focus_now(widget: Widget) -> None:
    """Focus `widget` at once: `Widget.focus()` waits in the App's queue behind keys already
    typed, which then go to the widget that had the focus."""
    try:
        widget.screen.set_focus(widget)
    except Exception:  # not on a screen yet: Textual's deferred focus
        widget.focus()


def _bindings_run_above(focused: Widget, key: str) -> bool:
    """Whether Textual would run this key's binding only after the round trip, the field
    itself doing nothing with it: any non-printable key in a plain Input, tab in a TextArea
    that moves the focus on tab."""
    if isinstance(focused, Input):
        return type(focused)._on_key is Input._on_key  # PathInput completes on tab itself
    return key in FOCUS_KEYS and getattr(focused, "tab_behavior", "focus") == "focus"


def _bound(app: App, key: str, *, priority: bool) -> bool:
    chain = app.screen._binding_chain if priority else app.screen._modal_binding_chain
    return any(binding.priority == priority
               for _, bindings in chain for binding in bindings.key_to_bindings.get(key, ()))


async def drain(widget: Widget) -> None:
    """Until the widget has handled the messages already in its queue (the keys before)."""
    done = asyncio.Event()
    if widget.call_later(done.set):
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(done.wait(), DRAIN_LIMIT)


def typed_between(before: str, after: str) -> str:
    """The text inserted in one place between two states of a field (what typing adds)."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return after[start:len(after) - end]
