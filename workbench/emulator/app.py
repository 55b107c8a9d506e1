"""The emulator's ASGI app: the Claude API's routes, plus `/_emulator/` controls for tests.

Build it with `create_app(config)`; serve it with `workbench.emulator.server`. The controls
(but `/_emulator/health`) need an API key like the API's routes, and every request passes
`guard.Guard` first (loopback Host names only; bodies bounded as they arrive).
"""

from __future__ import annotations

import random
import time
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from workbench.emulator import messages as msg
from workbench.emulator import resources as res
from workbench.emulator.config import EmulatorConfig
from workbench.emulator.context import api_endpoint, authenticate
from workbench.emulator.errors import APIProblem, new_request_id, problem_response
from workbench.emulator.guard import Guard
from workbench.emulator.state import State


def _routes() -> list[Route]:
    e = api_endpoint
    return [
        Route("/v1/messages", e(msg.create, faults_by_rate=True), methods=["POST"]),
        Route("/v1/messages/count_tokens", e(msg.count_tokens), methods=["POST"]),
        Route("/v1/models", e(res.list_models), methods=["GET"]),
        Route("/v1/models/{model_id:path}", e(res.get_model), methods=["GET"]),
        Route("/v1/messages/batches", e(res.create_batch), methods=["POST"]),
        Route("/v1/messages/batches", e(res.list_batches), methods=["GET"]),
        Route("/v1/messages/batches/{batch_id}", e(res.get_batch), methods=["GET"]),
        Route("/v1/messages/batches/{batch_id}", e(res.delete_batch), methods=["DELETE"]),
        Route("/v1/messages/batches/{batch_id}/cancel", e(res.cancel_batch), methods=["POST"]),
        Route("/v1/messages/batches/{batch_id}/results", e(res.batch_results), methods=["GET"]),
        Route("/v1/files", e(res.upload_file), methods=["POST"]),
        Route("/v1/files", e(res.list_files), methods=["GET"]),
        Route("/v1/files/{file_id}", e(res.get_file), methods=["GET"]),
        Route("/v1/files/{file_id}", e(res.delete_file), methods=["DELETE"]),
        Route("/v1/files/{file_id}/content", e(res.download_file), methods=["GET"]),
        Route("/v1/skills", e(res.create_skill), methods=["POST"]),
        Route("/v1/skills", e(res.list_skills), methods=["GET"]),
        Route("/v1/skills/{skill_id}", e(res.get_skill), methods=["GET"]),
        Route("/v1/skills/{skill_id}", e(res.delete_skill), methods=["DELETE"]),
        Route("/v1/skills/{skill_id}/versions", e(res.create_version), methods=["POST"]),
        Route("/v1/skills/{skill_id}/versions", e(res.list_versions), methods=["GET"]),
        Route("/v1/skills/{skill_id}/versions/{version}", e(res.get_version), methods=["GET"]),
        Route("/v1/skills/{skill_id}/versions/{version}", e(res.delete_version),
              methods=["DELETE"]),
        # Controls for tests and demos; not part of the API.
        Route("/_emulator/health", health, methods=["GET"]),
        Route("/_emulator/files", keyed(control_make_file), methods=["POST"]),
        Route("/_emulator/files/{file_id}/raw", keyed(control_raw_file), methods=["GET"]),
        Route("/_emulator/batches/{batch_id}/finish", keyed(control_finish_batch),
              methods=["POST"]),
    ]


def keyed(control):
    """A control that answers only a request carrying an API key (any, as the API routes):
    a page in a browser cannot add that header to a request without the emulator's consent."""

    async def endpoint(request: Request) -> Response:
        try:
            authenticate(request)
        except APIProblem as problem:
            return problem_response(problem, new_request_id(),
                                    request.app.state.config.organization_id)
        return await control(request)

    return endpoint


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True})


async def control_make_file(request: Request) -> Response:
    """Create a downloadable file, as if a tool had produced it: {filename, size, mime_type,
    expires_in} (seconds from now; negative makes an already expired file)."""
    import time

    body = await request.json()
    state: State = request.app.state.store
    stored = state.make_generated_file(str(body.get("filename", "output.bin")),
                                       int(body.get("size", 1024)),
                                       str(body.get("mime_type", "application/octet-stream")))
    if body.get("expires_in") is not None:
        stored.expires_at = time.time() + float(body["expires_in"])
    return JSONResponse(stored.meta())


async def control_raw_file(request: Request) -> Response:
    """The stored bytes of any file (uploads included), so tests can compare them."""
    from starlette.responses import FileResponse

    state: State = request.app.state.store
    stored = state.files.get(request.path_params["file_id"])
    if stored is None:
        return JSONResponse({"error": "no such file"}, status_code=404)
    return FileResponse(stored.path)


async def control_finish_batch(request: Request) -> Response:
    """End a batch now: {"outcome": "succeeded"} (all processed) or "expired" (rest expire)."""
    state: State = request.app.state.store
    batch = state.batches.get(request.path_params["batch_id"])
    if batch is None:
        return JSONResponse({"error": "no such batch"}, status_code=404)
    body = await request.json() if await request.body() else {}
    batch.forced_end = time.time()
    batch.forced_outcome = "expired" if body.get("outcome") == "expired" else None
    return JSONResponse(state.batch_json(batch, str(request.base_url).rstrip("/")))


async def not_found(request: Request, exc: Exception) -> Response:
    problem = APIProblem("not_found_error", f"Not found: {request.method} {request.url.path}")
    return problem_response(problem, new_request_id(), request.app.state.config.organization_id)


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    problem = APIProblem("not_found_error",
                         f"{request.method} is not supported on {request.url.path}", status=405)
    return problem_response(problem, new_request_id(), request.app.state.config.organization_id)


def segment_path(raw_path: bytes) -> str:
    """The path with each segment decoded on its own; only `%` and `/` stay escaped in it."""
    parts = (unquote(part) for part in raw_path.decode("latin-1").split("/"))
    return "/".join(p.replace("%", "%25").replace("/", "%2F") for p in parts)


class RawPathRouting:
    """Route on the path as sent, so an id holding an encoded `/` (`%2F`) stays one segment.

    The server decodes `%2F` in `scope["path"]`: `GET /v1/files/a%2Fcontent` would reach the
    download route of file `a`, where the real API answers 404 for the id `a/content`. Path
    parameters then hold `%25`/`%2F`; `api_endpoint` unescapes them once.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path")
        if scope["type"] == "http" and raw and b"%" in raw:
            scope = {**scope, "path": segment_path(raw)}
        await self.app(scope, receive, send)


def create_app(config: EmulatorConfig | None = None) -> Starlette:
    config = config or EmulatorConfig()
    from workbench.emulator.platforms import routes as platform_routes

    first_party = _routes()
    app = Starlette(routes=first_party + platform_routes(first_party),
                    middleware=[Middleware(Guard), Middleware(RawPathRouting)],
                    exception_handlers={404: not_found, 405: method_not_allowed})
    app.state.config = config
    app.state.store = State(config)
    app.state.rng = random.Random(config.seed)
    return app
