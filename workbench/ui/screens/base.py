"""What every pane shares: the top bar, the footer, and access to the app's shared state; and
how the app gets its first frame on screen early (`FirstFrame`, `Deferred`)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from workbench.ui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from workbench.ui.app import WorkbenchApp


class FirstFrame:
    """App mixin: the first frame on screen as early as possible, the rest just after it.

    `after_first_paint` runs a callback once the first frame has really been written;
    `Deferred` widgets use it. The app sets `_painted = False` and `_paint_callbacks = []`.
    """

    _painted: bool
    _paint_callbacks: list[tuple[Any, Callable[[], Any]]]
    _gc_paused = False

    def after_first_paint(self, pump: Any, callback: Callable[[], Any]) -> None:
        """Run `callback` on `pump` (a widget or screen) once the first frame is on screen.

        Textual's `Lazy` runs inside the start-up batch, so what it defers still delays the
        first frame; this waits for the frame itself (at once if it was already painted).
        """
        if self._painted:
            pump.call_later(callback)
        else:
            self._paint_callbacks.append((pump, callback))

    def on_mount(self) -> None:
        if self.is_headless:  # type: ignore[attr-defined]
            self._first_paint_done()  # no frame to wait for (tests): all mounts at start-up
            return
        # Textual mounts the app inside its start-up batch and paints once the batch ends:
        # "after the next refresh" is after that first frame.
        self.call_after_refresh(self._first_paint_done)  # type: ignore[attr-defined]

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """The real terminal run (tests use `run_test`): no garbage collection before the
        first frame. Start-up allocates enough for a first full collection, ~25 ms here."""
        self._gc_paused = gc.isenabled()
        gc.disable()
        try:
            return super().run(*args, **kwargs)  # type: ignore[misc]
        finally:
            self._resume_gc()

    def _resume_gc(self) -> None:
        if getattr(self, "_gc_paused", False):
            self._gc_paused = False
            # What start-up built lives as long as the app: keep it out of later collections,
            # which then only walk what the session allocates (cheaper while streaming).
            gc.freeze()
            gc.enable()

    def _first_paint_done(self) -> None:
        if self._painted:
            return
        self._painted = True
        self._resume_gc()
        callbacks, self._paint_callbacks = self._paint_callbacks, []
        for pump, callback in callbacks:
            if pump.is_running:
                pump.call_later(callback)


class Deferred(Widget):
    """A placeholder replaced by `make()`'s widget once the app's first frame is on screen.

    Unlike `textual.lazy.Lazy` (whose mount still happens inside the start-up batch, before
    anything is painted), the widget, and the import behind `make`, cost nothing before the
    first frame.
    """

    DEFAULT_CSS = "Deferred { display: none; }"

    def __init__(self, make: Callable[[], Widget]) -> None:
        super().__init__()
        self._make = make

    def on_mount(self) -> None:
        after = getattr(self.app, "after_first_paint", None)
        if after is None:  # another App (a test harness): after the next refresh
            self.call_after_refresh(self._swap)
        else:
            after(self, self._swap)

    async def _swap(self) -> None:
        parent = self.parent
        if parent is None or not self.is_attached:
            return
        await parent.mount(self._make(), after=self)
        await self.remove()


NARROW = 100  # columns: below this, panes rearrange (an 80x24 SSH terminal is common)
SHORT = 30  # rows: below this, panes give their tables the height


# Textual's compact footer: its right margin also applies to the docked palette key, which
# leaves the last column showing a stray letter of the keys behind.
FOOTER_CSS = """
Footer.-compact FooterKey.-command-palette { margin-right: 0; }
"""


class Fitted:
    """Screen mixin: `-narrow`/`-wide` and `-short`/`-tall` classes from the terminal size, so
    each pane's CSS can rearrange for 80x24, and a compact footer when narrow (more keys fit).
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT, "-tall")]
    # Binding ids the compact footer shows only if all of them fit after the others (they stay
    # bound, in F1's help and the palette): the app's draft keys come after each pane's own.
    NARROW_FOOTER_SPARE: ClassVar[frozenset[str]] = frozenset(
        {"app.save_prompt", "app.export_code"})

    def on_resize(self, event: events.Resize) -> None:
        from textual.widgets import Footer

        from workbench.ui.widgets.pane_footer import PaneFooter

        for footer in self.query(Footer):  # type: ignore[attr-defined]
            footer.compact = event.size.width < NARROW
            if isinstance(footer, PaneFooter) and footer.is_mounted:
                footer.refresh(recompose=True)  # what fits depends on the width
        self.on_fitted(event.size.width < NARROW)

    def on_fitted(self, narrow: bool) -> None:
        """The terminal was resized: panes whose content (not only CSS) depends on it redo it."""


def _footer(compact: bool = False) -> Widget:
    from workbench.ui.widgets.pane_footer import PaneFooter

    # Mounted after focus was set: its keys are known now, so compose them at once rather
    # than composing empty and again on the next binding change.
    return PaneFooter(compact=compact, keys_known=True)


class WorkbenchScreen(Fitted, Screen):
    """A pane. Subclasses implement `compose_body()` and set `MODE` to their mode name."""

    MODE = ""
    DEFAULT_CSS = FOOTER_CSS
    # esc is each pane's own key (the composer's: focus rule 6); Textual's default takes it
    # for a maximised widget before any binding (esc in find un-maximised instead of closing)
    ESCAPE_TO_MINIMIZE = False
    _left_pane = False

    @property
    def wb(self) -> WorkbenchApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    PALETTE_GROUP: ClassVar[str] = ""  # the palette titles' prefix
    # binding id -> the palette's title, where the footer's short label says too little
    PALETTE_TITLES: ClassVar[dict[str, str]] = {}
    PALETTE_SKIP: ClassVar[frozenset[str]] = frozenset()  # ids of a second key for one action

    def palette_commands(self) -> Iterable[SystemCommand]:
        """One command per binding of the pane: titled by `PALETTE_TITLES` or the binding's
        description; its help is the binding's tooltip (as on the footer and in F1) and key."""
        for binding in type(self).BINDINGS:
            if not isinstance(binding, Binding) or binding.id in self.PALETTE_SKIP:
                continue
            title = self.PALETTE_TITLES.get(binding.id or "", binding.description)
            if self.PALETTE_GROUP:
                title = f"{self.PALETTE_GROUP}: {title[:1].lower()}{title[1:]}"
            first = replace(binding, key=binding.key.split(",")[0], key_display=None)
            key = self.app.get_key_display(first)
            help_text = f"{binding.tooltip} ({key})" if binding.tooltip else f"({key})"
            yield SystemCommand(title, help_text,
                                lambda action=binding.action: self.run_action(action))

    def compose(self) -> ComposeResult:
        panes = getattr(self.app, "panes", None)
        if self.MODE and panes is not None:
            panes.setdefault(self.MODE, self)  # the mode's pane: the first one built
        bar = TopBar()
        bar.active = self.MODE
        yield bar
        yield from self.compose_body()
        yield Deferred(lambda: _footer(compact=self.app.size.width < NARROW))

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def on_screen_suspend(self) -> None:
        # Another pane took over (not a dialog over this one): `on_pane_return` when back.
        self._left_pane = self.app.current_mode != self.MODE

    def on_screen_resume(self) -> None:
        self.refresh_topbar()
        if self._left_pane:
            self._left_pane = False
            self.on_pane_return()

    def on_pane_return(self) -> None:
        """The user came back from another pane: panes showing remote state reload here."""

    def refresh_topbar(self) -> None:
        for bar in self.query(TopBar):
            bar.active = self.MODE
            bar.demo = self.wb.settings.demo
            bar.status = self.wb.status_line
            bar.costs = self.wb.cost_line
