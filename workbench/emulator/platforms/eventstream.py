"""Encode AWS event-stream frames: what Bedrock's invoke-with-response-stream sends.

Stdlib only (the emulator stands alone). A Messages stream event becomes a `chunk` event whose
JSON payload holds the event's bytes in base64; an error becomes an `exception` frame.
"""

from __future__ import annotations

import base64
import binascii
import json
import struct

CONTENT_TYPE = "application/vnd.amazon.eventstream"


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return bytes([len(raw_name)]) + raw_name + b"\x07" + struct.pack(">H", len(raw_value)) \
        + raw_value


def frame(headers: dict[str, str], payload: bytes) -> bytes:
    head = b"".join(_header(k, v) for k, v in headers.items())
    total = 12 + len(head) + len(payload) + 4
    prelude = struct.pack(">II", total, len(head))
    prelude += struct.pack(">I", binascii.crc32(prelude))
    body = prelude + head + payload
    return body + struct.pack(">I", binascii.crc32(body))


def chunk_frame(event_json: bytes) -> bytes:
    payload = json.dumps({"bytes": base64.b64encode(event_json).decode(), "p": "abcdefgh"})
    return frame({":event-type": "chunk", ":content-type": "application/json",
                  ":message-type": "event"}, payload.encode())


def exception_frame(exception_type: str, message: str) -> bytes:
    return frame({":exception-type": exception_type, ":content-type": "application/json",
                  ":message-type": "exception"}, json.dumps({"message": message}).encode())
