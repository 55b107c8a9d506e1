"""Amazon Bedrock: `POST /model/{id}/invoke` and `/invoke-with-response-stream`, the model in the
URL, `anthropic_version` (and betas) in the body, SigV4 by botocore or a Bedrock API key.

The same rewrite as the SDK's `AnthropicBedrock._prepare_options`; streamed replies arrive as
AWS event-stream frames, which `workbench.api.eventstream` turns back into our SSE events.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from workbench.api.errors import APIStatusError
from workbench.api.platforms.base import (
    PlatformAdapter,
    PlatformSetupError,
    Prepared,
    json_body,
    plain_headers,
    status_error,
)
from workbench.api.platforms.models import to_platform
from workbench.api.versions import CLASSIC

BODY_VERSION = "bedrock-2023-05-31"  # what Bedrock calls the classic API version
EVENTSTREAM = "application/vnd.amazon.eventstream"
# Bedrock exception name -> our error type
ERROR_TYPES = {
    "ValidationException": "invalid_request_error",
    "AccessDeniedException": "permission_error",
    "UnrecognizedClientException": "authentication_error",
    "InvalidSignatureException": "authentication_error",
    "IncompleteSignatureException": "authentication_error",
    "MissingAuthenticationTokenException": "authentication_error",
    "ExpiredTokenException": "authentication_error",
    "ResourceNotFoundException": "not_found_error",
    "ThrottlingException": "rate_limit_error",
    "ServiceQuotaExceededException": "rate_limit_error",
    "ModelTimeoutException": "timeout_error",
    "ServiceUnavailableException": "overloaded_error",
    "InternalServerException": "api_error",
    "ModelErrorException": "api_error",
    "ModelNotReadyException": "api_error",
}


def default_base_url(region: str) -> str:
    return f"https://bedrock-runtime.{region}.amazonaws.com"


class BedrockAdapter(PlatformAdapter):
    name = "bedrock"

    def __init__(self, *, api_version: str, region: str = "", base_url: str | None = None,
                 aws_profile: str | None = None, api_key: str | None = None,
                 credentials: Any = None, model_prefix: str = "") -> None:
        if not region:
            raise PlatformSetupError("a Bedrock profile needs a region (e.g. us-east-1)")
        super().__init__(base_url or default_base_url(region), api_version)
        self.region = region
        self.aws_profile = aws_profile
        self.api_key = api_key
        self.model_prefix = model_prefix
        self._credentials = credentials  # botocore credentials, resolved on first use
        self._lock = asyncio.Lock()

    async def credentials(self) -> Any:
        async with self._lock:
            if self._credentials is None:
                from workbench.api.sigv4 import load_credentials

                self._credentials = await asyncio.to_thread(load_credentials, self.aws_profile)
            return self._credentials

    async def prepare(self, method: str, path: str, headers: Mapping[str, str],
                      content: bytes | None, stream: bool) -> Prepared:
        if not (method == "POST" and path.split("?", 1)[0] == "/v1/messages"):
            self.refuse_unsupported(method, path)
        body = json_body(content)
        model = to_platform("bedrock", str(body.pop("model", "") or ""), self.model_prefix)
        streaming = bool(body.pop("stream", False)) or stream
        body.setdefault("anthropic_version",
                        BODY_VERSION if self.api_version == CLASSIC else self.api_version)
        betas = headers.get("anthropic-beta")
        if betas:
            body.setdefault("anthropic_beta", [b.strip() for b in betas.split(",") if b.strip()])
        action = "invoke-with-response-stream" if streaming else "invoke"
        url = f"{self.base_url}/model/{quote(model, safe=':')}/{action}"
        out = plain_headers(headers, drop=("anthropic-version", "anthropic-beta", "accept"))
        out["accept"] = EVENTSTREAM if streaming else "application/json"
        out["content-type"] = "application/json"
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        if self.api_key:
            out["authorization"] = f"Bearer {self.api_key}"
        else:
            from workbench.api.sigv4 import sign

            out = sign("POST", url, out, data, await self.credentials(), self.region)
        return Prepared(url, out, data)

    def error(self, status: int, text: str, headers: Mapping[str, str]) -> APIStatusError | None:
        kind = (headers.get("x-amzn-errortype") or "").split(":", 1)[0]
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        message = body.get("message") or body.get("Message") if isinstance(body, dict) else None
        if not (kind or message):
            return None
        error_type = ERROR_TYPES.get(kind, "")
        text_out = f"Bedrock {kind}: {message}" if kind else f"Bedrock: {message}"
        return status_error(status, text_out, headers.get("x-amzn-requestid"), body, headers,
                            error_type)

    def secrets(self) -> list[str]:
        return [self.api_key] if self.api_key else []
