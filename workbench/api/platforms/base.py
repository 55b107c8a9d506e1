"""What every platform adapter does for the one transport: rewrite a first-party request into the
platform's wire (URL, headers, body), authenticate it, and read the platform's errors.

The transport calls `prepare` once per request and `error` on an error status; nothing else
in the client knows which cloud it talks to.
"""

from __future__ import annotations

import asyncio
import json
import shlex
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.api.errors import APIError, APIStatusError, make_error
from workbench.api.platforms.capabilities import LABELS, reason_unsupported

SECRET_HEADERS = ("authorization", "x-api-key", "api-key", "x-amz-security-token")
TOKEN_COMMAND_TIMEOUT = 60.0  # seconds: `gcloud auth print-access-token` may open a browser
TOKEN_REUSE = 300.0  # seconds a token-command token is reused (they live an hour or more)


class PlatformSetupError(APIError):
    """The profile cannot authenticate (no credentials, a failing token command...)."""


class MissingExtra(PlatformSetupError):
    """An optional cloud library is not installed; the message names the extra."""

    def __init__(self, extra: str, package: str, purpose: str) -> None:
        self.extra = extra
        super().__init__(f"{purpose} needs {package}: install the extra with "
                         f"`pip install \"workbench[{extra}]\"`")


class PlatformUnsupported(APIError):
    """The platform does not offer this endpoint; refused before sending."""


@dataclass
class Prepared:
    url: str
    headers: dict[str, str]
    content: bytes | None

    def masked(self, scrub: Any) -> dict[str, str]:
        out = {}
        for key, value in self.headers.items():
            if key.lower() in SECRET_HEADERS:
                value = _mask(value)
            out[key.lower()] = scrub(value)
        return out


def _mask(value: str) -> str:
    if value.lower().startswith("aws4-hmac-sha256"):
        credential = value.split("Credential=", 1)[-1].split("/", 1)[0]
        return f"AWS4-HMAC-SHA256 Credential={credential[:4]}…/… (signed)"
    scheme, _, token = value.rpartition(" ")
    shown = f"…{token[-4:]}" if len(token) > 12 else "…"
    return f"{scheme} {shown}".strip()


class PlatformAdapter:
    """Base: the direct API's paths pass unchanged; subclasses route and authenticate."""

    name = "anthropic"

    def __init__(self, base_url: str, api_version: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version

    @property
    def label(self) -> str:
        return LABELS[self.name]

    def refuse_unsupported(self, method: str, path: str) -> None:
        reason = reason_unsupported(self.name, path, method)
        if reason:
            raise PlatformUnsupported(reason)

    async def prepare(self, method: str, path: str, headers: Mapping[str, str],
                      content: bytes | None, stream: bool) -> Prepared:
        raise NotImplementedError

    def error(self, status: int, text: str, headers: Mapping[str, str]) -> APIStatusError | None:
        """The platform's own error shape as our error class, or None for the API's shape."""
        return None

    def secrets(self) -> list[str]:
        """Values to mask wherever a record or message could show them."""
        return []


def json_body(content: bytes | None) -> dict[str, Any]:
    try:
        body = json.loads(content or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise PlatformUnsupported("the request body is not a JSON object")
    return body


def error_body(text: str) -> tuple[Any, Any]:
    """(the parsed body, its `error` member) of an error reply; (None, None) when it is not
    JSON, and the member is None when the body is not an object."""
    try:
        body = json.loads(text)
    except ValueError:
        return None, None
    return body, body.get("error") if isinstance(body, dict) else None


def plain_headers(headers: Mapping[str, str], drop: tuple[str, ...] = ()) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()
            if k.lower() not in drop and k.lower() not in SECRET_HEADERS}


def status_error(status: int, message: str, request_id: str | None, body: Any,
                 headers: Mapping[str, str], error_type: str = "") -> APIStatusError:
    return make_error(status, error_type, message, request_id, body, dict(headers))


class LibraryToken:
    """A bearer token from a cloud library's credential object (google-auth, azure-identity),
    fetched in a thread, one at a time: the libraries block, and a refresh may go online."""

    extra = package = purpose = ""  # what MissingExtra names when the library is not installed
    failing = advice = ""  # "{failing}: {error} ({advice})" when it cannot give a token

    def __init__(self) -> None:
        self._credentials: Any = None
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        async with self._lock:
            return await asyncio.to_thread(self._fresh)

    def _fresh(self) -> str:
        try:
            library = self.library()
        except ImportError:
            raise MissingExtra(self.extra, self.package, self.purpose) from None
        try:
            return self.fetch(library)
        except Exception as exc:  # the library's credential, refresh and network errors
            raise PlatformSetupError(f"{self.failing}: {exc} ({self.advice})") from None

    def library(self) -> Any:
        """The library's module (ImportError when the extra is not installed)."""
        raise NotImplementedError

    def fetch(self, library: Any) -> str:
        """A valid token, making or refreshing `self._credentials` as needed."""
        raise NotImplementedError


class TokenCommand:
    """A bearer token printed by a command (`gcloud auth print-access-token`, `az account
    get-access-token ...`), reused for a few minutes; run in a thread, never on the loop."""

    def __init__(self, command: str, what: str) -> None:
        self.command = command
        self.what = what
        self._token: str | None = None
        self._at = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        async with self._lock:
            if self._token is None or time.monotonic() - self._at > TOKEN_REUSE:
                self._token = await asyncio.to_thread(self._run)
                self._at = time.monotonic()
            return self._token

    def _run(self) -> str:
        try:
            done = subprocess.run(shlex.split(self.command), capture_output=True, text=True,
                                  timeout=TOKEN_COMMAND_TIMEOUT, check=False)
        except (OSError, ValueError) as exc:
            raise PlatformSetupError(f"{self.what}: cannot run {self.command!r}: {exc}") from None
        except subprocess.TimeoutExpired:
            raise PlatformSetupError(f"{self.what}: {self.command!r} took over "
                                     f"{TOKEN_COMMAND_TIMEOUT:g} s") from None
        token = done.stdout.strip().splitlines()[-1].strip() if done.stdout.strip() else ""
        if done.returncode != 0 or not token:
            detail = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
            raise PlatformSetupError(f"{self.what}: {self.command!r} failed "
                                     f"(exit {done.returncode}): {detail}")
        return token
