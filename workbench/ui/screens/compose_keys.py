"""The composer's keys and its F1 help (data: `ComposeScreen` and its helpers act on them).

Only keys a terminal delivers as themselves: not alt+b / alt+f (ESC b / ESC f arrive as
ctrl+left / ctrl+right, word moves) and not alt+digits (ESC 1 arrives as another key); checked
by tests/ui/test_compose_keys.py.
"""

from __future__ import annotations

from textual.binding import Binding

from workbench.ui.screens.block_actions import BLOCK_BINDINGS
from workbench.ui.widgets.pane_layout import LAYOUT_BINDINGS

COMPOSE_HELP = """
## Compose
Write a system prompt and turns, set parameters on the right, run with **ctrl+r**.
**alt+h**/**alt+l**/**alt+v** go to the system prompt, the last turn, the reply;
**alt+m** maximises the focused pane; **alt+left**/**alt+right** resize the turns and the reply.
**alt+p** goes to the parameters and back (below 140 columns they are summed up in one line
under the turns, and alt+p shows them in the reply's place; **esc** hides them again).
The reply streams in the middle; **esc** cancels and keeps what arrived.
After a run: **alt+a** appends the reply as an assistant turn, **alt+t** answers a tool call,
**ctrl+o** opens the inspector (raw request, headers, SSE events), **alt+c** copies the reply,
**alt+y** its last code block, **alt+j** the response JSON.
**alt+i** attaches an image, a PDF or a .txt file (a path or a Files API id), **alt+u**
removes one (the turn's text stays). **ctrl+l** clears the
conversation to start over (the system prompt, parameters, tools and skills stay);
**alt+z** undoes the last turn edit (delete, move, role, clear), and brings back a cleared
conversation also after a restart. **alt+s** removes a skill from the request.
**alt+w** sets the server tools, **alt+g** continues a paused turn, **alt+o** saves a file the
reply's code execution made; **alt+shift+f** marks a prompt-cache breakpoint on the focused
editor, **alt+shift+b** branches a new draft from the focused turn.
"""

COMPOSE_BINDINGS = [
    Binding("ctrl+r", "run", "Run", id="compose.run"),
    Binding("ctrl+enter", "run", "Run", id="compose.run_enter", show=False),
    Binding("escape", "cancel", "Cancel", id="compose.cancel"),
    Binding("ctrl+n", "add_turn", "Add turn", id="compose.add_turn"),
    Binding("alt+d", "delete_turn", "Delete turn", id="compose.delete_turn", show=False),
    Binding("alt+up", "move_turn(-1)", "Move turn up", id="compose.turn_up", show=False),
    Binding("alt+down", "move_turn(1)", "Move turn down", id="compose.turn_down", show=False),
    Binding("alt+r", "toggle_role", "Switch role", id="compose.role", show=False),
    Binding("alt+a", "append_reply", "Append reply", id="compose.append"),
    Binding("alt+t", "answer_tool", "Tool result", id="compose.tool_result", show=False),
    Binding("ctrl+o", "inspector", "Inspector", id="compose.inspector"),
    Binding("alt+c", "copy('reply')", "Copy reply", id="compose.copy_reply"),
    # Not alt+b / alt+f: terminals send them as ESC b / ESC f, which Textual reads as
    # ctrl+left / ctrl+right (word moves), so those bindings never fired.
    Binding("alt+y", "copy('code block')", "Copy code block", id="compose.copy_code", show=False),
    Binding("alt+j", "copy('response JSON')", "Copy response JSON", id="compose.copy_json", show=False),
    Binding("alt+i", "attach", "Attach file", id="compose.attach", show=False),
    Binding("alt+e", "editor", "Open in $EDITOR", id="compose.editor", show=False),
    Binding("ctrl+l", "clear_conversation", "Clear conversation", id="compose.clear", show=False),
    Binding("alt+z", "undo_clear", "Undo", id="compose.undo_clear", show=False),
    Binding("alt+s", "remove_skill", "Remove skill", id="compose.remove_skill", show=False),
    # Also on the turn list, which shows it in the footer while a turn has an attachment;
    # here it works wherever the focus is, and the palette lists it.
    Binding("alt+u", "remove_attachment", "Remove attachment", id="compose.remove_attachment_any", show=False),
    Binding("alt+p", "params", "Parameters", id="compose.params", show=False),
    # alt+shift+f / alt+shift+b: alt+f and alt+b arrive as ctrl+right / ctrl+left (above)
    Binding("alt+shift+f", "toggle_cache", "Cache breakpoint", id="compose.cache", show=False),
    *BLOCK_BINDINGS,  # alt+w server tools, alt+g continue a paused turn, alt+o download
    Binding("alt+shift+b", "branch", "Branch from here", id="compose.branch", show=False),
    *LAYOUT_BINDINGS,  # alt+m maximise, alt+left/right resize, alt+h/l/v go to, ctrl+f find
]
# At 80 columns these give way to the app's keys (f1, ^s, alt+x), which act on this draft.
COMPOSE_FOOTER_SPARE = frozenset({"compose.append", "compose.inspector", "compose.copy_reply",
                                  "app.quit"})
COMPOSE_PALETTE_SKIP = frozenset({"compose.run_enter"})
