"""A fault-injecting HTTP proxy on loopback, in front of a real server (the emulator).

Each request is forwarded unless a seeded draw (`rate`, e.g. 0.2) gives it a fault, one of:
- `reset`: the upstream answer's headers are relayed, then the connection is reset;
- `500`: the API's `api_error` body with a request-id, without asking upstream;
- `429`: a `rate_limit_error` with `retry-after` (short) and a request-id;
- `truncate`: the upstream answer is relayed in part (a stream: after its first text delta),
  then the connection is reset.
Every fault so carries a request-id. One request per connection (`connection: close` both
ways), so the framing of a relayed answer never has to be understood.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import socket
import struct
import threading
from collections import Counter

FAULTS = ("reset", "500", "429", "truncate")


def _headers(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    out: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            out[k.strip().lower()] = v.strip()
    return lines[0], out


def _close_header(head: bytes) -> bytes:
    """The head with `connection: close` in place of any connection header."""
    lines = [ln for ln in head.decode("latin-1").split("\r\n")
             if ln and not ln.lower().startswith(("connection:", "keep-alive:"))]
    return ("\r\n".join([*lines, "connection: close"]) + "\r\n\r\n").encode("latin-1")


def _rst(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class FaultProxy:
    """`with FaultProxy(upstream_url, rate=0.2, seed=1) as proxy:` -> `proxy.url`."""

    def __init__(self, upstream: str, rate: float, seed: int = 0,
                 faults: tuple[str, ...] = FAULTS) -> None:
        host_port = upstream.split("://", 1)[1].rstrip("/")
        self.up_host, port = host_port.rsplit(":", 1)
        self.up_port = int(port)
        self.rate = rate
        self.faults = faults
        self.rng = random.Random(seed)
        self.injected: Counter[str] = Counter()
        self.forwarded = 0
        self.requests = 0
        self.ids = itertools.count(1)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="faultproxy")
        self._server: asyncio.base_events.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        def stop() -> None:
            assert self._server is not None
            self._server.close()
            self._loop.call_later(0.05, self._loop.stop)

        self._loop.call_soon_threadsafe(stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]

        self._loop.run_until_complete(start())
        self._ready.set()
        self._loop.run_forever()
        pending = asyncio.all_tasks(self._loop)  # connections still open: ended, not dropped
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    def _draw(self) -> str | None:
        if self.rng.random() >= self.rate:
            return None
        return self.rng.choice(self.faults)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            _, headers = _headers(head)
            length = int(headers.get("content-length") or 0)
            body = await reader.readexactly(length) if length else b""
            self.requests += 1
            fault = self._draw()
            rid = f"req_proxy_{next(self.ids)}"
            if fault in ("500", "429"):
                self.injected[fault] += 1
                kind = "api_error" if fault == "500" else "rate_limit_error"
                data = json.dumps({"type": "error", "error": {"type": kind,
                                                              "message": f"injected {fault}"},
                                   "request_id": rid}).encode()
                extra = "retry-after: 0.05\r\n" if fault == "429" else ""
                writer.write(f"HTTP/1.1 {fault} X\r\ncontent-type: application/json\r\n"
                             f"request-id: {rid}\r\n{extra}content-length: {len(data)}\r\n"
                             "connection: close\r\n\r\n".encode() + data)
                await writer.drain()
                return
            await self._relay(_close_header(head) + body, writer, fault)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            if not writer.is_closing():
                writer.close()

    async def _relay(self, request: bytes, writer: asyncio.StreamWriter,
                     fault: str | None) -> None:
        up_reader, up_writer = await asyncio.open_connection(self.up_host, self.up_port)
        try:
            up_writer.write(request)
            await up_writer.drain()
            head = await up_reader.readuntil(b"\r\n\r\n")
            writer.write(_close_header(head))
            await writer.drain()
            if fault == "reset":
                self.injected[fault] += 1
                _rst(writer)
                return
            _, headers = _headers(head)
            streaming = "text/event-stream" in headers.get("content-type", "")
            sent = 0
            cut_at = None
            if fault == "truncate":
                self.injected[fault] += 1
                cut_at = 1 if not streaming else None  # a stream: after its first text delta
            seen = b""
            while data := await up_reader.read(65536):
                if fault == "truncate" and streaming:
                    seen += data
                    marker = seen.find(b"text_delta")
                    if marker >= 0:
                        end = seen.find(b"\n\n", marker)
                        if end >= 0:
                            cut = len(data) - (len(seen) - (end + 2))
                            writer.write(data[:max(0, cut)])
                            await writer.drain()
                            _rst(writer)
                            return
                if cut_at is not None:
                    writer.write(data[: max(1, len(data) // 2)])
                    await writer.drain()
                    _rst(writer)
                    return
                writer.write(data)
                await writer.drain()
                sent += len(data)
            if fault is None:
                self.forwarded += 1
        finally:
            up_writer.close()
