"""`ClaudeClient`: the one client of the process, with a resource per API area.

Importing this module pulls in httpx and pydantic, never the UI nor the emulator.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from workbench.api.batches import Batches
from workbench.api.files import Files
from workbench.api.messages import Messages
from workbench.api.models import Models
from workbench.api.recording import ExchangeRecorder
from workbench.api.skills import Skills
from workbench.api.transport import DEFAULT_BASE_URL, RetryHook, Transport
from workbench.api.versions import DEFAULT_API_VERSION

if TYPE_CHECKING:
    from workbench.api.platforms import PlatformAdapter


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
        deadline: float | None = None,
        stream_idle: float | None = None,
        platform: PlatformAdapter | None = None,
    ) -> None:
        """`deadline`: seconds a request may take over all its attempts (a stream: until it
        opens); `stream_idle`: seconds an open stream may go without a complete event. None:
        WORKBENCH_DEADLINE / WORKBENCH_STREAM_IDLE, else 600 s each (the SDK's timeout).
        `platform`: a cloud profile's adapter (it knows its endpoint)."""
        if platform is not None:
            base_url = platform.base_url
        base_url = base_url or os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_BASE_URL
        self._transport = Transport(
            api_key=api_key, base_url=base_url, api_version=api_version, betas=betas,
            max_retries=max_retries, timeout=timeout, transport=transport,
            recorder=recorder,
            default_headers=default_headers, deadline=deadline, stream_idle=stream_idle,
            platform=platform,
        )
        self._is_view = False
        self._resources(self._transport)

    def _resources(self, transport: Any) -> None:
        self._calls = transport  # what calls go through: the transport, or a view's hook on it
        self.messages = Messages(transport)
        self.models = Models(transport)
        self.batches = Batches(transport)
        self.files = Files(transport)
        self.skills = Skills(transport)

    def with_options(
        self, *, on_retry: RetryHook | None = None, deadline: float | None = None,
        stream_idle: float | None = None,
    ) -> ClaudeClient:
        """A view of this client for a few calls, as the SDK's `with_options`: same connection
        pool, recorder and key; every call made through it tells `on_retry` of its retries,
        e.g. `await client.with_options(on_retry=hook).files.list()`. The client itself is
        never changed, so other panes' calls do not hear the hook. `deadline` and
        `stream_idle` replace the client's own for the view's calls. Closing a view is a no-op."""
        view = object.__new__(ClaudeClient)
        view._transport = self._transport
        view._is_view = True
        options = {k: v for k, v in (("deadline", deadline), ("stream_idle", stream_idle)) if v}
        inner = self._calls if isinstance(self._calls, HookedTransport) else self._transport
        if isinstance(inner, HookedTransport):  # a view of a view keeps what it does not replace
            on_retry = on_retry or inner._on_retry
            options = {**inner._options, **options}
        view._resources(HookedTransport(self._transport, on_retry, options))
        return view

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def platform(self) -> str:
        """`anthropic`, `bedrock`, `vertex` or `foundry`: what the panes' capabilities follow."""
        adapter = self._transport.platform
        return adapter.name if adapter is not None else "anthropic"

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
        return await self._calls.json(method, path, on_retry=on_retry, **kwargs)

    @property
    def http(self) -> httpx.AsyncClient:
        return self._transport.http

    async def aclose(self) -> None:
        if not self._is_view:
            await self._transport.aclose()

    async def __aenter__(self) -> ClaudeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class HookedTransport:
    """The shared transport as seen by a `with_options` view: its calls carry the view's hook
    (a hook given to the call itself wins); everything else is the transport's own."""

    def __init__(self, transport: Transport, on_retry: RetryHook | None,
                 options: Mapping[str, Any] | None = None) -> None:
        self._inner = transport
        self._on_retry = on_retry
        self._options = dict(options or {})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def request(self, *args: Any, on_retry: RetryHook | None = None,
                      **kwargs: Any) -> Any:
        for name, value in self._options.items():
            if not kwargs.get(name):
                kwargs[name] = value
        return await self._inner.request(*args, on_retry=on_retry or self._on_retry, **kwargs)

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response, ex = await self.request(method, path, **kwargs)
        return self._inner.decode_json(response, ex)
