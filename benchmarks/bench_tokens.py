"""Token counting: the instant local estimate for a 1 MB prompt, and how many count_tokens
requests the composer sends while 200 characters are typed quickly.

    python benchmarks/bench_tokens.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time


def estimate_1mb() -> float:
    from workbench.services.tokens import estimate_request

    text = ("The quick brown fox jumps over the lazy dog; 12345 tokens, maybe more! " * 15000)[:1_000_000]
    body = {"model": "m", "messages": [{"role": "user", "content": text}]}
    estimate_request(body)
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        estimate_request(body)
        runs.append(time.perf_counter() - t)
    return 1000 * statistics.median(runs)


async def typing_requests() -> int:
    from workbench.api.client import ClaudeClient
    from workbench.config import Settings
    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import EmulatorThread
    from workbench.ui.app import WorkbenchApp

    emu = EmulatorThread(EmulatorConfig(tokens_per_second=None))
    url = emu.start()
    client = ClaudeClient(api_key="sk-ant-bench-0000000000", base_url=url)
    app = WorkbenchApp(settings=Settings(), client=client)
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause(1.0)
        before = sum(1 for e in client.recorder.exchanges if "count_tokens" in e.url)
        for ch in ("lorem ipsum dolor sit amet " * 8)[:200]:
            await pilot.press("space" if ch == " " else ch)
            await asyncio.sleep(0.02)  # ~50 characters per second: a fast typist
        await pilot.pause(1.5)
        sent = sum(1 for e in client.recorder.exchanges if "count_tokens" in e.url) - before
    await client.aclose()
    emu.stop()
    return sent


def main() -> None:
    os.environ["WORKBENCH_HOME"] = tempfile.mkdtemp()
    print(f"local estimate, 1 MB prompt: median {estimate_1mb():.2f} ms (goal < 10 ms)")
    print(f"count_tokens requests while typing 200 characters: {asyncio.run(typing_requests())} "
          "(goal <= 3)")


if __name__ == "__main__":
    main()
