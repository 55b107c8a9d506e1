"""`ClaudeClient`: the one client of the process, with a resource per API area.

Importing this module pulls in httpx and pydantic, never the UI nor the emulator.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from workbench.api.batches import Batches
from workbench.api.files import Files
from workbench.api.messages import Messages
from workbench.api.models import Models
from workbench.api.recording import ExchangeRecorder
from workbench.api.skills import Skills
from workbench.api.transport import DEFAULT_BASE_URL, RetryHook, Transport
from workbench.api.versions import DEFAULT_API_VERSION


class ClaudeClient:
    """Owns ONE httpx.AsyncClient (pooled, keep-alive); `await client.aclose()` at the end."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        api_version: str = DEFAULT_API_VERSION,
        max_retries: int = 2,
        betas: Iterable[str] = (),
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        recorder: ExchangeRecorder | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        base_url = base_url or os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL
        self._transport = Transport(
            api_key=api_key, base_url=base_url, api_version=api_version, betas=betas,
            max_retries=max_retries, timeout=timeout, transport=transport,
            recorder=recorder,
            default_headers=default_headers,
        )
        self.messages = Messages(self._transport)
        self.models = Models(self._transport)
        self.batches = Batches(self._transport)
        self.files = Files(self._transport)
        self.skills = Skills(self._transport)

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def api_version(self) -> str:
        return self._transport.api_version

    @property
    def recorder(self) -> ExchangeRecorder:
        return self._transport.recorder

    @property
    def max_retries(self) -> int:
        return self._transport.max_retries

    def scrub(self, text: str) -> str:
        """`text` with this client's key masked (for logs and error reports)."""
        return self._transport.scrub(text)

    async def request(
        self, method: str, path: str, *, on_retry: RetryHook | None = None, **kwargs: Any
    ) -> Any:
        """Any API call by path -> the JSON body; `on_retry` hears this call's retries only."""
        return await self._transport.json(method, path, on_retry=on_retry, **kwargs)

    @property
    def http(self) -> httpx.AsyncClient:
        return self._transport.http

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def __aenter__(self) -> ClaudeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
