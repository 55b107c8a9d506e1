"""Test helpers: a loopback transport that adds a fault header to the first N requests.

It forwards every request, unchanged but for that header, to the real emulator over HTTP —
a way to make "fail twice, then succeed" deterministic without mocking our client.
"""

from __future__ import annotations

import httpx

KEY = "sk-ant-test-key-0000"
CONTROL = {"x-api-key": KEY}  # the emulator's /_emulator controls want a key too
MODEL = "claude-haiku-4-5"


def body(text: str = "Say hello in one short sentence.", **extra) -> dict:
    return {"model": MODEL, "max_tokens": 200,
            "messages": [{"role": "user", "content": text}], **extra}


class FaultFirst(httpx.AsyncBaseTransport):
    """Adds `x-emulator-fault: <fault>` to the first `times` requests, then passes through."""

    def __init__(self, fault: str, times: int) -> None:
        self.fault = fault
        self.times = times
        self.seen = 0
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen += 1
        if self.seen <= self.times:
            request.headers["x-emulator-fault"] = self.fault
            request.headers["x-emulator-retry-after"] = "0.05"  # retry-after sent with 429/529
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
