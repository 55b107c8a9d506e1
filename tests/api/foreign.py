"""A tiny HTTP server that is not the Claude API, on loopback, for "wrong --base-url" tests.

The first path segment picks how it answers every request below it (so one server serves
every case, as a base URL prefix): `/html` an HTML 404 page, `/json` 200 with JSON of another
shape (and a request-id header), `/text` 200 plain text.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title>"
        b"<style>body { color: red }</style></head>\n<body><h1>Not Found</h1>\n"
        b"<p>The requested URL was not found on this server.</p>\n<hr><address>"
        b"nginx/1.25</address></body></html>\n")
ANSWERS = {
    "html": (404, "text/html; charset=utf-8", PAGE, {}),
    "json": (200, "application/json", b'{"hello": "world", "items": [1, 2, 3]}',
             {"request-id": "req_foreign_01"}),
    "text": (200, "text/plain", b"ok", {}),
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        mode = self.path.lstrip("/").split("/", 1)[0]
        status, ctype, data, extra = ANSWERS.get(mode, ANSWERS["html"])
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(data)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args: object) -> None:  # quiet
        pass


@contextlib.contextmanager
def foreign_server() -> Iterator[str]:
    """Its base URL (`http://127.0.0.1:PORT`) while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
