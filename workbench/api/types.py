"""Pydantic v2 shapes of every API response (unknown fields kept, never rejected).

The API adds fields and block types over time; `extra="allow"` keeps them so the inspector and
the UI can still show them, and unknown content blocks become `GenericBlock` (blocks, citations
and deltas are in `types_blocks`). Optional fields default to None and are only dumped when
sent (`model_dump(exclude_unset=True)`): no invented zeros.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from workbench.api.types_blocks import (  # noqa: F401  (re-exported: the blocks live there)
    BLOCK_CLASSES,
    CITATION_CLASSES,
    DELTA_CLASSES,
    TOOL_INPUT_BLOCKS,
    AnyCitation,
    BashCodeExecutionToolResultBlock,
    CharLocationCitation,
    Citation,
    CitationsDelta,
    CodeExecutionResult,
    CodeExecutionToolResultBlock,
    CompactionBlock,
    CompactionDelta,
    ContainerUploadBlock,
    ContentBlock,
    ContentBlockLocationCitation,
    DocumentBlock,
    GenericBlock,
    GenericDelta,
    InputJSONDelta,
    MCPToolResultBlock,
    MCPToolUseBlock,
    OutputFile,
    PageLocationCitation,
    Part,
    RedactedThinkingBlock,
    SearchResultLocationCitation,
    ServerToolUseBlock,
    SignatureDelta,
    TextBlock,
    TextDelta,
    TextEditorCodeExecutionToolResultBlock,
    TextEditorResult,
    ThinkingBlock,
    ThinkingDelta,
    ToolReference,
    ToolResultBlock,
    ToolResultError,
    ToolSearchResult,
    ToolSearchToolResultBlock,
    ToolUseBlock,
    WebFetchResult,
    WebFetchToolResultBlock,
    WebSearchResult,
    WebSearchResultLocationCitation,
    WebSearchToolResultBlock,
    _Model,
)

# ---- message ----------------------------------------------------------------------------------


class CacheCreation(_Model):
    """Cache writes split by time to live."""

    ephemeral_5m_input_tokens: int | None = None
    ephemeral_1h_input_tokens: int | None = None


class ServerToolUsage(_Model):
    """Server tool calls made for this response (only the counts the API sent)."""

    web_search_requests: int | None = None
    web_fetch_requests: int | None = None


class OutputTokensDetails(_Model):
    thinking_tokens: int | None = None


class UsageIteration(_Model):
    """One sampling pass (`message`, `compaction`, `advisor_message`, ...) of `usage.iterations`."""

    type: str = ""
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    cache_creation: CacheCreation | None = None
    model: str | None = None


class Usage(_Model):
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    cache_creation: CacheCreation | None = None
    server_tool_use: ServerToolUsage | None = None
    service_tier: str | None = None
    inference_geo: str | None = None
    output_tokens_details: OutputTokensDetails | None = None
    iterations: list[UsageIteration] | None = None
    speed: str | None = None


class StopDetails(_Model):
    """Why the model stopped, beyond `stop_reason` (a refusal's category and explanation)."""

    type: str = ""
    category: str | None = None
    explanation: str | None = None
    recommended_model: str | None = None


class ContainerSkill(_Model):
    type: str = ""
    skill_id: str | None = None
    version: str | None = None


class Container(_Model):
    """The code execution container: pass `id` back as `container` to reuse it."""

    id: str = ""
    expires_at: str | None = None
    skills: list[ContainerSkill] | None = None


class AppliedEdit(_Model):
    type: str = ""
    cleared_input_tokens: int | None = None
    cleared_tool_uses: int | None = None
    cleared_thinking_turns: int | None = None


class ContextManagement(_Model):
    """What context management cleared from the request before the model saw it."""

    applied_edits: list[AppliedEdit] | None = None


class Message(_Model):
    id: str
    type: Literal["message"] = "message"
    role: Literal["assistant"] = "assistant"
    model: str
    content: list[ContentBlock]
    stop_reason: str | None = None
    stop_sequence: str | None = None
    stop_details: StopDetails | None = None
    usage: Usage
    container: Container | None = None
    context_management: ContextManagement | None = None

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """What the API sent, by default (as the SDK's `to_dict`): the inspector, the history and
        "copy response JSON" never show a null the API did not send."""
        kwargs.setdefault("exclude_unset", True)
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("exclude_unset", True)
        return super().model_dump_json(**kwargs)

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


class MessageDeltaBody(_Model):
    stop_reason: str | None = None
    stop_sequence: str | None = None
    stop_details: StopDetails | None = None
    container: Container | None = None


class MessageDeltaUsage(_Model):
    """Cumulative counts: each overwrites the snapshot's (None: keep message_start's)."""

    output_tokens: int = 0
    input_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    server_tool_use: ServerToolUsage | None = None
    output_tokens_details: OutputTokensDetails | None = None
    iterations: list[UsageIteration] | None = None


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
        TextDelta | InputJSONDelta | ThinkingDelta | SignatureDelta | CitationsDelta
        | CompactionDelta | GenericDelta
    )


class ContentBlockStopEvent(_Model):
    type: Literal["content_block_stop"] = "content_block_stop"
    index: int


class MessageDeltaEvent(_Model):
    type: Literal["message_delta"] = "message_delta"
    delta: MessageDeltaBody
    usage: MessageDeltaUsage
    context_management: ContextManagement | None = None


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
