"""Server tool calls with their results, for `block_views`: a one-line title and a body.

Web search: the query, then each result's title, URL and age. Web fetch: the URL and the
fetched page's title and start. Code execution (Python or bash): the code, stdout, stderr, the
return code and the files it created (their ids, downloadable from the Files pane). Other
server or MCP tools: their input and result as JSON. An error result names its error code.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from workbench.ui.widgets.block_views import DOWNLOAD_KEY, _json, clean

_TEXT_LIMIT = 600


def _error(inner: Any) -> str | None:
    if isinstance(inner, dict) and str(inner.get("type", "")).endswith("error"):
        return clean(inner.get("error_code") or inner.get("type"))
    return None


def tool_view(use: dict[str, Any] | None, result: dict[str, Any] | None
              ) -> tuple[str, RenderableType, list[str]]:
    name = clean((use or {}).get("name") or (result or {}).get("type", "tool"))
    args = (use or {}).get("input") or {}
    inner = (result or {}).get("content")
    kind = str((result or {}).get("type", ""))
    error = _error(inner)
    if result is None:
        return f"{name} · called, no result yet", _json(args), []
    if kind == "web_search_tool_result":
        return _search(args, inner, error)
    if kind == "web_fetch_tool_result":
        return _fetch(args, inner, error)
    if kind.endswith("code_execution_tool_result") and kind != \
            "text_editor_code_execution_tool_result":
        return _code(name, args, inner, error)
    title = f"{name} · {kind}" + (f" · error: {error}" if error else "")
    return title, Group(Text("input", style="bold"), _json(args),
                        Text("result", style="bold"), _json(inner)), []


def _search(args: dict[str, Any], inner: Any, error: str | None
            ) -> tuple[str, RenderableType, list[str]]:
    query = clean(args.get("query", ""))
    if error:
        return f"web search · error: {error} · “{query}”", Text(f"error: {error}"), []
    hits = [h for h in inner or [] if isinstance(h, dict)]
    body = Text()
    for n, hit in enumerate(hits, start=1):
        if n > 1:
            body.append("\n")
        body.append(f"{n}. {clean(hit.get('title') or '(untitled)')}", style="bold")
        body.append(f"\n   {clean(hit.get('url'))}", style="underline")
        if hit.get("page_age"):
            body.append(f" · {clean(hit['page_age'])}", style="dim")
    if not hits:
        body.append("no results", style="dim")
    return f"web search · {len(hits)} result{'s' * (len(hits) != 1)} · “{query}”", body, []


def _fetch(args: dict[str, Any], inner: Any, error: str | None
           ) -> tuple[str, RenderableType, list[str]]:
    url = clean(args.get("url") or (inner or {}).get("url", ""))
    if error:
        return f"web fetch · {url} · error: {error}", Text(f"error: {error}"), []
    document = (inner or {}).get("content") or {}
    title = clean(document.get("title") or "(no title)")
    source = document.get("source") or {}
    body = Text(title, style="bold")
    body.append(f"\n{url}", style="underline")
    if inner.get("retrieved_at"):
        body.append(f" · retrieved {clean(inner['retrieved_at'])}", style="dim")
    data = source.get("data") if source.get("type") == "text" else None
    if isinstance(data, str):
        shown = clean(data[:_TEXT_LIMIT]) + ("…" if len(data) > _TEXT_LIMIT else "")
        body.append("\n" + shown, style="dim")
    elif source:
        body.append(f"\n({clean(source.get('media_type') or source.get('type'))})", style="dim")
    return f"web fetch · {url} · “{title}”", body, []


def _code(name: str, args: dict[str, Any], inner: Any, error: str | None
          ) -> tuple[str, RenderableType, list[str]]:
    from rich.syntax import Syntax

    code = args.get("code") or args.get("command") or ""
    lexer = "python" if "code" in args else "bash"
    parts: list[RenderableType] = [Syntax(clean(code), lexer, theme="monokai",
                                          background_color="default", word_wrap=True)]
    if error:
        parts.append(Text(f"error: {error}", style="bold red"))
        return f"code ({lexer}) · error: {error}", Group(*parts), []
    inner = inner if isinstance(inner, dict) else {}
    rc = inner.get("return_code")
    stdout, stderr = clean(inner.get("stdout", "")), clean(inner.get("stderr", ""))
    files = [str(o.get("file_id")) for o in inner.get("content") or []
             if isinstance(o, dict) and o.get("file_id")]
    if stdout:
        parts += [Text("stdout", style="bold"), Text(stdout.rstrip("\n"))]
    if stderr:
        parts += [Text("stderr", style="bold red"), Text(stderr.rstrip("\n"), style="red")]
    parts.append(Text(f"return code {rc}", style="bold" if rc == 0 else "bold red"))
    for file_id in files:
        line = Text(f"created {file_id}", style="bold")
        line.append(f"  ({DOWNLOAD_KEY} downloads it, as the Files pane does)", style="dim")
        parts.append(line)
    bits = [f"code ({lexer})", f"return code {rc}"]
    if stdout:
        lines = stdout.count("\n") or 1
        bits.append(f"{lines} line{'s' * (lines != 1)} out")
    if stderr:
        bits.append("stderr")
    if files:
        bits.append(f"{len(files)} file{'s' * (len(files) != 1)}")
    return " · ".join(bits), Group(*parts), files


def summary(use: dict[str, Any]) -> str:
    """A call still running: its name and input in one line."""
    return f"{clean(use.get('name'))} · {clean(json.dumps(use.get('input') or {}))[:80]}"
