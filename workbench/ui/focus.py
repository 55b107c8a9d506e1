"""Where the focus goes: one rule for every action, and the helper that moves it at once.

The rule (tested in tests/ui/test_focus_rule.py):

1. **Typing goes where the command put it.** A composer command that adds, moves, deletes or
   appends a turn focuses the turn the session names (`Change.focus`) and scrolls it into view;
   a command that does not reshape the turns leaves the focus where it is. A run never moves it.
2. **A dialog gives the focus back.** When a dialog (a modal screen) closes, the focus returns
   to the widget that had it when the dialog opened (Textual restores a screen's focus when it
   resumes); the callback of the dialog moves it only when what the dialog did says where
   (an upload focuses the list, with the new file highlighted, never the filter).
3. **alt+p toggles between the turns and the parameters** from anywhere: from outside the
   parameters it goes to max_tokens (narrow: the parameters replace the reply); from inside
   them (any field, the tools box too) back to where it was before, else the turn being typed.
4. **Jump keys** in the composer: alt+h the system prompt, alt+l the turn being typed (the
   last user turn), alt+v the reply, alt+p the parameters. alt+m maximises the focused pane.
5. **Panes keep their focus.** Switching panes (F2…F9) and coming back finds the focus where
   it was; a pane's first focus is its main list or editor (`AUTO_FOCUS`).
6. **esc** closes a dialog; in the composer it cancels a run in flight, and with none it gives
   a maximised pane its place back, then the narrow parameters theirs (the focus stays).
"""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Focus `widget` at once: `Widget.focus()` waits in the App's queue behind keys already
    typed, which then go to the widget that had the focus."""
    try:
        widget.screen.set_focus(widget)
    except Exception:  # not on a screen yet: Textual's deferred focus
        widget.focus()
