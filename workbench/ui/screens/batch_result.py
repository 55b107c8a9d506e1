"""One batch result, whole: its reply rendered as Markdown, and the raw JSON line."""

from __future__ import annotations

import json
import re
from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

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
    DEFAULT_CSS = """
    ResultScreen { align: center middle; }
    ResultScreen > Vertical { width: 90%; height: 90%; background: $surface;
                              border: round $primary; padding: 0 1; }
    ResultScreen #result-title { height: auto; padding: 1 0; }
    ResultScreen VerticalScroll { height: 1fr; }
    ResultScreen #result-json { margin-top: 1; }
    """
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
            with VerticalScroll():
                markdown = reply_markdown(self.item)
                if markdown is None:
                    yield Static(Text(_CONTROL.sub(" ", reply_text(self.item))),
                                 id="result-text")
                else:
                    yield Markdown(markdown, id="result-text")
                yield Static(Syntax(json.dumps(self.item, indent=2, ensure_ascii=False), "json",
                                    theme="ansi_dark", word_wrap=True), id="result-json")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)

    def action_copy_json(self) -> None:
        from workbench.ui.widgets.clipboard import copy_text

        copy_text(self.app, json.dumps(self.item, ensure_ascii=False), "result JSON")

    def action_copy_text(self) -> None:
        from workbench.ui.widgets.clipboard import copy_text

        copy_text(self.app, reply_text(self.item), "reply text")
