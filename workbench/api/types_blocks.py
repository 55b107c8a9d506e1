"""Content blocks, citations and stream deltas, as the real API sends them.

Every union ends in a generic member, so a type the API adds tomorrow is kept whole (its fields
in `model_extra`) instead of failing validation or being dropped. Fields the API may leave out
default to None (or "" for text being streamed) and are never dumped unless sent: dump with
`exclude_unset=True` to get exactly what arrived.
"""

from __future__ import annotations

import functools
import operator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Tag


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", protected_namespaces=())


def _tagger(known: dict[str, type[_Model]]):
    """A discriminator that sends unknown (or missing) `type`s to the "other" member."""

    def tag(value: Any) -> str:
        kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
        return kind if kind in known else "other"

    return tag


def _union(known: dict[str, type[_Model]], other: type[_Model]) -> Any:
    members = tuple(Annotated[cls, Tag(name)] for name, cls in known.items())
    return Annotated[
        functools.reduce(operator.or_, (*members, Annotated[other, Tag("other")])),
        Discriminator(_tagger(known)),
    ]


# ---- citations ---------------------------------------------------------------------------------


class Citation(_Model):
    """Base (and fallback) of every citation location; `cited_text` is the quoted passage."""

    type: str
    cited_text: str | None = None


class CharLocationCitation(Citation):
    """A plain-text document: characters [start_char_index, end_char_index)."""

    type: Literal["char_location"] = "char_location"
    document_index: int | None = None
    document_title: str | None = None
    start_char_index: int | None = None
    end_char_index: int | None = None
    file_id: str | None = None


class PageLocationCitation(Citation):
    """A PDF: pages [start_page_number, end_page_number), 1-based."""

    type: Literal["page_location"] = "page_location"
    document_index: int | None = None
    document_title: str | None = None
    start_page_number: int | None = None
    end_page_number: int | None = None
    file_id: str | None = None


class ContentBlockLocationCitation(Citation):
    """A custom-content document: its content blocks [start_block_index, end_block_index)."""

    type: Literal["content_block_location"] = "content_block_location"
    document_index: int | None = None
    document_title: str | None = None
    start_block_index: int | None = None
    end_block_index: int | None = None
    file_id: str | None = None


class WebSearchResultLocationCitation(Citation):
    type: Literal["web_search_result_location"] = "web_search_result_location"
    url: str | None = None
    title: str | None = None
    encrypted_index: str | None = None


class SearchResultLocationCitation(Citation):
    """A `search_result` block of the request: its blocks [start_block_index, end_block_index)."""

    type: Literal["search_result_location"] = "search_result_location"
    source: str | None = None
    title: str | None = None
    search_result_index: int | None = None
    start_block_index: int | None = None
    end_block_index: int | None = None


CITATION_CLASSES: dict[str, type[_Model]] = {
    "char_location": CharLocationCitation,
    "page_location": PageLocationCitation,
    "content_block_location": ContentBlockLocationCitation,
    "web_search_result_location": WebSearchResultLocationCitation,
    "search_result_location": SearchResultLocationCitation,
}
AnyCitation = _union(CITATION_CLASSES, Citation)


# ---- nested content of server tool results ------------------------------------------------------


class Part(_Model):
    """Fallback for any nested object of a tool result (an error, an unknown result kind)."""

    type: str = ""


class ToolResultError(Part):
    """`*_tool_result_error` / `web_fetch_tool_error`: why a server tool failed."""

    error_code: str | None = None
    error_message: str | None = None


class WebSearchResult(Part):
    type: Literal["web_search_result"] = "web_search_result"
    url: str | None = None
    title: str | None = None
    page_age: str | None = None
    encrypted_content: str | None = None


class DocumentSource(Part):
    media_type: str | None = None
    data: str | None = None


class DocumentBlock(Part):
    """A document as a web fetch returns it (`source` is text or base64 PDF)."""

    type: Literal["document"] = "document"
    title: str | None = None
    source: DocumentSource | None = None
    citations: dict[str, Any] | None = None


class WebFetchResult(Part):
    type: Literal["web_fetch_result"] = "web_fetch_result"
    url: str | None = None
    retrieved_at: str | None = None
    content: DocumentBlock | None = None


class OutputFile(Part):
    """A file the code wrote (`code_execution_output` / `bash_code_execution_output`):
    download it by `file_id` with the Files API."""

    file_id: str | None = None


class CodeExecutionResult(Part):
    """`code_execution_result`, `bash_code_execution_result`, `encrypted_code_execution_result`."""

    stdout: str | None = None
    stderr: str | None = None
    return_code: int | None = None
    content: list[OutputFile] | None = None


class TextEditorResult(Part):
    """`text_editor_code_execution_{view,create,str_replace}_result`."""

    file_type: str | None = None
    content: str | None = None
    num_lines: int | None = None
    start_line: int | None = None
    total_lines: int | None = None
    is_file_update: bool | None = None
    lines: list[str] | None = None
    old_start: int | None = None
    old_lines: int | None = None
    new_start: int | None = None
    new_lines: int | None = None


class ToolReference(Part):
    type: Literal["tool_reference"] = "tool_reference"
    tool_name: str | None = None


class ToolSearchResult(Part):
    type: Literal["tool_search_tool_search_result"] = "tool_search_tool_search_result"
    tool_references: list[ToolReference] | None = None


def _parts(known: dict[str, type[_Model]]) -> Any:
    """Nested result content: a known part, an error (any `*error*` type) or kept whole."""

    def tag(value: Any) -> str:
        kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
        if kind in known:
            return kind
        return "error" if isinstance(kind, str) and "error" in kind else "other"

    members = [Annotated[cls, Tag(name)] for name, cls in known.items()]
    members += [Annotated[ToolResultError, Tag("error")], Annotated[Part, Tag("other")]]
    return Annotated[functools.reduce(operator.or_, members), Discriminator(tag)]


WebSearchContent = list[_parts({"web_search_result": WebSearchResult})] | _parts({})
WebFetchContent = _parts({"web_fetch_result": WebFetchResult})
CodeExecutionContent = _parts({"code_execution_result": CodeExecutionResult,
                               "encrypted_code_execution_result": CodeExecutionResult,
                               "bash_code_execution_result": CodeExecutionResult})
TextEditorContent = _parts({
    "text_editor_code_execution_view_result": TextEditorResult,
    "text_editor_code_execution_create_result": TextEditorResult,
    "text_editor_code_execution_str_replace_result": TextEditorResult})
ToolSearchContent = _parts({"tool_search_tool_search_result": ToolSearchResult})


# ---- content blocks ----------------------------------------------------------------------------


class TextBlock(_Model):
    type: Literal["text"] = "text"
    text: str = ""
    citations: list[AnyCitation] | None = None


class ThinkingBlock(_Model):
    type: Literal["thinking"] = "thinking"
    thinking: str = ""
    signature: str = ""


class RedactedThinkingBlock(_Model):
    """Encrypted thinking: shown as a placeholder, sent back unchanged."""

    type: Literal["redacted_thinking"] = "redacted_thinking"
    data: str = ""


class ToolUseBlock(_Model):
    type: Literal["tool_use"] = "tool_use"
    id: str
    name: str
    input: Any = None
    caller: dict[str, Any] | None = None


class ServerToolUseBlock(_Model):
    """A call of a tool the API runs itself (web_search, web_fetch, code_execution, ...)."""

    type: Literal["server_tool_use"] = "server_tool_use"
    id: str
    name: str
    input: Any = None
    caller: dict[str, Any] | None = None


class MCPToolUseBlock(_Model):
    type: Literal["mcp_tool_use"] = "mcp_tool_use"
    id: str
    name: str
    server_name: str | None = None
    input: Any = None


class ToolResultBlock(_Model):
    """Base of the server tools' results: `tool_use_id` names the server_tool_use answered."""

    type: str
    tool_use_id: str | None = None
    content: Any = None
    caller: dict[str, Any] | None = None


class WebSearchToolResultBlock(ToolResultBlock):
    """`content` is a list of WebSearchResult, or a ToolResultError."""

    type: Literal["web_search_tool_result"] = "web_search_tool_result"
    content: WebSearchContent = None


class WebFetchToolResultBlock(ToolResultBlock):
    type: Literal["web_fetch_tool_result"] = "web_fetch_tool_result"
    content: WebFetchContent = None


class CodeExecutionToolResultBlock(ToolResultBlock):
    type: Literal["code_execution_tool_result"] = "code_execution_tool_result"
    content: CodeExecutionContent = None


class BashCodeExecutionToolResultBlock(ToolResultBlock):
    type: Literal["bash_code_execution_tool_result"] = "bash_code_execution_tool_result"
    content: CodeExecutionContent = None


class TextEditorCodeExecutionToolResultBlock(ToolResultBlock):
    type: Literal["text_editor_code_execution_tool_result"] = (
        "text_editor_code_execution_tool_result")
    content: TextEditorContent = None


class ToolSearchToolResultBlock(ToolResultBlock):
    type: Literal["tool_search_tool_result"] = "tool_search_tool_result"
    content: ToolSearchContent = None


class MCPToolResultBlock(ToolResultBlock):
    """`content` is a string or a list of text blocks."""

    type: Literal["mcp_tool_result"] = "mcp_tool_result"
    content: str | list[TextBlock] | None = None
    is_error: bool | None = None


class ContainerUploadBlock(_Model):
    type: Literal["container_upload"] = "container_upload"
    file_id: str | None = None


class CompactionBlock(_Model):
    """A summary of the earlier conversation (None when compaction failed); sent back
    unchanged, `content: null` included."""

    type: Literal["compaction"] = "compaction"
    content: str | None = None
    encrypted_content: str | None = None


class GenericBlock(_Model):
    """Any other block (advisor_tool_result, fallback, a type from the future), kept whole."""

    type: str


BLOCK_CLASSES: dict[str, type[_Model]] = {
    "text": TextBlock,
    "thinking": ThinkingBlock,
    "redacted_thinking": RedactedThinkingBlock,
    "tool_use": ToolUseBlock,
    "server_tool_use": ServerToolUseBlock,
    "mcp_tool_use": MCPToolUseBlock,
    "web_search_tool_result": WebSearchToolResultBlock,
    "web_fetch_tool_result": WebFetchToolResultBlock,
    "code_execution_tool_result": CodeExecutionToolResultBlock,
    "bash_code_execution_tool_result": BashCodeExecutionToolResultBlock,
    "text_editor_code_execution_tool_result": TextEditorCodeExecutionToolResultBlock,
    "tool_search_tool_result": ToolSearchToolResultBlock,
    "mcp_tool_result": MCPToolResultBlock,
    "container_upload": ContainerUploadBlock,
    "compaction": CompactionBlock,
}
# blocks whose `input` arrives as input_json_delta (the SDK's TRACKS_TOOL_INPUT)
TOOL_INPUT_BLOCKS = frozenset({"tool_use", "server_tool_use", "mcp_tool_use"})

ContentBlock = _union(BLOCK_CLASSES, GenericBlock)


# ---- stream deltas -----------------------------------------------------------------------------


class TextDelta(_Model):
    type: Literal["text_delta"] = "text_delta"
    text: str


class InputJSONDelta(_Model):
    type: Literal["input_json_delta"] = "input_json_delta"
    partial_json: str


class ThinkingDelta(_Model):
    type: Literal["thinking_delta"] = "thinking_delta"
    thinking: str


class SignatureDelta(_Model):
    type: Literal["signature_delta"] = "signature_delta"
    signature: str


class CitationsDelta(_Model):
    type: Literal["citations_delta"] = "citations_delta"
    citation: AnyCitation


class CompactionDelta(_Model):
    """Sets (not appends) the compaction block's summary."""

    type: Literal["compaction_delta"] = "compaction_delta"
    content: str | None = None
    encrypted_content: str | None = None


class GenericDelta(_Model):
    type: str


DELTA_CLASSES: dict[str, type[_Model]] = {
    "text_delta": TextDelta,
    "input_json_delta": InputJSONDelta,
    "thinking_delta": ThinkingDelta,
    "signature_delta": SignatureDelta,
    "citations_delta": CitationsDelta,
    "compaction_delta": CompactionDelta,
}
