"""The composer's editor column (the system prompt and the turns)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.geometry import Size


class EditorColumn(VerticalScroll, can_focus=False):
    """Keeps the focused editor in view whenever its content changes size.

    A turn's text area takes its height from its text one layout after it is mounted or
    filled, so a newly focused turn scrolled into view at once could still end up below the
    visible area (after alt+a, the reply appended above it grows). Not focusable itself: its
    editors are.
    """

    def watch_virtual_size(self, size: Size) -> None:
        focused = self.screen.focused if self.is_attached else None
        if focused is not None and self in focused.ancestors:
            self.call_after_refresh(self.scroll_to_widget, focused, animate=False)
