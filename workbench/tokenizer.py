"""A deterministic stand-in tokenizer shared by the emulator and the local estimate.

The real tokenizer is not public; this one is fast (regex, no allocation per char) and lands
near the ~4 characters per token that English text averages. The emulator counts and streams
with it, so its `count_tokens`, its usage and its deltas agree, and the instant estimate
(`services/tokens.py`) uses it too. It sits outside `api/`, `services/` and `emulator/` because
both sides need it and neither may import the other; standard library only.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Words of up to 4 letters are one token, longer ones one per 4 letters; digits, punctuation
# and runs of whitespace count separately.
_PIECE = re.compile(r"[A-Za-z]{1,4}|\d{1,3}|\s+|[^\sA-Za-z\d]")

IMAGE_TOKENS = 1_600  # a typical image (~1.15 megapixels / 750)
PDF_PAGE_TOKENS = 1_500
MESSAGE_OVERHEAD = 4  # role and framing per message
TOOL_OVERHEAD = 20  # per tool definition, beyond its JSON text
SYSTEM_OVERHEAD = 3


def pieces(text: str) -> list[str]:
    """Token-sized pieces whose concatenation is exactly `text`."""
    return _PIECE.findall(text)


def count_text(text: str) -> int:
    """Tokens in a piece of text. Large texts use a linear approximation after the first 64 KB
    so a 1 MB prompt is still counted in milliseconds."""
    if not text:
        return 0
    if len(text) <= 65_536:
        return len(_PIECE.findall(text))
    head = text[:65_536]
    head_tokens = len(_PIECE.findall(head))
    return round(head_tokens * len(text) / len(head))


def count_block(block: Any) -> int:
    """Tokens in one content block (text, image, document, tool_use, tool_result, ...)."""
    if isinstance(block, str):
        return count_text(block)
    if not isinstance(block, dict):
        return 0
    kind = block.get("type")
    if kind == "text":
        return count_text(block.get("text", ""))
    if kind == "image":
        return image_block_tokens(block)
    if kind == "document":
        source = block.get("source") or {}
        if source.get("type") == "text":
            return count_text(source.get("data", ""))
        if source.get("type") == "content":
            content = source.get("content")
            return (
                sum(count_block(b) for b in content)
                if isinstance(content, list)
                else count_text(str(content or ""))
            )
        if source.get("type") == "base64":
            # ~ one page per 40 KB of PDF (base64 inflates by 4/3).
            pages = max(1, len(source.get("data", "")) * 3 // 4 // 40_000)
            return pages * PDF_PAGE_TOKENS
        return PDF_PAGE_TOKENS
    if kind == "tool_result":
        content = block.get("content")
        if isinstance(content, list):
            return 5 + sum(count_block(b) for b in content)
        return 5 + count_text(str(content or ""))
    if kind == "tool_use":
        return (
            5 + count_text(block.get("name", "")) + count_text(json.dumps(block.get("input", {})))
        )
    if kind == "thinking":
        return count_text(block.get("thinking", ""))
    if kind == "redacted_thinking":
        return len(block.get("data", "")) // 8
    return count_text(json.dumps(block))


def image_block_tokens(block: dict[str, Any]) -> int:
    """From the image's size after the API's resize rule, when its bytes are in the request;
    a full-size image's count when they are not (a URL or a Files API id)."""
    from workbench.imagesize import base64_dimensions, tokens_for_size

    source = block.get("source") or {}
    if source.get("type") == "base64" and isinstance(source.get("data"), str):
        size = base64_dimensions(source["data"])
        if size is not None:
            return tokens_for_size(*size)
    return IMAGE_TOKENS


def tool_tokens_of(tool: Any) -> int:
    """One tool definition; its `cache_control` marker is not prompt text."""
    if isinstance(tool, dict):
        tool = {k: v for k, v in tool.items() if k != "cache_control"}
    return TOOL_OVERHEAD + count_text(json.dumps(tool, sort_keys=True))


def count_content(content: Any) -> int:
    if isinstance(content, str):
        return count_text(content)
    if isinstance(content, list):
        return sum(count_block(b) for b in content)
    return 0


def count_parts(body: dict[str, Any]) -> dict[str, int]:
    """Input tokens of a request body, by part: system, tools, messages, attachments."""
    system = body.get("system")
    system_tokens = count_content(system) + SYSTEM_OVERHEAD if system else 0
    tools = body.get("tools") or []
    tool_tokens = sum(tool_tokens_of(t) for t in tools)
    message_tokens = 0
    attachment_tokens = 0
    for message in body.get("messages") or []:
        if not isinstance(message, dict):
            continue
        message_tokens += MESSAGE_OVERHEAD
        content = message.get("content")
        if isinstance(content, list):
            for block in content:
                n = count_block(block)
                if isinstance(block, dict) and block.get("type") in ("image", "document"):
                    attachment_tokens += n
                else:
                    message_tokens += n
        else:
            message_tokens += count_content(content)
    return {
        "system": system_tokens,
        "tools": tool_tokens,
        "messages": message_tokens,
        "attachments": attachment_tokens,
    }


def prompt_blocks(body: dict[str, Any]) -> list[tuple[Any, int, Any]]:
    """(part, tokens, cache_control or None) per block in the API's prompt order (tools, system,
    messages), framing counted on a message's first block: the tokens add up to
    `count_request`. A top-level `cache_control` (automatic caching) marks the last block."""
    out: list[tuple[Any, int, Any]] = []

    def marker(part: Any) -> Any:
        return part.get("cache_control") if isinstance(part, dict) else None

    for tool in body.get("tools") or []:
        out.append((tool, tool_tokens_of(tool), marker(tool)))
    system = body.get("system")
    if isinstance(system, list) and system:
        for i, block in enumerate(system):
            out.append((block, count_block(block) + (SYSTEM_OVERHEAD if i == 0 else 0),
                        marker(block)))
    elif system:
        out.append((system, count_content(system) + SYSTEM_OVERHEAD, None))
    for message in body.get("messages") or []:
        if not isinstance(message, dict):
            continue
        content, role = message.get("content"), message.get("role")
        if isinstance(content, list) and content:
            for i, block in enumerate(content):
                out.append(([role, block] if i == 0 else block,
                            count_block(block) + (MESSAGE_OVERHEAD if i == 0 else 0),
                            marker(block)))
        else:
            out.append(([role, content], count_content(content) + MESSAGE_OVERHEAD, None))
    if body.get("cache_control") is not None and out:
        out[-1] = (out[-1][0], out[-1][1], body["cache_control"])
    return out


def count_request(body: dict[str, Any]) -> int:
    """Total input tokens: what the emulator reports as usage.input_tokens and count_tokens."""
    return sum(count_parts(body).values())
