"""A local file checked when it is attached, before anything reads it whole: readable, a
regular file, its content what its name says, and small enough to go inline in a request.

A 40 MB PDF attached without this made the run hang and history keep a 56 MB body that was
never sent; a 600 MB one took gigabytes. Here only `stat` and the first bytes are read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from workbench.api.rules import MESSAGES_LIMIT

# Inline, a file goes base64-encoded (4/3 of its size) into one request body, with room left
# for the rest of the request; plain text goes as it is.
BASE64_LIMIT = (MESSAGES_LIMIT - 256 * 1024) * 3 // 4
TEXT_LIMIT = MESSAGES_LIMIT - 256 * 1024
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}


def inline_limit(media_type: str) -> int:
    return TEXT_LIMIT if media_type == "text/plain" else BASE64_LIMIT


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def too_big(path: Path, size: int, media_type: str) -> str | None:
    """Why `size` bytes cannot go inline, or None."""
    limit = inline_limit(media_type)
    if size <= limit:
        return None
    return (f"{path.name} is {_mb(size)}: over the {_mb(limit)} that fit inline in one request "
            f"(the API takes {_mb(MESSAGES_LIMIT)} a request, base64 adds a third). Upload it "
            "in Files (F7) and attach its file id instead")


def check_local_file(path: Path, media_type: str) -> str | None:
    """Why `path` cannot be attached as `media_type`, or None. Reads at most 16 bytes."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"cannot use {path}: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return f"{path} is not a regular file (a FIFO, device or socket cannot be attached)"
    problem = too_big(path, info.st_size, media_type)
    if problem:
        return problem
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    magic = _MAGIC.get(media_type)
    if magic and not head.startswith(magic):
        return f"{path.name} is named as {media_type} but its content is not: not attached"
    if media_type == "image/webp" and head[8:12] != b"WEBP":
        return f"{path.name} is named as image/webp but its content is not: not attached"
    return None
