"""A 500-case x 2-version suite run live in the Evaluate pane against the emulator at full speed.

The emulator runs in its own process (its memory and CPU are not the app's); the app runs
headless in this one and is driven like a user: open the suite, run every cell, wait for the
grid to fill. Prints the run time and rate, the longest event-loop stall while the grid fills
(goal < 100 ms), and this process's RSS growth (goal < 100 MB).

    python benchmarks/bench_eval.py [--cases 500] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_batches import current_rss_mb, rss_mb, start_emulator


def write_suite(folder: Path, cases: int, concurrency: int) -> Path:
    lines = [
        'name = "bench"', "threshold = 0.5",
        "[prompt]", 'model = "claude-haiku-5-5"', "max_tokens = 300",
        'user = "Explain {{topic}} to a new programmer in three short points."',
        "[[compare]]", 'label = "v1"', 'system = "Be brief."',
        "[[compare]]", 'label = "v2"', 'system = "Be brief and concrete, with an example."',
        "[run]", f"concurrency = {concurrency}",
        "[[assert]]", 'type = "icontains"', 'value = "{{topic}}"',
        "[[assert]]", 'type = "max-output-tokens"', "value = 250",
        "[[assert]]", 'type = "regex"', 'value = "^(Good question|Here is)"',
    ]
    topics = ["recursion", "closures", "generators", "pointers", "iterators", "decorators",
              "coroutines", "hashing", "sorting", "caching"]
    for i in range(cases):
        lines += ["[[cases]]", f'id = "case-{i:04d}"',
                  f'vars = {{ topic = "{topics[i % len(topics)]} number {i}" }}']
    path = folder / "bench.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


async def measure(url: str, suite: Path) -> dict:
    from workbench.api.client import ClaudeClient
    from workbench.config import Profile, Settings
    from workbench.ui.app import WorkbenchApp
    from workbench.ui.widgets.eval_grid import EvalGrid

    settings = Settings()
    settings.profiles["default"] = Profile("default", url, "2023-06-01")
    app = WorkbenchApp(settings=settings,
                       client=ClaudeClient(api_key="sk-ant-bench", base_url=url, timeout=120))
    figures: dict = {}
    stalls: list[float] = []
    measuring = True

    async def lag_probe() -> None:
        while measuring:
            t = time.perf_counter()
            await asyncio.sleep(0.01)
            stalls.append(time.perf_counter() - t - 0.01)
            if os.environ.get("BENCH_DEBUG") and stalls[-1] > 0.04:
                done = len(app.screen.session.results) if app.screen.session else 0
                print(f"stall {stalls[-1] * 1000:.0f} ms with {done} done", file=sys.stderr)

    async with app.run_test(size=(120, 36)) as pilot:
        await app.switch_mode("evaluate")
        screen = app.screen
        while screen.session is None:
            await pilot.pause(0.02)
        t = time.perf_counter()
        screen.load_suite(str(suite))
        grid = screen.query_one("#eval-grid", EvalGrid)
        while screen.session.suite is None or grid.row_count == 0:
            await pilot.pause(0.02)
        figures["load_s"] = time.perf_counter() - t
        keys = screen.session.all_keys()
        figures["cells"] = len(keys)
        await pilot.pause(0.2)
        base_rss, base_peak = current_rss_mb(), rss_mb()
        probe = asyncio.create_task(lag_probe())
        t0 = time.perf_counter()
        screen.run_cells(keys, batch=False, force=True)
        first = None
        while True:
            await asyncio.sleep(0.005)
            done = len(screen.session.results)
            if done and first is None:
                first = time.perf_counter() - t0
            if done == len(keys) and not screen._busy:
                break
            if time.perf_counter() - t0 > 600:
                raise SystemExit("the run did not finish in 10 minutes")
        figures["first_cell_s"] = first
        figures["run_s"] = time.perf_counter() - t0
        await pilot.pause(0.3)  # the last flush
        measuring = False
        await probe
        figures["shown"] = sum(1 for c in screen.session.case_ids for v in screen.session.variants
                               if str(grid.get_cell(c, v)) not in ("·", "…"))
        figures["stall_max_ms"] = max(stalls) * 1000
        figures["stall_p99_ms"] = sorted(stalls)[int(len(stalls) * 0.99)] * 1000
        figures["rss_growth_mb"] = max(rss_mb() - base_peak, current_rss_mb() - base_rss)
        figures["rss_peak_mb"] = rss_mb()
        figures["passed"] = sum(r.passed for r in screen.session.results.values())
        figures["errors"] = sum(r.status == "error" for r in screen.session.results.values())
        totals = screen.session.totals()
        figures["p50_ms"] = (totals[0].p50 or 0) * 1000
        figures["p95_ms"] = (totals[0].p95 or 0) * 1000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    os.environ.setdefault("WORKBENCH_HOME", tempfile.mkdtemp(prefix="wb-bench-"))
    proc, url = start_emulator()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            suite = write_suite(Path(tmp), args.cases, args.concurrency)
            f = asyncio.run(measure(url, suite))
    finally:
        proc.terminate()
        proc.wait(5)
    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    print(f"suite: {args.cases} cases x 2 versions = {f['cells']} cells, live, concurrency "
          f"{args.concurrency}; {f['passed']} passed, {f['errors']} errors, {f['shown']} drawn")
    print(f"suite loaded and planned {f['load_s'] * 1000:8.0f} ms")
    print(f"first cell in the grid   {f['first_cell_s'] * 1000:8.0f} ms")
    print(f"all cells done           {f['run_s']:8.1f} s    ({f['cells'] / f['run_s']:.0f} "
          f"cells/s; latency p50 {f['p50_ms']:.0f} ms, p95 {f['p95_ms']:.0f} ms)")
    print(f"longest UI stall         {f['stall_max_ms']:8.1f} ms   goal < 100 ms    "
          f"{ok(f['stall_max_ms'] < 100)}  (p99 {f['stall_p99_ms']:.1f} ms)")
    print(f"RSS growth               {f['rss_growth_mb']:8.1f} MB   goal < 100 MB    "
          f"{ok(f['rss_growth_mb'] < 100)}  (peak {f['rss_peak_mb']:.0f} MB)")
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in f.items()}))


if __name__ == "__main__":
    main()
