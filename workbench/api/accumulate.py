"""Stream events -> Message: cheap typed construction per event and a pure accumulator.

Per-event pydantic validation would cost more than the whole HTTP stack, so the deltas (nearly
every event) are built with fast constructors (no validation) and folded in place. The rare
events are validated as they come: message_start, each block's start (so a web search result is
typed while the reply still streams), citations, message_delta. The finished Message is
validated once more at `message_stop`.

Folding follows the SDK's `accumulate_event` (the beta one: it knows compaction and context
management), except that nothing the API did not send is set: a field absent from the wire stays
absent from `model_dump(exclude_unset=True)`. Anything malformed (not JSON, not an object, an
event before message_start, an index out of range) is a `MalformedResponseError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from workbench.api.errors import APIError, MalformedResponseError, loads_json, make_error
from workbench.api.types import (
    DELTA_CLASSES,
    TOOL_INPUT_BLOCKS,
    AnyCitation,
    ContentBlock,
    ContentBlockDeltaEvent,
    ContentBlockStartEvent,
    ContentBlockStopEvent,
    ErrorBody,
    ErrorEvent,
    GenericBlock,
    GenericDelta,
    Message,
    MessageDeltaEvent,
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
_generic_delta = fast_constructor(GenericDelta)
_generic_block = fast_constructor(GenericBlock)
_block_adapter: TypeAdapter[Any] = TypeAdapter(ContentBlock)
_citation_adapter: TypeAdapter[Any] = TypeAdapter(AnyCitation)


def loads(data: str | bytes, what: str) -> Any:
    """JSON -> data; MalformedResponseError for anything else (see `loads_json`)."""
    return loads_json(data, what)


def construct_block(data: Any) -> BaseModel:
    """A block as it starts: typed (validated; blocks start rarely), or kept whole."""
    if not isinstance(data, dict):
        raise MalformedResponseError(f"a content block is not an object: {str(data)[:80]}")
    try:
        return _block_adapter.validate_python(data)
    except ValidationError:
        return _generic_block(**data) if isinstance(data.get("type"), str) else \
            _generic_block(**{**data, "type": "unknown"})


def construct_message(data: Any) -> Message:
    if not isinstance(data, dict):
        raise MalformedResponseError("message_start carries no message object")
    try:
        return Message.model_validate(data)
    except ValidationError:  # kept, as the SDK keeps it; the parts we fold into are typed
        fields = dict(data)
        content = data.get("content")
        fields["content"] = [construct_block(b) for b in content] if isinstance(content, list) \
            else []
        usage = data.get("usage")
        try:
            fields["usage"] = Usage.model_validate(usage if isinstance(usage, dict) else {})
        except ValidationError:
            fields["usage"] = Usage.model_construct()
        return Message.model_construct(**fields)


def _validated(cls: type[BaseModel], obj: dict[str, Any]) -> Any:
    try:
        return cls.model_validate(obj)
    except ValidationError as exc:
        raise MalformedResponseError(f"malformed {obj.get('type')} event: "
                                     f"{exc.errors()[0]['msg']}") from None


def parse_event(name: str, data: str) -> StreamEvent:
    """One SSE event's data -> a typed event; only the rare kinds are validated."""
    obj = loads(data, f"the data of a {name} event")
    if not isinstance(obj, dict):
        raise MalformedResponseError(f"the data of a {name} event is not a JSON object")
    kind = obj.get("type")
    if not isinstance(kind, str):
        if kind is not None:
            raise MalformedResponseError(f"a {name} event has a type that is not a string")
        kind = obj["type"] = name  # the event line names it
    if kind == "content_block_delta":
        delta = obj.get("delta")
        if not isinstance(delta, dict):
            raise MalformedResponseError("a content_block_delta event has no delta object")
        dkind = delta.get("type")
        make = _delta_classes.get(dkind)  # type: ignore[arg-type]
        if make is None:
            obj["delta"] = _generic_delta(**delta) if isinstance(dkind, str) else \
                _generic_delta(**{**delta, "type": "unknown"})
        elif dkind == "citations_delta":
            try:
                citation = _citation_adapter.validate_python(delta.get("citation"))
            except ValidationError:
                raise MalformedResponseError("a citations_delta has no citation object") from None
            obj["delta"] = make(**{**delta, "citation": citation})
        else:
            obj["delta"] = make(**delta)
        return _construct_delta(**obj)
    if kind == "ping":
        return PingEvent.model_construct(**obj)
    if kind == "content_block_start":
        obj["content_block"] = construct_block(obj.get("content_block"))
        return ContentBlockStartEvent.model_construct(**obj)
    if kind == "content_block_stop":
        return ContentBlockStopEvent.model_construct(**obj)
    if kind == "message_start":
        obj["message"] = construct_message(obj.get("message"))
        return MessageStartEvent.model_construct(**obj)
    if kind == "message_delta":
        return _validated(MessageDeltaEvent, obj)
    if kind == "message_stop":
        return MessageStopEvent.model_construct(**obj)
    if kind == "error":
        err = obj.get("error")
        if not isinstance(err, dict) or not isinstance(err.get("type"), str):
            err = {"type": "api_error", "message": str(err)[:200]}
        obj["error"] = ErrorBody.model_construct(**err)
        return ErrorEvent.model_construct(**obj)
    return UnknownEvent.model_construct(**obj)


def _append(block: BaseModel, field: str, text: str) -> None:
    # pop first so the string's only reference is local: CPython then grows it in place
    d = block.__dict__
    s = d.pop(field, "") or ""
    s += text
    d[field] = s
    block.__pydantic_fields_set__.add(field)


def _set(model: BaseModel, field: str, value: Any) -> None:
    """Set a field (or an extra) and mark it as sent."""
    if field in type(model).model_fields:
        model.__dict__[field] = value
        model.__pydantic_fields_set__.add(field)
    else:
        if model.__pydantic_extra__ is None:
            object.__setattr__(model, "__pydantic_extra__", {})
        model.__pydantic_extra__[field] = value  # type: ignore[index]


def sent(model: BaseModel) -> dict[str, Any]:
    """The fields of `model` that arrived on the wire (set fields and extras), as they are."""
    d = model.__dict__
    out = {k: d[k] for k in model.__pydantic_fields_set__ if k in d}
    if model.__pydantic_extra__:
        out.update(model.__pydantic_extra__)
    return out


def plain(value: Any) -> Any:
    """A model tree -> plain JSON-like data of what was sent (for the final validation)."""
    if isinstance(value, BaseModel):
        return {k: plain(v) for k, v in sent(value).items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def partial_json(block: BaseModel) -> str:
    """The tool input JSON received so far for a tool block still streaming."""
    return block.__dict__.get("_partial_json", "")


def _block(snapshot: Message | None, event: Any) -> Any:
    if snapshot is None:
        raise MalformedResponseError(f"{event.type} before message_start")
    index = event.__dict__.get("index")
    content = snapshot.content
    if type(index) is not int or not 0 <= index < len(content):
        raise MalformedResponseError(f"{event.type} for block {index!r}, but the reply has "
                                     f"{len(content)} blocks")
    return content[index]


def accumulate(event: StreamEvent, snapshot: Message | None) -> Message | None:
    """Fold one event into the snapshot and return it (None before `message_start`).

    Depends only on its inputs and does no I/O. For speed it updates `snapshot` in place (as
    the SDK does) instead of copying it per event; `message_stop` returns the validated
    Message. An `error` event raises the typed error (status 200: it came inside a 200).
    """
    kind = event.type
    if kind == "content_block_delta":  # the hot path: checks inlined
        index = event.__dict__.get("index")
        if snapshot is None or type(index) is not int or not 0 <= index < len(snapshot.content):
            _block(snapshot, event)  # raises the right MalformedResponseError
        block = snapshot.content[index]  # type: ignore[union-attr,index]
        delta = event.delta
        dkind = delta.type
        btype = block.type
        if dkind == "text_delta":
            if btype == "text":
                _append(block, "text", delta.text)
        elif dkind == "input_json_delta":
            if btype in TOOL_INPUT_BLOCKS:
                d = block.__dict__
                d["_partial_json"] = d.get("_partial_json", "") + delta.partial_json
        elif dkind == "thinking_delta":
            if btype == "thinking":
                _append(block, "thinking", delta.thinking)
        elif dkind == "signature_delta":
            if btype == "thinking":
                _set(block, "signature", delta.signature)
        elif dkind == "citations_delta":
            if btype == "text":
                citations = block.__dict__.get("citations")
                if citations is None:
                    _set(block, "citations", [delta.citation])
                else:
                    citations.append(delta.citation)
        elif dkind == "compaction_delta" and btype == "compaction":
            for key, value in sent(delta).items():  # sets, not appends (as the SDK)
                if key != "type":
                    _set(block, key, value)
        return snapshot
    if kind == "message_start":
        if snapshot is not None:
            raise MalformedResponseError("a second message_start in one stream")
        return event.message
    if kind == "content_block_start":
        if snapshot is None:
            raise MalformedResponseError("content_block_start before message_start")
        index = event.__dict__.get("index")
        content = snapshot.content
        if type(index) is not int or not 0 <= index <= len(content):
            raise MalformedResponseError(f"content_block_start for block {index!r}, but the "
                                         f"reply has {len(content)} blocks")
        if index == len(content):
            content.append(event.content_block)
        else:  # the same index again: the newer start wins
            content[index] = event.content_block
        return snapshot
    if kind == "content_block_stop":
        block = _block(snapshot, event)
        raw = block.__dict__.pop("_partial_json", None)
        if raw is not None and raw.strip():  # no input deltas: the start's input stands
            try:
                _set(block, "input", loads(raw, "the tool input"))
            except MalformedResponseError as exc:
                raise MalformedResponseError(f"{exc.message} (block {event.index})") from None
        return snapshot
    if kind == "message_delta":
        if snapshot is None:
            raise MalformedResponseError("message_delta before message_start")
        _fold_message_delta(event, snapshot)
        return snapshot
    if kind == "message_stop":
        return finalize(snapshot) if snapshot is not None else None
    if kind == "error":
        err = event.error
        raise make_error(200, err.type, err.message or "error event with no message",
                         getattr(event, "request_id", None), plain(event))
    return snapshot  # ping and unknown events change nothing


def _fold_message_delta(event: MessageDeltaEvent, snapshot: Message) -> None:
    """As the SDK: stop fields from the delta, `container` unless null, usage counts (cumulative)
    where given; `context_management` and `input_transformations` unless null."""
    for key, value in sent(event.delta).items():
        if value is not None or key in ("stop_reason", "stop_sequence", "stop_details"):
            _set(snapshot, key, value)
    for key in ("context_management", "input_transformations"):
        value = getattr(event, key, None)
        if value is not None:
            _set(snapshot, key, value)
    usage = snapshot.usage
    for key, value in sent(event.usage).items():
        if value is not None:
            _set(usage, key, value)


def finalize(snapshot: Message) -> Message:
    """Validate the accumulated Message once; keep the constructed one if the server was odd."""
    try:
        return Message.model_validate(plain(snapshot))
    except (ValidationError, RecursionError):
        return snapshot


__all__ = ["APIError", "accumulate", "construct_block", "construct_message", "fast_constructor",
           "finalize", "loads", "parse_event", "partial_json", "plain", "sent"]
