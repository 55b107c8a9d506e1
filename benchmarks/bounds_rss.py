"""Peak RSS of one client call against the hostile server's gzip bomb and 300 MB body.

    python benchmarks/bounds_rss.py [--repo /work/main]

Each case runs in a fresh interpreter importing `workbench` from `--repo` (default: this
checkout), so two checkouts can be compared; prints the error raised, the seconds taken and
the peak RSS before and after the call (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
CHILD = r"""
import asyncio, json, resource, sys, time
from workbench.api.client import ClaudeClient

async def main(url):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    async with ClaudeClient(api_key="sk-ant-bench-0000", base_url=url, max_retries=0) as c:
        try:
            await c.messages.create({"model": "m", "max_tokens": 5,
                                     "messages": [{"role": "user", "content": "hi"}]})
            error = "none"
        except BaseException as exc:  # the figure is what escapes, whatever it is
            error = f"{type(exc).__name__}: {str(exc)[:90]}"
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"error": error, "seconds": round(time.monotonic() - start, 2),
                      "rss_before_mb": before // 1024, "rss_peak_mb": after // 1024}))

asyncio.run(main(sys.argv[1]))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(HERE), help="checkout whose workbench to import")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from tests.reliability.hostile import HostileServer, bomb

    bomb()
    env = {**os.environ, "PYTHONPATH": args.repo}
    with HostileServer() as server:
        for case in ("gzip-bomb", "huge"):
            out = subprocess.run([sys.executable, "-c", CHILD, server.url(case)], env=env,
                                 capture_output=True, text=True, timeout=600, cwd=args.repo)
            line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-300:]
            try:
                print(case, json.dumps(json.loads(line)))
            except ValueError:
                print(case, "child failed:", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
