"""The one watcher of workers: one that ends in error becomes a notice and a log line.

Workers run with `exit_on_error=False` so that a failure never closes the app; without this
watcher such a failure would vanish without a trace.
"""

from __future__ import annotations

from typing import Any

from textual.worker import Worker, WorkerState


class WorkerWatch:
    """App mixin: `on_worker_state_changed` for every worker of the app."""

    client: Any

    def open_error_log(self) -> None:
        """After the first frame: from then on any `workbench` log line (a failing exchange
        observer, say) lands in the file too."""
        from workbench.services import errorlog

        self.run_worker(errorlog.logger, thread=True, group="error-log",  # type: ignore[attr-defined]
                        exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            self.report_error(f"{worker.name or worker.group} (background task)", worker.error)

    def report_error(self, what: str, error: BaseException) -> None:
        """A notice (plain text: the error is data, never markup) and the traceback in the log
        file, keys masked (the client's own key too, whatever its shape)."""
        from workbench.services import errorlog

        client = self.client
        scrub = client.scrub if client is not None else None
        try:
            where = f"\nDetails in {errorlog.log_exception(what, error, scrub)}"
        except OSError as exc:  # an unwritable state dir must not hide the error itself
            where = f"\n(could not write the log: {exc})"
        self.notify(errorlog.describe(what, error, scrub) + where,  # type: ignore[attr-defined]
                    title="Unexpected error", severity="error", timeout=15, markup=False)
