"""One batch result, whole: its reply rendered as Markdown, and the raw JSON line."""

from __future__ import annotations

import json
import re
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Static

from workbench.ui.widgets.lines_view import LinesView, to_strips

# model text reaches the terminal: no escape sequences (newlines and tabs are kept)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def reply_text(item: dict[str, Any]) -> str:
    result = item.get("result") or {}
    if result.get("type") == "succeeded":
        parts = []
        for block in (result.get("message") or {}).get("content") or ():
            if block.get("type") == "text":
                parts.append(block.get("text", ""))
            elif block.get("type") == "tool_use":
                parts.append(f"[tool_use {block.get('name')}] {json.dumps(block.get('input'))}")
            elif block.get("type") == "thinking":
                parts.append(f"[thinking] {block.get('thinking', '')}")
        return "\n\n".join(parts) or "(no text)"
    if result.get("type") == "errored":
        error = (result.get("error") or {}).get("error") or {}
        return f"{error.get('type', 'error')}: {error.get('message', '')}"
    return f"{result.get('type')}: this request was not processed"


def reply_markdown(item: dict[str, Any]) -> str | None:
    """A succeeded reply as one Markdown document (tool calls fenced as JSON, thinking
    quoted); None for other results, whose text is a plain message, not Markdown."""
    result = item.get("result") or {}
    if result.get("type") != "succeeded":
        return None
    parts = []
    for block in (result.get("message") or {}).get("content") or ():
        kind = block.get("type")
        if kind == "text":
            parts.append(block.get("text", ""))
        elif kind == "tool_use":
            args = json.dumps(block.get("input"), indent=2, ensure_ascii=False)
            parts.append(f"**tool_use** `{block.get('name')}`\n\n```json\n{args}\n```")
        elif kind == "thinking":
            quoted = "\n".join(f"> {line}" for line in block.get("thinking", "").splitlines())
            parts.append(f"> *thinking*\n>\n{quoted}")
    return _CONTROL.sub(" ", "\n\n".join(parts)) or "*(no text)*"


class ResultScreen(ModalScreen[None]):
    CSS_PATH = "batch_result.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Close", id="result.close"),
                Binding("c", "copy_json", "Copy JSON", id="result.copy"),
                Binding("t", "copy_text", "Copy text", id="result.copy_text")]

    def __init__(self, item: dict[str, Any]) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        result = self.item.get("result") or {}
        title = Text(f"{self.item.get('custom_id')}  ", style="bold")
        title.append(str(result.get("type")),
                     style={"succeeded": "green", "errored": "red"}.get(result.get("type"),
                                                                       "yellow"))
        message = result.get("message") or {}
        if message:
            usage = message.get("usage") or {}
            title.append(f"  {message.get('model', '')} · stop {message.get('stop_reason')} · "
                         f"{usage.get('input_tokens', 0)} in / {usage.get('output_tokens', 0)} "
                         "out", style="dim")
        title.append("   c copy JSON · t copy text · esc close", style="dim")
        with Vertical():
            yield Static(title, id="result-title")
            yield LinesView(id="result-body")

    def on_mount(self) -> None:
        body = self.query_one(LinesView)
        body.set_strips([Strip([Segment("rendering…", Style(dim=True))])])
        body.focus()
        self.call_after_refresh(self._start_render)

    def _start_render(self) -> None:
        body = self.query_one(LinesView)
        # leave room for the vertical scrollbar a long result will show
        width = body.scrollable_content_region.width - body.styles.scrollbar_size_vertical
        self._render_in_thread(max(width, 20))

    @work(thread=True, exclusive=True, group="result-render")
    def _render_in_thread(self, width: int) -> None:
        """The reply (Markdown, or the plain message of an error) and the raw JSON, laid out
        once at the screen's width off the event loop: a long, list-heavy reply takes a
        second or more to lay out, and the screen must open and scroll at once."""
        from rich.markdown import Markdown

        from workbench.ui.widgets.block_views import message_group

        markdown = reply_markdown(self.item)
        message = (self.item.get("result") or {}).get("message")
        reply: Any = (Text(_CONTROL.sub(" ", reply_text(self.item))) if markdown is None
                      else message_group(message) if isinstance(message, dict)
                      else Markdown(markdown, code_theme="monokai"))
        raw = Syntax(json.dumps(self.item, indent=2, ensure_ascii=False), "json",
                     theme="ansi_dark", word_wrap=True)
        console = self.app.console
        options = console.options.update_width(width)
        lines = console.render_lines(reply, options, pad=False)
        lines.append([])
        lines.extend(console.render_lines(raw, options, pad=False))
        strips = to_strips(lines)
        self.app.call_from_thread(self._show, strips)

    def _show(self, strips: list[Strip]) -> None:
        if self.is_attached:
            self.query_one(LinesView).set_strips(strips)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)

    def action_copy_json(self) -> None:
        from workbench.ui.widgets.clipboard import copy_text

        copy_text(self.app, json.dumps(self.item, ensure_ascii=False), "result JSON")

    def action_copy_text(self) -> None:
        from workbench.ui.widgets.clipboard import copy_text

        copy_text(self.app, reply_text(self.item), "reply text")
