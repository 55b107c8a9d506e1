"""The composer's layout keys: maximise a pane, resize the column split, jump to a pane.

- **alt+m** maximises the pane holding the focus (the turns, the reply, the parameters) with
  Textual's own `Screen.maximize`, and gives the room back on the second press (or esc).
- **alt+left / alt+right** move the split between the turns and the reply by 5 percent; the
  split is a setting (`compose_split`), saved, so the next start has it too. By default the
  reply gets the larger part (60 percent): it is what is read, while the turns are typed in a
  few lines.
- **alt+h / alt+l / alt+v / alt+p** go to the system prompt (the head of the request), the last
  turn (where typing goes on), the reply (to view it) and the parameters (see
  `workbench.ui.focus` for where the focus goes after every action).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.widgets import TextArea

from workbench.ui.focus import focus_now

if TYPE_CHECKING:
    from workbench.ui.screens.compose import ComposeScreen

LAYOUT_BINDINGS = [
    Binding("alt+m", "maximize_pane", "Maximise", id="compose.maximize", show=False),
    Binding("alt+left", "resize(-1)", "Narrower turns", id="compose.split_left", show=False),
    Binding("alt+right", "resize(1)", "Wider turns", id="compose.split_right", show=False),
    # Letters: a terminal sends alt+1 as ESC 1, which Textual reads as another key.
    *(Binding(f"alt+{key}", f"jump('{where}')", f"Go to the {label}", id=f"compose.go_{where}",
              show=False) for key, where, label in (("h", "system", "system prompt"),
              ("l", "turns", "turn being typed"), ("v", "reply", "reply"))),
    Binding("ctrl+f", "find", "Find", id="compose.find", show=False),
]
STEP = 5
LOW, HIGH = 20, 80  # the editor column's share, in percent: neither column vanishes


class PaneLayout:
    def __init__(self, screen: ComposeScreen) -> None:
        self.screen = screen

    @property
    def split(self) -> int:
        return self.screen.wb.settings.compose_split

    def apply(self) -> None:
        """The saved split on the two columns (fr units, so the side column keeps its width);
        from now on also whenever a maximised pane gives the room back."""
        from workbench.ui.widgets.side_column import folds

        screen = self.screen
        screen.editor.styles.width = f"{self.split}fr"
        screen.transcript.styles.width = f"{100 - self.split}fr"
        # folded, the parameters take the reply's place (and share): wide, their own 42 columns
        folded = folds(screen.app.size.width)
        screen.side.styles.width = f"{100 - self.split}fr" if folded else None
        if not self._watching:
            self._watching = True
            screen.watch(screen, "maximized", self._maximized, init=False)

    _watching = False

    def _maximized(self, widget: object) -> None:
        """A maximised pane fills the screen: its share of the split (an fr width, counted
        against the screen alone) would make it many screens wide."""
        if widget is None:
            self.apply()
        else:
            for pane in (self.screen.editor, self.screen.transcript, self.screen.side):
                pane.styles.width = None

    def resize(self, step: int) -> None:
        settings = self.screen.wb.settings
        split = max(LOW, min(HIGH, settings.compose_split + step * STEP))
        if split == settings.compose_split:
            return
        settings.compose_split = split
        self.apply()
        self.screen.wb.save_settings()

    def toggle_maximize(self) -> None:
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()
        elif screen.focused is not None and not screen.maximize(screen.focused):
            screen.notify("nothing to maximise here: focus the turns, the reply or the "
                          "parameters first", severity="warning")

    def jump(self, where: str) -> None:
        screen = self.screen
        if screen.maximized is not None:
            screen.minimize()  # a jump elsewhere shows the whole screen again
        if screen.side.is_open:
            screen.close_params()  # folded: the reply comes back in the parameters' place
        target = {"system": screen.system, "reply": screen.transcript}.get(where) \
            or screen.editor.typing_area()
        if target is not None:
            focus_now(target)
            target.scroll_visible(animate=False)

    def find(self) -> None:
        """ctrl+f: in the focused editor's text, else in the replies (the transcript)."""
        from workbench.ui.screens.find import open_find

        screen = self.screen
        focused = screen.focused
        if isinstance(focused, TextArea) and not screen.side.holds(focused):
            what = "the system prompt" if focused is screen.system else "this turn"
            open_find(screen.editor, what, lambda: [focused], view=focused)
        else:
            screen.transcript.action_find()
