"""A gate that keeps live eval requests within the API's rate limits, as its headers state them.

Every response carries `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-
{limit,remaining,reset}` (reset is RFC 3339). The gate lets a request start only while fewer
than `max_in_flight` are out AND the last reported remaining budget, less what went out since,
covers it; when a budget is spent it waits for that bucket's reset (or for an answer that
reports more). A 429 or 529 pauses every start until its `retry-after-ms` / `retry-after` has
passed. It reads the headers of every Messages exchange the client records (other panes spend
the same organisation's budget), so it needs nothing from the transport but its recorder.
Until a first answer has stated the budget, one request goes out at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from workbench.services.ratelimits import model_of

BUCKETS = ("requests", "tokens", "input-tokens", "output-tokens")
PREFIX = "anthropic-ratelimit-"
MAX_WAIT = 60.0      # never sleep longer than this on one header (a wrong clock, a bad value)
UNKNOWN_RESET = 1.0  # a spent budget with no usable reset time: look again after this


def _int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    try:
        return int(float(raw)) if raw is not None else None
    except ValueError:
        return None


def _reset_in(headers: Mapping[str, str], name: str) -> float | None:
    """Seconds until an RFC 3339 reset time; None when absent, unreadable or already past."""
    raw = headers.get(name)
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
    delta = when - time.time()
    return min(delta, MAX_WAIT) if delta > 0 else None


def retry_after(headers: Mapping[str, str]) -> float | None:
    """`retry-after-ms` (preferred, as the SDK does) or `retry-after` seconds."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            value = float(raw) * scale
        except ValueError:
            continue
        if value >= 0:
            return min(value, MAX_WAIT)
    return None


class RateGate:
    def __init__(self, max_in_flight: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_in_flight = max(1, max_in_flight)
        self.clock = clock
        self.in_flight = 0
        self.left: dict[str, int | None] = dict.fromkeys(BUCKETS)  # less what went out since
        self.reset_at: dict[str, float | None] = dict.fromkeys(BUCKETS)
        self.limit: dict[str, int | None] = dict.fromkeys(BUCKETS)
        self.stamp: dict[str, str] = {}  # the reset time as stated (RFC 3339 sorts as text)
        self.refill_at: dict[str, float | None] = dict.fromkeys(BUCKETS)  # our own wait's end
        self.paused_until = 0.0
        self.peak_in_flight = 0
        self.started = 0
        self.throttled = 0  # 429/529 answers seen
        self.informed = False  # until an answer states the budget, one request at a time
        self._changed = asyncio.Event()

    # --- what the server said ------------------------------------------------------------
    def observe(self, status: int | None, headers: Mapping[str, str]) -> None:
        """An answer's status and headers (any Messages exchange on this client)."""
        now = self.clock()
        self.informed = True
        others = max(0, self.in_flight - 1)  # out now, maybe not yet counted by the server
        for bucket in BUCKETS:
            remaining = _int(headers, f"{PREFIX}{bucket}-remaining")
            if remaining is None:
                continue
            estimate = remaining - (others if bucket == "requests" else 0)
            self.limit[bucket] = _int(headers, f"{PREFIX}{bucket}-limit")
            stamp = headers.get(f"{PREFIX}{bucket}-reset", "")
            # Answers arrive out of order: one from earlier in the same window (same or earlier
            # reset) can only lower the estimate; a later reset is a new window and replaces it.
            known, left = self.stamp.get(bucket), self.left[bucket]
            if left is not None and known is not None and stamp <= known:
                estimate = min(left, estimate)
            else:
                self.stamp[bucket] = stamp
                reset = _reset_in(headers, f"{PREFIX}{bucket}-reset")
                self.reset_at[bucket] = None if reset is None else now + reset
            self.left[bucket] = estimate
            self.refill_at[bucket] = None
        if status in (429, 529):
            self.throttled += 1
            wait = retry_after(headers)
            if wait is None:
                wait = min(MAX_WAIT, 0.5 * 2 ** min(self.throttled, 6))
            self.paused_until = max(self.paused_until, now + wait)
        self._wake()

    def observe_exchange(self, exchange: Any) -> None:
        """A recorder subscriber: Messages exchanges that have an answer."""
        if exchange.status is None or not str(exchange.url).endswith("/v1/messages"):
            return
        self.observe(exchange.status, exchange.response_headers)

    # --- starting and ending requests ------------------------------------------------------
    def _blocked_for(self, tokens: int) -> float:
        """0 when a request costing `tokens` may start now; else how long to wait at most
        (math.inf: until something changes)."""
        now = self.clock()
        if now < self.paused_until:
            return self.paused_until - now
        if self.in_flight >= (self.max_in_flight if self.informed else 1):
            return math.inf
        for bucket in BUCKETS:
            left = self.left[bucket]
            if left is None:
                continue
            need = 1 if bucket == "requests" else (tokens if bucket != "output-tokens" else 0)
            if left >= need and left > 0:
                continue
            if self.in_flight > 0:
                return math.inf  # an answer will report the budget again
            # Spent, nothing out: wait until enough has come back. The API's buckets refill
            # continuously at limit/60 a second (`reset` is when one is full again): waiting
            # for what one request needs is need*60/limit, and never past the reset.
            refill = self.refill_at[bucket]
            if refill is None:
                limit, reset = self.limit[bucket], self.reset_at[bucket]
                wait = (max(need, 1) - left) * 60.0 / limit if limit else None
                if reset is not None:
                    wait = reset - now if wait is None else min(wait, reset - now)
                wait = min(MAX_WAIT, UNKNOWN_RESET if wait is None else max(wait, 0.01))
                self.refill_at[bucket] = now + wait
                return wait
            if now < refill:
                return refill - now
            self.left[bucket] = max(need, 1)  # come back by now; the next answer says exactly
            self.refill_at[bucket] = None
        return 0.0

    async def acquire(self, tokens: int = 0) -> None:
        while True:
            wait = self._blocked_for(tokens)
            if wait <= 0:
                break
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), None if math.isinf(wait) else wait)
        self.in_flight += 1
        self.started += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        for bucket in ("requests", "tokens", "input-tokens"):
            left = self.left[bucket]
            if left is not None:
                self.left[bucket] = left - (1 if bucket == "requests" else tokens)

    def release(self) -> None:
        self.in_flight -= 1
        self._wake()

    def _wake(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()


class Gates:
    """One `RateGate` per model (the API's limits, and its headers, are per model), under one
    bound on the requests out at once. Answers are routed by the model of the request they
    answer, read from the start of its recorded body, where our bodies put it."""

    def __init__(self, max_in_flight: int) -> None:
        self.max_in_flight = max(1, max_in_flight)
        self.gates: dict[str, RateGate] = {}
        self.slots = asyncio.Semaphore(self.max_in_flight)
        self.in_flight = 0
        self.peak_in_flight = 0

    def gate(self, model: str) -> RateGate:
        if model not in self.gates:
            self.gates[model] = RateGate(self.max_in_flight)
        return self.gates[model]

    @property
    def throttled(self) -> int:
        return sum(g.throttled for g in self.gates.values())

    async def acquire(self, model: str, tokens: int = 0) -> None:
        await self.slots.acquire()
        try:
            await self.gate(model).acquire(tokens)
        except BaseException:
            self.slots.release()
            raise
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def release(self, model: str) -> None:
        self.in_flight -= 1
        self.gate(model).release()
        self.slots.release()

    def observe_exchange(self, exchange: Any) -> None:
        if exchange.status is None or not str(exchange.url).endswith("/v1/messages"):
            return
        model = model_of(exchange)
        if model is not None and model in self.gates:
            self.gates[model].observe(exchange.status, exchange.response_headers)
        elif exchange.status in (429, 529):  # whose it is unknown: every model waits
            for gate in self.gates.values():
                gate.observe(exchange.status, exchange.response_headers)
