"""Start-up: launch to first painted frame, `workbench --demo` vs a minimal Textual app.

Both are measured the same way: spawned in a pseudo-terminal, timed until a marker that only
the first painted frame contains is written to the terminal. Median of 5 after a warm-up, the two apps run in turn; the CPU time each used up to
that frame is printed too (it hardly moves when the machine is loaded).
Goal: workbench <= 1.5x the minimal app.

    python benchmarks/bench_startup.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _pty import times_to_marker

MINIMAL = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("minimal-ready")
Minimal().run()
"""


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as home:
        # As installed (pip compiles .pyc files): the warm-up writes them (__pycache__ is
        # git-ignored) even where PYTHONDONTWRITEBYTECODE is set, as on these machines, where
        # every run would otherwise compile all our modules again (~20 ms) but none of
        # Textual's. A shared PYTHONPYCACHEPREFIX would slow both apps alike and hide it.
        env = {"WORKBENCH_HOME": home, "PYTHONDONTWRITEBYTECODE": ""}
        script = Path(home) / "minimal.py"
        script.write_text(MINIMAL)
        apps = {
            "minimal": ([sys.executable, str(script)], b"minimal-ready"),
            # "Compose" is in the top bar, painted in the first frame of the composer.
            "ours": ([sys.executable, "-m", "workbench", "--demo"], b"Compose"),
        }
        for argv, marker in apps.values():
            times_to_marker(argv, marker, env=env)  # warm-up (disk cache, .pyc)
        times: dict[str, list[float]] = {name: [] for name in apps}
        cpu: dict[str, list[float]] = {name: [] for name in apps}
        # Interleaved, so a burst of load on this shared machine hits both alike.
        for _ in range(runs):
            for name, (argv, marker) in apps.items():
                wall, used = times_to_marker(argv, marker, env=env)
                times[name].append(wall)
                cpu[name].append(used)
    minimal, ours = times["minimal"], times["ours"]
    m, o = statistics.median(minimal), statistics.median(ours)
    pairs = statistics.median(b / a for a, b in zip(minimal, ours, strict=True))
    print(f"minimal Textual app : median {m * 1000:7.1f} ms  runs {[round(x * 1000) for x in minimal]}")
    print(f"workbench --demo    : median {o * 1000:7.1f} ms  runs {[round(x * 1000) for x in ours]}")
    print(f"ratio               : {o / m:.2f}x   (goal <= 1.5x; median of per-round ratios {pairs:.2f}x)")
    # CPU time to the first frame: a second look that a loaded machine hardly disturbs (it
    # leaves out time spent waiting, so it is a check on the wall figure, not the goal).
    cm, co = statistics.median(cpu["minimal"]), statistics.median(cpu["ours"])
    print(f"CPU to first frame  : minimal {cm * 1000:.0f} ms, workbench {co * 1000:.0f} ms, "
          f"ratio {co / cm:.2f}x")


if __name__ == "__main__":
    main()
