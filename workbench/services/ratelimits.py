"""The rate limits the API last reported, read from its `anthropic-ratelimit-*` headers.

Every response carries limit / remaining / reset for requests, input tokens, output tokens and
the combined tokens. The meter shows the last ones, the inspector lists them, and a compare or
a batch of runs is checked against them before it is sent (`shortfall`). Reset times are
RFC 3339; the countdown is against the local clock. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

KINDS = ("requests", "tokens", "input-tokens", "output-tokens")
PREFIX = "anthropic-ratelimit-"


@dataclass(frozen=True)
class Limit:
    kind: str
    limit: int
    remaining: int
    reset: float | None  # epoch seconds

    def resets_in(self, now: float) -> float | None:
        return None if self.reset is None else max(0.0, self.reset - now)


def _epoch(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def parse(headers: Mapping[str, str]) -> dict[str, Limit]:
    """The limits a response reports, by kind (empty when it reports none)."""
    lower = {k.lower(): v for k, v in headers.items()}
    found: dict[str, Limit] = {}
    for kind in KINDS:
        try:
            limit = int(lower[f"{PREFIX}{kind}-limit"])
            remaining = int(lower[f"{PREFIX}{kind}-remaining"])
        except (KeyError, ValueError):
            continue
        found[kind] = Limit(kind, limit, remaining, _epoch(lower.get(f"{PREFIX}{kind}-reset")))
    return found


def countdown(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = round(seconds)
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min {seconds % 60:02d} s"


def short(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
    if n >= 10_000:
        return f"{n / 1000:.0f}K"
    return f"{n:,}"


def lines(limits: Mapping[str, Limit], now: float) -> list[str]:
    """One line per kind, for the inspector."""
    return [f"{kind:<14} {lim.remaining:>12,} of {lim.limit:>12,} left · full again in "
            f"{countdown(lim.resets_in(now))}" for kind, lim in limits.items()]


def shortfall(limits: Mapping[str, Limit], requests: int, input_tokens: int,
              now: float) -> str | None:
    """Why `requests` requests of `input_tokens` input tokens in all would go over the last
    reported limits (None when they fit, or nothing is known). Buckets refill meanwhile, so
    this is a warning, not a refusal."""
    problems = []
    for kind, need, what in (("requests", requests, "requests"),
                             ("input-tokens", input_tokens, "input tokens")):
        lim = limits.get(kind)
        if lim is not None and need > lim.remaining:
            problems.append(f"{need:,} {what} but {lim.remaining:,} of {lim.limit:,} left "
                            f"(full again in {countdown(lim.resets_in(now))})")
    if not problems:
        return None
    return "Over the last reported rate limits: " + "; ".join(problems) + \
        ". Some requests may be answered 429 and retried."
