"""Text fields whose bound keys run in the order the keys were typed.

Textual forwards each key to the focused widget, which inserts a letter at once; a bound key
(backspace, tab, enter, escape, alt+x...) bubbles back up to the App, which only then runs the
binding. On a busy event loop the letters typed after it were already inserted: backspaces
deleted them, a tab moved on and left them in the field behind (Textual issue #6605).

So the field looks the key up itself when it reaches it (`Screen.active_bindings`: its own
bindings first, then its ancestors', the screen's, the App's):
- its own binding runs here, inline, as Textual PR #6631 proposes;
- a binding of an ancestor, the screen or the App runs in the App's queue, as Textual runs it;
  it may remove this field (clear the conversation), so the field does not wait for it: the
  keys that reach the field meanwhile are held, then handled in order once it is done.
After a binding that moved the focus, the keys typed after it go on to the widget that has the
focus now. Priority bindings are unchanged: the App runs them before it forwards the key, so
an action that must see every letter typed before it is bound without `priority`.
"""

from __future__ import annotations

from textual import events
from textual.binding import ActiveBinding
from textual.keys import key_to_character
from textual.widgets import Input

from workbench.ui.compat import KeyHook, forward_key


def _copy(event: events.Key) -> events.Key:
    return events.Key(event.key, event.character)


class OrderedKeys(KeyHook):
    """Mixin for a text field (put it before the Textual class): bound keys run in order."""

    _hand_on = False  # a binding run for a key here moved the focus: keys queued here go on
    _held: list[events.Key] | None = None  # keys typed while a binding above runs

    def hold_keys(self) -> None:
        """Hold the keys that reach this field from now on: it is about to be replaced."""
        if self._held is None:
            self._held = []

    def hand_on(self) -> None:
        """The keys held, and any still on their way here, go on to the widget that has the
        focus now: the field is on its way out, and what was typed meanwhile is not lost."""
        held, self._held = self._held or [], None
        self._hand_on = True
        app = self.app  # type: ignore[attr-defined]
        target = app.focused or app.screen
        for key in held:
            forward_key(target, key)

    def takes_as_text(self, event: events.Key) -> bool:
        """Whether the field itself handles the key (a letter), not a binding. By its name (a
        terminal's alt+p carries the character "p": it is a binding); a key without modifier
        whose name Textual gives no character (`slash`) by its own, or a field where an
        ancestor binds `/` (find) lost every `/` typed."""
        character = key_to_character(event.key)
        if character is None and "+" not in event.key:
            character = event.character
        return self.check_consume_key(event.key, character)  # type: ignore[attr-defined]

    async def on_key_in_order(self, event: events.Key) -> None:
        app = self.app  # type: ignore[attr-defined]
        if self._held is not None:
            self._stop(event)
            self._held.append(_copy(event))
            return
        if self._hand_on:
            if app.focused is not self:
                self._stop(event)
                forward_key(app.focused or app.screen, _copy(event))
                return
            self._hand_on = False
        active = None
        if app.focused is self and not self.takes_as_text(event):
            active = self.screen.active_bindings.get(event.key)  # type: ignore[attr-defined]
        if active is None or active.binding.priority or not active.enabled:
            await self.textual_on_key(event)  # a letter, or no binding: Textual's own way
        elif active.node is self:
            self._stop(event)
            await app.run_action(active.binding.action, self)
            self._hand_on = app.focused is not self
        else:
            self._stop(event)
            self._held = []
            app.call_later(self._run_above, active)

    @staticmethod
    def _stop(event: events.Key) -> None:
        event.stop()
        event.prevent_default()

    async def _run_above(self, active: ActiveBinding) -> None:
        """In the App's queue: the binding, then the keys held meanwhile, in order."""
        app = self.app  # type: ignore[attr-defined]
        try:
            await app.run_action(active.binding.action, active.node)
        finally:
            if self.is_attached and app.focused is self:  # type: ignore[attr-defined]
                # handled here, after any key still queued here (held until then)
                self.call_later(self._release_here)  # type: ignore[attr-defined]
            else:
                held, self._held = self._held or [], None
                self._hand_on = self.is_attached  # type: ignore[attr-defined]
                target = app.focused or app.screen
                for key in held:
                    forward_key(target, key)

    async def _release_here(self) -> None:
        held, self._held = self._held or [], None
        for index, key in enumerate(held):
            if self._held is not None:  # another binding above is running: hold the rest
                self._held.extend(held[index:])
                return
            await self.on_key_in_order(key)


class OrderedInput(OrderedKeys, Input):
    """An Input whose bound keys (backspace, tab, enter...) run in the order typed."""
