"""A hostile HTTP server on loopback: every way a server can hang, flood or garble an answer.

Raw asyncio (not an HTTP framework) so it can do what no well-behaved server does: trickle a
byte at a time, go silent, reset the connection, lie about the length, send a gzip bomb. It runs
on its own loop in a thread, so the client, the CLI (a subprocess) and the TUI can all use it.
The first path segment picks the behaviour for every request below it (`base_url` =
`http://127.0.0.1:PORT/<case>`); every answer carries a request-id `req_<case>_<n>`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import struct
import threading
import zlib
from collections.abc import Awaitable, Callable, Iterator

TICK = 0.05  # the trickle's pace: far quicker than the bounds the tests set, so only a
# clock that ignores lone bytes can stop it
BOMB_RAW = 256 * 1024 * 1024  # what the gzip bomb expands to (the JSON bound is 64 MB)
HUGE = 300 * 1024 * 1024  # the "huge" body's announced and sent size


def _bomb() -> bytes:
    """gzip of BOMB_RAW zero bytes (about 250 KB), made once."""
    comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1024 * 1024)
    parts = [comp.compress(block) for _ in range(BOMB_RAW // len(block))]
    parts.append(comp.flush())
    return b"".join(parts)


_BOMB: bytes | None = None


def bomb() -> bytes:
    global _BOMB
    if _BOMB is None:
        _BOMB = _bomb()
    return _BOMB


def sse(name: str, data: dict) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


def stream_start(text: str = "partial reply") -> bytes:
    """A stream's opening: message_start, a text block and one delta (complete events)."""
    message = {"id": "msg_hostile", "type": "message", "role": "assistant", "model": "m",
               "content": [], "stop_reason": None, "stop_sequence": None,
               "usage": {"input_tokens": 1, "output_tokens": 0}}
    return (sse("message_start", {"type": "message_start", "message": message})
            + sse("content_block_start", {"type": "content_block_start", "index": 0,
                                          "content_block": {"type": "text", "text": ""}})
            + sse("content_block_delta", {"type": "content_block_delta", "index": 0,
                                          "delta": {"type": "text_delta", "text": text}}))


class Request:
    def __init__(self, method: str, path: str, headers: dict[str, str]) -> None:
        self.method = method
        self.path = path
        self.headers = headers

    @property
    def streaming(self) -> bool:
        return "text/event-stream" in self.headers.get("accept", "")


Handler = Callable[["Conn"], Awaitable[None]]


class Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 request: Request, rid: str) -> None:
        self.reader = reader
        self.writer = writer
        self.request = request
        self.rid = rid

    def head(self, status: int, ctype: str, *, length: int | None = None,
             extra: dict[str, str] | None = None) -> bytes:
        lines = [f"HTTP/1.1 {status} X", f"content-type: {ctype}", f"request-id: {self.rid}"]
        lines.append(f"content-length: {length}" if length is not None
                     else "transfer-encoding: chunked" if ctype != "text/event-stream"
                     else "connection: close")
        lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def answer(self, status: int, ctype: str, body: bytes,
                     extra: dict[str, str] | None = None) -> None:
        await self.send(self.head(status, ctype, length=len(body), extra=extra) + body)

    async def until_closed(self) -> None:
        """Hold the connection until the client gives up (so nothing lingers after a test)."""
        with contextlib.suppress(ConnectionError):
            while await self.reader.read(65536):
                pass

    def reset(self) -> None:
        """Close with a TCP RST (SO_LINGER 0), not a FIN."""
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


# --- the cases ----------------------------------------------------------------------------

async def silence(c: Conn) -> None:
    await c.until_closed()


async def trickle(c: Conn) -> None:
    """Bytes every TICK that never complete an answer: a comment line at a time for a stream
    (after one complete event, so a partial reply exists), JSON whitespace otherwise."""
    if c.request.streaming:
        await c.send(c.head(200, "text/event-stream") + stream_start())
        piece = b":\n"
    else:
        await c.send(c.head(200, "application/json"))
        piece = b"1\r\n \r\n"  # one chunk of one space
    while True:
        await c.send(piece)
        await asyncio.sleep(TICK)


async def head_trickle(c: Conn) -> None:
    """The status line and headers one byte at a time, for ever."""
    for byte in itertools.cycle(c.head(200, "application/json")[:-4] + b"\r\nx-pad: "):
        await c.send(bytes([byte]))
        await asyncio.sleep(TICK)


async def gzip_bomb(c: Conn) -> None:
    ctype = "text/event-stream" if c.request.streaming else "application/json"
    data = bomb()
    await c.send(c.head(200, ctype, length=len(data), extra={"content-encoding": "gzip"}))
    await c.send(data)
    await c.until_closed()


async def huge(c: Conn) -> None:
    """300 MB of JSON whitespace, announced with its length, sent until the client leaves."""
    await c.send(c.head(200, "application/json", length=HUGE))
    block = b" " * (1024 * 1024)
    with contextlib.suppress(ConnectionError):
        for _ in range(HUGE // len(block)):
            await c.send(block)


_counter = itertools.count(1)


def _page(c: Conn, cyclic: bool) -> bytes:
    n = 1 if cyclic else next(_counter)
    path = c.request.path
    if "/v1/models" in path:
        item = {"type": "model", "id": f"model-{n}", "display_name": f"Model {n}",
                "created_at": "2025-01-01T00:00:00Z"}
        return json.dumps({"data": [item], "has_more": True, "first_id": item["id"],
                           "last_id": item["id"]}).encode()
    if "/v1/messages/batches" in path:
        item = {"id": f"msgbatch_{n}", "type": "message_batch", "processing_status": "ended",
                "request_counts": {"processing": 0, "succeeded": 1, "errored": 0,
                                   "canceled": 0, "expired": 0},
                "created_at": "2025-01-01T00:00:00Z", "expires_at": "2025-01-02T00:00:00Z",
                "ended_at": "2025-01-01T00:01:00Z", "archived_at": None,
                "cancel_initiated_at": None, "results_url": None}
        return json.dumps({"data": [item], "has_more": True, "first_id": item["id"],
                           "last_id": item["id"]}).encode()
    if "/v1/skills" in path:
        item = {"id": f"skill_{n}", "type": "skill", "display_title": f"Skill {n}",
                "source": "custom", "latest_version": "1", "created_at": "2025-01-01T00:00:00Z",
                "updated_at": "2025-01-01T00:00:00Z"}
        return json.dumps({"data": [item], "has_more": True,
                           "next_page": f"page_{n}"}).encode()
    item = {"id": f"file_{n}", "type": "file", "filename": f"f{n}.txt", "mime_type": "text/plain",
            "size_bytes": 1, "created_at": "2025-01-01T00:00:00Z", "downloadable": False}
    return json.dumps({"data": [item], "has_more": True, "first_id": item["id"],
                       "last_id": item["id"], "next_page": f"page_{n}"}).encode()


async def pages_endless(c: Conn) -> None:
    await c.answer(200, "application/json", _page(c, cyclic=False))


async def pages_cycle(c: Conn) -> None:
    await c.answer(200, "application/json", _page(c, cyclic=True))


def _rate_limited(extra: dict[str, str]) -> Handler:
    body = json.dumps({"type": "error", "error": {"type": "rate_limit_error",
                                                  "message": "slow down"}}).encode()

    async def handler(c: Conn) -> None:
        await c.answer(429, "application/json", body, extra)

    return handler


PAGE = b"<html><head><title>502</title></head><body><h1>Bad gateway</h1></body></html>"


async def html(c: Conn) -> None:
    await c.answer(200, "text/html", PAGE)


async def html_500(c: Conn) -> None:
    await c.answer(500, "text/html", PAGE)


async def bad_json(c: Conn) -> None:
    await c.answer(200, "application/json", b'{"data": [{"id": ')


async def deep_json(c: Conn) -> None:
    await c.answer(200, "application/json", b"[" * 200_000 + b"]" * 200_000)


async def deep_error(c: Conn) -> None:
    await c.answer(400, "application/json", b'{"error": ' + b"[" * 200_000 + b"]" * 200_000
                   + b"}")


async def wrong_type(c: Conn) -> None:
    """JSON with a content-type that says it is an image (and JSON of the wrong shape)."""
    await c.answer(200, "image/png", b'{"not": "what you asked"}')


async def bad_gzip(c: Conn) -> None:
    await c.answer(200, "application/json", b"this is not gzip at all" * 10,
                   {"content-encoding": "gzip"})


async def truncated(c: Conn) -> None:
    await c.send(c.head(200, "application/json", length=10_000) + b'{"data": [')
    c.writer.close()


async def reset(c: Conn) -> None:
    c.reset()


async def reset_after_headers(c: Conn) -> None:
    await c.send(c.head(200, "application/json", length=10_000) + b"{")
    await asyncio.sleep(0.01)
    c.reset()


async def cut_stream(c: Conn) -> None:
    """A stream cut after its first delta (non-stream requests: a reset after the headers)."""
    if not c.request.streaming:
        await reset_after_headers(c)
        return
    await c.send(c.head(200, "text/event-stream") + stream_start())
    await asyncio.sleep(0.01)
    c.reset()


CASES: dict[str, Handler] = {
    "silence": silence,
    "trickle": trickle,
    "head-trickle": head_trickle,
    "gzip-bomb": gzip_bomb,
    "huge": huge,
    "pages-endless": pages_endless,
    "pages-cycle": pages_cycle,
    "retry-after": _rate_limited({"retry-after": "86400"}),
    "retry-after-ms": _rate_limited({"retry-after-ms": "inf"}),
    "html": html,
    "html-500": html_500,
    "bad-json": bad_json,
    "deep-json": deep_json,
    "deep-error": deep_error,
    "wrong-type": wrong_type,
    "bad-gzip": bad_gzip,
    "truncated": truncated,
    "reset": reset,
    "reset-after-headers": reset_after_headers,
    "cut-stream": cut_stream,
}


class HostileServer:
    """`with HostileServer() as server:` -> `server.url(case)` is a base URL for that case."""

    def __init__(self) -> None:
        self.port = 0
        self.hits: dict[str, int] = {}
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="hostile")
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    def url(self, case: str) -> str:
        assert case in CASES, case
        return f"http://127.0.0.1:{self.port}/{case}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._shutdown)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start())
        self._ready.set()
        self._loop.run_forever()
        pending = asyncio.all_tasks(self._loop)  # connections still open: ended, not dropped
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def _shutdown(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._tasks:
            task.cancel()
        self._loop.call_later(0.05, self._loop.stop)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while True:  # keep-alive: a connection may carry several requests
                request = await self._read_request(reader)
                if request is None:
                    return
                case = request.path.lstrip("/").split("/", 1)[0]
                n = self.hits[case] = self.hits.get(case, 0) + 1
                conn = Conn(reader, writer, request, f"req_{case.replace('-', '_')}_{n}")
                await CASES.get(case, html)(conn)
                if writer.is_closing():
                    return
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.transport.abort()

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> Request | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        length = int(headers.get("content-length") or 0)
        if length:
            await reader.readexactly(length)
        return Request(method, path, headers)


@contextlib.contextmanager
def hostile_server() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server
