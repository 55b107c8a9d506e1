"""One shared httpx.AsyncClient, the SDK's retry policy, and the recording of every exchange.

`Transport.request` is the only place that talks HTTP: it sends, retries (connection errors,
408, 409, 429, >= 500, honouring retry-after and x-should-retry), turns error bodies into typed
errors and records the exchange. Streams are returned open after a 200, so a stream is only
ever retried before its first byte.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from workbench.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    UnexpectedResponseError,
    error_from_body,
    loads_json,
    parse_retry_after,
)
from workbench.api.recording import (
    BODY_CAP,
    Exchange,
    ExchangeRecorder,
    RetryRecord,
    cap_text,
    mask_key,
)

DEFAULT_BASE_URL = "https://api.anthropic.com"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=600.0, write=600.0, pool=10.0)
RETRY_STATUSES = frozenset({408, 409, 429})
MAX_RETRY_AFTER = 60.0  # a longer (or no, or non-positive) retry-after: our own backoff
KEEP_RESPONSE_HEADERS = frozenset(
    {"request-id", "retry-after", "retry-after-ms", "x-should-retry", "content-type",
     "content-length", "date"}
)

M = TypeVar("M", bound=BaseModel)
RetryHook = Callable[[Exchange, RetryRecord], None]
# a body factory is called once per attempt, so a streamed upload can be re-sent from the start
BodyFactory = Callable[[], AsyncIterator[bytes]]


def backoff_delay(retries_taken: int) -> float:
    """The SDK's backoff: 0.5 s doubling up to 8 s, minus up to 25 % jitter."""
    return min(0.5 * 2**retries_taken, 8.0) * (1 - 0.25 * random.random())


def retry_delay(retry_after: float | None, retries_taken: int) -> float:
    """The server's retry-after when 0 < it <= 60 s (the SDK's rule), else our backoff: a
    server asking for minutes must not freeze a pane that long."""
    if retry_after is not None and 0 < retry_after <= MAX_RETRY_AFTER:
        return retry_after
    return backoff_delay(retries_taken)


def should_retry(status: int, headers: Mapping[str, str]) -> bool:
    forced = headers.get("x-should-retry")
    if forced == "true":
        return True
    if forced == "false":
        return False
    return status in RETRY_STATUSES or status >= 500


_KEEP_RAW = frozenset(h.encode() for h in KEEP_RESPONSE_HEADERS)


def selected_headers(headers: httpx.Headers) -> dict[str, str]:
    """The headers the inspector shows (works on raw bytes: only the kept ones are decoded)."""
    out: dict[str, str] = {}
    for key, value in headers.raw:
        key = key.lower()
        if key in _KEEP_RAW or key.startswith(b"anthropic-"):
            out[key.decode("latin-1")] = value.decode("latin-1")
    return out


def _version() -> str:
    from workbench import __version__

    return __version__


def dumps(params: Any) -> str:
    return json.dumps(params, ensure_ascii=False, separators=(",", ":"))


class Transport:
    """Headers, base URL, retries and recording around the one `httpx.AsyncClient`."""

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str,
        api_version: str,
        betas: Iterable[str] = (),
        max_retries: int = 2,
        timeout: float | httpx.Timeout | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        recorder: ExchangeRecorder | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version
        self.betas = tuple(betas)
        self.max_retries = max(0, int(max_retries))
        self.recorder = recorder if recorder is not None else ExchangeRecorder()
        if timeout is None:
            timeout = DEFAULT_TIMEOUT
        elif not isinstance(timeout, httpx.Timeout):
            timeout = httpx.Timeout(float(timeout), connect=min(5.0, float(timeout)))
        self.http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )
        # The hot path hands requests straight to the client's own pool (or proxy) transport:
        # no cookie jar, auth flow, redirects or event hooks to run, ~20 % less per request.
        self._timeout = timeout.as_dict()
        self._pick = getattr(self.http, "_transport_for_url", None)
        self._base_pool = self._pick(httpx.URL(self.base_url)) if self._pick else None
        self._headers: dict[str, str] = {
            "anthropic-version": api_version,
            "accept": "application/json",
            "accept-encoding": "gzip, deflate",
            "user-agent": f"workbench/{_version()}",
        }
        self._headers.update(default_headers or {})
        if api_key:
            self._headers["x-api-key"] = api_key
        self._masked = {k: self.scrub(v) for k, v in self._headers.items()}
        self._header_cache: dict[str | None, tuple[httpx.Headers, dict[str, str]]] = {}
        self._url_cache: dict[str, httpx.URL] = {}
        if api_key:
            self._masked["x-api-key"] = mask_key(api_key)

    async def aclose(self) -> None:
        await self.http.aclose()

    def scrub(self, text: str) -> str:
        """The key never lands in a record, even if a body happened to contain it."""
        key = self.api_key
        if key and len(key) >= 8 and key in text:  # a toy key like "k" would mangle everything
            return text.replace(key, mask_key(key))
        return text

    def _headers_for(
        self, betas: Iterable[str], content_type: str | None, extra: Mapping[str, str] | None
    ) -> tuple[httpx.Headers | dict[str, str], dict[str, str]]:
        plain = not betas and not extra
        if plain:
            cached = self._header_cache.get(content_type)
            if cached is not None:  # the common case: built (and normalised) once
                return cached[0], dict(cached[1])
        headers = dict(self._headers)
        masked = dict(self._masked)
        all_betas = [*self.betas, *betas]
        if all_betas:
            headers["anthropic-beta"] = masked["anthropic-beta"] = ",".join(
                dict.fromkeys(all_betas)
            )
        if content_type:
            headers["content-type"] = masked["content-type"] = content_type
        if extra:
            headers.update(extra)
            masked.update({k: self.scrub(v) for k, v in extra.items()})
        if plain:
            self._header_cache[content_type] = (httpx.Headers(headers), masked)
            return self._header_cache[content_type][0], dict(masked)
        return headers, masked

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: str | bytes | None = None,
        body_factory: BodyFactory | None = None,
        content_type: str | None = None,
        record_body: str | None = None,
        params: Mapping[str, Any] | None = None,
        betas: Iterable[str] = (),
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        on_retry: RetryHook | None = None,
    ) -> tuple[httpx.Response, Exchange]:
        """Send with retries. Returns the response (already read unless `stream`) and its record.

        `on_retry(exchange, record)` is called before each retry's wait, for this call only;
        an exception it raises ends the request (it is the caller's own bug: never hidden).

        `body` may come already encoded (bytes, with its `record_body`) when it is big enough
        that encoding it belongs in a thread rather than on the event loop.

        Raises the typed error for an error status, APIConnectionError / APITimeoutError when
        no answer came, after the retries allowed.
        """
        if body is not None and content_type is None:
            content_type = "application/json"
        hdrs, masked = self._headers_for(betas, content_type, headers)
        content = body.encode() if isinstance(body, str) else body
        url = path if path.startswith(("http://", "https://")) else self.base_url + path
        if params:
            params = {k: v for k, v in params.items() if v is not None}
        if params:
            target = httpx.URL(url, params=params)
        else:
            target = self._url_cache.get(url)
            if target is None:
                target = httpx.URL(url)
                if len(self._url_cache) < 256:
                    self._url_cache[url] = target
        pool = self._base_pool if url.startswith(self.base_url) else None
        if record_body is None:
            if isinstance(body, bytes):
                body = body[:BODY_CAP * 4].decode(errors="replace")
            record_body = cap_text(self.scrub(body)) if body is not None else ""
        ex = Exchange(method, url, masked, record_body)
        self.recorder.start(ex)
        try:
            return await self._attempts(method, target, pool, hdrs, content, body_factory,
                                        stream, ex, on_retry)
        except asyncio.CancelledError:
            if not ex.finished:
                ex.error = "cancelled"
                ex.done_at = time.monotonic()
                self.recorder.finish(ex)
            raise

    async def _attempts(
        self, method: str, target: httpx.URL, pool: httpx.AsyncBaseTransport | None,
        hdrs: httpx.Headers | dict[str, str], content: bytes | None, body_factory: BodyFactory | None,
        stream: bool, ex: Exchange, on_retry: RetryHook | None,
    ) -> tuple[httpx.Response, Exchange]:
        attempt = 0
        while True:
            failure: Exception | None = None
            reason = ""
            retry_after: float | None = None
            ex.status = None
            try:
                request = httpx.Request(
                    method, target, headers=hdrs,
                    content=content if body_factory is None else body_factory(),
                    extensions={"timeout": self._timeout},
                )
                ex.sent_at = time.monotonic()
                response = await self._send(request, pool)
                ex.first_byte_at = time.monotonic()
                status = response.status_code
                ex.status = status
                ex.response_headers = rh = selected_headers(response.headers)
                ex.request_id = rh.get("request-id")
                if status < 400 and stream:
                    return response, ex
                try:
                    await response.aread()
                finally:
                    await response.aclose()
            except httpx.TimeoutException as exc:
                failure = APITimeoutError(f"request timed out ({type(exc).__name__})")
                reason = "timeout"
            except httpx.TransportError as exc:
                failure = APIConnectionError(f"connection error: {str(exc) or type(exc).__name__}")
                reason = str(failure)
            if failure is None:
                if status < 400:
                    ex.response_body = cap_text(self.scrub(
                        response.content.decode("utf-8", "replace")))
                    ex.done_at = time.monotonic()
                    self.recorder.finish(ex)
                    return response, ex
                text = response.text
                ex.response_body = cap_text(self.scrub(text))
                failure = error_from_body(status, text, response.headers,
                                          f"{ex.method} {ex.url}")
                assert isinstance(failure, APIStatusError)
                reason = f"{status} {failure.error_type}"
                if not should_retry(status, response.headers):
                    raise self._fail(ex, failure)
                retry_after = parse_retry_after(response.headers)
            if attempt >= self.max_retries:
                raise self._fail(ex, failure)
            delay = retry_delay(retry_after, attempt)
            attempt += 1
            record = RetryRecord(attempt, reason, delay)
            ex.retries.append(record)
            self.recorder.notify(ex)
            if on_retry is not None:
                try:
                    on_retry(ex, record)
                except Exception as exc:
                    self._fail(ex, exc)
                    raise
            await asyncio.sleep(delay)

    async def _send(
        self, request: httpx.Request, pool: httpx.AsyncBaseTransport | None
    ) -> httpx.Response:
        if pool is None:
            if self._pick is None:
                return await self.http.send(request, stream=True)
            pool = self._pick(request.url)
        response = await pool.handle_async_request(request)
        response.request = request
        return response

    def parse(self, model: type[M], response: httpx.Response, ex: Exchange) -> M:
        """The body as `model`; UnexpectedResponseError (and the record says so) when the server
        answered something else, e.g. another server's page or JSON of another shape."""
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            first = exc.errors()[0]
            if first["type"] == "json_invalid":
                problem = "not JSON"
            else:
                where = ".".join(str(p) for p in first["loc"])
                problem = f"expected {model.__name__}; {where or 'body'}: {first['msg']}"
            error = UnexpectedResponseError(
                response.status_code, response.content.decode("utf-8", "replace"),
                response.headers.get("content-type"), where=f"{ex.method} {ex.url}",
                problem=problem, request_id=ex.request_id, headers=response.headers)
        ex.error = str(error)
        self.recorder.notify(ex)
        raise error

    def _fail(self, ex: Exchange, failure: Exception) -> Exception:
        ex.error = str(failure)
        ex.done_at = time.monotonic()
        self.recorder.finish(ex)
        return failure

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response, ex = await self.request(method, path, **kwargs)
        return loads_json(response.content, f"the body of {method} {path}", ex.request_id)
