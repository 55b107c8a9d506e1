"""The composer's state as plain data, and the JSON request body it builds.

Everything that moves a request between panes goes through `Draft`: the composer edits it, the
autosave and the prompt library store `to_dict()`, history reopens a run with `from_request()`,
batches and export call `to_request()`. Stdlib only (it is loaded before the first frame).
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
import mimetypes
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from workbench.api.versions import accepts_sampling
from workbench.services.attach_check import check_local_file, too_big
from workbench.services.files import block_kind

Role = Literal["user", "assistant"]
T = TypeVar("T")

_SOURCES: dict[tuple[str, str, int, int], dict[str, Any]] = {}
_SOURCES_KEPT = 8


def _local_source(path: Path, media_type: str) -> dict[str, Any]:
    """The block source of a local file, read and encoded once while the file is unchanged:
    the live token estimate builds the request on every edit, and a 20 MB PDF read and
    base64-encoded per keystroke made typing lag."""
    try:
        stat = path.stat()
        key = (str(path), media_type, stat.st_mtime_ns, stat.st_size)
        cached = _SOURCES.get(key)
        if cached is not None:
            return cached
        problem = too_big(path, stat.st_size, media_type)  # it grew since it was attached
        if problem:
            raise DraftError(problem)
        data = path.read_bytes()
    except OSError as exc:
        raise DraftError(f"cannot read attachment {path}: {exc.strerror or exc}") from exc
    if media_type == "text/plain":
        source = {"type": "text", "media_type": "text/plain",
                  "data": data.decode("utf-8", "replace")}
    else:
        source = {"type": "base64", "media_type": media_type,
                  "data": base64.b64encode(data).decode("ascii")}
    if len(_SOURCES) >= _SOURCES_KEPT:
        _SOURCES.pop(next(iter(_SOURCES)))
    _SOURCES[key] = source
    return source


class DraftError(ValueError):
    """The draft cannot become a request (bad tools JSON, unreadable attachment, ...)."""


class EmptyTurnError(DraftError):
    """A turn with no content among turns that have some. The API rejects a message without
    content, and dropping it would silently change the conversation (two user turns merge,
    an assistant turn becomes a prefill), so the request is refused, naming the turn."""

    def __init__(self, index: int, role: str) -> None:
        self.index = index  # 0-based, into Draft.turns
        self.role = role
        super().__init__(f"turn {index + 1} ({role}) is empty: the API rejects a message "
                         "without content; write something in it or delete it")


@dataclass
class Attachment:
    """An image or document for a user turn: a local path (sent as base64) or a Files API id."""

    kind: Literal["image", "document"]
    path: str | None = None
    file_id: str | None = None
    media_type: str | None = None
    title: str | None = None

    @classmethod
    def from_path(cls, path: str | Path) -> Attachment:
        p = Path(os.path.expanduser(path))  # an unknown ~user stays as typed
        try:
            is_dir, exists, is_file = p.is_dir(), p.exists(), p.is_file()
        except OSError as exc:  # e.g. a name over 255 bytes
            raise DraftError(f"cannot use {path}: {exc.strerror or exc}") from None
        if is_dir:
            raise DraftError(f"{p} is a folder: give a file in it")
        if not exists:
            raise DraftError(f"no such file: {p}")
        if not is_file:
            raise DraftError(f"{p} is not a regular file")
        media_type = mimetypes.guess_type(p.name)[0] or ""
        kind = block_kind(media_type)
        if kind is None:
            raise DraftError(
                f"{p.name}: unsupported type {media_type or 'unknown'} "
                "(images: jpeg, png, gif, webp; documents: pdf, txt)"
            )
        problem = check_local_file(p, media_type)  # size, type, readable: nothing read whole
        if problem:
            raise DraftError(problem)
        return cls(kind, path=str(p), media_type=media_type,
                   title=p.name if kind == "document" else None)

    @classmethod
    def from_file(cls, file_id: str, mime_type: str, filename: str | None = None) -> Attachment:
        """A Files API file, its block kind taken from its mime_type (the metadata), never
        guessed from the id: an image sent as a document block is rejected."""
        kind = block_kind(mime_type)
        if kind is None:
            raise DraftError(
                f"{filename or file_id} is {mime_type or 'of unknown type'}: a message can "
                "reference images (jpeg, png, gif, webp) and documents (pdf, txt)"
            )
        return cls(kind, file_id=file_id, media_type=mime_type, title=filename or None)

    @property
    def name(self) -> str | None:
        """What the user knows it by: the Files API filename, or the local file's name."""
        if self.title:
            return self.title
        return Path(self.path).name if self.path else None

    @property
    def chip(self) -> str:
        """Short, for the turn's header: the name first, a Files API id cut (`label` has it
        whole); the kind and whole id only when no name is known."""
        name = self.name
        if not self.file_id:
            return name or self.kind
        if not name:
            return f"{self.kind} {self.file_id}"
        short = self.file_id if len(self.file_id) <= 14 else self.file_id[:12] + "…"
        return f"{name} ({short})"

    @property
    def label(self) -> str:
        if self.file_id:
            return f"{self.kind}: {self.title} ({self.file_id})" if self.title else \
                f"{self.kind}: {self.file_id}"
        return f"{self.kind}: {Path(self.path or '').name}"

    def to_block(self) -> dict[str, Any]:
        if self.file_id:
            source: dict[str, Any] = {"type": "file", "file_id": self.file_id}
        else:
            source = dict(_local_source(Path(self.path or ""), self.media_type))
        block: dict[str, Any] = {"type": self.kind, "source": source}
        if self.kind == "document" and self.title:
            block["title"] = self.title
        return block


@dataclass
class Turn:
    """One message. `blocks` holds structured content (tool_use, tool_result, thinking) kept
    verbatim; `text` is the editable part, sent after the blocks and attachments."""

    role: Role = "user"
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    cache: str | None = None  # a cache breakpoint's TTL on the turn's last block (5m, 1h)

    def content(self) -> str | list[dict[str, Any]]:
        from workbench.services.cache_points import mark_content

        if not self.attachments and not self.blocks:
            return mark_content(self.text, self.cache)
        parts: list[dict[str, Any]] = [copy.deepcopy(b) for b in self.blocks]
        parts += [a.to_block() for a in self.attachments]
        if self.text.strip():
            parts.append({"type": "text", "text": self.text})
        return mark_content(parts, self.cache)

    def is_empty(self) -> bool:
        return not self.text.strip() and not self.attachments and not self.blocks

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        """Raises ValueError for data of the wrong shape (a damaged saved draft)."""
        role, text = data.get("role", "user"), data.get("text", "")
        attachments, blocks = data.get("attachments", []), data.get("blocks", [])
        cache = data.get("cache")  # absent in drafts saved before breakpoints
        if role not in ("user", "assistant") or not isinstance(text, str) \
                or cache not in (None, "5m", "1h") \
                or not isinstance(attachments, list) or not isinstance(blocks, list) \
                or not all(isinstance(item, dict) for item in [*attachments, *blocks]):
            raise ValueError(f"not a turn: {str(data)[:80]}")
        return cls(role=role, text=text, attachments=[Attachment(**a) for a in attachments],
                   blocks=list(blocks), cache=cache)


@dataclass
class Draft:
    model: str = "claude-sonnet-5-5"
    system: str = ""
    turns: list[Turn] = field(default_factory=lambda: [Turn("user", "")])
    max_tokens: int = 1024
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    stop_sequences: list[str] = field(default_factory=list)
    thinking: bool = False
    thinking_budget: int = 2048
    tools_json: str = ""  # the user's text, kept verbatim (even when invalid)
    tool_choice: dict[str, Any] | None = None
    skills: list[dict[str, Any]] = field(default_factory=list)  # container.skills entries
    betas: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # other body fields, kept as is
    cache_system: str | None = None  # cache breakpoints' TTLs (services/cache_points.py)
    cache_tools: str | None = None
    server_tools: dict[str, Any] = field(default_factory=dict)  # see services.server_tools

    # --- building the request -------------------------------------------------------------
    def tools(self) -> list[dict[str, Any]]:
        """The parsed tools list; raises DraftError with line and column when the JSON is bad."""
        text = self.tools_json.strip()
        if not text:
            return []
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DraftError(
                f"tools JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            ) from exc
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            raise DraftError("tools JSON must be a list of tool definitions")
        for i, tool in enumerate(value):
            problem = tool_problem(tool)
            if problem:
                raise DraftError(f"tools[{i}]: {problem}")
        return value

    def to_request(
        self, api_version: str, variables: dict[str, str] | None = None, *, stream: bool = False
    ) -> dict[str, Any]:
        """The JSON body for POST /v1/messages. `variables` fill `{{name}}` placeholders.

        Raises EmptyTurnError for an empty turn among filled ones (see `sendable_turns`).
        """
        messages = [{"role": t.role, "content": t.content()} for t in self.sendable_turns()]
        body: dict[str, Any] = {"model": self.model, "max_tokens": self.max_tokens}
        if self.system.strip():
            body["system"] = self.system
        body["messages"] = messages
        if accepts_sampling(api_version):
            for name in ("temperature", "top_p", "top_k"):
                value = getattr(self, name)
                if value is not None:
                    body[name] = value
        if self.stop_sequences:
            body["stop_sequences"] = list(self.stop_sequences)
        if self.thinking:
            body["thinking"] = {"type": "enabled", "budget_tokens": self.thinking_budget}
        from workbench.services.server_tools import request_tools

        tools = self.tools()
        tools = [*tools, *request_tools(self.server_tools, tools, messages)]
        if self.skills and not any(t.get("name") == "code_execution" for t in tools):
            tools = [*tools, {"type": "code_execution_20250825", "name": "code_execution"}]
        if tools:
            body["tools"] = tools
            if self.tool_choice:
                body["tool_choice"] = dict(self.tool_choice)
        if self.skills:
            body["container"] = {"skills": [dict(s) for s in self.skills]}
        from workbench.services.cache_points import apply

        apply(body, self)
        for key, value in self.extra.items():
            body.setdefault(key, copy.deepcopy(value))
        if stream:
            body["stream"] = True
        if variables is not None:
            from workbench.services.templates import render

            body = render(body, variables)
        return body

    def sendable_turns(self) -> list[Turn]:
        """The turns to send. No turn written yet: none (callers say "write a message"). Empty
        assistant turns after the last written turn are dropped (an empty prefill is no
        prefill); any other empty turn raises EmptyTurnError."""
        written = [i for i, t in enumerate(self.turns) if not t.is_empty()]
        if not written:
            return []
        for i, turn in enumerate(self.turns):
            if turn.is_empty() and not (i > written[-1] and turn.role == "assistant"):
                raise EmptyTurnError(i, turn.role)
        return self.turns[: written[-1] + 1]

    def text_for_variables(self) -> str:
        """All editable text, for finding `{{variables}}`."""
        return "\n".join([self.system, self.tools_json, *(t.text for t in self.turns)])

    # --- persistence ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        data = dict(data)
        turns = [Turn.from_dict(t) for t in data.pop("turns", [])]
        known = {f for f in cls.__dataclass_fields__ if f != "turns"}
        draft = cls(**{k: v for k, v in data.items() if k in known})
        draft.turns = turns or [Turn("user", "")]
        from workbench.services.cache_points import ttl_ok

        if not (ttl_ok(draft.cache_system) and ttl_ok(draft.cache_tools)):
            raise ValueError("a cache breakpoint's TTL is not 5m or 1h")
        for name, kind in _SHAPES.items():
            if not isinstance(getattr(draft, name), kind):
                raise ValueError(f"{name} is {type(getattr(draft, name)).__name__}, "
                                 f"not {kind.__name__}")
        return draft

    @classmethod
    def from_request(cls, body: dict[str, Any]) -> Draft:
        """A draft from a JSON request body (history reopen, curl import, prompt files)."""
        body = copy.deepcopy(body)
        body.pop("stream", None)
        draft = cls(
            model=str(body.pop("model", cls.model)), max_tokens=int(body.pop("max_tokens", 1024))
        )
        from workbench.services.cache_points import take_system

        draft.system, draft.cache_system, verbatim = take_system(body.pop("system", ""))
        if verbatim is not None:  # blocks the editor cannot hold (an early breakpoint)
            body["system"] = verbatim
        messages = body.pop("messages", [])
        draft.turns = [_turn_from_message(m) for m in messages] or [
            Turn("user", "")
        ]
        for name in ("temperature", "top_p", "top_k"):
            if name in body:
                setattr(draft, name, body.pop(name))
        draft.stop_sequences = list(body.pop("stop_sequences", []) or [])
        thinking = body.pop("thinking", None)
        if isinstance(thinking, dict) and thinking.get("type") == "enabled":
            draft.thinking = True
            draft.thinking_budget = int(thinking.get("budget_tokens", 2048))
        elif thinking is not None:  # adaptive, disabled, ...: kept as sent
            body["thinking"] = thinking
        container = body.pop("container", None)
        if isinstance(container, dict):
            draft.skills = list(container.get("skills") or [])
        tools = body.pop("tools", None)
        if draft.skills and tools:
            tools = [t for t in tools if t.get("type") != "code_execution_20250825"]
        from workbench.services.server_tools import from_request

        draft.server_tools, tools = from_request({"messages": messages}, tools)
        if tools:
            draft.tools_json = json.dumps(tools, indent=2)
        draft.tool_choice = body.pop("tool_choice", None)
        draft.extra = body
        return draft


# The fields a saved draft must hold with these types (a damaged one is refused, not used).
_SHAPES: dict[str, type] = {"model": str, "system": str, "max_tokens": int, "tools_json": str,
                            "thinking_budget": int, "stop_sequences": list, "skills": list,
                            "betas": list, "extra": dict, "server_tools": dict}


def _turn_from_message(message: dict[str, Any]) -> Turn:
    role = message.get("role", "user")
    content = message.get("content", "")
    if isinstance(content, str):
        return Turn(role, content)
    from workbench.services.cache_points import take_last

    content, cache = take_last(list(content or []))
    texts: list[str] = []
    attachments: list[Attachment] = []
    blocks: list[dict[str, Any]] = []
    for block in content or []:
        kind = block.get("type")
        source = block.get("source") or {}
        if kind == "text" and not block.get("citations") and not block.get("cache_control"):
            texts.append(block.get("text", ""))
        elif kind in ("image", "document") and source.get("type") == "file":
            attachments.append(
                Attachment(kind, file_id=source.get("file_id"), title=block.get("title"))
            )
        else:
            blocks.append(block)
    return Turn(role, "\n\n".join(texts), attachments, blocks, cache)


def tool_problem(tool: Any) -> str | None:
    """Why `tool` is not a valid tool definition, or None. Server tools only need type + name."""
    if not isinstance(tool, dict):
        return "each tool must be a JSON object"
    name = tool.get("name")
    if not isinstance(name, str) or not name:
        return "a tool needs a non-empty string 'name'"
    kind = tool.get("type")
    if kind not in (None, "custom"):
        return None if isinstance(kind, str) else "'type' must be a string"
    from workbench.api.rules import TOOL_NAME_PATTERN, tool_name_ok

    if not tool_name_ok(name):
        return f"tool name {name!r} must match {TOOL_NAME_PATTERN}"
    schema = tool.get("input_schema")
    if not isinstance(schema, dict):
        return f"tool {name!r} needs an 'input_schema' object"
    if schema.get("type") != "object":
        return f'tool {name!r}: input_schema.type must be "object"'
    if "description" in tool and not isinstance(tool["description"], str):
        return f"tool {name!r}: 'description' must be a string"
    return None


class OrderedSaver(Generic[T]):
    """Autosave snapshots land in the order they were taken, whatever threads write them.

    Each snapshot gets a number when it is taken (on the UI thread, `take()`); `save()` writes
    under a lock and skips a snapshot older than the last one written for the same slot. So two
    saves racing in worker threads can never leave an older draft on disk over a newer one.
    A snapshot is whatever `write` takes (the composer's: its draft and its set-aside).
    """

    def __init__(self, write: Callable[[str, T], None]) -> None:
        self._write = write
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._written: dict[str, int] = {}

    def take(self) -> int:
        """The number of a snapshot taken now (call it where the snapshot is taken)."""
        return next(self._numbers)

    def save(self, number: int, slot: str, data: T) -> bool:
        """Write snapshot `number` unless a newer one for `slot` is already written; errors
        from `write` propagate (and the snapshot does not count as written)."""
        with self._lock:
            if number <= self._written.get(slot, 0):
                return False
            self._write(slot, data)
            self._written[slot] = number
            return True
