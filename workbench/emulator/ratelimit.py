"""Rate limits as the API applies them: token buckets per key and model, refilled continuously.

Three buckets per (API key, model): requests per minute, input tokens per minute (uncached
input plus cache writes; cache reads do not count, as for current models) and output tokens
per minute. A bucket holds at most its per-minute limit and refills at limit/60 per second, so
`remaining` moves with every request and `reset` (RFC 3339) is when it is full again. A
request that would overdraw the requests or input bucket is answered 429 with a `retry-after`
of the seconds until the bucket holds enough; output tokens are taken after the reply (the
bucket may go below zero, and the next request waits for it).

Tier limits are the published ones for Sonnet-class models when this was written (tiers 1-4);
the emulator applies the same to every model. Without a tier it uses generous limits so that
tests and the demo never meet them, while the headers still move.
"""

from __future__ import annotations

import math
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from workbench.emulator.errors import APIProblem

# tier -> (requests, input tokens, output tokens) per minute
TIERS: dict[int, tuple[int, int, int]] = {
    1: (50, 30_000, 8_000),
    2: (1_000, 450_000, 90_000),
    3: (2_000, 800_000, 160_000),
    4: (4_000, 2_000_000, 400_000),
}
GENEROUS = (100_000, 100_000_000, 20_000_000)
KINDS = ("requests", "input-tokens", "output-tokens")


def limits_for(tier: int | None, explicit: tuple[int, int, int] | None = None
               ) -> tuple[int, int, int]:
    if explicit is not None:
        return explicit
    if tier is None:
        return GENEROUS
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(map(str, TIERS))}")
    return TIERS[tier]


def rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Bucket:
    limit: int
    level: float
    at: float

    def refill(self, now: float) -> None:
        self.level = min(self.limit, self.level + (now - self.at) * self.limit / 60.0)
        self.at = now

    def wait_for(self, amount: float) -> float:
        """Seconds until the bucket holds `amount` (0 when it does)."""
        short = min(amount, self.limit) - self.level
        return 0.0 if short <= 0 else short * 60.0 / self.limit

    def reset_at(self) -> float:
        return self.at + max(0.0, self.limit - self.level) * 60.0 / self.limit


@dataclass
class RateLimiter:
    limits: tuple[int, int, int] = GENEROUS
    clock: Callable[[], float] = time.time
    buckets: dict[tuple[str, str], list[Bucket]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _buckets(self, key: str, model: str, now: float) -> list[Bucket]:
        found = self.buckets.get((key, model))
        if found is None:
            found = self.buckets[(key, model)] = [Bucket(n, float(n), now) for n in self.limits]
        for bucket in found:
            bucket.refill(now)
        return found

    def admit(self, key: str, model: str, input_tokens: int) -> dict[str, str]:
        """Take one request and its input tokens, or raise the API's 429."""
        now = self.clock()
        with self.lock:
            requests, inputs, outputs = self._buckets(key, model, now)
            for bucket, need, what in ((requests, 1, "requests"),
                                       (inputs, input_tokens, "input tokens"),
                                       (outputs, 1, "output tokens")):
                wait = bucket.wait_for(need)
                if wait > 0:
                    after = max(1, math.ceil(wait))
                    headers = self._headers(key, model, now)
                    headers.update({"retry-after": str(after),
                                    "retry-after-ms": f"{wait * 1000:.0f}"})
                    raise APIProblem(
                        "rate_limit_error",
                        f"This request would exceed your organization's rate limit of "
                        f"{bucket.limit:,} {what} per minute (model: {model}). Wait "
                        f"{after} s or lower the request rate.", headers=headers)
            requests.level -= 1
            inputs.level -= input_tokens
            return self._headers(key, model, now)

    def spend_output(self, key: str, model: str, output_tokens: int) -> None:
        now = self.clock()
        with self.lock:
            self._buckets(key, model, now)[2].level -= output_tokens

    def headers(self, key: str, model: str) -> dict[str, str]:
        now = self.clock()
        with self.lock:
            return self._headers(key, model, now)

    def _headers(self, key: str, model: str, now: float) -> dict[str, str]:
        buckets = self._buckets(key, model, now)
        out: dict[str, str] = {}
        for kind, bucket in zip(KINDS, buckets, strict=True):
            out.update(_bucket_headers(kind, bucket))
        # the combined token limit is the most restrictive of the two token buckets
        tightest = min(buckets[1:], key=lambda b: b.level / b.limit)
        out.update(_bucket_headers("tokens", tightest))
        return out


def _bucket_headers(kind: str, bucket: Bucket) -> dict[str, str]:
    prefix = f"anthropic-ratelimit-{kind}"
    return {f"{prefix}-limit": str(bucket.limit),
            f"{prefix}-remaining": str(max(0, math.floor(bucket.level))),
            f"{prefix}-reset": rfc3339(math.ceil(bucket.reset_at()))}


_LIMITERS: weakref.WeakKeyDictionary[Any, RateLimiter] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def rate_limiter(state: Any, config: Any) -> RateLimiter:
    """The limiter of one emulator, from its config's tier or explicit limits."""
    with _LOCK:
        limiter = _LIMITERS.get(state)
        if limiter is None:
            limits = limits_for(getattr(config, "tier", None),
                                getattr(config, "rate_limits", None))
            limiter = _LIMITERS[state] = RateLimiter(limits)
        return limiter
