"""What every pane shares: the top bar, the footer, and access to the app's shared state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widgets import Footer

from workbench.ui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from workbench.ui.app import WorkbenchApp


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
        yield Lazy(Footer())

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def on_screen_resume(self) -> None:
        self.refresh_topbar()

    def refresh_topbar(self) -> None:
        for bar in self.query(TopBar):
            bar.active = self.MODE
            bar.demo = self.wb.settings.demo
            bar.status = self.wb.status_line
