"""File transfer throughput: our client vs raw httpx (streamed), against the built-in emulator.

    python benchmarks/bench_files.py [--size-mb 200] [--runs 5] [-v]

1. Upload of a SIZE MB random file: `client.files.upload(path, progress=cb)` vs a raw
   `httpx.AsyncClient.post` of the same multipart body streamed from disk in 1 MB chunks.
2. Download of a SIZE MB downloadable ("tool-created") file: `client.files.download(id, dest,
   progress=cb)` vs raw `httpx` `client.stream("GET", ...)` + `aiter_bytes()` written to disk.
Goals: ours >= 0.8x raw httpx's MB/s, process RSS growth < 50 MB. Each figure is the median of
`--runs` runs after a warm-up; ours and raw alternate. By default the emulator runs in this
process (an EmulatorThread), so both clients share the CPU and GIL with it and the RSS figure is
an upper bound: the whole process's peak current RSS during a transfer minus the RSS just
before. `--child` serves the emulator from a child process instead (client-only RSS, less noise).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEY = "sk-ant-bench-key-0000"
MB = 1024 * 1024
HEADERS = {"x-api-key": KEY, "anthropic-version": "2023-06-01"}
VERBOSE = False


def rss_mb() -> float:
    """Current resident set size (Linux /proc; ru_maxrss only ever grows)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / MB


class RSSWatch:
    """Samples RSS every 5 ms in a thread while a transfer runs; `.growth` in MB."""

    def __enter__(self) -> RSSWatch:
        self.base = self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())

    @property
    def growth(self) -> float:
        return self.peak - self.base


# uploads --------------------------------------------------------------------------------------
async def ours_upload(url: str, path: Path) -> tuple[float, float]:
    from workbench.api.client import ClaudeClient

    client = ClaudeClient(api_key=KEY, base_url=url, max_retries=0, timeout=300)
    done = []
    try:
        await client.files.list(limit=1)  # connection + imports warm
        with RSSWatch() as watch:
            t0 = time.perf_counter()
            meta = await client.files.upload(path, progress=lambda d, t: done.append(d))
            elapsed = time.perf_counter() - t0
        assert meta.size_bytes == path.stat().st_size and done[-1] == meta.size_bytes
        await client.files.delete(meta.id)
        return elapsed, watch.growth
    finally:
        await client.aclose()


async def raw_upload(url: str, path: Path) -> tuple[float, float]:
    """The same multipart body, hand-built and streamed from disk in 1 MB chunks."""
    import httpx

    boundary = secrets.token_hex(16)
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{path.name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = path.stat().st_size

    async def body():
        yield head
        with path.open("rb") as f:
            while chunk := await asyncio.to_thread(f.read, MB):
                yield chunk
        yield tail

    async with httpx.AsyncClient(base_url=url, headers=HEADERS, timeout=300) as client:
        await client.get("/v1/files", params={"limit": 1})
        with RSSWatch() as watch:
            t0 = time.perf_counter()
            r = await client.post(
                "/v1/files", content=body(),
                headers={"content-type": f"multipart/form-data; boundary={boundary}",
                         "content-length": str(len(head) + size + len(tail))})
            elapsed = time.perf_counter() - t0
        r.raise_for_status()
        assert r.json()["size_bytes"] == size
        await client.delete(f"/v1/files/{r.json()['id']}")
    return elapsed, watch.growth


# downloads ------------------------------------------------------------------------------------
def fresh(dest: Path) -> Path:
    """Both sides write a new file each run (no truncation of the last run's 200 MB inside the
    timed part, which made the figures depend on the disk's mood)."""
    dest.unlink(missing_ok=True)
    return dest


async def ours_download(url: str, file_id: str, dest: Path) -> tuple[float, float]:
    from workbench.api.client import ClaudeClient

    fresh(dest)
    client = ClaudeClient(api_key=KEY, base_url=url, max_retries=0, timeout=300)
    try:
        await client.files.list(limit=1)
        with RSSWatch() as watch:
            t0 = time.perf_counter()
            await client.files.download(file_id, dest, progress=lambda d, t: None)
            elapsed = time.perf_counter() - t0
        return elapsed, watch.growth
    finally:
        await client.aclose()


async def raw_download(url: str, file_id: str, dest: Path) -> tuple[float, float]:
    import httpx

    fresh(dest)
    async with httpx.AsyncClient(base_url=url, headers=HEADERS, timeout=300) as client:
        await client.get("/v1/files", params={"limit": 1})
        with RSSWatch() as watch:
            t0 = time.perf_counter()
            async with client.stream("GET", f"/v1/files/{file_id}/content") as r:
                r.raise_for_status()
                with dest.open("wb") as out:
                    async for chunk in r.aiter_bytes():
                        out.write(chunk)
            elapsed = time.perf_counter() - t0
    return elapsed, watch.growth


# harness --------------------------------------------------------------------------------------
def median_pair(runs: int, ours, raw) -> tuple[tuple[float, float], tuple[float, float]]:
    """(median seconds, max RSS growth) for ours and raw; a warm-up of each first."""
    asyncio.run(ours())
    asyncio.run(raw())
    a, b = [], []
    for _ in range(runs):
        a.append(asyncio.run(ours()))
        b.append(asyncio.run(raw()))
    if VERBOSE:
        print("  ours", " ".join(f"{t * 1000:.0f}ms/+{g:.0f}MB" for t, g in a))
        print("  raw ", " ".join(f"{t * 1000:.0f}ms/+{g:.0f}MB" for t, g in b))
    return ((statistics.median(t for t, _ in a), max(g for _, g in a)),
            (statistics.median(t for t, _ in b), max(g for _, g in b)))


def report(what: str, size_mb: float, ours: tuple[float, float], raw: tuple[float, float]) -> None:
    o_rate, r_rate = size_mb / ours[0], size_mb / raw[0]
    print(f"{what} {size_mb:.0f} MB: ours {o_rate:.0f} MB/s ({ours[0] * 1000:.0f} ms), "
          f"raw httpx {r_rate:.0f} MB/s ({raw[0] * 1000:.0f} ms), "
          f"ratio {o_rate / r_rate:.2f}x (goal >= 0.8x); RSS growth ours {ours[1]:.1f} MB, "
          f"raw {raw[1]:.1f} MB (goal < 50 MB)")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(MB):
            digest.update(chunk)
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--child", action="store_true",
                    help="run the emulator in a child process (default: in this process)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every run")
    args = ap.parse_args(argv)
    global VERBOSE
    VERBOSE = args.verbose

    import httpx
    from bench_client import ChildProcess, InProcess

    emu = ChildProcess() if args.child else InProcess()
    url = emu.start()
    where = "a child process" if args.child else "this process"
    print(f"emulator at {url} ({where}); {args.size_mb} MB, median of {args.runs} "
          "runs after a warm-up, ours and raw alternating")
    size = args.size_mb * MB
    with tempfile.TemporaryDirectory(prefix="bench-files-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "source.bin"
        with src.open("wb") as out:
            for _ in range(args.size_mb):
                out.write(os.urandom(MB))
        try:
            ours, raw = median_pair(args.runs, lambda: ours_upload(url, src),
                                    lambda: raw_upload(url, src))
            report("upload", args.size_mb, ours, raw)

            meta = httpx.post(f"{url}/_emulator/files", timeout=300, headers={"x-api-key": "k"},
                              json={"filename": "generated.bin", "size": size}).json()
            a, b = tmpdir / "ours.bin", tmpdir / "raw.bin"
            ours, raw = median_pair(args.runs, lambda: ours_download(url, meta["id"], a),
                                    lambda: raw_download(url, meta["id"], b))
            same = a.stat().st_size == b.stat().st_size == size and sha256(a) == sha256(b)
            report("download", args.size_mb, ours, raw)
            print(f"downloads identical to each other and {size:,} bytes: {same}")
        finally:
            emu.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
