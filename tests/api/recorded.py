"""The recorded real API responses (tests/data/recorded-api), and the official SDK's reading of
each: what our client must reproduce.

`WORKBENCH_RECORDED_API` may point at another copy of the corpus (e.g. the shared one with
new recordings); the tests take every recording its manifest.json lists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CORPUS = Path(os.environ.get("WORKBENCH_RECORDED_API")
              or Path(__file__).parent.parent / "data" / "recorded-api")
MANIFEST: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text())
BY_ID = {r["id"]: r for r in MANIFEST}
KEY = "sk-ant-recorded-0000"


def ids(*kinds: str) -> list[str]:
    return [r["id"] for r in MANIFEST if r["kind"] in kinds]


def body(rec: dict[str, Any]) -> bytes:
    return (CORPUS / rec["body_file"]).read_bytes()


# ---- chunkings --------------------------------------------------------------------------------


def crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def by_size(raw: bytes, size: int) -> list[bytes]:
    return [raw[i:i + size] for i in range(0, len(raw), size)] or [b""]


def awkward(raw: bytes) -> list[bytes]:
    """Cut inside every multi-byte UTF-8 character and between every `\\r` and `\\n`."""
    cuts = [i for i in range(1, len(raw))
            if 0x80 <= raw[i] <= 0xBF or (raw[i] == 0x0A and raw[i - 1] == 0x0D)]
    return [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True)]


CHUNKINGS = {"whole": None, "1": 1, "2": 2, "3": 3, "7": 7, "13": 13, "64": 64,
             "awkward": "awkward"}


def chunk(raw: bytes, how: Any) -> list[bytes]:
    if how is None:
        return [raw]
    if how == "awkward":
        return awkward(raw)
    return by_size(raw, how)


# ---- comparing what the SDK and we read --------------------------------------------------------


def _when(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def same(ours: Any, sdk: Any, path: str = "") -> list[str]:
    """Differences between two dumps (`exclude_unset`): a missing or extra key is a difference;
    ISO timestamps compare as instants (the SDK parses them, we keep the API's string)."""
    out: list[str] = []
    if isinstance(ours, dict) and isinstance(sdk, dict):
        for key in sorted(set(ours) | set(sdk)):
            if key not in sdk:
                out.append(f"{path}.{key}: only ours ({str(ours[key])[:60]})")
            elif key not in ours:
                out.append(f"{path}.{key}: only the SDK's ({str(sdk[key])[:60]})")
            else:
                out += same(ours[key], sdk[key], f"{path}.{key}")
    elif isinstance(ours, list) and isinstance(sdk, list):
        if len(ours) != len(sdk):
            out.append(f"{path}: {len(ours)} items, the SDK {len(sdk)}")
        for i, (a, b) in enumerate(zip(ours, sdk, strict=False)):
            out += same(a, b, f"{path}[{i}]")
    elif isinstance(ours, str) and isinstance(sdk, str) and ours != sdk:
        a, b = _when(ours), _when(sdk)
        if a is None or a != b:
            out.append(f"{path}: ours {ours[:60]!r}, the SDK {sdk[:60]!r}")
    elif ours != sdk or type(ours) is not type(sdk):
        out.append(f"{path}: ours {str(ours)[:60]!r}, the SDK {str(sdk)[:60]!r}")
    return out


def sent_keys(raw: bytes) -> dict[str, set[str]]:
    """Per stream: the keys the wire gave the message (message_start's message and every
    message_delta's delta) and each compaction block (its start and deltas)."""
    top: set[str] = set()
    blocks: dict[int, set[str]] = {}
    for line in raw.decode().splitlines():
        if not line.startswith("data:"):
            continue
        try:
            obj = json.loads(line[5:])
        except ValueError:
            continue
        kind = obj.get("type")
        if kind == "message_start":
            top |= set(obj["message"])
        elif kind == "message_delta":
            top |= set(obj.get("delta") or {})
        elif kind == "content_block_start":
            blocks[obj["index"]] = set(obj["content_block"])
        elif kind == "content_block_delta" and obj["delta"].get("type") == "compaction_delta":
            blocks.setdefault(obj["index"], set()).update(obj["delta"])
    return {"message": top, **{str(i): keys for i, keys in blocks.items()}}


def without_sdk_inventions(sdk: dict[str, Any], raw: bytes) -> dict[str, Any]:
    """The SDK's stream accumulator sets `stop_reason`, `stop_sequence` and `stop_details` from
    every message_delta, and both fields of a compaction block from a compaction_delta, as None
    when the wire did not send them. We set only what was sent: drop those Nones."""
    keys = sent_keys(raw)
    sdk = dict(sdk)
    for key in ("stop_reason", "stop_sequence", "stop_details"):
        if key in sdk and sdk[key] is None and key not in keys["message"]:
            del sdk[key]
    content = []
    for i, block in enumerate(sdk.get("content") or []):
        if block.get("type") == "compaction":
            block = {k: v for k, v in block.items() if v is not None or k in keys.get(str(i), ())}
        content.append(block)
    sdk["content"] = content
    return sdk


# ---- a loopback server that answers every request with one recording --------------------------


class _Replay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    recording: dict[str, Any] | None = None
    piece = 0

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        rec = type(self).recording
        assert rec is not None
        data = rec["raw"] if "raw" in rec else body(rec)
        self.send_response(rec["status"])
        for key, value in rec["headers"].items():
            self.send_header(key, value)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        for part in by_size(data, type(self).piece or len(data) or 1):
            self.wfile.write(part)
            self.wfile.flush()

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def replay_server() -> Iterator[tuple[str, type[_Replay]]]:
    """(base URL, handler class): set `handler.recording` to choose what every request gets."""
    handler = type("Replay", (_Replay,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", handler
    finally:
        server.shutdown()
        server.server_close()
