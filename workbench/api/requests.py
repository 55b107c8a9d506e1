"""Typed shapes of request bodies (TypedDicts): the UI builds plain JSON dicts, these name them.

Nothing here validates at run time; they document the wire shapes for editors and type checkers
and offer small builders for the blocks that are easy to get wrong.
"""

from __future__ import annotations

import base64
from typing import Any, Literal, NotRequired, TypedDict


class CacheControl(TypedDict):
    type: Literal["ephemeral"]
    ttl: NotRequired[Literal["5m", "1h"]]


class TextParam(TypedDict):
    type: Literal["text"]
    text: str
    cache_control: NotRequired[CacheControl]
    citations: NotRequired[list[dict[str, Any]]]


class ImageParam(TypedDict):
    type: Literal["image"]
    source: dict[str, Any]  # base64 {media_type, data} | url {url} | file {file_id}
    cache_control: NotRequired[CacheControl]


class DocumentParam(TypedDict):
    type: Literal["document"]
    source: dict[str, Any]  # base64 pdf | text | content | url | file
    title: NotRequired[str]
    context: NotRequired[str]
    citations: NotRequired[dict[str, bool]]
    cache_control: NotRequired[CacheControl]


class ToolUseParam(TypedDict):
    type: Literal["tool_use"]
    id: str
    name: str
    input: dict[str, Any]
    cache_control: NotRequired[CacheControl]


class ToolResultParam(TypedDict):
    type: Literal["tool_result"]
    tool_use_id: str
    content: NotRequired[str | list[dict[str, Any]]]
    is_error: NotRequired[bool]
    cache_control: NotRequired[CacheControl]


class ThinkingParam(TypedDict):
    type: Literal["thinking"]
    thinking: str
    signature: str


class RedactedThinkingParam(TypedDict):
    type: Literal["redacted_thinking"]
    data: str


ContentParam = (
    TextParam | ImageParam | DocumentParam | ToolUseParam | ToolResultParam | ThinkingParam
    | RedactedThinkingParam | dict[str, Any]
)


class MessageParam(TypedDict):
    role: Literal["user", "assistant"]
    content: str | list[ContentParam]


def text(value: str, *, cache: bool = False) -> TextParam:
    block: TextParam = {"type": "text", "text": value}
    if cache:
        block["cache_control"] = {"type": "ephemeral"}
    return block


def image_base64(data: bytes, media_type: str) -> ImageParam:
    return {"type": "image", "source": {"type": "base64", "media_type": media_type,
                                        "data": base64.b64encode(data).decode()}}


def pdf_base64(data: bytes, title: str | None = None) -> DocumentParam:
    block: DocumentParam = {"type": "document", "source": {
        "type": "base64", "media_type": "application/pdf",
        "data": base64.b64encode(data).decode()}}
    if title:
        block["title"] = title
    return block


def file_document(file_id: str) -> DocumentParam:
    return {"type": "document", "source": {"type": "file", "file_id": file_id}}


def tool_result(tool_use_id: str, content: str | list[dict[str, Any]],
                is_error: bool = False) -> ToolResultParam:
    block: ToolResultParam = {"type": "tool_result", "tool_use_id": tool_use_id,
                              "content": content}
    if is_error:
        block["is_error"] = True
    return block
