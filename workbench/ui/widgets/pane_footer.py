"""The panes' footer: at 80 columns it shows whole keys only.

Textual's footer lays its keys out in one row and lets the last ones run under the palette
key, which leaves half a label ("^s Save promp"). Compact (below NARROW columns), this one
shows the keys the screen lists in `NARROW_FOOTER_SPARE` only when all of them fit after the
others (they stay bound, listed by F1 and the palette), and leaves out whole any key that
would not fit.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def key_width(key: Any) -> int:
    """A compact FooterKey's width: the key, then a space and the description."""
    width = cell_len(key.key_display)
    return width + 1 + cell_len(key.description) if key.description else width


def _is_palette(widget: Any) -> bool:
    return isinstance(widget, FooterKey) and widget.has_class("-command-palette")


class PaneFooter(Footer):
    """Footer that, narrow, shows the spare keys only with room for all, and no cut-off key."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        if not self.compact:
            yield from widgets
            return
        spare_ids = getattr(self.screen, "NARROW_FOOTER_SPARE", frozenset())
        spare_keys = {binding.key for _, binding, _, _ in self.screen.active_bindings.values()
                      if binding.id in spare_ids}
        keys = [w for w in widgets if isinstance(w, FooterKey) and not _is_palette(w)]
        # the palette key is docked right, after a one-column border (compact: no margin)
        room = self.app.size.width - sum(1 + key_width(w) for w in widgets if _is_palette(w))
        used, shown = 0, set()
        for key in (k for k in keys if k.key not in spare_keys):
            if used + key_width(key) <= room:  # whole or not at all; a shorter one may fit
                used += key_width(key) + 1  # the compact margin
                shown.add(id(key))
        spare = [k for k in keys if k.key in spare_keys]
        if used + sum(key_width(k) + 1 for k in spare) - 1 <= room:
            shown.update(id(k) for k in spare)
        for widget in widgets:  # in their order; groups and the palette key as they are
            if not isinstance(widget, FooterKey) or _is_palette(widget) or id(widget) in shown:
                yield widget
