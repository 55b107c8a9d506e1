"""Amazon Bedrock's runtime wire under `/bedrock`: `POST /model/{id}/invoke` and
`/model/{id}/invoke-with-response-stream`, SigV4 or a Bedrock API key as a bearer.

Errors are Bedrock's: `{"message": ...}` with `x-amzn-ErrorType` and `x-amzn-RequestId`;
a stream is AWS event-stream frames, each `chunk` holding one Messages event in base64.
These shapes follow the AWS documentation and the SDK's decoder; no real Bedrock was asked.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from workbench.emulator import messages as msg
from workbench.emulator.catalogue import find_model
from workbench.emulator.errors import APIProblem
from workbench.emulator.platforms import eventstream as es
from workbench.emulator.platforms.common import (
    REGION_PREFIXES,
    body_version,
    injected_fault,
    json_object,
    make_call,
    reentered,
    split_sse,
)
from workbench.emulator.platforms.sigv4 import SignatureProblem, verify

# The one key pair the emulator knows (demo mode and tests sign with it). Fake by design.
ACCESS_KEY = "AKIAEMULATOR00000000"
SECRET_KEY = "emulator/secret/key/not+a+real+one0000000"
API_KEY_PREFIXES = ("ABSK", "bedrock-api-key-")  # long- and short-term Bedrock API keys

# our error type -> (HTTP status, Bedrock exception name)
BEDROCK_ERRORS = {
    "invalid_request_error": (400, "ValidationException"),
    "request_too_large": (400, "ValidationException"),
    "authentication_error": (403, "AccessDeniedException"),
    "permission_error": (403, "AccessDeniedException"),
    "not_found_error": (404, "ResourceNotFoundException"),
    "rate_limit_error": (429, "ThrottlingException"),
    "timeout_error": (408, "ModelTimeoutException"),
    "overloaded_error": (503, "ServiceUnavailableException"),
    "api_error": (500, "InternalServerException"),
}
STREAM_EXCEPTIONS = {
    "overloaded_error": "serviceUnavailableException",
    "rate_limit_error": "throttlingException",
    "api_error": "internalServerException",
}


def bedrock_error(status: int, code: str, message: str, request_id: str,
                  extra: dict[str, str] | None = None) -> Response:
    headers = {"x-amzn-RequestId": request_id,
               "x-amzn-ErrorType": f"{code}:http://internal.amazon.com/coral/com.amazon.bedrock/"}
    headers.update(extra or {})
    return Response(json.dumps({"message": message}), status_code=status, headers=headers,
                    media_type="application/json")


def anthropic_model(model_id: str) -> str | None:
    """`us.anthropic.claude-sonnet-5-5-v1:0` -> `claude-sonnet-5-5`, if the catalogue has it."""
    for prefix in REGION_PREFIXES:
        if model_id.startswith(prefix):
            model_id = model_id[len(prefix):]
            break
    if not model_id.startswith("anthropic."):
        return None
    base = model_id[len("anthropic."):]
    for suffix in ("-v1:0", "-v1", "-v2:0", "-v2"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    else:
        return None
    info = find_model(base)
    return base if info is not None and info["lifecycle"] != "retired" else None


async def authenticate(request: Request, body: bytes) -> None:
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in request.scope["headers"]}
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        if not auth[7:].strip().startswith(API_KEY_PREFIXES):
            raise SignatureProblem("UnrecognizedClientException", "Invalid API Key format: "
                                   "Must start with pre-defined prefix")
        return
    raw_path = request.scope.get("raw_path") or request.scope["path"].encode()
    verify(request.method, raw_path.decode("latin-1"),
           request.scope.get("query_string", b"").decode("latin-1"), headers, body,
           {ACCESS_KEY: SECRET_KEY})


async def invoke(request: Request) -> Response:
    request_id = str(uuid.uuid4())
    raw = await request.body()
    try:
        await authenticate(request, raw)
    except SignatureProblem as problem:
        status = 403 if problem.code != "IncompleteSignatureException" else 400
        return bedrock_error(status, problem.code, problem.message, request_id)
    stream = request.url.path.endswith("/invoke-with-response-stream")
    model_id = unquote(request.path_params["model_id"])
    model = anthropic_model(model_id)
    if model is None:
        return bedrock_error(400, "ValidationException",
                             "The provided model identifier is invalid.", request_id)
    body = await json_object(request)
    if body is None:
        return bedrock_error(400, "ValidationException", "Malformed input request, please "
                             "reformat your input and try again.", request_id)
    for key in ("model", "stream"):
        if key in body:
            return bedrock_error(400, "ValidationException", f"Malformed input request: "
                                 f"extraneous key [{key}] is not permitted, please reformat "
                                 "your input and try again.", request_id)
    version = body_version(body.pop("anthropic_version", None))
    if version is None:
        return bedrock_error(400, "ValidationException", "Malformed input request: "
                             "anthropic_version: required key missing or not supported, "
                             "please reformat your input and try again.", request_id)
    betas = body.pop("anthropic_beta", None)
    body["model"] = model
    if stream:
        body["stream"] = True
    inner = reentered(request, body, betas if isinstance(betas, list) else None)
    call = make_call(inner, version)
    try:
        injected_fault(call)
        response = await msg.create(inner, call)
    except APIProblem as problem:
        status, code = BEDROCK_ERRORS.get(problem.error_type, (problem.status, "ValidationException"))
        extra = {k: v for k, v in problem.headers.items() if k.startswith("retry-after")}
        return bedrock_error(status, code, problem.message, request_id, extra)
    if isinstance(response, StreamingResponse):
        return StreamingResponse(_frames(response.body_iterator), media_type=es.CONTENT_TYPE,
                                 headers={"x-amzn-RequestId": request_id,
                                          "x-amzn-bedrock-content-type": "application/json"})
    return Response(response.body, media_type="application/json",
                    headers={"x-amzn-RequestId": request_id})


async def _frames(sse: AsyncIterator[bytes | str]) -> AsyncIterator[bytes]:
    """The emulator's SSE reply re-framed as Bedrock sends it; an `error` event becomes an
    exception frame, as a stream error does on Bedrock."""
    buffer = b""
    async for part in sse:
        buffer += part.encode() if isinstance(part, str) else part
        events, buffer = split_sse(buffer)
        out = []
        for name, data in events:
            if name == "error":
                err = json.loads(data).get("error") or {}
                kind = STREAM_EXCEPTIONS.get(err.get("type"), "internalServerException")
                out.append(es.exception_frame(kind, err.get("message", "")))
            else:
                out.append(es.chunk_frame(data))
        if out:
            yield b"".join(out)


def routes() -> list[Route]:
    return [
        Route("/bedrock/model/{model_id}/invoke", invoke, methods=["POST"]),
        Route("/bedrock/model/{model_id}/invoke-with-response-stream", invoke, methods=["POST"]),
    ]
