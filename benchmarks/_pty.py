"""Run a command in a pseudo-terminal and time until a marker appears on its screen output.

Shared by the start-up benchmark and handy for ad-hoc checks: it measures what a user sees
(bytes written to the terminal), not what the program believes about itself.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import subprocess
import time
from pathlib import Path


def time_to_marker(argv: list[str], marker: bytes, *, env: dict[str, str] | None = None,
                   timeout: float = 20.0, cols: int = 120, rows: int = 40) -> float:
    """Seconds from spawn until `marker` has been written to the terminal."""
    return times_to_marker(argv, marker, env=env, timeout=timeout, cols=cols, rows=rows)[0]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc): unlike wall time, it hardly
    moves when other programs load the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def times_to_marker(argv: list[str], marker: bytes, *, env: dict[str, str] | None = None,
                    timeout: float = 20.0, cols: int = 120,
                    rows: int = 40) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process) from spawn until `marker` is on the terminal."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
    full_env.update(env or {})
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    seen = b""
    try:
        while True:
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                raise TimeoutError(f"{marker!r} not seen within {timeout}s; got {seen[-400:]!r}")
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if not chunk and proc.poll() is not None:
                    raise RuntimeError(f"exited with {proc.returncode}: {seen[-800:]!r}")
                seen += chunk
                if marker in seen:
                    wall = time.perf_counter() - start
                    return wall, cpu_seconds(proc.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
