"""100,000 batch results shown and saved with bounded memory (the benchmark's scenario, asserted).

The emulator runs in a subprocess so that only the app's memory is measured.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_batches.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_batches", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_100k_results_shown_and_saved_with_bounded_memory(tmp_path):
    bench = _bench()
    proc, url = bench.start_emulator()
    try:
        loop = asyncio.new_event_loop()
        try:
            batch_id = loop.run_until_complete(bench.make_batch(url, 100_000))
            figures = loop.run_until_complete(bench.measure(url, batch_id, 100_000, tmp_path))
        finally:
            loop.close()
    finally:
        proc.terminate()
        proc.wait(5)
    assert figures["loaded"] == 100_000
    assert figures["saved_lines"] == 100_000
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    assert json.loads(lines[0])["custom_id"] == "req-000000"
    assert json.loads(lines[-1])["custom_id"] == "req-099999"
    # generous bound for a shared machine; the benchmark reports ~30 MB
    assert figures["rss_growth_mb"] < 100, figures
    assert figures["first_rows"] < 5, figures
