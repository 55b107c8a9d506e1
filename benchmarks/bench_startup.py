"""Start-up: launch to first painted frame, `workbench --demo` vs a minimal Textual app.

Both are measured the same way: spawned in a pseudo-terminal, timed until a marker that only
the first painted frame contains is written to the terminal. Median of 5 after a warm-up.
Goal: workbench <= 1.5x the minimal app.

    python benchmarks/bench_startup.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _pty import time_to_marker

MINIMAL = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("minimal-ready")
Minimal().run()
"""


def median_of(argv: list[str], marker: bytes, env: dict[str, str], runs: int = 5) -> list[float]:
    time_to_marker(argv, marker, env=env)  # warm-up (disk cache, .pyc)
    return [time_to_marker(argv, marker, env=env) for _ in range(runs)]


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {"WORKBENCH_HOME": home}
        script = Path(home) / "minimal.py"
        script.write_text(MINIMAL)
        minimal = median_of([sys.executable, str(script)], b"minimal-ready", env)
        # "F2" is in the top bar, painted in the first frame of every pane.
        ours = median_of([sys.executable, "-m", "workbench", "--demo"], b"Compose", env)
    m, o = statistics.median(minimal), statistics.median(ours)
    print(f"minimal Textual app : median {m * 1000:7.1f} ms  runs {[round(x * 1000) for x in minimal]}")
    print(f"workbench --demo    : median {o * 1000:7.1f} ms  runs {[round(x * 1000) for x in ours]}")
    print(f"ratio               : {o / m:.2f}x   (goal <= 1.5x)")


if __name__ == "__main__":
    main()
