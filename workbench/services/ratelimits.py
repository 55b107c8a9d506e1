"""The rate limits the API last reported, read from its `anthropic-ratelimit-*` headers.

Every response carries limit / remaining / reset for requests, input tokens, output tokens and
the combined tokens. The meter shows the last ones, the inspector lists them, and everything
that sends several requests at once (a compare, an Evaluate run or re-run, `workbench eval
run`) is checked against them first with one function, `burst_warning`. Limits are per model,
so each model's requests are checked against the limits its own last answer reported. Reset
times are RFC 3339; the countdown is against the local clock. Stdlib (and the local token
estimate).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


def _problems(limits: Mapping[str, Limit], requests: int, input_tokens: int,
              now: float) -> list[str]:
    problems = []
    for kind, need, what in (("requests", requests, "requests"),
                             ("input-tokens", input_tokens, "input tokens")):
        lim = limits.get(kind)
        if lim is not None and need > lim.remaining:
            what = what if need != 1 else what[:-1]  # 1 request, 1 input token
            problems.append(f"{need:,} {what} but {lim.remaining:,} of {lim.limit:,} left "
                            f"(full again in {countdown(lim.resets_in(now))})")
    return problems


def pace_seconds(limits: Mapping[str, Limit], requests: int, input_tokens: int) -> float:
    """About how long sending that much takes when it waits for the limits: a bucket refills
    at limit/60 a second, so what is missing of the slowest one, at that rate."""
    wait = 0.0
    for kind, need in (("requests", requests), ("input-tokens", input_tokens)):
        lim = limits.get(kind)
        if lim is not None and lim.limit > 0 and need > lim.remaining:
            wait = max(wait, (need - lim.remaining) * 60.0 / lim.limit)
    return wait


def shortfall(limits: Mapping[str, Limit], requests: int, input_tokens: int,
              now: float) -> str | None:
    """Why `requests` requests of `input_tokens` input tokens in all would go over the last
    reported limits (None when they fit, or nothing is known). Buckets refill meanwhile, so
    this is a warning, not a refusal."""
    problems = _problems(limits, requests, input_tokens, now)
    if not problems:
        return None
    return "Over the last reported rate limits: " + "; ".join(problems) + \
        ". Some requests may be answered 429 and retried."


# --- before sending several requests at once --------------------------------------------------
MODEL_IN_BODY = re.compile(r'"model"\s*:\s*"([^"\\]{1,200})"')  # near the start of our bodies


def model_of(exchange: Any) -> str | None:
    """The model a recorded request asked for (from the start of its body)."""
    body = exchange.request_body[:4096] if exchange.request_body else ""
    found = MODEL_IN_BODY.search(body if isinstance(body, str) else "")
    return found.group(1) if found else None


def last_limits(client: Any, model: str | None = None) -> dict[str, Limit]:
    """The limits of the newest Messages response that reported any (for `model`'s requests
    when given: each model has its own). count_tokens and the other endpoints have limits of
    their own, so they are not read."""
    recorder = getattr(client, "recorder", None)
    for exchange in reversed(recorder.exchanges if recorder is not None else []):
        if not str(exchange.url).split("?")[0].endswith("/v1/messages"):
            continue
        if model is not None and model_of(exchange) != model:
            continue
        limits = parse(exchange.response_headers or {})
        if limits:
            return limits
    return {}


def burst_warning(client: Any, bodies: Iterable[dict[str, Any]], *, paced: bool = False,
                  now: float | None = None) -> str | None:
    """Before sending `bodies` at once: why they would go over the limits the client's last
    answers reported for their models, or None (they fit, or nothing is known yet). `paced`:
    the sender waits for the limits (Evaluate), so say about how long that makes it take
    rather than that requests may be refused."""
    from workbench.services.tokens import estimate_request

    now = time.time() if now is None else now
    groups: dict[str, list[dict[str, Any]]] = {}
    for body in bodies:
        groups.setdefault(str(body.get("model") or ""), []).append(body)
    found, wait = [], 0.0
    for model, group in groups.items():
        limits = last_limits(client, model)
        if not limits:
            continue
        need = sum(estimate_request(body).total for body in group)  # the local estimate
        problems = _problems(limits, len(group), need, now)
        if problems:
            label = f"{model}: " if len(groups) > 1 else ""
            found.append(label + "; ".join(problems))
            wait = max(wait, pace_seconds(limits, len(group), need))
    if not found:
        return None
    head = "Over the last reported rate limits: " + "; ".join(found) + ". "
    if paced:
        return head + (f"The run waits for them as it goes (paced by the rate-limit headers): "
                       f"about {countdown(wait)} in all.")
    return head + "Some requests may be answered 429 and retried."
