"""What every pane shares: the top bar, the footer, and access to the app's shared state."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget

from workbench.ui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from workbench.ui.app import WorkbenchApp


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


def _footer() -> Widget:
    from textual.widgets import Footer

    footer = Footer()
    # Mounted after focus was set: its keys are known now, so compose them at once rather
    # than composing empty and again on the next binding change.
    footer.set_reactive(Footer._bindings_ready, True)
    return footer


class WorkbenchScreen(Screen):
    """A pane. Subclasses implement `compose_body()` and set `MODE` to their mode name."""

    MODE = ""

    @property
    def wb(self) -> WorkbenchApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        bar = TopBar()
        bar.active = self.MODE
        yield bar
        yield from self.compose_body()
        yield Deferred(_footer)

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def on_screen_resume(self) -> None:
        self.refresh_topbar()

    def refresh_topbar(self) -> None:
        for bar in self.query(TopBar):
            bar.active = self.MODE
            bar.demo = self.wb.settings.demo
            bar.status = self.wb.status_line
