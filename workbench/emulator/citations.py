"""Citations into the documents and search results of a request, as the API gives them.

A document or search_result block with `citations: {"enabled": true}` gets cited by location:
plain text -> `char_location` (character indexes into the text), PDF -> `page_location` (pages,
the end exclusive), custom content -> `content_block_location` (block indexes, the end
exclusive), search_result -> `search_result_location`. `cited_text` is always the exact slice
of the source the indexes name, so a client can check one against the other.
"""

from __future__ import annotations

import base64
import contextlib
import re
import zlib
from typing import Any

_SENTENCE = re.compile(r"[^.!?\n]*[^.!?\n\s][^.!?\n]*(?:[.!?]+|$)[ \t]*\n?", re.M)
PER_SOURCE = 2  # sentences cited from each source


def sentences(text: str, limit: int = PER_SOURCE) -> list[tuple[int, int]]:
    """(start, end) of the first `limit` sentences, each with its trailing space (as the API)."""
    spans = []
    for m in _SENTENCE.finditer(text):
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        if m.end() > start:
            spans.append((start, m.end()))
        if len(spans) >= limit:
            break
    return spans


def _enabled(block: dict[str, Any]) -> bool:
    citations = block.get("citations")
    return isinstance(citations, dict) and bool(citations.get("enabled"))


def _blocks_of(messages: list[Any]) -> list[dict[str, Any]]:
    """Every content block of every message, tool_result contents included, in order."""
    out: list[dict[str, Any]] = []

    def walk(content: Any) -> None:
        for block in content if isinstance(content, list) else []:
            if isinstance(block, dict):
                out.append(block)
                if block.get("type") == "tool_result":
                    walk(block.get("content"))

    for message in messages:
        if isinstance(message, dict):
            walk(message.get("content"))
    return out


def cite(messages: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """(claim, citation) pairs for the citable sources in the last user message."""
    blocks = _blocks_of(messages)
    last_user = next((m for m in reversed(messages) if isinstance(m, dict) and
                      m.get("role") == "user"), None)
    wanted = {id(b) for b in _blocks_of([last_user] if last_user else [])}
    pairs: list[tuple[str, dict[str, Any]]] = []
    doc_index = result_index = -1
    for block in blocks:
        kind = block.get("type")
        if kind == "document":
            doc_index += 1
            if id(block) in wanted and _enabled(block):
                pairs += _document(block, doc_index)
        elif kind == "search_result":
            result_index += 1
            if id(block) in wanted and _enabled(block):
                pairs += _search_result(block, result_index)
    return pairs


def _claim(cited: str) -> str:
    return " ".join(cited.split())


def _document(block: dict[str, Any], index: int) -> list[tuple[str, dict[str, Any]]]:
    source = block.get("source") or {}
    title = block.get("title")
    base = {"document_index": index, "document_title": title}
    kind = source.get("type")
    out: list[tuple[str, dict[str, Any]]] = []
    if kind == "text" and isinstance(source.get("data"), str):
        data = source["data"]
        for start, end in sentences(data):
            cited = data[start:end]
            out.append((_claim(cited), {"type": "char_location", "cited_text": cited, **base,
                                        "start_char_index": start, "end_char_index": end}))
    elif kind == "content" and isinstance(source.get("content"), list):
        for i, part in enumerate(source["content"]):
            text = part.get("text") if isinstance(part, dict) else None
            if isinstance(text, str) and text.strip():
                out.append((_claim(text), {"type": "content_block_location", "cited_text": text,
                                           **base, "start_block_index": i,
                                           "end_block_index": i + 1}))
            if len(out) >= PER_SOURCE:
                break
    elif kind == "base64" and source.get("media_type") == "application/pdf":
        pages = pdf_pages(source.get("data") or "")
        for number, text in enumerate(pages[:PER_SOURCE], start=1):
            if text.strip():
                out.append((_claim(text)[:200], {
                    "type": "page_location", "cited_text": text, **base,
                    "start_page_number": number, "end_page_number": number + 1}))
    return out


def _search_result(block: dict[str, Any], index: int) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for i, part in enumerate(block.get("content") or []):
        text = part.get("text") if isinstance(part, dict) else None
        if isinstance(text, str) and text.strip():
            out.append((_claim(text), {
                "type": "search_result_location", "cited_text": text,
                "source": block.get("source"), "title": block.get("title"),
                "search_result_index": index, "start_block_index": i,
                "end_block_index": i + 1}))
        if len(out) >= PER_SOURCE:
            break
    return out


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_SHOW = re.compile(rb"\((?:[^()\\]|\\.)*\)\s*(?:Tj|')|\[(?:[^\]]*)\]\s*TJ", re.S)
_STRING = re.compile(rb"\(((?:[^()\\]|\\.)*)\)", re.S)


def pdf_pages(data_b64: str) -> list[str]:
    """The text shown on each page of a simple PDF (one content stream per page, in order).

    Not a PDF reader: enough for the text PDFs people attach to try citations. A page whose
    text cannot be read is "" (it is then not cited)."""
    try:
        raw = base64.b64decode(data_b64, validate=False)
    except ValueError:
        return []
    count = len(_PAGE.findall(raw))
    texts: list[str] = []
    for m in _STREAM.finditer(raw):
        body = m.group(1)
        with contextlib.suppress(zlib.error):
            body = zlib.decompress(body)
        shown = [_unescape(s) for op in _SHOW.findall(body) for s in _STRING.findall(op)]
        if shown:
            texts.append("".join(shown))
    texts = texts[:count] if count else texts
    return texts + [""] * max(0, count - len(texts))


def _unescape(raw: bytes) -> str:
    out = re.sub(rb"\\([nrt()\\])", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(
        m.group(1), m.group(1)), raw)
    return out.decode("latin-1")
