"""The panes' footer: every key it shows is whole, at any width.

Textual's footer lays its keys out in one row and lets the last ones run under the palette
key, which leaves half a label ("^s Save promp" at 120 columns). This one measures first and
gives way in steps, as far as needed: Textual's compact style (less padding), then shorter
descriptions (`SHORT`, "Save prompt" -> "Save"), then it leaves keys out whole: the screen's
`NARROW_FOOTER_SPARE` keys first (shown only if all of them fit), then any key that would not
fit after the others. What it leaves out stays bound, listed by F1 and the palette. The wide
style shows when everything fits in it at the footer's width (`base.NARROW` only asks for the
compact style below it); the footer re-fits when its own width changes (F1's panel takes room).
Binding groups are not used by the workbench: each key is shown on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from workbench.ui.compat import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

# Shorter descriptions by binding id, used only when the whole one does not fit.
SHORT: dict[str, str] = {
    "app.save_prompt": "Save",
    "compose.append": "Append",
    "compose.copy_reply": "Copy",
    "history.reopen": "Reopen",
    "skills.use": "Use",
    "batches.rerun": "Re-run",
    "batch.rerun": "Re-run",
    "batches.open_run": "Run",
    "models.pick": "Pick",
    "keys.use": "Use",
    "keys.delete": "Delete",
}
PALETTE_TEXT = 10  # "^p palette": the palette key always renders in the compact style


@dataclass
class _Key:
    """One binding to show, with the widths it takes in each style."""

    binding: Binding
    display: str
    enabled: bool
    tooltip: str
    spare: bool
    full: str
    short: str

    def width(self, compact: bool, short: bool) -> int:
        description = self.short if short else self.full
        if not description:
            return cell_len(self.display)
        # compact: "key desc" and a margin; wide: " key desc " padded, no margin
        return cell_len(self.display) + cell_len(description) + (2 if compact else 3)


def _total(keys: list[_Key], compact: bool, short: set[int]) -> int:
    return sum(k.width(compact, i in short) for i, k in enumerate(keys))


def fit(keys: list[_Key], room_wide: int, room_compact: int,
        wide_ok: bool) -> tuple[bool, list[int], set[int]]:
    """Choose the style, the keys shown (indexes) and those shown with a short description.

    `room_*` is the width left of the palette key in each style. Compact, what counts, in
    order: the screen's own keys, their whole descriptions, the spare keys (all or none),
    theirs.
    """
    everything = list(range(len(keys)))
    if wide_ok and sum(k.width(False, False) for k in keys) <= room_wide:
        return False, everything, set()
    room = room_compact + 1  # compact widths count a margin; the last one may touch the border
    if sum(k.width(True, False) for k in keys) <= room:
        return True, everything, set()
    main = [i for i in everything if not keys[i].spare]
    spare = [i for i in everything if keys[i].spare]
    short = {i for i in everything if keys[i].short != keys[i].full}
    used, shown = 0, []
    for i in main:  # whole or not at all; a later, shorter one may still fit
        if used + keys[i].width(True, True) <= room:
            used += keys[i].width(True, True)
            shown.append(i)
    used = _expand(keys, shown, short, used, room)
    extra = sum(keys[i].width(True, True) for i in spare)
    if spare and used + extra <= room:
        shown += spare
        _expand(keys, spare, short, used + extra, room)
    return True, sorted(shown), short & set(shown)


def _expand(keys: list[_Key], indexes: list[int], short: set[int], used: int,
            room: int) -> int:
    """Give back whole descriptions (removed from `short`), first keys first, while they fit;
    the width then used."""
    for i in indexes:
        extra = keys[i].width(True, False) - keys[i].width(True, True)
        if i in short and used + extra <= room:
            used += extra
            short.discard(i)
    return used


class PaneFooter(Footer):
    """Footer whose keys are whole: compact, shorter, or fewer, as the width needs."""

    DEFAULT_CSS = """
    /* compact: the palette key's margin would leave a stray letter of the keys behind */
    PaneFooter.-compact FooterKey.-command-palette { margin-right: 0; }
    """

    _fitted_width = 0

    def __init__(self, *, compact: bool = False, keys_known: bool = False) -> None:
        """`keys_known`: the screen's bindings are settled (focus set), compose them at once
        rather than empty and again on the first change."""
        super().__init__(compact=compact)
        self.keys_known = keys_known

    def bindings_changed(self, screen: Screen) -> None:
        self.keys_known = True
        super().bindings_changed(screen)

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def on_resize(self, event: events.Resize) -> None:
        if self.keys_known and event.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        if not self.keys_known:
            return
        screen = self.screen
        spare_ids = getattr(screen, "NARROW_FOOTER_SPARE", frozenset())
        keys: list[_Key] = []
        seen: set[str] = set()
        for _, binding, enabled, tooltip in screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue  # one key per action ('d' and 'delete': 'd Delete')
            seen.add(binding.action)
            full = binding.description
            keys.append(_Key(binding, self.app.get_key_display(binding), enabled, tooltip,
                             binding.id in spare_ids, full, SHORT.get(binding.id or "", full)))
        palette: tuple[Binding, bool, str] | None = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            palette = found[1:] if found else None
        width = self._width()
        self._fitted_width = width
        palette_wide = 1 + PALETTE_TEXT + 1 if palette else 0  # border, text, padding
        palette_compact = 1 + PALETTE_TEXT if palette else 0
        compact, shown, short = fit(keys, width - palette_wide, width - palette_compact,
                                    wide_ok=not self.compact)
        self.set_class(compact, "-compact")
        for i in shown:
            key = keys[i]
            widget = FooterKey(key.binding.key, key.display,
                               key.short if i in short else key.full, key.binding.action,
                               disabled=not key.enabled, tooltip=key.tooltip)
            widget.set_reactive(FooterKey.compact, compact)
            widget.set_class(compact, "-compact")
            yield widget
        if palette is not None:
            binding, enabled, tooltip = palette
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                            binding.action, classes="-command-palette", disabled=not enabled,
                            tooltip=binding.tooltip or binding.description)
