"""What the three platform wires share: re-entering the emulator's own Messages handlers with a
rewritten body, and the platform's version names.

A platform request is turned into the first-party request the existing handlers already serve
(model from the URL into the body, `anthropic_version` from the body into the version), so
replies, validation, tool use and injected faults are exactly the direct API's.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from workbench.api.versions import API_VERSIONS, CLASSIC
from workbench.emulator.context import Call, injected_fault  # noqa: F401  (re-exported)

# Body `anthropic_version` values the platforms take: their historical names mean the
# classic behaviour; a dated API version (the SDK sends its own) means that version.
PLATFORM_VERSIONS = {"bedrock-2023-05-31": CLASSIC, "vertex-2023-10-16": CLASSIC}
REGION_PREFIXES = ("us.", "eu.", "apac.", "jp.", "au.", "global.", "us-gov.")


def body_version(value: Any) -> str | None:
    if isinstance(value, str):
        if value in PLATFORM_VERSIONS:
            return PLATFORM_VERSIONS[value]
        if value in API_VERSIONS:
            return value
    return None


def reentered(request: Request, body: dict[str, Any],
              betas: list[str] | None = None) -> Request:
    """`request` with `body` as its JSON body (and betas as the header): the handlers read it
    as if it had been sent so. After the body, `receive` is the original one, so a streamed
    reply still hears the client disconnect."""
    raw = json.dumps(body).encode()
    sent = False
    original = request.receive

    async def receive() -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await original()

    headers = [(k, v) for k, v in request.scope["headers"]
               if k not in (b"content-length", b"anthropic-beta")]
    headers.append((b"content-length", str(len(raw)).encode()))
    if betas:
        headers.append((b"anthropic-beta", ",".join(betas).encode()))
    return Request({**request.scope, "headers": headers}, receive)


def make_call(request: Request, version: str) -> Call:
    state = request.app.state
    call = Call(request, state.store, state.config, state.rng)
    call.version = version
    return call


async def json_object(request: Request) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is not one."""
    try:
        body = json.loads(await request.body() or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def split_sse(buffer: bytes) -> tuple[list[tuple[str, bytes]], bytes]:
    """Complete `event:`/`data:` pairs in `buffer` (the emulator's own SSE) and the rest."""
    events: list[tuple[str, bytes]] = []
    while b"\n\n" in buffer:
        block, buffer = buffer.split(b"\n\n", 1)
        name, data = "", b""
        for line in block.split(b"\n"):
            if line.startswith(b"event: "):
                name = line[7:].decode()
            elif line.startswith(b"data: "):
                data = line[6:]
        if name:
            events.append((name, data))
    return events, buffer
