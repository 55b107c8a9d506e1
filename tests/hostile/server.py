"""A hostile API server on loopback: it echoes the caller's key in error bodies and headers, and
names things with markup and terminal escape sequences.

Every request gets a 4xx error whose message quotes the x-api-key it was sent (as a careless
proxy might) plus HOSTILE; the key is also echoed in `request-id` and `x-echo` headers. Paths in
`canned` (GET, exact path) answer 200 with that JSON instead: lists of models, files, skills and
batches whose names are HOSTILE.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Markup that crashes or acts, and escapes that set the clipboard, clear the screen, retitle.
HOSTILE = "[/]x[@click=app.quit]q\x1b]52;c;aGFja2Vk\x07\x1b[2J\x1b]0;pwned\x07[b]"
RAW_ESCAPES = ("\x1b]52", "\x1b[2J", "\x1b]0;")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    canned: dict[str, Any] = {}

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        key = self.headers.get("x-api-key") or ""
        path = self.path.split("?", 1)[0]
        if self.command == "GET" and path in self.canned:
            status, payload = 200, self.canned[path]
        else:
            status = 401
            payload = {"type": "error", "request_id": f"req_{key}",
                       "error": {"type": "authentication_error",
                                 "message": f"invalid x-api-key: {key} {HOSTILE}"}}
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", f"req_{key}")
        self.send_header("x-echo", key)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def hostile_server(canned: dict[str, Any] | None = None) -> Iterator[str]:
    """Serve on a free loopback port; yields the base URL."""
    handler = type("Handler", (_Handler,), {"canned": dict(canned or {})})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def windows(secret: str, size: int = 10) -> list[str]:
    """Every `size`-character window of `secret`: none may appear anywhere we write."""
    return [secret[i:i + size] for i in range(len(secret) - size + 1)]
