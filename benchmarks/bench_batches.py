"""100,000 batch results shown in the batch detail pane and saved to a JSONL file.

The emulator runs in its own process (its memory is not ours); the app runs headless in this
one, driven like a user: open the batch, wait for the results, press `s` and save them.
Prints the time until the first rows show (goal < 1 s), the time to load all, the longest
event-loop stall while they load (goal < 100 ms), the time to save, and the peak RSS growth
of this process (goal < 100 MB).

    python benchmarks/bench_batches.py [--results 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    """Peak RSS of this process so far (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_emulator() -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "emulator", "--port", str(port),
                             "--full-speed", "--batch-seconds", "0.0001"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(200):
        try:
            httpx.get(url + "/_emulator/health", timeout=0.5)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the emulator did not start")


async def make_batch(url: str, n: int) -> str:
    from workbench.api.client import ClaudeClient

    client = ClaudeClient(api_key="sk-ant-bench", base_url=url, timeout=120)
    body = {"model": "claude-haiku-4-5", "max_tokens": 40,
            "messages": [{"role": "user", "content": "Say something short"}]}
    batch = await client.batches.create([{"custom_id": f"req-{i:06d}", "params": body}
                                         for i in range(n)])
    await client.aclose()
    import httpx

    httpx.post(f"{url}/_emulator/batches/{batch.id}/finish", json={}, headers={"x-api-key": "k"})
    return batch.id


async def measure(url: str, batch_id: str, n: int, out_dir: Path) -> dict:
    from workbench.api.client import ClaudeClient
    from workbench.config import Profile, Settings
    from workbench.ui.app import WorkbenchApp
    from workbench.ui.screens.batch_detail import BatchDetailScreen
    from workbench.ui.screens.compose_modals import AskScreen

    settings = Settings()
    settings.profiles["default"] = Profile("default", url, "2023-06-01")
    app = WorkbenchApp(settings=settings,
                       client=ClaudeClient(api_key="sk-ant-bench", base_url=url, timeout=120))
    figures: dict = {}
    stalls: list[float] = []
    measuring = True
    t0_box = [time.perf_counter()]

    async def lag_probe() -> None:
        while measuring:
            t = time.perf_counter()
            await asyncio.sleep(0.01)
            stalls.append(time.perf_counter() - t - 0.01)
            if os.environ.get('BENCH_DEBUG') and stalls[-1] > 0.04:
                print(f'stall {stalls[-1]*1000:.0f} ms at {time.perf_counter() - t0_box[0]:.2f} s', file=sys.stderr)

    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("batches")
        for _ in range(200):
            await pilot.pause(0.05)
            if getattr(app.screen, "order", None):
                break
        base_rss = current_rss_mb()
        base_peak = rss_mb()
        probe = asyncio.create_task(lag_probe())
        t0 = t0_box[0] = time.perf_counter()
        app.push_screen(BatchDetailScreen([batch_id]))
        detail = None
        while True:
            await asyncio.sleep(0.005)
            if isinstance(app.screen, BatchDetailScreen):
                detail = app.screen
                table = detail.query_one("ResultsTable")
                if table.row_count > 0 and "first_rows" not in figures:
                    figures["first_rows"] = time.perf_counter() - t0
                if detail.results_done:
                    break
            if time.perf_counter() - t0 > 600:
                raise SystemExit("results did not finish loading in 10 minutes")
        figures["load_all"] = time.perf_counter() - t0
        figures["loaded"] = len(detail.index)
        measuring = False
        await probe
        figures["stall_max_ms"] = max(stalls) * 1000 if stalls else 0.0
        figures["stall_p99_ms"] = sorted(stalls)[int(len(stalls) * 0.99)] * 1000 if stalls else 0
        # scroll to the end and back: only visible rows are drawn
        t = time.perf_counter()
        await pilot.press("end")
        await pilot.pause()
        await pilot.press("home")
        await pilot.pause()
        figures["end_home_ms"] = (time.perf_counter() - t) * 1000
        dest = out_dir / "results.jsonl"
        await pilot.press("s")
        while not isinstance(app.screen, AskScreen):
            await pilot.pause(0.02)
        app.screen.query_one("#answer").value = str(dest)
        t = time.perf_counter()
        await pilot.press("enter")
        while not dest.exists():
            await pilot.pause(0.05)
        figures["save"] = time.perf_counter() - t
        figures["saved_lines"] = sum(1 for _ in dest.open())
        figures["rss_growth_mb"] = max(rss_mb() - base_peak, current_rss_mb() - base_rss)
        figures["rss_peak_mb"] = rss_mb()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("WORKBENCH_HOME", tempfile.mkdtemp(prefix="wb-bench-"))
    proc, url = start_emulator()
    try:
        batch_id = asyncio.run(make_batch(url, args.results))
        with tempfile.TemporaryDirectory() as tmp:
            f = asyncio.run(measure(url, batch_id, args.results, Path(tmp)))
    finally:
        proc.terminate()
        proc.wait(5)
    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    print(f"results: {f['loaded']:,} shown, {f['saved_lines']:,} saved")
    print(f"first rows on screen   {f['first_rows'] * 1000:8.0f} ms   goal < 1000 ms  "
          f"{ok(f['first_rows'] < 1)}")
    print(f"all results loaded     {f['load_all']:8.1f} s")
    print(f"longest UI stall       {f['stall_max_ms']:8.1f} ms   goal < 100 ms    "
          f"{ok(f['stall_max_ms'] < 100)}  (p99 {f['stall_p99_ms']:.1f} ms)")
    print(f"end + home keys        {f['end_home_ms']:8.1f} ms   (two Pilot key presses and pauses, harness included)")
    print(f"saved to JSONL         {f['save']:8.1f} s")
    print(f"RSS growth             {f['rss_growth_mb']:8.1f} MB   goal < 100 MB    "
          f"{ok(f['rss_growth_mb'] < 100)}  (peak {f['rss_peak_mb']:.0f} MB)")
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in f.items()}))


if __name__ == "__main__":
    main()
