"""An inline progress bar for uploads and downloads, fed by the client's progress callbacks.

    bar = TransferProgress("uploading report.pdf")
    await client.files.upload(path, progress=bar.callback())

The callbacks run on the event loop (async workers), so they touch the widgets directly; they
redraw at most ten times a second, and always at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from workbench.format import human_size
from workbench.ui.plain import plain

REDRAW_EVERY = 0.1  # seconds


class TransferProgress(Vertical):
    """Label, bar and `12.0 MB of 200.0 MB · 85.3 MB/s`."""

    HELP = """
## Transfer
Bytes sent or received so far, the total, and the speed. **Escape** cancels the transfer;
a cancelled download leaves no half-written file.
"""
    DEFAULT_CSS = """
    TransferProgress { height: auto; }
    TransferProgress .transfer-label { color: $text-muted; }
    TransferProgress ProgressBar { width: 1fr; }
    TransferProgress ProgressBar Bar { width: 1fr; }
    """

    def __init__(self, label: str = "", *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.done = 0
        self.total: int | None = None
        self.updates = 0  # redraws made (tests check the throttle)
        self._started = time.monotonic()
        self._last = 0.0

    def compose(self) -> ComposeResult:
        yield Static(plain(self.label, False), classes="transfer-label")
        yield ProgressBar(total=None, show_eta=False, show_percentage=True)
        yield Static("", classes="transfer-figures")

    def start(self, label: str) -> None:
        self.label = label
        self.done, self.total, self._last = 0, None, 0.0
        self._started = time.monotonic()
        self.query_one(".transfer-label", Static).update(plain(label, False))
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one(".transfer-figures", Static).update("")

    def callback(self) -> Callable[[int, int | None], None]:
        """A `progress(done, total)` function for the client."""
        return self._progress

    def _progress(self, done: int, total: int | None) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        final = total is not None and done >= total
        if not final and now - self._last < REDRAW_EVERY:
            return
        self._last = now
        self.updates += 1
        self.query_one(ProgressBar).update(total=total, progress=done)
        elapsed = max(now - self._started, 1e-6)
        figures = human_size(done)
        if total is not None:
            figures += f" of {human_size(total)}"
        figures += f" · {human_size(int(done / elapsed))}/s"
        self.query_one(".transfer-figures", Static).update(figures)
