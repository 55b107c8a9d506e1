"""Where the focus goes: one rule for every action, and the helper that moves it at once.

The rule (tested in tests/ui/test_focus_return.py, test_ux_layout_focus.py, test_compose_focus.py):

1. **Typing goes where the command put it.** A composer command that adds, moves, deletes or
   appends a turn focuses the turn the session names (`Change.focus`) and scrolls it into view;
   one that replaces the draft (a curl import, a run reopened from History, a library version,
   a branch) focuses the turn being typed (the last user turn); a command that does not
   reshape the turns leaves the focus where it is. A run never moves it (but folded, run
   from the parameters, it puts the reply back in their place: see rule 3).
2. **A dialog gives the focus back.** When a dialog closes (any modal screen, the command
   palette, a pushed screen such as Compare or a batch's results), by esc or by its confirm,
   the focus is on the widget that had it when the dialog opened, scrolled as it was. Textual
   keeps a suspended screen's focus and restores it when the screen resumes; no dialog here
   re-mounts or hides the focused widget, so nothing else is needed. A dialog opened from a
   dialog gives it back to that dialog. The callback of a dialog moves it only when what the
   dialog did says where, by rule 1: an imported curl request focuses the turn being typed;
   an attachment the turn it went to (the focused turn, or the last user turn); a tool result
   the new tool_result turn; an upload the list, with the new file highlighted (never the
   filter); a sent batch opens in Batches (the composer keeps its focus for F2); a deleted
   batch's screen closes onto the Batches list. A widget a command removed hands the focus to
   the one that command names (rule 1); anywhere else Textual gives it to its neighbour in the
   focus order, and a screen left with no focus takes its first focus (rule 5).
3. **alt+p toggles between the turns and the parameters** from anywhere: from outside the
   parameters it goes to max_tokens (folded, below 140 columns: the parameters replace the
   reply); from inside them (any field, the tools box too) back to where it was before, else
   the turn being typed. Folded with the focus in them (however it got there), the
   parameters stay shown; a run or esc puts the reply back, and the focus where it was
   before alt+p.
4. **Jump keys** in the composer: alt+h the system prompt, alt+l the turn being typed (the
   last user turn), alt+v the reply, alt+p the parameters. alt+m maximises the focused pane.
5. **Panes keep their focus.** Switching panes (F2…F10) and coming back finds the focus where
   it was (a dialog left open stays open); a pane's first focus is its main list or editor
   (`AUTO_FOCUS`: after the first-run screen, the turn being typed).
6. **esc** closes a dialog, and only the dialog (a maximised pane or the folded parameters
   behind it stay); in the composer it closes an open find bar (the focus back where find
   was opened), else gives the folded parameters' place back to the reply, else cancels a
   run in flight, else gives a maximised pane its place back (the focus stays).
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
