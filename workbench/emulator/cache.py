"""Prompt caching as the API does it: breakpoints write prefixes, the same prefix reads them.

The prompt is read in the API's order (tools, system, messages), block by block. A
`cache_control` marker on a block is a breakpoint: the prefix up to and including that block
is written to the cache when it is at least the model's minimum cacheable length, and read
when the same prefix (same model, same key) was written and has not expired. As the API does,
a breakpoint also finds an entry written at any of the 20 blocks before it. A read refreshes
the entry's TTL. `input_tokens` is what comes after the last read or written prefix.

Entries expire on the cache's `clock` (time.time unless a test gives its own).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.api.request_rules import TTL_SECONDS, cache_ttl, min_cacheable_tokens
from workbench.tokenizer import count_request, prompt_blocks

LOOKBACK_BLOCKS = 20
MAX_ENTRIES = 10_000


@dataclass
class CacheUsage:
    read: int = 0
    written_5m: int = 0
    written_1h: int = 0
    uncached: int = 0

    def fields(self) -> dict[str, Any]:
        """The usage fields the API reports for caching."""
        return {"input_tokens": self.uncached,
                "cache_creation_input_tokens": self.written_5m + self.written_1h,
                "cache_read_input_tokens": self.read,
                "cache_creation": {"ephemeral_5m_input_tokens": self.written_5m,
                                   "ephemeral_1h_input_tokens": self.written_1h}}


@dataclass
class _Point:
    tokens: int        # prompt tokens up to and including this block
    key: str           # hash of the prefix up to here
    ttl: str | None    # the breakpoint's TTL, None when the block has no marker


def _strip(block: Any) -> Any:
    if isinstance(block, dict) and "cache_control" in block:
        return {k: v for k, v in block.items() if k != "cache_control"}
    return block


def prompt_points(body: dict[str, Any], scope: str) -> list[_Point]:
    """One point per block in prompt order; tokens add up to the request's input tokens."""
    points: list[_Point] = []
    digest = hashlib.sha256(scope.encode())
    total = 0
    for part, tokens, marker in prompt_blocks(body):
        total += tokens
        digest.update(json.dumps(_strip(part), sort_keys=True, default=str).encode())
        ttl = cache_ttl(marker) if marker is not None else None
        points.append(_Point(total, digest.copy().hexdigest(), ttl))
    return points


@dataclass
class PromptCache:
    """Written prefixes by key, each with its expiry; shared by every request of one emulator."""

    clock: Callable[[], float] = time.time
    entries: dict[str, tuple[float, str]] = field(default_factory=dict)  # key -> (expiry, ttl)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _alive(self, key: str, now: float) -> bool:
        entry = self.entries.get(key)
        if entry is None:
            return False
        if entry[0] <= now:
            del self.entries[key]
            return False
        return True

    def use(self, body: dict[str, Any], api_key: str = "", *, dry: bool = False) -> CacheUsage:
        """Read and write the request's prefixes; the usage split it gets. `dry`: the split
        it would get, changing nothing (for the rate limiter, before the request is admitted)."""
        model = str(body.get("model", ""))
        total = count_request(body)
        points = prompt_points(body, f"{api_key}\0{model}")
        breaks = [i for i, p in enumerate(points) if p.ttl is not None]
        if not breaks:
            return CacheUsage(uncached=total)
        now = self.clock()
        with self.lock:
            hit = -1
            for b in breaks:
                for j in range(b, max(-1, b - LOOKBACK_BLOCKS), -1):
                    if j > hit and self._alive(points[j].key, now):
                        hit = j
                        break
            usage = CacheUsage(read=points[hit].tokens if hit >= 0 else 0)
            if hit >= 0 and not dry:
                expiry, ttl = self.entries[points[hit].key]
                self.entries[points[hit].key] = (max(expiry, now + TTL_SECONDS[ttl]), ttl)
            done = usage.read
            minimum = min_cacheable_tokens(model)
            for b in breaks:
                point = points[b]
                if b <= hit or point.tokens < minimum or point.ttl is None:
                    continue
                if not dry:
                    self.entries[point.key] = (now + TTL_SECONDS[point.ttl], point.ttl)
                if point.ttl == "1h":
                    usage.written_1h += point.tokens - done
                else:
                    usage.written_5m += point.tokens - done
                done = point.tokens
            if len(self.entries) > MAX_ENTRIES:
                for key in [k for k, (expiry, _) in self.entries.items() if expiry <= now]:
                    del self.entries[key]
            usage.uncached = max(0, total - done)
            return usage


_CACHES: weakref.WeakKeyDictionary[Any, PromptCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def prompt_cache(state: Any) -> PromptCache:
    """The cache of one emulator (keyed by its State, so it goes when the emulator does)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(state)
        if cache is None:
            cache = _CACHES[state] = PromptCache()
        return cache
