"""A finished reply's body, with code blocks that scroll sideways instead of wrapping.

A reply is drawn as one Static (cheap to lay out in a long transcript). When a code block has a
line wider than the reply's column (a narrow terminal, the split moved towards the turns), Rich
would wrap it mid-statement; then the body is split at that block: the prose around it stays
Markdown in Statics, and the code goes into a `CodeScroll`, a horizontally scrolling view of the
block at its natural width (focus it and use left/right, or shift+wheel).
"""

from __future__ import annotations

import json
import re
from typing import Any

from textual.containers import HorizontalScroll
from textual.widget import Widget
from textual.widgets import Static

# A fenced block at the start of a line (up to 3 spaces), closed by the same fence.
FENCE = re.compile(r"^ {0,3}(```|~~~)([^\n`]*)\n(.*?)^ {0,3}\1[ \t]*$", re.M | re.S)
SYNTAX_PADDING = 2  # Syntax(padding=1) adds a column on each side


class CodeScroll(HorizontalScroll, can_focus=True):
    """One code block at its full width; scrolls sideways."""

    DEFAULT_CSS = """
    CodeScroll { height: auto; overflow-y: hidden; margin: 1 0 0 0; }
    CodeScroll > Static { width: auto; }
    """


def text_only(content: list[Any]) -> bool:
    """Only text blocks with nothing attached (no citations): the body is its Markdown alone."""
    for block in content:
        data = block if isinstance(block, dict) else block.__dict__
        if data.get("type") != "text" or data.get("citations"):
            return False
    return True


def wide_code(text: str, width: int) -> bool:
    """Whether a code block has a line that would wrap at `width` columns."""
    room = width - SYNTAX_PADDING
    return any(len(line) > room for match in FENCE.finditer(text)
               for line in match.group(3).splitlines())


def body_widgets(before: list[Any], text: str, after: list[Any], width: int) -> list[Widget]:
    """The reply's body: one Static (`before`, the text as Markdown, `after`), or, when a code
    block is wider than `width`, Statics of prose with `CodeScroll`s between them."""
    from rich.console import Group
    from rich.markdown import Markdown
    from rich.syntax import Syntax

    if not text or width <= 0 or not wide_code(text, width):
        middle = [Markdown(text, code_theme="monokai")] if text else []
        return [Static(Group(*before, *middle, *after), classes="reply-body")]
    widgets: list[Widget] = []
    prose: list[Any] = list(before)
    at = 0

    def flush() -> None:
        if prose:
            widgets.append(Static(Group(*prose), classes="reply-body" if not widgets
                                  else "reply-body-more"))
            prose.clear()

    for match in FENCE.finditer(text):
        if text[at:match.start()].strip():
            prose.append(Markdown(text[at:match.start()], code_theme="monokai"))
        flush()
        lexer = match.group(2).strip().split(" ")[0] or "text"
        code = Syntax(match.group(3).rstrip("\n"), lexer, theme="monokai", word_wrap=False,
                      padding=1)
        widgets.append(CodeScroll(Static(code, classes="reply-code")))
        at = match.end()
    if text[at:].strip():
        prose.append(Markdown(text[at:], code_theme="monokai"))
    prose.extend(after)
    flush()
    return widgets


def json_shown(content: list[Any]) -> list[Any]:
    """A structured-output reply (JSON text only) as one indented JSON code block; anything
    else (not JSON, other blocks) as it came."""
    def kind(block: Any) -> Any:
        return block.get("type") if isinstance(block, dict) else getattr(block, "type", None)

    if not content or any(kind(b) != "text" for b in content):
        return content
    raw = "".join(b["text"] if isinstance(b, dict) else b.text for b in content)
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return content
    shown = json.dumps(value, indent=2, ensure_ascii=False)
    return [{"type": "text", "text": f"```json\n{shown}\n```"}]
