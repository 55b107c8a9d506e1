"""Per-request context: request-id, API version, injected faults, body limits, the shared state."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response

from workbench.emulator.config import EmulatorConfig
from workbench.emulator.errors import APIProblem, base_headers, new_request_id, problem_response
from workbench.emulator.validate import check_version

if TYPE_CHECKING:
    from workbench.emulator.state import State

FAULTS = {
    "429": ("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
    "500": ("api_error", "Internal server error"),
    "529": ("overloaded_error", "Overloaded"),
}


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


class Call:
    """What a route handler needs to know about the request it serves."""

    def __init__(self, request: Request, state: State, config: EmulatorConfig,
                 rng: random.Random) -> None:
        self.request = request
        self.state = state
        self.config = config
        self.rng = rng
        self.request_id = new_request_id()
        self.headers = base_headers(self.request_id, config.organization_id)
        self.fault = request.headers.get("x-emulator-fault", "").strip().lower()
        self.version = ""

    def roll(self, kind: str) -> bool:
        rate = {"429": self.config.fault_rate_429, "500": self.config.fault_rate_500,
                "529": self.config.fault_rate_529, "cut": self.config.cut_stream_rate}[kind]
        return rate > 0 and self.rng.random() < rate

    def tokens_per_second(self) -> float | None:
        raw = self.request.headers.get("x-emulator-speed")
        if raw is not None:
            try:
                value = float(raw)
            except ValueError:
                value = 0.0
            return value if value > 0 else None
        return self.config.tokens_per_second

    def retry_after(self) -> float:
        for name in ("x-emulator-retry-after", "retry-after-override"):
            raw = self.request.headers.get(name)
            if raw is not None:
                try:
                    return max(0.0, float(raw))
                except ValueError:
                    pass
        return self.config.retry_after

    async def maybe_slow(self) -> None:
        delay = self.config.slow_first_byte
        if self.fault == "slow":
            delay = max(delay, 1.0)
        if delay > 0:
            await asyncio.sleep(delay)

    async def json_body(self, limit: int) -> Any:
        length = self.request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            raise too_large(int(length), limit)
        raw = await self.request.body()
        if len(raw) > limit:
            raise too_large(len(raw), limit)
        try:
            return json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise APIProblem("invalid_request_error", f"request body is not valid JSON: {exc}") \
                from None


def too_large(size: int, limit: int) -> APIProblem:
    return APIProblem("request_too_large",
                      f"Request exceeds the maximum allowed number of bytes "
                      f"({human_size(size)} > {human_size(limit)})")


Handler = Callable[[Request, Call], Awaitable[Response]]


def authenticate(request: Request) -> None:
    key = request.headers.get("x-api-key", "").strip()
    auth = request.headers.get("authorization", "")
    if not key and auth.lower().startswith("bearer "):
        key = auth[7:].strip()
    if not key:
        raise APIProblem("authentication_error",
                         "x-api-key header is required (or Authorization: Bearer <key>)")


def api_endpoint(handler: Handler, *, faults_by_rate: bool = False):
    """Wrap a handler with the API's common behaviour: auth, version, faults, errors."""

    async def endpoint(request: Request) -> Response:
        app_state = request.app.state
        call = Call(request, app_state.store, app_state.config, app_state.rng)
        params = request.scope.get("path_params")
        if params:  # `RawPathRouting` left `%` and `/` escaped inside each segment
            request.scope["path_params"] = {k: unquote(v) for k, v in params.items()}
        try:
            authenticate(request)
            call.version = check_version(request.headers.get("anthropic-version"))
            injected_fault(call, faults_by_rate)
            return await handler(request, call)
        except APIProblem as problem:
            return problem_response(problem, call.request_id, call.config.organization_id)

    return endpoint


def injected_fault(call: Call, by_rate: bool = True) -> None:
    """Raise the fault a test asked for (x-emulator-fault header) or the configured rates
    drew; every wire (the direct API's and the platforms') injects them this one way."""
    fault = call.fault if call.fault in FAULTS else None
    if fault is None and by_rate:
        fault = next((k for k in ("429", "529", "500") if call.roll(k)), None)
    if fault:
        error_type, message = FAULTS[fault]
        headers: dict[str, str] = {}
        if fault in ("429", "529"):
            after = call.retry_after()
            headers = {"retry-after": f"{after:g}", "retry-after-ms": f"{after * 1000:g}"}
        raise APIProblem(error_type, message, headers=headers)
