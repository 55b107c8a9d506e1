"""Our client vs the official SDK against the built-in emulator, in one run.

    python benchmarks/bench_client.py [--creates 500] [--events 20000] [--runs 5]

1. N sequential non-streaming creates (goal: ours <= 0.75x the SDK's time).
2. One stream of ~20,000 events at full speed, parsed and accumulated into the final Message
   (goal: ours <= 0.4x the SDK's `messages.stream(...)` + `get_final_message()`).
Each figure is the median of `--runs` runs after a warm-up; ours and the SDK alternate.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEY = "sk-ant-bench-key-0000"
VERBOSE = False
MODEL = "claude-haiku-4-5"
CREATE = {"model": MODEL, "max_tokens": 16,
          "messages": [{"role": "user", "content": "Say hi."}]}


def stream_params(events: int) -> dict:
    # the emulator writes one token per text delta: ask for about `events` of them
    return {"model": MODEL, "max_tokens": events,
            "messages": [{"role": "user", "content":
                          "Write a very long essay about the history of computing, as long "
                          "as you can, with many sections and lists."}]}


async def ours_creates(url: str, n: int) -> float:
    from workbench.api.client import ClaudeClient

    client = ClaudeClient(api_key=KEY, base_url=url, max_retries=0)
    try:
        await client.messages.create(CREATE)
        t0 = time.perf_counter()
        for _ in range(n):
            await client.messages.create(CREATE)
        return time.perf_counter() - t0
    finally:
        await client.aclose()


async def sdk_creates(url: str, n: int) -> float:
    import anthropic

    client = anthropic.AsyncAnthropic(base_url=url, api_key=KEY)
    try:
        await client.messages.create(**CREATE)
        t0 = time.perf_counter()
        for _ in range(n):
            await client.messages.create(**CREATE)
        return time.perf_counter() - t0
    finally:
        await client.close()


async def ours_stream(url: str, params: dict, headers: dict) -> tuple[float, int, int]:
    from workbench.api.client import ClaudeClient

    client = ClaudeClient(api_key=KEY, base_url=url, max_retries=0, default_headers=headers)
    try:
        t0 = time.perf_counter()
        async with client.messages.stream(params) as stream:
            async for _ in stream:
                pass
        elapsed = time.perf_counter() - t0
        msg = stream.snapshot
        return elapsed, len(stream.exchange.events) + stream.exchange.events_dropped - 1, \
            len(msg.text)
    finally:
        await client.aclose()


async def sdk_stream(url: str, params: dict, headers: dict) -> tuple[float, int]:
    import anthropic

    client = anthropic.AsyncAnthropic(base_url=url, api_key=KEY, default_headers=headers)
    try:
        t0 = time.perf_counter()
        async with client.messages.stream(**params) as stream:
            msg = await stream.get_final_message()
        elapsed = time.perf_counter() - t0
        return elapsed, len("".join(b.text for b in msg.content if b.type == "text"))
    finally:
        await client.close()


def median_pair(runs: int, ours, sdk) -> tuple[float, float]:
    asyncio.run(ours())  # warm-up
    asyncio.run(sdk())
    a, b = [], []
    for _ in range(runs):
        a.append(asyncio.run(ours()))
        b.append(asyncio.run(sdk()))
    if VERBOSE:
        print("  ours", " ".join(f"{x * 1000:.0f}" for x in a), "ms")
        print("  SDK ", " ".join(f"{x * 1000:.0f}" for x in b), "ms")
    return statistics.median(a), statistics.median(b)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--creates", type=int, default=500)
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--base-url", help="an already running emulator (default: start one)")
    ap.add_argument("--in-process", action="store_true",
                    help="run the EmulatorThread in this process (its CPU time then competes "
                         "with the clients under test for the GIL)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every run")
    args = ap.parse_args(argv)
    global VERBOSE
    VERBOSE = args.verbose

    emu = None
    url = args.base_url
    if url is None:
        emu = InProcess() if args.in_process else ChildProcess()
        url = emu.start()
    where = "given URL" if args.base_url else ("this process" if args.in_process
                                              else "a child process")
    print(f"emulator at {url} ({where}), full speed; median of {args.runs} runs after a warm-up")
    headers = {"x-emulator-speed": "0"}
    params = stream_params(args.events)
    try:
        n = args.creates
        ours_t, sdk_t = median_pair(args.runs, lambda: ours_creates(url, n),
                                    lambda: sdk_creates(url, n))
        print(f"{n} sequential creates: ours {ours_t * 1000:.0f} ms "
              f"({ours_t / n * 1000:.3f} ms/req), SDK {sdk_t * 1000:.0f} ms "
              f"({sdk_t / n * 1000:.3f} ms/req), ratio {ours_t / sdk_t:.2f}x (goal <= 0.75x)")

        _, n_events, n_chars = asyncio.run(ours_stream(url, params, headers))
        _, sdk_chars = asyncio.run(sdk_stream(url, params, headers))
        if n_chars != sdk_chars:
            print(f"warning: texts differ in length (ours {n_chars}, SDK {sdk_chars})")
        ours_s, sdk_s = median_pair(
            args.runs,
            lambda: _first(ours_stream(url, params, headers)),
            lambda: _first(sdk_stream(url, params, headers)),
        )
        print(f"stream of {n_events} events ({n_chars} chars): ours {ours_s * 1000:.0f} ms "
              f"({ours_s / max(n_events, 1) * 1e6:.1f} us/event), SDK {sdk_s * 1000:.0f} ms "
              f"({sdk_s / max(n_events, 1) * 1e6:.1f} us/event), "
              f"ratio {ours_s / sdk_s:.2f}x (goal <= 0.4x)")
    finally:
        if emu is not None:
            emu.stop()
    return 0


def _tcp_listen_sockets() -> None:
    """Make `socket.socket(AF_INET, SOCK_STREAM)` say proto=IPPROTO_TCP.

    asyncio only sets TCP_NODELAY on accepted sockets whose proto is IPPROTO_TCP; a listening
    socket made with proto 0 (as EmulatorThread did when this was written) leaves Nagle on, and
    every response then waits ~40 ms for a delayed ACK. Harmless once the emulator binds with
    IPPROTO_TCP itself.
    """
    import socket

    base = socket.socket
    if getattr(base, "_bench_tcp", False):
        return

    class TCPSocket(base):  # type: ignore[misc, valid-type]
        _bench_tcp = True

        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if (fileno is None and family in (socket.AF_INET, socket.AF_INET6)
                    and type == socket.SOCK_STREAM and proto in (-1, 0)):
                proto = socket.IPPROTO_TCP
            super().__init__(family, type, proto, fileno)

    socket.socket = TCPSocket  # type: ignore[misc]


def _serve(conn) -> None:
    """Child process: an EmulatorThread at full speed until the parent says stop."""
    _tcp_listen_sockets()
    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import EmulatorThread

    emu = EmulatorThread(EmulatorConfig(tokens_per_second=None))
    conn.send(emu.start())
    conn.recv()
    emu.stop()


class ChildProcess:
    """The emulator in its own process, so only the clients share this one's CPU and GIL."""

    def start(self) -> str:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child,), daemon=True)
        self.proc.start()
        if not self.conn.poll(30):
            raise SystemExit("the emulator did not start within 30 s")
        return self.conn.recv()

    def stop(self) -> None:
        self.conn.send("stop")
        self.proc.join(10)


class InProcess:
    def start(self) -> str:
        _tcp_listen_sockets()
        from workbench.emulator.config import EmulatorConfig
        from workbench.emulator.server import EmulatorThread

        self.emu = EmulatorThread(EmulatorConfig(tokens_per_second=None))
        return self.emu.start()

    def stop(self) -> None:
        self.emu.stop()


async def _first(coro) -> float:
    return (await coro)[0]


if __name__ == "__main__":
    raise SystemExit(main())
