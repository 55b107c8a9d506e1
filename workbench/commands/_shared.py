"""What the resource subcommands (batch, files, skills, count) share.

One place decides how a command gets its client (profile key, `--base-url`, `--demo`), how it
prints (JSON for scripts, aligned tables for people), how it shows progress (drawn on stderr
only when stderr is a terminal; scripts get one final line), and how failures map to exit
codes scripts can trust: 0 ok, 1 API or connection error, 2 usage error or bad input.

Nothing heavy at module level: httpx/pydantic come in with the client, inside `open_client`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from workbench.format import human_size, when  # shared with the UI (files.py uses human_size)

if TYPE_CHECKING:
    from workbench.config import Settings

EXIT_OK, EXIT_API, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure with a ready message and exit code (raised anywhere inside a command)."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def add_common(p: argparse.ArgumentParser, *, json_help: str = "machine-readable output on "
               "stdout (JSON)") -> None:
    """--json, and the per-command --demo/--base-url (SUPPRESS'd: the top-level ones win)."""
    p.add_argument("--json", action="store_true", help=json_help)
    # SUPPRESS keeps `workbench --demo files list` (top-level option) from being overwritten.
    p.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                   help="run against a built-in emulator started for this command only "
                   "(no key needed; what it holds is gone when the command ends)")
    p.add_argument("--base-url", metavar="URL", default=argparse.SUPPRESS,
                   help="API base URL (overrides the profile)")


def read_text(path: str) -> str:
    """A UTF-8 text file's content, or a CommandError a person can act on (a folder, a binary
    file and a missing file each say so, rather than Python's errno text)."""
    from pathlib import Path

    from workbench.services.localfile import LocalFileError, check_regular

    target = Path(os.path.expanduser(path))
    try:
        check_regular(target)  # a FIFO or /dev/zero: refused, not read forever
    except LocalFileError as exc:
        raise CommandError(str(exc)) from None
    try:
        return target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path} is a folder: give a file") from None
    except PermissionError:
        raise CommandError(f"{path}: permission denied") from None
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not UTF-8 text (byte {exc.start} cannot be read; "
                           "a binary file?)") from None
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None


def err(cmd: str, message: str) -> None:
    print(f"workbench {cmd}: {message}", file=sys.stderr)


def say(message: str) -> None:
    """Human notes that must not pollute stdout (which --json keeps for data)."""
    print(message, file=sys.stderr)


# settings and client ----------------------------------------------------------------------
def load_settings(args: argparse.Namespace) -> Settings:
    """Settings with the command line's overrides; exits with a message on a bad file.
    The TUI's start (`cli.run_tui`) uses it too, so both read the options alike."""
    from workbench import config

    try:
        settings = config.load()
    except config.ConfigError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    if getattr(args, "profile", None):
        settings.active_profile = args.profile
    if getattr(args, "theme", None):
        settings.theme = args.theme
    if getattr(args, "base_url", None):
        settings.base_url_override = args.base_url
    settings.demo = bool(getattr(args, "demo", False))
    settings.demo_platform = getattr(args, "platform", None) if settings.demo else None
    return settings



@asynccontextmanager
async def open_client(args: argparse.Namespace) -> AsyncIterator[Any]:
    """A ClaudeClient for this command; with --demo an emulator lives as long as the block."""
    settings = load_settings(args)
    emulator = None
    if settings.demo:
        from workbench.emulator.config import EmulatorConfig
        from workbench.emulator.server import EmulatorThread

        emulator = EmulatorThread(EmulatorConfig(tokens_per_second=None,
                                                 batch_seconds_per_request=0.05))
        base_url, key = emulator.start(), "demo-key"
    elif settings.profile.platform != "anthropic":  # a cloud profile: its adapter, its auth
        from workbench.api.platforms import PlatformSetupError
        from workbench.services.platforms import profile_client

        try:
            client = await profile_client(settings)
        except PlatformSetupError as exc:
            raise CommandError(str(exc), EXIT_API) from None
        try:
            yield client
        finally:
            await client.aclose()
        return
    else:
        from workbench.services.keys import resolve_key

        base_url = settings.base_url
        resolved = resolve_key(settings)
        key = resolved.key
        if not key:
            advice = f" ({resolved.problem})" if resolved.problem else ""
            raise CommandError("no API key: run `workbench keys set`, export ANTHROPIC_API_KEY, "
                               f"or use --demo{advice}", EXIT_API)
    from workbench.api.client import ClaudeClient

    client = ClaudeClient(api_key=key, base_url=base_url, api_version=settings.api_version)
    try:
        yield client
    finally:
        await client.aclose()
        if emulator is not None:
            emulator.stop()


def run_command(cmd: str, work: Callable[[], Awaitable[int | None]]) -> int:
    """Run an async command body and turn every expected failure into a message + exit code."""
    import asyncio

    try:
        return int(asyncio.run(work()) or 0)
    except CommandError as exc:
        err(cmd, exc.message)
        return exc.code
    except BrokenPipeError:
        # the reader stopped early (`| head`): not a failure; keep Python quiet at exit
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # mapped below; re-raised when unknown (a bug)
        code = exit_code_for(exc)
        if code is None:
            raise
        err(cmd, describe(exc))
        return code


def exit_code_for(exc: BaseException) -> int | None:
    """2 for what the user can fix locally (bad folder, too big, rejected before sending),
    1 for what the API or the network said; None for a bug (let it surface)."""
    from workbench.api.errors import (
        APIError,
        InvalidIdError,
        RequestRejectedLocally,
        RequestSizeError,
    )
    from workbench.api.skills import SkillFolderError

    if isinstance(exc, (SkillFolderError, RequestSizeError, RequestRejectedLocally,
                        InvalidIdError)):
        return EXIT_USAGE
    if isinstance(exc, APIError):
        return EXIT_API
    from workbench.services.datasets import DatasetError

    if isinstance(exc, DatasetError):
        return EXIT_USAGE
    if isinstance(exc, OSError):
        return EXIT_USAGE
    return None


def describe(exc: BaseException) -> str:
    from workbench.api.errors import RequestRejectedLocally

    if isinstance(exc, RequestRejectedLocally):
        problems = getattr(exc, "problems", None) or [str(exc)]
        return "request rejected before sending:\n  " + "\n  ".join(problems)
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return str(exc)


# output -----------------------------------------------------------------------------------
def to_plain(obj: Any) -> Any:
    """pydantic models (and lists of them) as plain JSON-able data."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json", exclude_none=False)
    if isinstance(obj, (list, tuple)):
        return [to_plain(o) for o in obj]
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    return obj


def print_json(obj: Any, *, lines: bool = False) -> None:
    """One JSON document (or one line when `lines`): nothing else goes to stdout with --json."""
    text = json.dumps(to_plain(obj), ensure_ascii=False,
                      indent=None if lines else 2, separators=(",", ":") if lines else None)
    sys.stdout.write(text + "\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
                max_width: int = 60) -> None:
    """Aligned columns; over-long cells are cut with an ellipsis so rows stay one line."""
    if not rows:
        return
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    out = sys.stdout
    out.write("  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True))
              .rstrip() + "\n")
    for row in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def _cell(value: Any, max_width: int) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def short_time(stamp: str | None) -> str:
    """RFC 3339 -> local 'YYYY-MM-DD HH:MM', as the TUI shows it; '' when absent."""
    return when(stamp, missing="")


# progress ---------------------------------------------------------------------------------
class Progress:
    """A byte progress callback for the client: `cb(done, total)`.

    On a terminal it redraws one stderr line at most 10 times a second; otherwise it stays
    silent until `finish()`, which prints one final line (so logs of scripts stay short).
    """

    def __init__(self, label: str, *, stream: Any = None, quiet: bool = False) -> None:
        from workbench.safe_text import clean

        self.label = clean(label)  # a file name: data (our own \r and erase go to the raw stream)
        self.stream = getattr(stream or sys.stderr, "unfiltered", stream or sys.stderr)
        self.quiet = quiet
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self.total: int | None = None
        self.started = time.monotonic()
        self._drawn = 0.0
        self._dirty = False

    def __call__(self, done: int, total: int | None) -> None:
        self.done, self.total = done, total
        if self.quiet or not self.tty:
            return
        now = time.monotonic()
        if now - self._drawn >= 0.1 or (total is not None and done >= total):
            self._drawn = now
            self._dirty = True
            self.stream.write("\r" + self._line() + "\x1b[K")
            self.stream.flush()

    def _line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        if self.total:
            pct = min(100.0, 100.0 * self.done / self.total)
            width = 24
            filled = int(width * pct / 100)
            bar = "█" * filled + "░" * (width - filled)
            return (f"{self.label} {bar} {pct:5.1f}%  {human_size(self.done)} / "
                    f"{human_size(self.total)}  {human_size(rate)}/s")
        return f"{self.label} {human_size(self.done)}  {human_size(rate)}/s"

    def finish(self, ok: bool = True) -> None:
        """The last line: what was moved and how fast (printed even when not a terminal)."""
        if self.quiet:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        if self._dirty:
            self.stream.write("\r\x1b[K")
        state = "done" if ok else "failed"
        self.stream.write(f"{self.label}: {state}, {human_size(self.done)} in {elapsed:.1f} s "
                          f"({human_size(self.done / elapsed)}/s)\n")
        self.stream.flush()
