"""One message of the conversation: its role, editable text, attachments and structured blocks."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from workbench.ui.plain import plain
from workbench.ui.widgets.ordered_text_area import OrderedTextArea

if TYPE_CHECKING:
    from workbench.services.draft import Turn


class TurnEditor(Vertical):
    """Holds a Turn; the TextArea is the editable text, the rest is shown above it."""

    HELP = """
## A turn
The text of one message. `ctrl+n` adds a turn, `alt+d` deletes this one, `alt+up` / `alt+down`
move it, `alt+r` switches user / assistant, `alt+i` attaches a file (an image, a PDF or a
.txt file; a path or a Files API id), `alt+u` removes one (you pick which), `alt+e` opens the
turn in `$EDITOR`. `alt+shift+f` sets a prompt-cache breakpoint on the turn (5m, then 1h, then
off): the prompt up to and including it is cached; at most 4 per request.
A trailing assistant turn is sent as a **prefill**: the reply continues it. An empty turn
before others is not sent: the run stops and names it (the API rejects empty messages).
`ctrl+l` clears the whole conversation to start over, `alt+z` brings it back.
"""

    DEFAULT_CSS = """
    TurnEditor { height: auto; margin-bottom: 1; }
    TurnEditor .turn-head { height: auto; color: $text-muted; }
    TurnEditor TextArea { height: auto; min-height: 3; max-height: 16; border: round $panel; }
    TurnEditor TextArea:focus { border: round $primary; }
    TurnEditor.-assistant TextArea { border: round $secondary 50%; }
    """

    def __init__(self, turn: Turn | None = None) -> None:
        """`None`: an empty user turn, made without importing `services.draft` (the first
        frame's editor; the module is imported once the turn is first read)."""
        super().__init__(classes="turn")
        self._turn = turn
        # Kept as an attribute: readable before (and while) the editor is mounted.
        self.area = OrderedTextArea(turn.text if turn else "", soft_wrap=True, show_line_numbers=False,
                             tab_behavior="focus", classes="turn-text")

    @property
    def turn(self) -> Turn:
        if self._turn is None:
            from workbench.services.draft import Turn

            self._turn = Turn("user", "")
        return self._turn

    @turn.setter
    def turn(self, turn: Turn) -> None:
        self._turn = turn

    def compose(self) -> ComposeResult:
        yield Static(classes="turn-head")
        yield self.area

    def on_mount(self) -> None:
        self.refresh_head()

    def refresh_head(self, *, prefill: bool = False) -> None:
        head = Text()
        turn = self._turn
        role = turn.role if turn is not None else "user"
        head.append(role.upper(), style="bold")
        if prefill:
            head.append(" · prefill, the reply continues it", style="italic")
        attachments = turn.attachments if turn is not None else []
        for attachment in attachments:
            head.append(f"  📎 {attachment.chip}", style="cyan")
        for block in turn.blocks if turn is not None else ():
            kind = block.get("type", "?")
            if kind == "tool_use":
                head.append(f"\n  tool_use {block.get('name')} {json.dumps(block.get('input'))[:60]}",
                            style="magenta")
            elif kind == "tool_result":
                content = block.get("content")
                shown = content if isinstance(content, str) else json.dumps(content)
                head.append(f"\n  tool_result for {block.get('tool_use_id')}: {str(shown)[:60]}",
                            style="magenta")
            else:
                head.append(f"  [{kind}]", style="dim")
        self.set_class(role == "assistant", "-assistant")
        cache = turn.cache if turn is not None else None
        self.area.border_subtitle = f"⚑ cache {cache}" if cache else ""  # alt+shift+f sets it
        for static in self.query(".turn-head"):
            static.update(head)
            # the chips are short: hovering shows each attachment whole (path or id)
            tip = "\n".join(
                f"📎 {a.label}" + (f"  {a.path}" if a.path else "") for a in attachments)
            static.tooltip = plain(tip) if tip else None
