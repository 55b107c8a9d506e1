"""A TextArea whose own key bindings run in the order the keys were typed.

Textual forwards a key to the focused widget; a printable key is inserted there at once, but
a key the widget binds (backspace, delete, ctrl+u, ...) bubbles back up to the App, which only
then runs the binding. When the event loop is a few milliseconds busy (the composer updates
its token estimate on each edit), letters typed right after a burst of backspaces are inserted
before those backspaces run, and the backspaces then delete them: a fast typist or a held key
loses text. Running the widget's own bindings here, in the widget's queue, keeps the order.
The precedence is unchanged: the focused widget's bindings are the first non-priority ones
Textual would try, and priority bindings are still handled by the App before forwarding.
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea


class OrderedTextArea(TextArea):
    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
