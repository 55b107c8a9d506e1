"""Server tools the emulator runs itself: web search, web fetch and code execution.

Deterministic like the rest of the emulator (the same request gets the same results), shaped as
the recordings in ../shared/recorded-api show them: a `server_tool_use` block, then its result
block (`web_search_tool_result`, `web_fetch_tool_result`, `code_execution_tool_result` or
`bash_code_execution_tool_result`), then text that cites the results. Search results use the
reserved `example.*` domains unless the tool's `allowed_domains` names others: nothing here
pretends to be a real page.

Magic prompts (documented in the README) make the rarer endings reproducible:
`emulator:refusal` ends with stop_reason `refusal` and its `stop_details`; `emulator:pause_turn`
pauses the turn after the server tool ran (or at once without one); sending the reply back as
the last assistant message continues it. `emulator:code_error` makes code execution fail.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import operator
import re
import shlex
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

SEARCH_RESULTS = 5
RETRIEVED_AT = "2026-01-15T09:30:00.000000+00:00"  # fixed: the same request, the same reply
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_EXPR = re.compile(r"(?<![\w.])\d[\d.\s]*(?:[-+*/%][\s(]*\d[\d.\s)]*)+")
_FILE_WORDS = {"file", "csv", "chart", "plot", "save", "spreadsheet", "export", "table"}
_CODE_WORDS = {"calculate", "compute", "run", "execute", "code", "python", "script", "sum",
               "multiply", "average", "analyse", "analyze", "count"} | _FILE_WORDS
_HOSTS = ["docs.example.com", "encyclopedia.example.org", "news.example.net",
          "blog.example.dev", "forum.example.io", "reference.example.edu"]
_QUERY_STOP = {"which", "through", "best", "latest", "today", "find", "search", "look",
               "emulator"}
_AGES = ["2 days ago", "1 week ago", None, "March 3, 2026", "5 days ago", None]
REFUSAL = {"type": "refusal", "category": None,
           "explanation": "The emulator refused because the prompt asked it to "
                          "(emulator:refusal). A real refusal names its category when it has "
                          "one, and may be retried with another model."}


MAGIC = re.compile(r"emulator:(refusal|pause_turn|code_error)")


def magic(prompt: str) -> str | None:
    for word in ("refusal", "pause_turn", "code_error"):
        if f"emulator:{word}" in prompt:
            return word
    return None


def tools_of(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The server tools of a request by kind: web_search, web_fetch, code_execution."""
    found: dict[str, dict[str, Any]] = {}
    for tool in body.get("tools") or []:
        kind = str(tool.get("type", "")) if isinstance(tool, dict) else ""
        for name in ("web_search", "web_fetch", "code_execution"):
            if kind.startswith(name + "_"):
                found.setdefault(name, tool)
    return found


@dataclass
class ServerTurn:
    """What the server tools did in one reply."""

    blocks: list[dict[str, Any]] = field(default_factory=list)  # server_tool_use + results
    sources: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (claim, cite)
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""  # one sentence for the answer ("I searched for ...")
    outputs: list[str] = field(default_factory=list)  # files code execution created


def _digest(*parts: Any) -> bytes:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).digest()


def _opaque(*parts: Any, size: int = 180) -> str:
    """A stand-in for the API's encrypted fields: stable, base64, meaningless."""
    raw = b"".join(_digest(i, *parts) for i in range(size * 3 // 4 // 32 + 1))
    return "Eo" + base64.b64encode(raw).decode()[:size]


def _tool_id(*parts: Any) -> str:
    return "srvtoolu_01" + hashlib.sha256(repr(parts).encode()).hexdigest()[:22]


def plan(body: dict[str, Any], prompt: str, words: list[str], seed: int) -> ServerTurn | None:
    tools = tools_of(body)
    choice = body.get("tool_choice") or {}
    if not tools or choice.get("type") == "none":
        return None
    low = set(re.findall(r"[a-z]+", prompt.lower()))
    url = _URL.search(prompt)
    if "web_fetch" in tools and url:
        return fetch(tools["web_fetch"], url.group().rstrip(".,;"), seed)
    if "code_execution" in tools and (low & _CODE_WORDS or _EXPR.search(prompt)
                                      or "web_search" not in tools):
        return execute(tools["code_execution"], prompt, words, seed)
    if "web_search" in tools:
        return search(tools["web_search"], words, seed)
    return None


# --- web search --------------------------------------------------------------------------------
def _hosts(tool: dict[str, Any]) -> list[str]:
    allowed = [d for d in tool.get("allowed_domains") or [] if isinstance(d, str) and d]
    blocked = {d for d in tool.get("blocked_domains") or [] if isinstance(d, str)}
    hosts = allowed or _HOSTS
    return [h for h in hosts if not any(h == b or h.endswith("." + b) for b in blocked)]


def page_text(url: str, title: str) -> str:
    """The text of a made-up page: what citations quote from it."""
    topic = title.split(" - ")[0].split(" | ")[0]
    return (f"{topic} is explained here with examples and references. "
            f"The page at {urlparse(url).netloc} was written for readers new to the subject. ")


def search(tool: dict[str, Any], words: list[str], seed: int) -> ServerTurn:
    location = tool.get("user_location") or {}
    words = [w for w in words if w not in _QUERY_STOP]
    query = " ".join(words[:4]) or "overview"
    if isinstance(location, dict) and location.get("city"):
        query += f" {location['city']}"
    tool_id = _tool_id("web_search", query, seed)
    topic = " ".join(w.capitalize() for w in (words[:2] or ["Overview"]))
    results: list[dict[str, Any]] = []
    for i, host in enumerate(_hosts(tool)[:SEARCH_RESULTS]):
        slug = "-".join(words[:3]) or "overview"
        kind = ["Guide", "Overview", "News", "Notes", "Discussion", "Reference"][i % 6]
        title = f"{topic} {kind} | {host.split('.')[0].capitalize()}"
        results.append({"type": "web_search_result", "title": title,
                        "url": f"https://{host}/{kind.lower()}/{slug}",
                        "encrypted_content": _opaque("content", host, query, size=240),
                        "page_age": _AGES[(seed + i) % len(_AGES)]})
    turn = ServerTurn(counts={"web_search_requests": 1, "web_fetch_requests": 0})
    turn.blocks = [
        {"type": "server_tool_use", "id": tool_id, "name": "web_search",
         "input": {"query": query}},
        {"type": "web_search_tool_result", "tool_use_id": tool_id, "content": results},
    ]
    turn.sources = search_sources(turn.blocks)
    turn.note = (f"I searched the web for \"{query}\" and found {len(results)} results."
                 if results else f"I searched the web for \"{query}\" but no allowed site "
                 "had results.")
    return turn


def search_sources(content: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """Citations of the first search results in `content` (also a paused turn sent back)."""
    sources: list[tuple[str, dict[str, Any]]] = []
    for block in content:
        if not (isinstance(block, dict) and block.get("type") == "web_search_tool_result"):
            continue
        results = block.get("content")
        for result in results[:3] if isinstance(results, list) else []:
            if not isinstance(result, dict) or "url" not in result:
                continue
            url, title = str(result["url"]), str(result.get("title") or "")
            cited = page_text(url, title).split(". ")[0] + ". "
            sources.append((cited.strip().rstrip("."), {
                "type": "web_search_result_location", "cited_text": cited, "url": url,
                "title": title or None, "encrypted_index": _opaque("index", url, size=120)}))
    return sources


# --- web fetch ---------------------------------------------------------------------------------
def fetch(tool: dict[str, Any], url: str, seed: int) -> ServerTurn:
    tool_id = _tool_id("web_fetch", url, seed)
    host = urlparse(url).netloc
    allowed = tool.get("allowed_domains") or []
    blocked = tool.get("blocked_domains") or []
    refused = any(host == b or host.endswith("." + b) for b in blocked) or (
        allowed and not any(host == a or host.endswith("." + a) for a in allowed))
    turn = ServerTurn(counts={"web_search_requests": 0, "web_fetch_requests": 1})
    use = {"type": "server_tool_use", "id": tool_id, "name": "web_fetch", "input": {"url": url}}
    if refused:
        content: dict[str, Any] = {"type": "web_fetch_tool_result_error",
                                   "error_code": "url_not_allowed"}
        turn.note = f"I could not fetch {url}: the tool's domain settings do not allow it."
    else:
        title = f"{host}{urlparse(url).path.rstrip('/')}" or host
        document: dict[str, Any] = {"type": "document", "title": title, "source": {
            "type": "text", "media_type": "text/plain", "data": page_text(url, title)}}
        if isinstance(tool.get("citations"), dict) and tool["citations"].get("enabled"):
            document["citations"] = {"enabled": True}
        content = {"type": "web_fetch_result", "url": url, "retrieved_at": RETRIEVED_AT,
                   "content": document}
        turn.note = f"I fetched {url} (\"{title}\")."
    turn.blocks = [use, {"type": "web_fetch_tool_result", "tool_use_id": tool_id,
                         "content": content}]
    return turn


# --- code execution ----------------------------------------------------------------------------
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Mod: operator.mod, ast.USub: operator.neg,
        ast.UAdd: operator.pos}


def _evaluate(node: ast.AST) -> float | int:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_evaluate(node.operand))
    raise ValueError("not arithmetic")


def _program(prompt: str, words: list[str]) -> tuple[str, str]:
    """(python code, its stdout)."""
    match = _EXPR.search(prompt)
    if match:
        expr = " ".join(match.group().split())
        try:
            value = _evaluate(ast.parse(expr, mode="eval"))
            return f"print({expr})", f"{value}\n"
        except (ValueError, SyntaxError, ZeroDivisionError, OverflowError):
            pass
    chosen = words[:4] or ["example"]
    code = f"words = {chosen!r}\nfor word in words:\n    print(word, len(word))"
    return code, "".join(f"{w} {len(w)}\n" for w in chosen)


def execute(tool: dict[str, Any], prompt: str, words: list[str], seed: int) -> ServerTurn:
    bash = tool.get("type") == "code_execution_20250825"
    code, stdout = _program(prompt, words)
    stderr, code_rc = "", 0
    if magic(prompt) == "code_error":
        code += "\nraise RuntimeError('emulator:code_error')"
        stderr = ("Traceback (most recent call last):\n  File \"<string>\", line 1, in "
                  "<module>\nRuntimeError: emulator:code_error\n")
        code_rc = 1
    low = set(re.findall(r"[a-z]+", prompt.lower()))
    outputs = ["output.csv"] if low & _FILE_WORDS and not code_rc else []
    if outputs:
        code += "\nopen('output.csv', 'w').write('item,value\\n')"
    tool_id = _tool_id("code_execution", code, seed)
    if bash:
        use_input: dict[str, Any] = {"command": f"python3 -c {shlex.quote(code)}"}
        name, result_type, output_type = ("bash_code_execution", "bash_code_execution_result",
                                          "bash_code_execution_output")
    else:
        use_input = {"code": code}
        name, result_type, output_type = ("code_execution", "code_execution_result",
                                          "code_execution_output")
    result = {"type": result_type, "stdout": stdout, "stderr": stderr, "return_code": code_rc,
              "content": [{"type": output_type, "file_id": ""} for _ in outputs]}
    turn = ServerTurn(counts={"web_search_requests": 0, "web_fetch_requests": 0},
                      outputs=outputs)
    turn.blocks = [{"type": "server_tool_use", "id": tool_id, "name": name, "input": use_input},
                   {"type": f"{name}_tool_result", "tool_use_id": tool_id, "content": result}]
    first = stdout.splitlines()[0] if stdout else ""
    turn.note = (f"The code failed with return code {code_rc}." if code_rc else
                 f"I ran the code: it printed `{first}`" + (
                     " and saved output.csv." if outputs else "."))
    return turn


def make_outputs(content: list[dict[str, Any]], state: Any) -> bool:
    """Create the files code execution 'saved' and put their ids in the result blocks."""
    made = False
    for block in content:
        inner = block.get("content") if str(block.get("type", "")).endswith(
            "code_execution_tool_result") else None
        for output in inner.get("content") or [] if isinstance(inner, dict) else []:
            if isinstance(output, dict) and output.get("file_id") == "":
                report = "item,value\n" + "".join(f"row{i},{i * 7}\n" for i in range(1, 11))
                stored = state.make_generated_file("output.csv", len(report.encode()),
                                                   "text/csv")
                output["file_id"] = stored.id
                made = True
    return made
