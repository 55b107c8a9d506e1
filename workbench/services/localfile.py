"""Local files given by a person: checked before they are read, so a FIFO, a device or a huge
file gets a clear message instead of a hang or a machine's worth of memory."""

from __future__ import annotations

import os
import stat
from pathlib import Path

TEXT_LIMIT = 32 * 1024 * 1024  # a prompt, request or prompt file; datasets are streamed


class LocalFileError(ValueError):
    """The file cannot be used; the message says why (and names it)."""


def check_regular(path: str | os.PathLike, limit: int | None = None) -> int:
    """The size of `path` when it is a regular file within `limit`; LocalFileError otherwise
    (a FIFO would block the read forever, /dev/zero would never end)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise LocalFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise LocalFileError(f"{path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise LocalFileError(f"{path} is a folder: give a file")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise LocalFileError(f"{path} is {kind}: give a regular file")
    if limit is not None and info.st_size > limit:
        raise LocalFileError(f"{path} is {info.st_size:,} bytes: more than the "
                             f"{limit:,} bytes read here")
    return info.st_size


def read_text(path: str | os.PathLike, limit: int = TEXT_LIMIT) -> str:
    """A checked regular file's UTF-8 text (UnicodeDecodeError is the caller's to word)."""
    check_regular(path, limit)
    with Path(path).open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # it grew since the check
        raise LocalFileError(f"{path} is more than the {limit:,} bytes read here")
    return data.decode("utf-8")
