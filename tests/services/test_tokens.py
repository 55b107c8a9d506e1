"""Local token estimate: by part, and fast for a 1 MB prompt."""

from __future__ import annotations

import time

from workbench.services.tokens import estimate_request, estimate_tokens


def test_breakdown_parts():
    body = {"model": "m", "system": "You are terse.",
            "tools": [{"name": "t", "description": "d", "input_schema": {"type": "object"}}],
            "messages": [{"role": "user", "content": "hello there world"}]}
    b = estimate_request(body)
    assert b.system > 0 and b.tools > 0 and b.messages > 0
    assert b.total == b.system + b.tools + b.messages + b.attachments
    assert estimate_tokens("hello there world " * 10) > estimate_tokens("hello there world")
    assert estimate_tokens("") == 0


def test_one_megabyte_fast():
    text = "The quick brown fox jumps over the lazy dog. " * 23_000
    body = {"model": "m", "messages": [{"role": "user", "content": text}]}
    estimate_request(body)
    t = time.perf_counter()
    n = estimate_request(body).total
    assert time.perf_counter() - t < 0.05
    assert n > 100_000
