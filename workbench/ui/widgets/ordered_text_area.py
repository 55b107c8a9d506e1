"""A TextArea whose bound keys run in the order typed (see ordered_keys): a burst of
backspaces followed by letters keeps the letters; text typed after tab goes to the next field."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from workbench.ui.widgets.find_marks import FindMarks
from workbench.ui.widgets.ordered_keys import OrderedKeys


class OrderedTextArea(FindMarks, OrderedKeys, TextArea):  # FindMarks: find's marks
    def takes_as_text(self, event: events.Key) -> bool:
        if self.read_only:
            return False
        if event.key == "enter" or (event.key == "escape" and self.tab_behavior == "indent"):
            return True  # TextArea's own key handler takes these before any binding
        return super().takes_as_text(event)
