"""Moving the focus at once, for actions run in the middle of typing."""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Focus `widget` at once: `Widget.focus()` waits in the App's queue behind keys already
    typed, which then go to the widget that had the focus."""
    try:
        widget.screen.set_focus(widget)
    except Exception:  # not on a screen yet: Textual's deferred focus
        widget.focus()
