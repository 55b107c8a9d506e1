"""Keys typed into a one-line field are applied in the order typed.

Textual forwards each key to the focused widget at once, but runs a key's binding only after
the key has bubbled back up to the App. On a busy event loop, keys typed after a bound key got
ahead of it: "Oslo", tab, "1990" in the variables dialog gave "Oslo1990" and an empty second
field (a new-user trial), and letters typed after a burst of backspaces were deleted by them.
A plain `Input` handles only printable keys itself, so for it:

- a key the field binds (backspace, left, enter...) runs in the field's own queue, after the
  letters already sent to it, as it would after the round trip, but before later keys;
- tab / shift+tab (next / previous field, bound above the field) move the focus at once, so
  the letters typed after them go to the next field.

Other keys keep Textual's path: a screen's action that reads a field must see the letters typed
before it. `OrderedTextArea` does the same for the multi-line editors; widgets with their own
key handling (PathInput completes on tab) are left alone.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

FOCUS_KEYS = ("tab", "shift+tab")


async def handle_in_order(app: App, event: events.Key) -> bool:
    """Handle a key arriving from the terminal here when its order matters; True if done."""
    focused = app.focused
    if (event.is_printable or not isinstance(focused, Input)
            or type(focused)._on_key is not Input._on_key):
        return False
    own = [b for b in focused._bindings.key_to_bindings.get(event.key, ()) if not b.priority]
    if not own and event.key not in FOCUS_KEYS:
        return False
    # Priority bindings come first, as in Textual's own dispatch (private, but the same call).
    if await app._check_bindings(event.key, priority=True):
        return True
    if own:
        focused.call_later(_run_own, app, focused, own)
        return True
    return await app._check_bindings(event.key)


async def _run_own(app: App, widget: Widget, bindings: list[Binding]) -> None:
    for binding in bindings:
        if await app.run_action(binding.action, widget):
            return
