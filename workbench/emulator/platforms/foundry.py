"""Microsoft Foundry's Anthropic-compatible API under `/foundry/anthropic`: the Claude API's own
routes and shapes, with an Azure key (`api-key` or `x-api-key`) or an Entra ID bearer token.

Foundry offers no Message Batches and no model list (the SDK's `AnthropicFoundry` leaves them
out): those paths, and any unknown one, get Azure's 404; missing credentials get Azure's 401.
"""

from __future__ import annotations

import json
import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PREFIX = "/foundry/anthropic"
OFFERED = ("/v1/messages", "/v1/files", "/v1/skills")


def azure_error(code: int, message: str) -> Response:
    return Response(json.dumps({"error": {"code": str(code), "message": message}}),
                    status_code=code, media_type="application/json",
                    headers={"apim-request-id": uuid.uuid4().hex})


def _guarded(endpoint):
    async def guarded(request: Request) -> Response:
        key = (request.headers.get("x-api-key") or request.headers.get("api-key") or "").strip()
        auth = request.headers.get("authorization", "")
        bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if not (key or bearer):
            return azure_error(401, "Access denied due to invalid subscription key or wrong API "
                               "endpoint. Make sure to provide a valid key for an active "
                               "subscription and use a correct regional API endpoint for your "
                               "resource.")
        return await endpoint(request)

    return guarded


async def not_offered(request: Request) -> Response:
    return azure_error(404, "Resource not found")


def routes(first_party: list[Route]) -> list[Route]:
    out = []
    for route in first_party:
        path = route.path
        if path.startswith(OFFERED) and not path.startswith("/v1/messages/batches"):
            out.append(Route(PREFIX + path, _guarded(route.endpoint), methods=route.methods))
    out.append(Route("/foundry/{rest:path}", not_offered,
                     methods=["GET", "POST", "DELETE", "PUT", "PATCH"]))
    return out
