"""The history database with 10,000 runs: how long the history pane's queries take.

Inserts 10,000 runs with realistic payloads (a few KB of request and reply each), then times
the first page newest first, a page filtered by model and status, a full-text search, and
opening one run; medians of 5 after a warm-up. Goal: each under 200 ms.

    python benchmarks/bench_store.py [--runs 10000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = ["river", "bridge", "whale", "summary", "python", "recursion", "winter", "market", "signal", "kernel", "garden", "harbour", "lantern", "protocol", "spectrum", "mountain"]


def fill(store, n: int) -> float:
    rng = random.Random(7)
    start = time.perf_counter()
    now = time.time()
    for i in range(n):
        prompt = " ".join(rng.choice(WORDS) for _ in range(60))
        reply = " ".join(rng.choice(WORDS) for _ in range(300))
        request = {"model": rng.choice(["claude-haiku-4-5", "claude-sonnet-5-5", "claude-opus-5"]),
                   "max_tokens": 1024, "system": "You are a careful assistant. " * 10,
                   "messages": [{"role": "user", "content": prompt}]}
        message = {"id": f"msg_{i}", "type": "message", "role": "assistant",
                   "model": request["model"], "content": [{"type": "text", "text": reply}],
                   "stop_reason": "end_turn", "usage": {"input_tokens": 90, "output_tokens": 400}}
        store.add_run(request=request, message=message,
                      status=rng.choice(["complete"] * 8 + ["cancelled", "failed"]),
                      cost_usd=0.002, ttft=0.4, duration=3.0, output_tps=120.0,
                      request_id=f"req_{i}", profile="default", created_at=now - (n - i) * 60)
    return time.perf_counter() - start


def median_ms(fn, repeat: int = 5) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    from workbench.services.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        took = fill(store, args.runs)
        size = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
        print(f"{args.runs:,} runs inserted in {took:.1f} s ({took / args.runs * 1000:.2f} ms "
              f"each); database {size:.0f} MB")
        page = store.list_runs(limit=100)
        checks = {
            "first page (100, newest first)": lambda: store.list_runs(limit=100),
            "page 50 (offset 5,000)": lambda: store.list_runs(limit=100, offset=5000),
            "filtered: model + status": lambda: store.list_runs(
                limit=100, model="claude-opus-5", status="complete"),
            "full-text search (2 words)": lambda: store.list_runs(limit=100,
                                                                  search="whale lantern"),
            "models for the filter": store.run_models,
            "open one run": lambda: store.get_run(page[50]["id"]),
        }
        worst = 0.0
        for name, fn in checks.items():
            ms = median_ms(fn)
            worst = max(worst, ms)
            print(f"{name:34} {ms:8.2f} ms")
        print(f"slowest {worst:.2f} ms   goal < 200 ms   {'ok' if worst < 200 else 'MISSED'}")
        store.close()


if __name__ == "__main__":
    main()
