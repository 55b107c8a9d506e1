"""Google Vertex AI: `.../publishers/anthropic/models/{model}:rawPredict` (`:streamRawPredict` for a
stream, whose reply is plain SSE) and `.../models/count-tokens:rawPredict`, with a bearer token
from Application Default Credentials (google-auth, the `vertex` extra) or a token command.

The same rewrite as the SDK's `AnthropicVertex`: the model leaves the body for the URL,
`anthropic_version` joins it, `stream` stays in it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from workbench.api.errors import APIStatusError
from workbench.api.platforms.base import (
    LibraryToken,
    PlatformAdapter,
    PlatformSetupError,
    Prepared,
    TokenCommand,
    error_body,
    json_body,
    plain_headers,
    status_error,
)
from workbench.api.platforms.models import to_platform
from workbench.api.versions import CLASSIC

BODY_VERSION = "vertex-2023-10-16"
SCOPE = "https://www.googleapis.com/auth/cloud-platform"
GOOGLE_TYPES = {"INVALID_ARGUMENT": "invalid_request_error", "FAILED_PRECONDITION":
                "invalid_request_error", "UNAUTHENTICATED": "authentication_error",
                "PERMISSION_DENIED": "permission_error", "NOT_FOUND": "not_found_error",
                "RESOURCE_EXHAUSTED": "rate_limit_error", "UNAVAILABLE": "overloaded_error",
                "INTERNAL": "api_error", "DEADLINE_EXCEEDED": "timeout_error"}


def default_base_url(region: str) -> str:
    """The SDK's rule: global and the multi-regions have their own hosts."""
    if region == "global":
        return "https://aiplatform.googleapis.com/v1"
    if region in ("us", "eu"):
        return f"https://aiplatform.{region}.rep.googleapis.com/v1"
    return f"https://{region}-aiplatform.googleapis.com/v1"


class ADCToken(LibraryToken):
    """Application Default Credentials through google-auth, refreshed when expired."""

    extra, package = "vertex", "google-auth"
    purpose = "Application Default Credentials for Vertex AI"
    failing = "Google credentials"
    advice = "run `gcloud auth application-default login`, or give the profile a token command"

    def library(self) -> Any:
        import google.auth
        import google.auth.transport.requests

        return google.auth

    def fetch(self, library: Any) -> str:
        if self._credentials is None:
            self._credentials, _ = library.default(scopes=[SCOPE])
        if not self._credentials.valid:
            self._credentials.refresh(library.transport.requests.Request())
        return str(self._credentials.token)


class VertexAdapter(PlatformAdapter):
    name = "vertex"

    def __init__(self, *, api_version: str, project: str = "", region: str = "",
                 base_url: str | None = None, token_command: str | None = None,
                 access_token: str | None = None) -> None:
        if not project or not region:
            raise PlatformSetupError("a Vertex AI profile needs a project id and a region")
        super().__init__(base_url or default_base_url(region), api_version)
        self.project = project
        self.region = region
        self.access_token = access_token
        self._source: TokenCommand | ADCToken = (
            TokenCommand(token_command, "Vertex AI token") if token_command else ADCToken())

    async def prepare(self, method: str, path: str, headers: Mapping[str, str],
                      content: bytes | None, stream: bool) -> Prepared:
        route = path.split("?", 1)[0]
        if method != "POST" or route not in ("/v1/messages", "/v1/messages/count_tokens"):
            self.refuse_unsupported(method, path)
        body = json_body(content)
        body.setdefault("anthropic_version",
                        BODY_VERSION if self.api_version == CLASSIC else self.api_version)
        where = (f"/projects/{quote(self.project, safe='')}/locations/"
                 f"{quote(self.region, safe='')}/publishers/anthropic/models/")
        if route == "/v1/messages":
            model = to_platform("vertex", str(body.pop("model", "") or ""))
            action = "streamRawPredict" if body.get("stream") or stream else "rawPredict"
            url = f"{self.base_url}{where}{quote(model, safe='@')}:{action}"
        else:
            body["model"] = to_platform("vertex", str(body.get("model", "") or ""))
            url = f"{self.base_url}{where}count-tokens:rawPredict"
        out = plain_headers(headers)
        out["content-type"] = "application/json"
        token = self.access_token or await self._source.token()
        out["authorization"] = f"Bearer {token}"
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        return Prepared(url, out, data)

    def error(self, status: int, text: str, headers: Mapping[str, str]) -> APIStatusError | None:
        body, err = error_body(text)
        if isinstance(body, list) and body and isinstance(body[0], dict):
            err = body[0].get("error")  # some Google front ends wrap the error in a list
        if not isinstance(err, dict) or "type" in err or "status" not in err:
            return None  # the Claude API's own shape, passed through by Vertex
        google = str(err.get("status"))
        return status_error(status, f"Vertex AI {google}: {err.get('message', '')}",
                            headers.get("request-id") or headers.get("x-vertex-ai-request-id"),
                            body, headers, GOOGLE_TYPES.get(google, ""))

    def secrets(self) -> list[str]:
        return [self.access_token] if self.access_token else []
