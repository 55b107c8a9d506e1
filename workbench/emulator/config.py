"""Knobs of the built-in emulator. Stdlib only: the CLI builds one before importing uvicorn."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class EmulatorConfig:
    """How the emulator behaves. Rates are probabilities per request (0.0 to 1.0)."""

    tokens_per_second: float | None = 75.0   # streaming pace; None = as fast as possible
    batch_seconds_per_request: float = 1.0   # a batch takes this much per request ...
    batch_max_seconds: float = 30.0          # ... but never longer than this
    fault_rate_429: float = 0.0
    fault_rate_500: float = 0.0
    fault_rate_529: float = 0.0
    slow_first_byte: float = 0.0             # seconds to wait before answering a message request
    cut_stream_rate: float = 0.0             # chance a stream is cut off mid-way
    retry_after: float = 1.0                 # seconds sent in retry-after with injected 429/529
    seed: int = 0
    tier: int | None = None                  # rate limits of API tier 1-4 (ratelimit.py)
    rate_limits: tuple[int, int, int] | None = None  # or explicit RPM, ITPM, OTPM
    organization_id: str = "org_emulator0000000000000000"
    # Host header names served besides the loopback ones (e.g. the address given to --host)
    allowed_hosts: tuple[str, ...] = ()
