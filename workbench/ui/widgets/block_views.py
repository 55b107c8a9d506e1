"""One renderer for every block a reply can hold, used by the composer, history, compare and
batch results, so a block looks the same wherever it is shown.

`layout()` turns a message's content (typed blocks or their dicts: it reads `model_dump()`, so it
does not depend on the client's class names) into parts: Markdown runs of text with citation
marks [n], folds (a server tool call with its result; thinking), and plain lines (tool calls,
refusals, a paused turn, compaction, redacted thinking, unknown blocks as raw JSON). The
composer mounts a fold as a Collapsible; static views draw it open with `renderables()`.
Text from the model or a server is data: it is never parsed as markup, and control
characters are removed before it reaches the terminal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from workbench.ui.widgets.block_keys import CONTINUE_KEY, DOWNLOAD_KEY  # noqa: F401

_KNOWN_RESULTS = ("web_search_tool_result", "web_fetch_tool_result",
                  "code_execution_tool_result", "bash_code_execution_tool_result",
                  "text_editor_code_execution_tool_result", "tool_search_tool_result",
                  "mcp_tool_result", "advisor_tool_result")


def clean(value: Any) -> str:
    """Text from the model or a server, safe to draw (the house rule, workbench.safe_text)."""
    from workbench.safe_text import clean as safe

    return safe(str(value if value is not None else ""), True)


def as_dict(block: Any) -> dict[str, Any]:
    if isinstance(block, dict):
        return block
    if hasattr(block, "model_dump"):
        return block.model_dump(exclude_none=True)
    return {"type": str(getattr(block, "type", "unknown"))}


@dataclass
class Part:
    kind: str                         # markdown | fold | block
    markdown: str = ""
    title: str = ""
    body: RenderableType | None = None
    block_type: str = ""


@dataclass
class Layout:
    parts: list[Part] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # file ids code execution created

    @property
    def folds(self) -> bool:
        return any(p.kind == "fold" for p in self.parts)


def _json(value: Any) -> RenderableType:
    from rich.syntax import Syntax

    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return Syntax(clean(text), "json", theme="monokai",
                  background_color="default", word_wrap=True)


def layout(content: Any, *, thinking: bool = True, stop_reason: str | None = None,
           stop_details: Any = None) -> Layout:
    blocks = [as_dict(b) for b in content or []]
    results = {b.get("tool_use_id"): b for b in blocks if b.get("type") in _KNOWN_RESULTS}
    used: set[int] = set()
    out = Layout()
    text: list[str] = []

    def flush_text() -> None:
        if text:
            out.parts.append(Part("markdown", markdown="".join(text)))
            text.clear()

    for block in blocks:
        kind = str(block.get("type", "unknown"))
        if kind == "text":
            text.append(clean(block.get("text", "")) + _marks(block.get("citations"), out))
            continue
        if id(block) in used:
            continue
        flush_text()
        if kind in ("server_tool_use", "mcp_tool_use"):
            result = results.get(block.get("id"))
            if result is not None:
                used.add(id(result))
            out.parts.append(_tool_fold(block, result, out))
        elif kind in _KNOWN_RESULTS:  # a result whose call is not in this reply
            out.parts.append(_tool_fold(None, block, out))
        elif kind == "thinking":
            if thinking:
                out.parts.append(Part("fold", title="thinking", block_type=kind,
                                      body=Text(clean(block.get("thinking", "")),
                                                style="italic")))
        elif kind == "redacted_thinking":
            size = len(str(block.get("data", "")))
            out.parts.append(Part("block", block_type=kind, body=Text(
                f"[redacted thinking: {size:,} encrypted characters, sent back unchanged]",
                style="dim italic")))
        elif kind == "tool_use":
            head = Text(f"tool_use · {clean(block.get('name'))} · {clean(block.get('id'))}",
                        style="bold")
            out.parts.append(Part("block", block_type=kind,
                                  body=Group(head, _json(block.get("input")))))
        elif kind == "compaction":
            out.parts.append(Part("block", block_type=kind, body=_compaction(block)))
        elif kind == "container_upload":
            out.parts.append(Part("block", block_type=kind, body=Text(
                f"container_upload · {clean(block.get('file_id'))}", style="dim")))
        else:
            out.parts.append(Part("block", block_type=kind, body=Group(
                Text(f"{kind} (shown raw: this block type is new to the workbench)",
                     style="bold"), _json(block))))
    flush_text()
    if out.sources:
        out.parts.append(Part("block", block_type="sources", body=sources_text(out.sources)))
    ending = stop_text(stop_reason, stop_details)
    if ending is not None:
        out.parts.append(Part("block", block_type="stop", body=ending))
    return out


def _marks(citations: Any, out: Layout) -> str:
    marks = []
    for citation in citations or []:
        c = as_dict(citation)
        key = json.dumps({k: v for k, v in c.items() if k not in ("encrypted_index",)},
                         sort_keys=True, default=str)
        numbers = [json.dumps({k: v for k, v in s.items() if k != "encrypted_index"},
                              sort_keys=True, default=str) for s in out.sources]
        if key in numbers:
            n = numbers.index(key) + 1
        else:
            out.sources.append(c)
            n = len(out.sources)
        if f"[{n}]" not in marks:
            marks.append(f"[{n}]")
    return "".join(marks)


def where(c: dict[str, Any]) -> str:
    """A citation's source and place, as a reader wants it."""
    kind = c.get("type")
    if kind == "web_search_result_location":
        return " · ".join(clean(v) for v in (c.get("title"), c.get("url")) if v)
    doc = clean(c.get("document_title") or f"document {int(c.get('document_index', 0)) + 1}")
    if kind == "char_location":
        return f"{doc}, characters {c.get('start_char_index')}–{c.get('end_char_index')}"
    if kind == "page_location":
        first, end = c.get("start_page_number"), c.get("end_page_number")
        last = end - 1 if isinstance(end, int) else end
        return f"{doc}, page {first}" if first == last else f"{doc}, pages {first}–{last}"
    if kind == "content_block_location":
        return f"{doc}, blocks {_span(c)}"
    if kind == "search_result_location":
        title = clean(c.get("title") or "search result")
        return (f"{title} · {clean(c.get('source'))}, search result "
                f"{int(c.get('search_result_index', 0)) + 1}, blocks {_span(c)}")
    return clean(kind)


def _span(c: dict[str, Any]) -> str:
    start, end = c.get("start_block_index"), c.get("end_block_index")
    if isinstance(start, int) and isinstance(end, int):
        return f"{start + 1}" if end == start + 1 else f"{start + 1}–{end}"
    return f"{start}–{end}"


def sources_text(sources: list[dict[str, Any]]) -> Text:
    text = Text()
    text.append("Sources", style="bold")
    for n, c in enumerate(sources, start=1):
        cited = " ".join(clean(c.get("cited_text", "")).split())
        if len(cited) > 160:
            cited = cited[:159] + "…"
        text.append(f"\n[{n}] ", style="bold")
        text.append(f"“{cited}”" if cited else "")
        text.append(f" — {where(c)}", style="dim")
    return text


def stop_text(stop_reason: str | None, details: Any) -> Text | None:
    if stop_reason == "refusal":
        d = as_dict(details) if details is not None else {}
        text = Text("Refused", style="bold red")
        text.append(" (stop_reason refusal)", style="red")
        if d.get("category"):
            text.append(f" · category {clean(d['category'])}", style="red")
        if d.get("explanation"):
            text.append("\n" + clean(d["explanation"]))
        return text
    if stop_reason == "pause_turn":
        text = Text("Paused", style="bold yellow")
        text.append(f" (stop_reason pause_turn): the turn is not finished. {CONTINUE_KEY} "
                    "continues it (the request is sent again with this partial reply as the "
                    "last assistant turn).", style="yellow")
        return text
    return None


def _compaction(block: dict[str, Any]) -> RenderableType:
    from rich.panel import Panel

    return Panel(Text(clean(block.get("content", ""))), title="compaction summary",
                 title_align="left", border_style="cyan")


def _tool_fold(use: dict[str, Any] | None, result: dict[str, Any] | None,
               out: Layout) -> Part:
    from workbench.ui.widgets.tool_views import tool_view

    title, body, files = tool_view(use, result)
    out.files += files
    return Part("fold", title=title, body=body,
                block_type=str((use or result or {}).get("type")))


def renderables(lay: Layout) -> list[RenderableType]:
    """Every part as Rich renderables, folds drawn open (history, compare, batch results)."""
    from rich.markdown import Markdown

    out: list[RenderableType] = []
    for part in lay.parts:
        if out:
            out.append(Text(""))
        if part.kind == "markdown":
            out.append(Markdown(part.markdown, code_theme="monokai"))
        elif part.kind == "fold":
            out.append(Text(f"▼ {part.title}", style="bold"))
            if part.body is not None:
                out.append(part.body)
        elif part.body is not None:
            out.append(part.body)
    return out


def message_group(message: Any, *, thinking: bool = True) -> Group:
    """A whole reply (a Message or its dict) as one renderable."""
    data = as_dict(message) if message is not None else {}
    lay = layout(data.get("content"), thinking=thinking, stop_reason=data.get("stop_reason"),
                 stop_details=data.get("stop_details"))
    return Group(*renderables(lay))


def activity_text(blocks: list[Any]) -> Text:
    """Server tools seen so far in a streaming reply: a call, then ✓ when its result came."""
    text = Text(style="dim")
    done = {as_dict(b).get("tool_use_id") for b in blocks}
    for block in blocks:
        b = as_dict(block)
        if b.get("type") in ("server_tool_use", "mcp_tool_use"):
            mark = "✓" if b.get("id") in done else "…"
            text.append(f"{mark} {clean(b.get('name'))}\n")
    text.rstrip()
    return text


def finished_widgets(lay: Layout, head: Text | None, stats: Text | None,
                     prefill: Text | None = None) -> list[Any]:
    """A finished reply's widgets: a Static per run of parts, a Collapsible per fold. `head`
    (None: shown apart, above the thinking) and `prefill` (the assistant turn the reply
    continues) start the first run."""
    from textual.content import Content
    from textual.widgets import Collapsible, Static

    widgets: list[Any] = []
    run: list[Part] = []

    def close_run(first: bool, last: bool) -> None:
        items: list[RenderableType] = [x for x in (head, prefill) if x is not None] \
            if first else []
        items += renderables(Layout(run))
        if last and stats is not None:
            items += [Text(""), stats]
        if items:
            widgets.append(Static(Group(*items), classes="reply-body"))
        run.clear()

    for part in lay.parts:
        if part.kind != "fold":
            run.append(part)
            continue
        close_run(not widgets, False)
        fold = Collapsible(Static(part.body if part.body is not None else ""),
                           title=Content(part.title), collapsed=True, classes="block-fold")
        widgets.append(fold)
    close_run(not widgets, True)
    return widgets
