"""Event-loop stall while a big Message Batch is sent: what the UI feels during `n` -> send.

    python benchmarks/bench_batch_send.py [--mb 100]

Builds about MB megabytes of batch requests, sends them with `client.batches.create` to the
emulator (in a child process) while a 5 ms ticker runs on the same event loop, and prints the
longest gap between ticks (goal < 100 ms: a frame or two) next to how long the same JSON encoding
takes when done inline (what the loop would have been held for before it moved to a thread).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEY = "sk-ant-bench-key-0000"


def build(mb: int) -> list[dict]:
    filler = "lorem ipsum dolor sit amet " * 80  # ~2 KB of prompt per request (under 100k)
    count = mb * 512
    return [{"custom_id": f"r{i}", "params": {
        "model": "claude-haiku-4-5", "max_tokens": 16,
        "messages": [{"role": "user", "content": f"{i} {filler}"}]}} for i in range(count)]


async def send(url: str, requests: list[dict]) -> tuple[float, float]:
    from workbench.api.client import ClaudeClient

    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    async with ClaudeClient(api_key=KEY, base_url=url) as client:
        tick = asyncio.create_task(ticker())
        await asyncio.sleep(0.05)
        start = time.perf_counter()
        batch = await client.batches.create(requests)
        took = time.perf_counter() - start
        done.set()
        await tick
    assert batch.request_counts.processing == len(requests)
    return max(gaps), took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=100)
    args = ap.parse_args(argv)
    from bench_client import ChildProcess

    requests = build(args.mb)
    start = time.perf_counter()
    size = len(json.dumps({"requests": requests}, separators=(",", ":")).encode())
    inline = time.perf_counter() - start
    emu = ChildProcess()
    url = emu.start()
    try:
        stall, took = asyncio.run(send(url, requests))
    finally:
        emu.stop()
    print(f"batch of {len(requests):,} requests, {size / 2**20:.0f} MB: sent in {took:.2f} s; "
          f"longest event-loop stall {stall * 1000:.0f} ms (goal < 100 ms); "
          f"the same encoding inline holds the loop {inline * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
