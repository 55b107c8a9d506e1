"""Find in a reply, the transcript, the inspector, a code view, an editor or the notices log
(`/`, ctrl+f): opens the find bar (`widgets/find_bar.py`) docked in the pane searched, which
stays where it is with every match marked in place.

The views call `open_find`; `FindKeys` (in the bar's module, so widgets import it without the
screens) gives a view n / N and esc while its find bar is open and the focus is in the text.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from workbench.ui.widgets.find_bar import FindBar, FindKeys, find_keys, shown_statics

__all__ = ["FindBar", "FindKeys", "find_keys", "open_find", "shown_statics"]


def open_find(host: Widget, what: str, collect: Callable[[], list[Widget]],
              view: Widget | None = None) -> FindBar:
    """The find bar at the bottom of `host`, searching the widgets `collect` returns; one bar
    per screen (opening one closes another pane's), and a second `/` goes back to the field."""
    bar = next(iter(host.query_children(FindBar)), None)
    if bar is not None:
        bar.focus_field()
        return bar
    for other in list(host.screen.query(FindBar)):
        other.action_close()
    bar = FindBar(what, collect, view)
    host.mount(bar)
    return bar
