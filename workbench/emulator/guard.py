"""What every request passes before a route runs: the Host check and the body's size bound.

- **Host**: only loopback names (`127.0.0.1`, `localhost`, `[::1]`, any port) and the names the
  server was told to allow. A web page that rebinds its own DNS name to 127.0.0.1 sends its
  own name as Host and is refused, so it cannot read the emulator's files or drive it.
- **Body size**: the declared length is checked before anything is read, and a body without
  one (chunked) is counted as it arrives: past the route's limit the request ends with the
  API's 413 at once, instead of after reading 200 MB.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workbench.api.rules import BATCH_LIMIT, FILE_LIMIT, MESSAGES_LIMIT, SKILL_LIMIT
from workbench.emulator.errors import APIProblem, new_request_id, problem_response

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
MB = 1024 * 1024
OTHER_LIMIT = 1 * MB  # GET/DELETE and the /_emulator controls carry small bodies at most
MULTIPART_SLACK = 1 * MB  # the multipart framing around an upload's bytes


def body_limit(method: str, path: str) -> int:
    """The most a request to `path` may send (the API's limit for that route)."""
    if method != "POST":
        return OTHER_LIMIT
    if path in ("/v1/messages", "/v1/messages/count_tokens"):
        return MESSAGES_LIMIT
    if path == "/v1/messages/batches":
        return BATCH_LIMIT
    if path == "/v1/files":
        return FILE_LIMIT + MULTIPART_SLACK
    if path.startswith("/v1/skills"):
        return SKILL_LIMIT + MULTIPART_SLACK
    return OTHER_LIMIT


def host_name(value: str) -> str:
    """`127.0.0.1:8765` -> `127.0.0.1`; `[::1]:80` -> `::1`; lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def too_large(size: int, limit: int) -> APIProblem:
    from workbench.emulator.context import too_large as make

    return make(size, limit)


class Guard:
    """ASGI middleware: Host check, then the body bound (declared, then as it arrives)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        config = scope["app"].state.config
        allowed = LOOPBACK | {host_name(h) for h in config.allowed_hosts}
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")
        if host_name(host) not in allowed:
            problem = APIProblem("permission_error",
                                 f"Host {host[:100]!r} is not served here (loopback names only)")
            await self._refuse(problem, config, scope, receive, send)
            return
        limit = body_limit(scope["method"], scope["path"])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(too_large(int(declared), limit), config, scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise too_large(seen, limit)
            return message

        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watch)
        except APIProblem as problem:  # raised by `counted` outside an API route's handler
            if started:
                raise
            await self._refuse(problem, config, scope, receive, send)

    @staticmethod
    async def _refuse(problem: APIProblem, config, scope: Scope, receive: Receive,
                      send: Send) -> None:
        # the server discards whatever of the body still arrives (it is never kept), so a
        # client still sending can finish and read this answer
        response = problem_response(problem, new_request_id(), config.organization_id)
        await response(scope, receive, send)
