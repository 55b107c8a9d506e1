"""The official SDK's retry policy: which answers are retried and how long to wait between tries.

Kept apart from the transport so the decision can be tested on its own against the SDK's
(`tests/api/test_recorded_bodies.py` compares them on every recorded error).
"""

from __future__ import annotations

import random
from collections.abc import Mapping

RETRY_STATUSES = frozenset({408, 409, 429})
MAX_RETRY_AFTER = 60.0  # a longer (or no, or non-positive) retry-after: our own backoff


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
