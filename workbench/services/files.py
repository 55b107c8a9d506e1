"""The rules of Files API files as the workbench uses them, for the Files pane, the composer's
attachments and the `files` command alike: which block a file can become, how a Files API
reference is written, what may be uploaded, and how a file that cannot be downloaded is said.

The API's own limits (sizes, id syntax, the media type of an upload) live in
`workbench.api.rules`; this module says them to the user. Standard library only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workbench.api.rules import FILE_LIMIT, guess_mime, is_file_id
from workbench.format import human_size

BlockKind = Literal["image", "document"]

IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
DOCUMENT_TYPES = ("application/pdf", "text/plain")

# Types code execution and skills read as container inputs (not message blocks).
_DATA_TYPES = ("text/", "application/json", "application/jsonl", "application/xml",
               "application/zip", "application/x-tar", "application/gzip",
               "application/vnd.openxmlformats-officedocument.",
               "application/vnd.ms-excel", "application/msword", "application/x-parquet")

NOT_DOWNLOADABLE_SHORT = "uploaded files cannot be downloaded"
NOT_DOWNLOADABLE = f"{NOT_DOWNLOADABLE_SHORT}; only files created by tools or skills can be"


def block_kind(media_type: str) -> BlockKind | None:
    """The content block a file of this media type goes in, or None when none can take it."""
    if media_type in IMAGE_TYPES:
        return "image"
    if media_type in DOCUMENT_TYPES:
        return "document"
    return None


def use_of(mime_type: str) -> str:
    """What the file is good for, in a few words."""
    kind = block_kind(mime_type)
    if kind:
        return f"attach as a {kind} block"
    if mime_type.startswith(_DATA_TYPES):
        return "input for code execution / skills (not a message block)"
    return "unknown type: only code execution may read it"


def parse_file_ref(value: str) -> tuple[BlockKind | None, str] | None:
    """How an attachment names a Files API file: `file_…` -> (None, id), its kind to be read
    from the file's metadata; `image:file_…` / `document:file_…` -> (kind, id); else None."""
    kind, sep, rest = value.partition(":")
    kind, rest = kind.strip(), rest.strip()
    if sep and kind in ("image", "document") and is_file_id(rest):
        return kind, rest  # type: ignore[return-value]
    if is_file_id(value):
        return None, value
    return None


def is_not_downloadable(exc: BaseException) -> bool:
    """Whether an API error refuses a download because the file was uploaded, not made."""
    code = getattr(exc, "error_code", None)
    return code == "file_not_downloadable" or "not downloadable" in str(exc).lower()


@dataclass
class UploadCheck:
    """The verdict on a local path before anything is sent."""

    path: Path
    problem: str | None = None
    size: int = 0
    mime_type: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        if self.problem:
            return self.problem
        return f"{self.path.name} · {human_size(self.size)} · {self.mime_type} · " \
               f"{use_of(self.mime_type)}"


def check_upload(raw: str, *, any_type: bool = False) -> UploadCheck:
    """Path exists, is a readable regular file within the Files API limit and, unless
    `any_type` (the caller names the type), of a type the API can use."""
    text = raw.strip()
    path = Path(os.path.expanduser(text)) if text else Path()
    if not text:
        return UploadCheck(path, "type a path or pick a file below")
    try:
        if not path.exists():
            return UploadCheck(path, f"{path}: no such file")
        if path.is_dir():
            return UploadCheck(path, f"{path} is a folder, not a regular file; pick a file in it")
        if not path.is_file():
            return UploadCheck(path, f"{path} is not a regular file")
        size = path.stat().st_size
    except OSError as exc:  # e.g. a name over 255 bytes
        return UploadCheck(path, f"cannot read {path}: {exc.strerror or exc}")
    if not os.access(path, os.R_OK):
        return UploadCheck(path, f"cannot read {path}: permission denied")
    mime = guess_mime(path)
    if size > FILE_LIMIT:
        return UploadCheck(path, f"{path.name}: {human_size(size)} is over the Files API limit "
                                 f"of {human_size(FILE_LIMIT)}", size, mime)
    if mime == "application/octet-stream" and not any_type:
        return UploadCheck(path, f"{path.name}: unknown file type (no known extension); the API "
                                 "uses images, PDF, text and data files (csv, json, xlsx, ...)",
                           size, mime)
    return UploadCheck(path, None, size, mime)
