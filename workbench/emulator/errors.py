"""The API's error bodies and the headers every response carries."""

from __future__ import annotations

import json
import secrets
from typing import Any

from starlette.responses import Response

STATUS_FOR_TYPE = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "conflict_error": 409,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}


def new_request_id() -> str:
    return "req_011C" + secrets.token_hex(11)


class APIProblem(Exception):
    """Raised inside a route; turned into the API's JSON error response."""

    def __init__(self, error_type: str, message: str, *, status: int | None = None,
                 error_code: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.status = status or STATUS_FOR_TYPE.get(error_type, 400)
        self.error_code = error_code
        self.headers = headers or {}


def error_body(error_type: str, message: str, request_id: str,
               error_code: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"type": error_type, "message": message}
    if error_code:
        error["details"] = {"error_code": error_code}
    return {"type": "error", "error": error, "request_id": request_id}


def problem_response(problem: APIProblem, request_id: str, org: str) -> Response:
    body = error_body(problem.error_type, problem.message, request_id, problem.error_code)
    headers = base_headers(request_id, org)
    headers.update(problem.headers)
    return Response(json.dumps(body), status_code=problem.status, headers=headers,
                    media_type="application/json")


def base_headers(request_id: str, org: str) -> dict[str, str]:
    return {
        "request-id": request_id,
        "anthropic-organization-id": org,
        "anthropic-ratelimit-requests-limit": "4000",
        "anthropic-ratelimit-requests-remaining": "3999",
        "anthropic-ratelimit-requests-reset": "2026-01-01T00:00:01Z",
        "anthropic-ratelimit-tokens-limit": "2000000",
        "anthropic-ratelimit-tokens-remaining": "1999000",
        "anthropic-ratelimit-tokens-reset": "2026-01-01T00:00:01Z",
        "anthropic-ratelimit-input-tokens-limit": "1600000",
        "anthropic-ratelimit-input-tokens-remaining": "1599000",
        "anthropic-ratelimit-input-tokens-reset": "2026-01-01T00:00:01Z",
        "anthropic-ratelimit-output-tokens-limit": "400000",
        "anthropic-ratelimit-output-tokens-remaining": "400000",
        "anthropic-ratelimit-output-tokens-reset": "2026-01-01T00:00:01Z",
    }
