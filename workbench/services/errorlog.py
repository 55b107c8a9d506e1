"""The log file under the user state dir: unexpected errors with their tracebacks, keys masked.

Set up on first use, never at import (start-up time matters): a rotating file that is opened
only when the first line is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from workbench import paths
from workbench.services.keys import scrub_keys

LOGGER = "workbench"
MAX_BYTES = 1_000_000
BACKUPS = 3


class ScrubbingFormatter(logging.Formatter):
    """Masks anything key-shaped in the whole line, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub_keys(super().format(record))


def logger() -> logging.Logger:
    """The `workbench` logger, writing to `paths.log_file()` (re-pointed if that moved, as it
    does between tests that each have their own home)."""
    from logging.handlers import RotatingFileHandler

    log = logging.getLogger(LOGGER)
    path = paths.log_file()
    for handler in list(log.handlers):
        if getattr(handler, "workbench_log", False):
            if Path(getattr(handler, "baseFilename", "")) == path.absolute():
                return log
            log.removeHandler(handler)
            handler.close()
    paths.ensure(path.parent)
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                  encoding="utf-8", delay=True)
    handler.workbench_log = True  # type: ignore[attr-defined]
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)
    return log


def describe(what: str, error: BaseException, scrub: Callable[[str], str] | None = None) -> str:
    """`what: Type: message`, keys masked (also the one `scrub` knows, of any shape)."""
    text = f"{what}: {type(error).__name__}: {error}"
    return scrub_keys(scrub(text) if scrub else text)


def log_exception(what: str, error: BaseException,
                  scrub: Callable[[str], str] | None = None) -> Path:
    """One error line with its traceback; returns the log file's path (for the notice)."""
    trace = "".join(_traceback(error)).rstrip()
    logger().error("%s\n%s", describe(what, error, scrub),
                   scrub_keys(scrub(trace) if scrub else trace))
    return paths.log_file()


def _traceback(error: BaseException) -> list[str]:
    import traceback

    return traceback.format_exception(type(error), error, error.__traceback__)
