"""One shared httpx.AsyncClient, the SDK's retry policy, and the recording of every exchange.

`Transport.request` is the only place that talks HTTP: it sends, retries (connection errors,
408, 409, 429, >= 500, honouring retry-after and x-should-retry), turns error bodies into typed
errors and records the exchange. Streams are returned open after a 200, so a stream is only
ever retried before its first byte.

Every request has a deadline over all its attempts and waits (`deadline`, 600 s by default
like the SDK's total timeout, or WORKBENCH_DEADLINE); a stream, once open, has an idle
timeout between complete events instead (`stream_idle`, WORKBENCH_STREAM_IDLE). Bodies are
read through `bounds.BoundedStream`: decompressed in bounded pieces and cut at their bound.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from workbench.api.bounds import (
    DEFAULT_DEADLINE,
    DEFAULT_STREAM_IDLE,
    MAX_EVENT_BYTES,
    MAX_JSON_BODY,
    BoundedStream,
    MalformedResponseError,
    env_seconds,
    take_encoding,
)
from workbench.api.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    UnexpectedResponseError,
    error_from_body,
    parse_retry_after,
)
from workbench.api.recording import (
    BODY_CAP,
    Exchange,
    ExchangeRecorder,
    RetryRecord,
    cap_body,
    cap_text,
    mask_key,
)
from workbench.api.retry_policy import (  # noqa: F401  (re-exported)
    MAX_RETRY_AFTER,
    RETRY_STATUSES,
    backoff_delay,
    retry_delay,
    should_retry,
)

DEFAULT_BASE_URL = "https://api.anthropic.com"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=600.0, write=600.0, pool=10.0)
KEEP_RESPONSE_HEADERS = frozenset(
    {"request-id", "retry-after", "retry-after-ms", "x-should-retry", "content-type",
     "content-length", "date",
     # the platforms' request ids and error names (Bedrock, Foundry)
     "x-amzn-requestid", "x-amzn-errortype", "apim-request-id"}
)

if TYPE_CHECKING:
    from workbench.api.platforms import PlatformAdapter

M = TypeVar("M", bound=BaseModel)
RetryHook = Callable[[Exchange, RetryRecord], None]
# a body factory is called once per attempt, so a streamed upload can be re-sent from the start
BodyFactory = Callable[[], AsyncIterator[bytes]]


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
        deadline: float | None = None,
        stream_idle: float | None = None,
        platform: PlatformAdapter | None = None,
    ) -> None:
        self.api_key = api_key
        self.platform = platform  # a cloud profile's adapter: its URL, body, auth, errors
        # seconds for a whole request (every attempt and wait); for a stream, until it opens
        self.deadline = deadline or env_seconds("WORKBENCH_DEADLINE", DEFAULT_DEADLINE)
        # seconds a stream may go without a complete event (or a download without a byte)
        self.stream_idle = stream_idle or env_seconds("WORKBENCH_STREAM_IDLE",
                                                      DEFAULT_STREAM_IDLE)
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
        for key in (self.api_key, *(self.platform.secrets() if self.platform else ())):
            if key and len(key) >= 8 and key in text:  # a toy key like "k" would mangle all
                text = text.replace(key, mask_key(key))
        return text

    def _scrub_headers(self, headers: httpx.Headers) -> httpx.Headers:
        """`headers` with this client's secrets masked in every value (an error keeps them)."""
        if all(self.scrub(v) == v for v in headers.values()):
            return headers
        return httpx.Headers([(k, self.scrub(v)) for k, v in headers.multi_items()], "utf-8")

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
        deadline: float | None = None,
        stream_idle: float | None = None,
        line_limit: int | None = None,
    ) -> tuple[httpx.Response, Exchange]:
        """Send with retries. Returns the response (already read unless `stream`) and its record.

        `on_retry(exchange, record)` is called before each retry's wait, for this call only;
        an exception it raises ends the request (it is the caller's own bug: never hidden).

        `body` may come already encoded (bytes, with its `record_body`) when it is big enough
        that encoding it belongs in a thread rather than on the event loop.

        `deadline` (seconds, over every attempt and wait; for a stream until it opens) and
        `stream_idle` (seconds between complete events of an open stream) override the
        transport's own for this call. `line_limit`: an open stream read as lines (JSONL) may
        not go longer than this without a newline.

        Raises the typed error for an error status, APIConnectionError / APITimeoutError when
        no answer came (in time), after the retries allowed; ResponseTooLargeError and
        MalformedResponseError (bounds.py) for an answer past its bound or undecodable.
        """
        if body is not None and content_type is None:
            content_type = "application/json"
        hdrs, masked = self._headers_for(betas, content_type, headers)
        content = body.encode() if isinstance(body, str) else body
        url = path if path.startswith(("http://", "https://")) else self.base_url + path
        if self.platform is not None:  # rewrite into the platform's wire, authenticate, sign
            prepared = await self.platform.prepare(method, path, hdrs, content, stream)
            url, hdrs, content = prepared.url, prepared.headers, prepared.content
            masked = prepared.masked(self.scrub)
            if body is not None and content is not None and record_body is None:
                body = content
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
        # a streamed upload (hundreds of MB on a slow link) has only httpx's per-read and
        # per-write timeouts, unless the caller gives it a deadline
        limit = deadline or (None if body_factory is not None else self.deadline)
        idle = stream_idle or self.stream_idle
        sse = stream and "text/event-stream" in str(hdrs.get("accept", ""))
        try:
            async with asyncio.timeout(limit):
                response, ex = await self._attempts(
                    method, target, pool, hdrs, content, body_factory, stream, ex, on_retry,
                    time.monotonic() + (limit or float("inf")))
        except TimeoutError:
            tries = f" ({len(ex.retries)} retries)" if ex.retries else ""
            raise self._fail(ex, APITimeoutError(
                f"no answer within the {limit or 0:g} s deadline{tries}",
                request_id=ex.request_id)) from None
        except asyncio.CancelledError:
            if not ex.finished:
                ex.error = "cancelled"
                ex.done_at = time.monotonic()
                self.recorder.finish(ex)
            raise
        if stream:  # open: from here the idle clock and the size bound watch it
            decoders = take_encoding(response)
            where = f"the stream of {ex.method} {ex.url}" if sse else f"{ex.method} {ex.url}"
            response.stream = BoundedStream(
                response.stream, decoders, what=where, idle=idle,
                limit=MAX_EVENT_BYTES if sse else None,
                progress=(lambda: ex.event_count) if sse else None,
                status=response.status_code, request_id=ex.request_id, line_limit=line_limit)
        return response, ex

    async def _attempts(
        self, method: str, target: httpx.URL, pool: httpx.AsyncBaseTransport | None,
        hdrs: httpx.Headers | dict[str, str], content: bytes | None, body_factory: BodyFactory | None,
        stream: bool, ex: Exchange, on_retry: RetryHook | None, deadline_at: float,
    ) -> tuple[httpx.Response, Exchange]:
        attempt = 0
        while True:
            failure: Exception | None = None
            reason = ""
            retry_after: float | None = None
            ex.status = None
            ex.request_id = None
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
                ex.response_headers = rh = {k: self.scrub(v) for k, v in
                                            selected_headers(response.headers).items()}
                ex.request_id = (rh.get("request-id") or rh.get("x-amzn-requestid")
                                 or rh.get("apim-request-id"))
                if status < 400 and stream:
                    return response, ex
                await self._read(response, ex)
            except httpx.TimeoutException as exc:
                failure = APITimeoutError(f"request timed out ({type(exc).__name__})",
                                          request_id=ex.request_id)
                reason = "timeout"
            except httpx.TransportError as exc:
                failure = APIConnectionError(
                    f"connection error: {str(exc) or type(exc).__name__}",
                    request_id=ex.request_id)
                reason = str(failure)
            except httpx.DecodingError as exc:  # an encoding httpx decoded for us (not ours)
                raise self._fail(ex, MalformedResponseError(
                    f"{ex.method} {ex.url}: the body could not be decoded ({exc})",
                    status=ex.status, request_id=ex.request_id)) from None
            except APIError as exc:  # past its size bound, or bad gzip: not worth a retry
                raise self._fail(ex, exc) from None
            if failure is None:
                if status < 400:
                    ex.response_body = cap_text(self.scrub(cap_body(response.content)))
                    ex.done_at = time.monotonic()
                    self.recorder.finish(ex)
                    return response, ex
                text = self.scrub(response.text)  # a server may echo the key
                ex.response_body = cap_text(self.scrub(cap_body(response.content)))
                headers = self._scrub_headers(response.headers)
                try:
                    failure = (self.platform and self.platform.error(status, text, headers)) \
                        or error_from_body(status, text, headers, f"{ex.method} {ex.url}")
                except RecursionError:  # JSON nested past the parser's depth
                    failure = error_from_body(status, "", headers, f"{ex.method} {ex.url}")
                assert isinstance(failure, APIStatusError)
                reason = f"{status} {failure.error_type}"
                if not should_retry(status, response.headers):
                    raise self._fail(ex, failure)
                retry_after = parse_retry_after(response.headers)
            if attempt >= self.max_retries:
                raise self._fail(ex, failure)
            delay = retry_delay(retry_after, attempt)
            if time.monotonic() + delay >= deadline_at:  # the wait would outlast the deadline
                raise self._fail(ex, failure)
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

    async def _read(self, response: httpx.Response, ex: Exchange) -> None:
        """The whole body, decoded in bounded pieces and refused past MAX_JSON_BODY."""
        response.stream = BoundedStream(
            response.stream, take_encoding(response), what=f"the answer to {ex.method} {ex.url}",
            limit=MAX_JSON_BODY, status=response.status_code, request_id=ex.request_id)
        try:
            await response.aread()
        finally:
            await response.aclose()

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
        except (ValidationError, RecursionError, ValueError) as exc:
            first = exc.errors()[0] if isinstance(exc, ValidationError) else {"type": "deep"}
            if first["type"] == "json_invalid":
                problem = "not JSON"
            elif first["type"] == "deep":
                problem = "JSON nested too deep"
            else:
                where = ".".join(str(p) for p in first["loc"])
                problem = f"expected {model.__name__}; {where or 'body'}: {first['msg']}"
            error = UnexpectedResponseError(
                response.status_code, self.scrub(response.content.decode("utf-8", "replace")),
                response.headers.get("content-type"), where=f"{ex.method} {ex.url}",
                problem=problem, request_id=ex.request_id, headers=response.headers)
        ex.error = str(error)
        self.recorder.notify(ex)
        raise error

    def _fail(self, ex: Exchange, failure: Exception) -> Exception:
        ex.error = self.scrub(str(failure))
        ex.done_at = time.monotonic()
        self.recorder.finish(ex)
        if isinstance(failure, APIError):
            failure.exchange = ex
        return failure

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response, ex = await self.request(method, path, **kwargs)
        return self.decode_json(response, ex)

    def decode_json(self, response: httpx.Response, ex: Exchange) -> Any:
        """The body as JSON; UnexpectedResponseError (recorded) when it is not JSON at all."""
        try:
            return response.json()
        except (ValueError, RecursionError) as exc:
            problem = "JSON nested too deep" if isinstance(exc, RecursionError) else "not JSON"
            error = UnexpectedResponseError(
                response.status_code, cap_body(response.content, 20_000),
                response.headers.get("content-type"), where=f"{ex.method} {ex.url}",
                problem=problem, request_id=ex.request_id, headers=response.headers)
        ex.error = str(error)
        self.recorder.notify(ex)
        raise error
