"""Typed errors of our client: one class per API `error.type`, plus transport and local ones.

Every error has a readable `str()` that names the request-id when one is known, so the UI can
show it as is and a user can quote it to support.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping
from typing import Any


class APIError(Exception):
    """Base of everything our client raises on purpose."""

    request_id: str | None = None
    exchange: Any = None  # the recorded exchange it ended (the transport sets it): inspectable

    def __init__(self, message: str, *, request_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request_id = request_id

    def __str__(self) -> str:
        if self.request_id:
            return f"{self.message} (request-id {self.request_id})"
        return self.message


class APIStatusError(APIError):
    """The API answered with an error body (HTTP status >= 400, or an SSE `error` event)."""

    default_status = 0

    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        request_id: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, request_id=request_id)
        self.status = status
        self.error_type = error_type
        self.body = body
        self.headers: dict[str, str] = dict(headers or {})

    @property
    def error_code(self) -> str | None:
        """`error.details.error_code`, the stable machine code some errors carry."""
        if isinstance(self.body, dict):
            details = (self.body.get("error") or {}).get("details")
            if isinstance(details, dict):
                code = details.get("error_code")
                return code if isinstance(code, str) else None
        return None

    def __str__(self) -> str:
        text = f"{self.status} {self.error_type}: {self.message}"
        if self.request_id:
            text += f" (request-id {self.request_id})"
        return text


class InvalidRequestError(APIStatusError):
    default_status = 400


class AuthenticationError(APIStatusError):
    default_status = 401


class BillingError(APIStatusError):
    default_status = 402


class PermissionDeniedError(APIStatusError):
    default_status = 403


class NotFoundError(APIStatusError):
    default_status = 404


class ConflictError(APIStatusError):
    default_status = 409


class RequestTooLargeError(APIStatusError):
    default_status = 413


class RateLimitError(APIStatusError):
    """429; `.retry_after` is the server's hint in seconds (None when it gave none)."""

    default_status = 429

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers)


class InternalServerError(APIStatusError):
    default_status = 500


class GatewayTimeoutError(APIStatusError):
    default_status = 504


class OverloadedError(APIStatusError):
    default_status = 529


class RequestRejectedLocally(InvalidRequestError):
    """The chosen `anthropic-version` would reject this body: refused before anything was sent."""

    def __init__(self, problems: list[str], api_version: str) -> None:
        self.problems = list(problems)
        self.api_version = api_version
        text = f"not sent — anthropic-version {api_version} would reject it: " + "; ".join(
            problems
        )
        super().__init__(400, "invalid_request_error", text)

    def __str__(self) -> str:
        return self.message


class UnexpectedResponseError(APIStatusError):
    """The server answered, but not as the Claude API does: an HTML page, JSON of another shape.

    Most often the base URL points at some other server. `str()` is one line a user can act on
    (status, content-type, a short excerpt of the body, request-id when the server gave one),
    so the CLI and the TUI's notices can show it as is instead of a parser's traceback or a
    page of raw HTML.
    """

    def __init__(
        self,
        status: int,
        body_text: str,
        content_type: str | None = None,
        *,
        where: str = "",
        problem: str = "",
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        error_type: str = "unexpected_response",
    ) -> None:
        self.content_type = (content_type or "").split(";")[0].strip()
        self.excerpt = body_excerpt(body_text, self.content_type)
        self.where = where
        self.problem = problem
        kind = self.content_type or "no content-type"
        wrong_server = status < 300 or status in (404, 405)
        if wrong_server:
            text = f"{where or 'the server'} answered {status} with {kind}, not a Claude API response"
        else:  # e.g. a proxy's or the edge's own page for a 413, 429 or 5xx
            text = f"{where or 'the server'} answered {status} with {kind}, not the API's JSON error"
        if problem:
            text += f" ({problem})"
        text += f": {self.excerpt}"
        if wrong_server:
            text += " — is the base URL right?"
        super().__init__(status, error_type, text, request_id, None, headers)

    def __str__(self) -> str:
        if self.request_id:
            return f"{self.message} (request-id {self.request_id})"
        return self.message


class MalformedResponseError(APIError):
    """The API's answer could not be read: invalid UTF-8 or JSON, JSON nested too deep, a stream
    event of the wrong shape or out of order. Never a raw parser exception: the UI shows this
    like any other error, with the request-id to quote."""

    def __init__(self, message: str, *, request_id: str | None = None,
                 status: int | None = None) -> None:
        super().__init__(message, request_id=request_id)
        self.status = status


def loads_json(data: str | bytes, what: str, request_id: str | None = None) -> Any:
    """JSON -> data, or MalformedResponseError (never a raw JSONDecodeError, RecursionError or
    UnicodeDecodeError). Nesting deeper than 200 levels is refused, as pydantic refuses it in
    the bodies it parses: the same limit for streams, result lines and raw calls."""
    from pydantic_core import from_json

    try:
        return from_json(data)
    except ValueError as exc:
        if "recursion limit" in str(exc):
            raise MalformedResponseError(f"{what}: JSON nested too deeply",
                                         request_id=request_id) from None
    try:  # e.g. a lone surrogate escape: json accepts it, as the SDK does
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise MalformedResponseError(f"{what} is not valid JSON: {exc}",
                                     request_id=request_id) from None


class InvalidIdError(APIError):
    """An id that cannot name anything (empty): refused before anything was sent."""


class APIConnectionError(APIError):
    """No usable HTTP answer: refused, reset, DNS, TLS, or a stream cut mid-way."""

    def __init__(self, message: str = "connection error", *, request_id: str | None = None):
        super().__init__(message, request_id=request_id)


class APITimeoutError(APIConnectionError):
    """Connect, read, write or pool timeout."""

    def __init__(self, message: str = "request timed out", *, request_id: str | None = None):
        super().__init__(message, request_id=request_id)


class RequestSizeError(APIError):
    """The body is over the API's size limit; checked before anything is sent."""

    def __init__(self, what: str, limit: int, size: int) -> None:
        self.what = what
        self.limit = limit
        self.size = size
        super().__init__(
            f"{what} is {human_bytes(size)}, over the {human_bytes(limit)} limit — not sent"
        )


ERROR_TYPES: dict[str, type[APIStatusError]] = {
    "invalid_request_error": InvalidRequestError,
    "authentication_error": AuthenticationError,
    "billing_error": BillingError,
    "permission_error": PermissionDeniedError,
    "not_found_error": NotFoundError,
    "conflict_error": ConflictError,
    "request_too_large": RequestTooLargeError,
    "rate_limit_error": RateLimitError,
    "api_error": InternalServerError,
    "timeout_error": GatewayTimeoutError,
    "overloaded_error": OverloadedError,
}

_BY_STATUS: dict[int, type[APIStatusError]] = {
    cls.default_status: cls for cls in ERROR_TYPES.values()
}


_UNEXPECTED: dict[type[APIStatusError], type[UnexpectedResponseError]] = {}


def unexpected_class(status: int) -> tuple[type[UnexpectedResponseError], str]:
    """The error class (and type name) for a non-API body with this status.

    A 429 or 529 page from a proxy or the API's edge is still a rate limit or an overload:
    the class is also the status's own (`RateLimitError`, with `.retry_after`), so callers
    that handle those keep working. A 2xx, 404 or 405 means the base URL is likely wrong.
    """
    base = _BY_STATUS.get(status)
    if base is None or status < 300 or status in (404, 405):
        return UnexpectedResponseError, "unexpected_response"
    cls = _UNEXPECTED.get(base)
    if cls is None:
        cls = _UNEXPECTED[base] = type(base.__name__, (UnexpectedResponseError, base), {
            "__doc__": f"{base.__name__} whose body was not the API's JSON error.",
            "__module__": __name__})
    kind = next(k for k, v in ERROR_TYPES.items() if v is base)
    return cls, kind


def human_bytes(n: float) -> str:
    """1536 -> '1.5 KB' (binary units, as the limits are)."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{int(n)} bytes" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover


def sdk_retry_after(headers: Mapping[str, str]) -> float | None:
    """The server's hint exactly as the SDK reads it (`_parse_retry_after_header`): a parseable
    `retry-after-ms` wins whatever its value (0, negative, inf), else `retry-after` as seconds,
    else as an HTTP date (seconds from now, maybe negative); None when neither parses."""
    try:
        return float(headers.get("retry-after-ms")) / 1000  # type: ignore[arg-type]
    except (TypeError, ValueError):
        pass
    raw = headers.get("retry-after")
    try:
        return float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        pass
    from email.utils import mktime_tz, parsedate_tz

    parsed = parsedate_tz(raw) if raw else None
    if parsed is None:
        return None
    import time

    return float(mktime_tz(parsed) - time.time())


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks us to wait: the SDK's reading, kept only when positive and finite
    (the SDK too falls back on its backoff for 0, negative or NaN)."""
    value = sdk_retry_after(headers)
    if value is None or not 0 < value < math.inf:
        return None
    return value


EXCERPT_CHARS = 160
_SKIP_HTML = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def body_excerpt(text: str, content_type: str = "", limit: int = EXCERPT_CHARS) -> str:
    """A one-line, quoted, terminal-safe excerpt of a response body (HTML reduced to its text)."""
    text = (text or "")[:20_000]  # an excerpt needs only the start of a big page
    if "html" in content_type.lower() or text.lstrip()[:1] == "<":
        text = html.unescape(_TAG.sub(" ", _SKIP_HTML.sub(" ", text)))
    text = " ".join(_UNPRINTABLE.sub(" ", text).split())
    if not text:
        return "(empty body)"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


def error_from_body(
    status: int, body_text: str, headers: Mapping[str, str], where: str = ""
) -> APIStatusError:
    """Build the typed error for an HTTP error response.

    A body that is not the API's error JSON (a proxy's or another server's page) becomes an
    UnexpectedResponseError whose message says so, never a dump of the page.
    """
    body: Any = None
    request_id = headers.get("request-id")
    try:
        body = json.loads(body_text) if body_text else None
    except ValueError:
        body = None
    err = body.get("error") if isinstance(body, dict) else None
    error_type = str(err.get("type") or "") if isinstance(err, dict) else ""
    message = str(err.get("message") or "") if isinstance(err, dict) else ""
    if not (error_type or message):
        cls, kind = unexpected_class(status)
        return cls(status, body_text, headers.get("content-type"), where=where,
                   request_id=request_id, headers=headers, error_type=kind)
    assert isinstance(body, dict)
    request_id = request_id or body.get("request_id")
    if not message:
        message = f"HTTP {status} ({error_type}) with no message"
    return make_error(status, error_type, message, request_id, body, headers)


def make_error(
    status: int,
    error_type: str,
    message: str,
    request_id: str | None = None,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
) -> APIStatusError:
    """The subclass for `error_type`; unknown types fall back on the status, then the base."""
    cls = ERROR_TYPES.get(error_type)
    if cls is None:
        cls = APIStatusError if error_type else _BY_STATUS.get(status, APIStatusError)
    if not error_type:
        error_type = next(
            (k for k, v in ERROR_TYPES.items() if v is cls), f"http_{status}"
        )
    return cls(status, error_type, message, request_id, body, headers)
