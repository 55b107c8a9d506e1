"""Google Vertex AI's wire under `/vertex/v1`: `.../publishers/anthropic/models/{model}:rawPredict`
and `:streamRawPredict`, and `.../models/count-tokens:rawPredict`, with an OAuth bearer token.

Google's own failures (no or bad token, unknown model, unknown route) have Google's error shape
`{"error": {"code", "message", "status"}}`; what the model itself refuses keeps the Claude
API's shape, as Vertex passes it through. Shapes from Google's documentation; no real Vertex
was asked.
"""

from __future__ import annotations

import json
import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workbench.emulator import messages as msg
from workbench.emulator.catalogue import find_model
from workbench.emulator.errors import APIProblem, new_request_id, problem_response
from workbench.emulator.platforms.common import (
    body_version,
    injected_fault,
    json_object,
    make_call,
    reentered,
)

TOKEN_PREFIX = "ya29."  # Google OAuth access tokens (what `gcloud auth print-access-token` prints)
PATH = re.compile(r"^projects/(?P<project>[^/]+)/locations/(?P<region>[^/]+)/publishers/"
                  r"anthropic/models/(?P<model>[^/:]+):(?P<method>[A-Za-z]+)$")
GOOGLE_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL"}


def google_error(code: int, message: str) -> Response:
    body = {"error": {"code": code, "message": message, "status": GOOGLE_STATUS.get(code, "UNKNOWN")}}
    return Response(json.dumps(body), status_code=code, media_type="application/json",
                    headers={"x-vertex-ai-request-id": new_request_id()})


def anthropic_model(model: str) -> str | None:
    """`claude-sonnet-4-5@20250929` -> `claude-sonnet-4-5-20250929`; `claude-sonnet-5-5` as is."""
    name = model.replace("@", "-", 1) if "@" in model else model
    info = find_model(name)
    return name if info is not None and info["lifecycle"] != "retired" else None


async def predict(request: Request) -> Response:
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    if not token.startswith(TOKEN_PREFIX):
        return google_error(401, "Request had invalid authentication credentials. Expected "
                            "OAuth 2 access token, login cookie or other valid authentication "
                            "credential.")
    match = PATH.match(request.path_params["tail"])
    if match is None or match["method"] not in ("rawPredict", "streamRawPredict"):
        return google_error(404, f"The requested URL {request.url.path} was not found.")
    project, region, model_id = match["project"], match["region"], match["model"]
    body = await json_object(request)
    if body is None:
        return google_error(400, "Invalid JSON payload received.")
    counting = model_id == "count-tokens"
    if counting:
        model = anthropic_model(str(body.get("model", "")))
        shown = body.get("model")
    else:
        model = anthropic_model(model_id)
        shown = model_id
    if model is None:
        return google_error(404, f"Publisher Model `projects/{project}/locations/{region}/"
                            f"publishers/anthropic/models/{shown}` not found.")
    version = body_version(body.pop("anthropic_version", None))
    if version is None:
        return problem_response(APIProblem("invalid_request_error",
                                           "anthropic_version: vertex-2023-10-16 is required"),
                                new_request_id(), request.app.state.config.organization_id)
    body["model"] = model
    if match["method"] == "streamRawPredict":
        body["stream"] = True
    inner = reentered(request, body)
    call = make_call(inner, version)
    try:
        if counting:
            return await msg.count_tokens(inner, call)
        injected_fault(call)
        return await msg.create(inner, call)
    except APIProblem as problem:
        return problem_response(problem, call.request_id, call.config.organization_id)


def routes() -> list[Route]:
    return [Route("/vertex/v1/{tail:path}", predict, methods=["POST"])]
