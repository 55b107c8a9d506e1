"""Stream events -> Message: cheap typed construction per event and a pure accumulator.

Per-event pydantic validation would cost more than the whole HTTP stack, so events and the
growing snapshot are built with `model_construct` (no validation); the finished Message is
validated once, at `message_stop`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from workbench.api.errors import APIError, make_error
from workbench.api.types import (
    BLOCK_CLASSES,
    DELTA_CLASSES,
    Citation,
    ContentBlockDeltaEvent,
    ContentBlockStartEvent,
    ContentBlockStopEvent,
    ErrorBody,
    ErrorEvent,
    GenericBlock,
    GenericDelta,
    Message,
    MessageDeltaBody,
    MessageDeltaEvent,
    MessageDeltaUsage,
    MessageStartEvent,
    MessageStopEvent,
    PingEvent,
    StreamEvent,
    UnknownEvent,
    Usage,
)


def fast_constructor(cls: type[BaseModel]) -> Callable[..., Any]:
    """Like `cls.model_construct(**data)` (no validation) at a third of the cost.

    Only for our `extra="allow"` models without private attributes or default factories.
    """
    fields = cls.model_fields
    names = set(fields)  # a set: intersection() then gives a mutable fields_set
    defaults = {n: f.default for n, f in fields.items() if not f.is_required()}
    new = object.__new__
    put = object.__setattr__

    def make(**data: Any) -> Any:
        model = new(cls)
        if names.issuperset(data):  # the common case: no unknown keys
            values = {**defaults, **data}
            extra = {}
        else:
            values = dict(defaults)
            extra = {}
            for key, value in data.items():
                if key in names:
                    values[key] = value
                else:
                    extra[key] = value
        put(model, "__dict__", values)
        put(model, "__pydantic_fields_set__", names.intersection(data))
        put(model, "__pydantic_extra__", extra)
        put(model, "__pydantic_private__", None)
        return model

    return make


_construct_delta = fast_constructor(ContentBlockDeltaEvent)
_delta_classes = {k: fast_constructor(v) for k, v in DELTA_CLASSES.items()}
_block_classes = {k: fast_constructor(v) for k, v in BLOCK_CLASSES.items()}
_generic_block = fast_constructor(GenericBlock)


_citation = fast_constructor(Citation)


def construct_block(data: dict[str, Any]) -> BaseModel:
    if data.get("citations"):  # typed like the validated Message, so model_dump stays quiet
        data = {**data, "citations": [_citation(**c) if isinstance(c, dict) else c
                                      for c in data["citations"]]}
    return _block_classes.get(data.get("type", ""), _generic_block)(**data)


def _usage(data: dict[str, Any]) -> Usage:
    """Usage is validated (once or twice a stream): its nested parts then dump cleanly."""
    try:
        return Usage.model_validate(data)
    except ValidationError:
        return Usage.model_construct(**data)


def construct_message(data: dict[str, Any]) -> Message:
    fields = dict(data)
    fields["content"] = [construct_block(b) for b in data.get("content") or []]
    fields["usage"] = _usage(data.get("usage") or {})
    return Message.model_construct(**fields)


def parse_event(name: str, data: str) -> StreamEvent:
    """One SSE event's data -> a typed event, without validation (the hot path)."""
    try:
        obj = json.loads(data)
    except ValueError as exc:
        raise APIError(f"malformed {name} event from the server: {exc}") from None
    kind = obj.get("type") or name
    if kind == "content_block_delta":
        delta = obj.get("delta") or {}
        make = _delta_classes.get(delta.get("type"))
        if make is None:
            obj["delta"] = GenericDelta.model_construct(**delta)
        elif delta.get("type") == "citations_delta":
            obj["delta"] = make(**{**delta, "citation": Citation.model_construct(
                **delta.get("citation") or {})})
        else:
            obj["delta"] = make(**delta)
        return _construct_delta(**obj)
    if kind == "ping":
        return PingEvent.model_construct(**obj)
    if kind == "content_block_start":
        obj["content_block"] = construct_block(obj.get("content_block") or {})
        return ContentBlockStartEvent.model_construct(**obj)
    if kind == "content_block_stop":
        return ContentBlockStopEvent.model_construct(**obj)
    if kind == "message_start":
        obj["message"] = construct_message(obj.get("message") or {})
        return MessageStartEvent.model_construct(**obj)
    if kind == "message_delta":
        obj["delta"] = MessageDeltaBody.model_construct(**(obj.get("delta") or {}))
        obj["usage"] = MessageDeltaUsage.model_construct(**(obj.get("usage") or {}))
        return MessageDeltaEvent.model_construct(**obj)
    if kind == "message_stop":
        return MessageStopEvent.model_construct(**obj)
    if kind == "error":
        obj["error"] = ErrorBody.model_construct(**(obj.get("error") or {"type": "api_error"}))
        return ErrorEvent.model_construct(**obj)
    return UnknownEvent.model_construct(**obj)


def _append(block: BaseModel, field: str, text: str) -> None:
    # pop first so the string's only reference is local: CPython then grows it in place
    d = block.__dict__
    s = d.pop(field, "") or ""
    s += text
    d[field] = s


def plain(value: Any) -> Any:
    """A constructed model tree -> plain JSON-like data (for the final validation)."""
    if isinstance(value, BaseModel):
        out = {k: plain(v) for k, v in value.__dict__.items()}
        if value.__pydantic_extra__:
            out.update({k: plain(v) for k, v in value.__pydantic_extra__.items()})
        return out
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def partial_json(block: BaseModel) -> str:
    """The tool input JSON received so far for a tool block still streaming."""
    return block.__dict__.get("_partial_json", "")


def accumulate(event: StreamEvent, snapshot: Message | None) -> Message | None:
    """Fold one event into the snapshot and return it (None before `message_start`).

    Depends only on its inputs and does no I/O. For speed it updates `snapshot` in place (as
    the SDK does) instead of copying it per event; `message_stop` returns the validated
    Message. An `error` event raises the typed error (status 200: it came inside a 200).
    """
    kind = event.type
    if kind == "content_block_delta":
        assert snapshot is not None, "content_block_delta before message_start"
        block = snapshot.content[event.index]
        delta = event.delta
        dkind = delta.type
        if dkind == "text_delta":
            _append(block, "text", delta.text)
        elif dkind == "input_json_delta":
            buf = block.__dict__.get("_partial_json", "")
            block.__dict__["_partial_json"] = buf + delta.partial_json
        elif dkind == "thinking_delta":
            _append(block, "thinking", delta.thinking)
        elif dkind == "signature_delta":
            block.__dict__["signature"] = delta.signature
        elif dkind == "citations_delta":
            citations = block.__dict__.get("citations")
            if citations is None:
                citations = block.__dict__["citations"] = []
            citation = delta.citation
            citations.append(_citation(**citation) if isinstance(citation, dict) else citation)
        return snapshot
    if kind == "message_start":
        return event.message
    if kind == "content_block_start":
        assert snapshot is not None, "content_block_start before message_start"
        block = event.content_block
        content = snapshot.content
        if event.index == len(content):
            content.append(block)
        elif event.index < len(content):
            content[event.index] = block
        else:  # a gap: keep indices aligned with positions
            content.extend(GenericBlock.model_construct(type="missing")
                           for _ in range(event.index - len(content)))
            content.append(block)
        return snapshot
    if kind == "content_block_stop":
        assert snapshot is not None
        block = snapshot.content[event.index]
        raw = block.__dict__.pop("_partial_json", None)
        if raw is not None:
            try:
                block.__dict__["input"] = json.loads(raw) if raw.strip() else {}
            except ValueError as exc:
                raise APIError(f"tool input is not valid JSON: {exc}") from None
        return snapshot
    if kind == "message_delta":
        assert snapshot is not None
        for key, value in event.delta.__dict__.items():
            setattr(snapshot, key, value)
        for key, value in (event.delta.__pydantic_extra__ or {}).items():
            setattr(snapshot, key, value)
        merged = plain(snapshot.usage)
        for source in (event.usage.__dict__, event.usage.__pydantic_extra__ or {}):
            merged.update((k, v) for k, v in source.items() if v is not None)
        snapshot.usage = _usage(merged)
        return snapshot
    if kind == "message_stop":
        return finalize(snapshot) if snapshot is not None else None
    if kind == "error":
        err = event.error
        raise make_error(200, err.type, err.message, getattr(event, "request_id", None),
                         plain(event))
    return snapshot  # ping and unknown events change nothing


def finalize(snapshot: Message) -> Message:
    """Validate the accumulated Message once; keep the constructed one if the server was odd."""
    data = plain(snapshot)
    for block in data.get("content") or []:
        block.pop("_partial_json", None)
    try:
        return Message.model_validate(data)
    except ValidationError:
        return snapshot
