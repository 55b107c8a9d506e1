"""AWS event-stream framing (Bedrock's invoke-with-response-stream) -> our usual SSE events.

Stdlib only, so a Bedrock stream needs no botocore at read time. Each frame is
`total_len | headers_len | prelude_crc | headers | payload | message_crc` (big-endian, CRC32);
a `chunk` event's payload is `{"bytes": "<base64 of one Messages stream event>"}`. The output
is what the SDK's `AWSEventStreamDecoder` yields for the same bytes (tests compare the two in
odd chunkings), except that exception frames carry our error types, so a Bedrock
`throttlingException` mid-stream becomes the same `RateLimitError` as on the direct API.
"""

from __future__ import annotations

import base64
import binascii
import json
import struct
from typing import Any

from workbench.api.errors import APIConnectionError
from workbench.api.sse import ServerSentEvent

CONTENT_TYPE = "application/vnd.amazon.eventstream"
PRELUDE = 12
MAX_FRAME = 24 * 1024 * 1024 + 128 * 1024 + 16  # botocore's payload and headers limits
# Bedrock's stream exceptions -> our error types (the frame's own name stays in the message).
EXCEPTION_TYPES = {
    "throttlingException": "rate_limit_error",
    "serviceUnavailableException": "overloaded_error",
    "modelTimeoutException": "timeout_error",
    "validationException": "invalid_request_error",
    "internalServerException": "api_error",
    "modelStreamErrorException": "api_error",
}


class EventStreamError(APIConnectionError):
    """The bytes are not a valid event stream (bad CRC, impossible length): the stream is
    unusable, like a connection cut mid-way."""


def _headers(raw: bytes) -> dict[str, Any]:
    out: dict[str, Any] = {}
    i = 0
    while i < len(raw):
        n = raw[i]
        name = raw[i + 1 : i + 1 + n].decode("utf-8", "replace")
        i += 1 + n
        kind = raw[i]
        i += 1
        if kind in (0, 1):
            value: Any = kind == 0
        elif kind == 2:
            value, i = raw[i], i + 1
        elif kind in (3, 4, 5, 8):
            size = {3: 2, 4: 4, 5: 8, 8: 8}[kind]
            value = int.from_bytes(raw[i : i + size], "big", signed=True)
            i += size
        elif kind in (6, 7):
            (length,) = struct.unpack_from(">H", raw, i)
            value = raw[i + 2 : i + 2 + length]
            value = value.decode("utf-8", "replace") if kind == 7 else value
            i += 2 + length
        elif kind == 9:
            value, i = raw[i : i + 16].hex(), i + 16
        else:
            raise EventStreamError(f"event stream: unknown header type {kind}")
        out[name] = value
    return out


class EventStreamDecoder:
    """Incremental, like `SSEDecoder`: `feed(chunk)` returns the events those bytes completed."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        self._buf += chunk
        out: list[ServerSentEvent] = []
        while len(self._buf) >= PRELUDE:
            total, headers_len, prelude_crc = struct.unpack_from(">III", self._buf, 0)
            if binascii.crc32(self._buf[:8]) != prelude_crc:
                raise EventStreamError("event stream: prelude checksum mismatch")
            if total > MAX_FRAME or total < PRELUDE + 4 + headers_len:
                raise EventStreamError(f"event stream: impossible frame length {total}")
            if len(self._buf) < total:
                break
            frame = bytes(self._buf[:total])
            del self._buf[:total]
            (message_crc,) = struct.unpack_from(">I", frame, total - 4)
            if binascii.crc32(frame[: total - 4]) != message_crc:
                raise EventStreamError("event stream: message checksum mismatch")
            headers = _headers(frame[PRELUDE : PRELUDE + headers_len])
            event = to_sse(headers, frame[PRELUDE + headers_len : total - 4])
            if event is not None:
                out.append(event)
        return out

    def flush(self) -> list[ServerSentEvent]:
        if self._buf:
            raise EventStreamError(f"event stream: cut mid-frame ({len(self._buf)} bytes left)")
        return []


def to_sse(headers: dict[str, Any], payload: bytes) -> ServerSentEvent | None:
    """One frame -> the SSE event the direct API would have sent (None: nothing to show)."""
    kind = headers.get(":message-type")
    if kind != "event":
        name = headers.get(":exception-type") or headers.get(":error-code") or "error"
        try:
            message = json.loads(payload).get("message") or ""
        except (ValueError, AttributeError):
            message = payload.decode("utf-8", "replace")
        message = message or headers.get(":error-message") or ""
        error = {"type": EXCEPTION_TYPES.get(name, "api_error"),
                 "message": f"Bedrock {name}: {message}"}
        return ServerSentEvent("error", json.dumps({"type": "error", "error": error}))
    if headers.get(":event-type") != "chunk":
        return None
    try:
        raw = json.loads(payload).get("bytes")
        text = base64.b64decode(raw).decode() if raw else ""
    except (ValueError, AttributeError, binascii.Error) as exc:
        raise EventStreamError(f"event stream: unreadable chunk ({exc})") from None
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return ServerSentEvent("completion", text)
    name = data.get("type")
    if not isinstance(name, str):
        return ServerSentEvent("completion", text) if "completion" in data else None
    return ServerSentEvent(name, text)


def decoder_for(content_type: str | None) -> EventStreamDecoder | None:
    """An event-stream decoder when the response is one (None: plain SSE)."""
    if content_type and content_type.split(";")[0].strip().lower() == CONTENT_TYPE:
        return EventStreamDecoder()
    return None
