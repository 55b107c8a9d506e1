"""Pydantic v2 shapes of every API response (unknown fields kept, never rejected).

The API adds fields and block types over time; `extra="allow"` keeps them so the inspector and
the UI can still show them, and unknown content blocks become `GenericBlock`.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Discriminator, Tag


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", protected_namespaces=())


# ---- content blocks ---------------------------------------------------------------------------


class Citation(_Model):
    type: str
    cited_text: str | None = None


class TextBlock(_Model):
    type: Literal["text"] = "text"
    text: str = ""
    citations: list[Citation] | None = None


class ThinkingBlock(_Model):
    type: Literal["thinking"] = "thinking"
    thinking: str = ""
    signature: str = ""


class RedactedThinkingBlock(_Model):
    type: Literal["redacted_thinking"] = "redacted_thinking"
    data: str = ""


class ToolUseBlock(_Model):
    type: Literal["tool_use"] = "tool_use"
    id: str
    name: str
    input: Any = None


class ServerToolUseBlock(_Model):
    type: Literal["server_tool_use"] = "server_tool_use"
    id: str
    name: str
    input: Any = None


class GenericBlock(_Model):
    """Any other block (web_search_tool_result, container_upload, …), kept whole."""

    type: str


BLOCK_CLASSES: dict[str, type[_Model]] = {
    "text": TextBlock,
    "thinking": ThinkingBlock,
    "redacted_thinking": RedactedThinkingBlock,
    "tool_use": ToolUseBlock,
    "server_tool_use": ServerToolUseBlock,
}


def _block_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if kind in BLOCK_CLASSES else "other"


ContentBlock = Annotated[
    Annotated[TextBlock, Tag("text")]
    | Annotated[ThinkingBlock, Tag("thinking")]
    | Annotated[RedactedThinkingBlock, Tag("redacted_thinking")]
    | Annotated[ToolUseBlock, Tag("tool_use")]
    | Annotated[ServerToolUseBlock, Tag("server_tool_use")]
    | Annotated[GenericBlock, Tag("other")],
    Discriminator(_block_tag),
]


# ---- message ----------------------------------------------------------------------------------


class CacheCreation(_Model):
    ephemeral_5m_input_tokens: int = 0
    ephemeral_1h_input_tokens: int = 0


class ServerToolUsage(_Model):
    web_search_requests: int = 0
    web_fetch_requests: int = 0


class Usage(_Model):
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    cache_creation: CacheCreation | None = None
    server_tool_use: ServerToolUsage | None = None
    service_tier: str | None = None


class Message(_Model):
    id: str
    type: Literal["message"] = "message"
    role: Literal["assistant"] = "assistant"
    model: str
    content: list[ContentBlock]
    stop_reason: str | None = None
    stop_sequence: str | None = None
    usage: Usage

    @property
    def text(self) -> str:
        """All text blocks joined: the answer as a user reads it."""
        return "".join(b.text for b in self.content if isinstance(b, TextBlock))

    @property
    def tool_uses(self) -> list[ToolUseBlock]:
        return [b for b in self.content if isinstance(b, ToolUseBlock)]


class TokenCount(_Model):
    input_tokens: int


# ---- stream events ----------------------------------------------------------------------------


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
    citation: Citation


class GenericDelta(_Model):
    type: str


DELTA_CLASSES: dict[str, type[_Model]] = {
    "text_delta": TextDelta,
    "input_json_delta": InputJSONDelta,
    "thinking_delta": ThinkingDelta,
    "signature_delta": SignatureDelta,
    "citations_delta": CitationsDelta,
}


class MessageDeltaBody(_Model):
    stop_reason: str | None = None
    stop_sequence: str | None = None


class MessageDeltaUsage(_Model):
    output_tokens: int = 0
    input_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None


class ErrorBody(_Model):
    type: str
    message: str = ""


class MessageStartEvent(_Model):
    type: Literal["message_start"] = "message_start"
    message: Message


class ContentBlockStartEvent(_Model):
    type: Literal["content_block_start"] = "content_block_start"
    index: int
    content_block: ContentBlock


class ContentBlockDeltaEvent(_Model):
    type: Literal["content_block_delta"] = "content_block_delta"
    index: int
    delta: (
        TextDelta | InputJSONDelta | ThinkingDelta | SignatureDelta | CitationsDelta | GenericDelta
    )


class ContentBlockStopEvent(_Model):
    type: Literal["content_block_stop"] = "content_block_stop"
    index: int


class MessageDeltaEvent(_Model):
    type: Literal["message_delta"] = "message_delta"
    delta: MessageDeltaBody
    usage: MessageDeltaUsage


class MessageStopEvent(_Model):
    type: Literal["message_stop"] = "message_stop"


class PingEvent(_Model):
    type: Literal["ping"] = "ping"


class ErrorEvent(_Model):
    type: Literal["error"] = "error"
    error: ErrorBody
    request_id: str | None = None


class UnknownEvent(_Model):
    """An event type this client does not know yet; passed through, ignored by accumulation."""

    type: str


StreamEvent = (
    MessageStartEvent
    | ContentBlockStartEvent
    | ContentBlockDeltaEvent
    | ContentBlockStopEvent
    | MessageDeltaEvent
    | MessageStopEvent
    | PingEvent
    | ErrorEvent
    | UnknownEvent
)


# ---- models -----------------------------------------------------------------------------------


class Supported(_Model):
    supported: bool = False


class ModelCapabilities(_Model):
    batch: Supported | None = None
    citations: Supported | None = None
    code_execution: Supported | None = None
    image_input: Supported | None = None
    pdf_input: Supported | None = None
    structured_outputs: Supported | None = None
    context_management: Supported | None = None
    effort: Supported | None = None
    server_tools: Supported | None = None
    thinking: Supported | None = None


class ModelInfo(_Model):
    id: str
    type: str = "model"
    display_name: str = ""
    created_at: str | None = None
    lifecycle: str | None = None
    deprecated_at: str | None = None
    retires_at: str | None = None
    line: str | None = None
    max_input_tokens: int | None = None
    max_tokens: int | None = None
    capabilities: ModelCapabilities | None = None


# ---- batches ----------------------------------------------------------------------------------


class RequestCounts(_Model):
    processing: int = 0
    succeeded: int = 0
    errored: int = 0
    canceled: int = 0
    expired: int = 0

    @property
    def total(self) -> int:
        return self.processing + self.succeeded + self.errored + self.canceled + self.expired


class MessageBatch(_Model):
    id: str
    type: str = "message_batch"
    processing_status: str
    request_counts: RequestCounts
    created_at: str | None = None
    expires_at: str | None = None
    ended_at: str | None = None
    cancel_initiated_at: str | None = None
    archived_at: str | None = None
    results_url: str | None = None


class ErrorResponse(_Model):
    type: str = "error"
    error: ErrorBody
    request_id: str | None = None


class BatchResult(_Model):
    type: str  # succeeded | errored | canceled | expired
    message: Message | None = None
    error: ErrorResponse | None = None


class BatchResultLine(_Model):
    custom_id: str
    result: BatchResult


# ---- files and skills -------------------------------------------------------------------------


class FileMetadata(_Model):
    id: str
    type: str = "file"
    filename: str = ""
    mime_type: str = ""
    size_bytes: int = 0
    created_at: str | None = None
    downloadable: bool = False
    expires_at: str | None = None


class SkillSource(_Model):
    type: str


class Skill(_Model):
    id: str
    type: str = "skill"
    display_name: str | None = None
    latest_version_id: str | None = None
    source: SkillSource | str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class SkillVersion(_Model):
    id: str
    type: str = "skill_version"
    skill_id: str | None = None
    name: str | None = None
    description: str | None = None
    created_at: str | None = None


class Deleted(_Model):
    """`{"id", "type": "..._deleted"}` answers of the delete endpoints."""

    id: str
    type: str


# ---- pages ------------------------------------------------------------------------------------

T = TypeVar("T")


class Page(_Model, Generic[T]):
    """Style A envelope (Models, Message Batches): id cursors."""

    data: list[T]
    has_more: bool = False
    first_id: str | None = None
    last_id: str | None = None


class CursorPage(_Model, Generic[T]):
    """Style B envelope (Files, Skills): an opaque `next_page` token."""

    data: list[T]
    next_page: str | None = None
