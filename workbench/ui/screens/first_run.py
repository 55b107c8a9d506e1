"""First run without a key: add one, or continue in demo mode against the built-in emulator."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from workbench.ui.plain import plain
from workbench.ui.screens.key_form import KeyForm
from workbench.ui.widgets.pane_footer import PaneFooter

WELCOME = (
    "[b]Welcome to workbench[/b]\n\n"
    "No API key was found for profile [b]{profile}[/b] (neither in the OS keyring nor in "
    "[b]ANTHROPIC_API_KEY[/b]). Add one below (it is checked, then stored in the keyring, never "
    "in a file), or explore everything in [b]demo mode[/b] against the built-in API emulator."
)


class FirstRunScreen(Screen):
    BINDINGS = [Binding("ctrl+d", "demo", "Demo mode", id="first_run.demo", priority=True)]
    CSS_PATH = "first_run.tcss"

    def compose(self) -> ComposeResult:
        settings = self.app.settings  # type: ignore[attr-defined]
        with VerticalScroll():
            yield Static(WELCOME.format(profile=settings.active_profile))
            problems = getattr(self.app, "startup_problems", [])
            yield Static(plain("\n".join(problems)), id="fr-problem")
            yield Button("Continue in demo mode (ctrl+d)", id="fr-demo", variant="primary")
            with Vertical():
                yield KeyForm(settings.profile, platforms=False)  # clouds: the Keys pane
        yield PaneFooter()  # keys whole, never cut

    @on(Button.Pressed, "#fr-demo")
    async def action_demo(self) -> None:
        self.dismiss()
        await self.app.use_key(None, demo=True)  # type: ignore[attr-defined]

    @on(KeyForm.Saved)
    async def _saved(self, event: KeyForm.Saved) -> None:
        self.dismiss()
        await self.app.use_key(event.key)  # type: ignore[attr-defined]
