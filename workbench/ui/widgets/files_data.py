"""Plain helpers for the Files pane: sizes, times, sorting, filtering, the metadata text, and
the local checks made before an upload (size and type) or an attach (which block a file can
become).

No Textual here (rich text only), so the checks are easy to test and reuse.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text

from workbench.format import human_size, when  # used here; the pane and tests use fd.when
from workbench.services.draft import block_kind  # the composer's rule: the two never disagree

UPLOAD_LIMIT = 500 * 1024 * 1024
PAGE_SIZE = 100
MAX_LOADED = 10_000  # sorting/filtering loads every page, up to this many files

NOT_DOWNLOADABLE = ("uploaded files cannot be downloaded; only files created by tools or skills "
                    "can be")

# Types code execution and skills read as container inputs (not message blocks).
_DATA_TYPES = ("text/", "application/json", "application/jsonl", "application/xml",
               "application/zip", "application/x-tar", "application/gzip",
               "application/vnd.openxmlformats-officedocument.",
               "application/vnd.ms-excel", "application/msword", "application/x-parquet")
_EXTRA_TYPES = {".md": "text/markdown", ".jsonl": "application/jsonl",
                ".parquet": "application/x-parquet", ".yaml": "text/yaml",
                ".yml": "text/yaml", ".toml": "text/plain", ".log": "text/plain"}

# (key, column label, sort key); the keys 1-4 sort by these columns.
SORTS: tuple[tuple[str, str], ...] = (
    ("filename", "Name"), ("mime_type", "Type"), ("size_bytes", "Size"), ("created_at", "Created"),
)


def sort_order(index: int, reverse: bool) -> str:
    """How the sort reads: 'A to Z', 'largest first', 'newest first', ..."""
    return [("A to Z", "Z to A"), ("A to Z", "Z to A"), ("smallest first", "largest first"),
            ("oldest first", "newest first")][index][reverse]


def shown_id(file_id: str) -> str:
    """How an id is shown (tests freeze it: emulator ids are random)."""
    return file_id


def mime_of(path: Path) -> str:
    kind, _ = mimetypes.guess_type(path.name)
    return kind or _EXTRA_TYPES.get(path.suffix.lower(), "application/octet-stream")


def use_of(mime_type: str) -> str:
    """What the file is good for, in a few words."""
    kind = block_kind(mime_type)
    if kind:
        return f"attach as a {kind} block"
    if mime_type.startswith(_DATA_TYPES):
        return "input for code execution / skills (not a message block)"
    return "unknown type: only code execution may read it"


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


def check_upload(raw: str) -> UploadCheck:
    """Path exists, is a readable file, at most 500 MB, of a type the API can use."""
    text = raw.strip()
    path = Path(os.path.expanduser(text)) if text else Path()
    if not text:
        return UploadCheck(path, "type a path or pick a file below")
    if not path.exists():
        return UploadCheck(path, f"no such file: {path}")
    if path.is_dir():
        return UploadCheck(path, f"{path} is a folder; pick a file")
    if not path.is_file():
        return UploadCheck(path, f"{path} is not a regular file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        return UploadCheck(path, f"cannot read {path}: {exc.strerror or exc}")
    if not os.access(path, os.R_OK):
        return UploadCheck(path, f"cannot read {path}: permission denied")
    mime = mime_of(path)
    if size > UPLOAD_LIMIT:
        return UploadCheck(path, f"{path.name} is {human_size(size)}; the Files API takes at most "
                                 f"500 MB per file", size, mime)
    if mime == "application/octet-stream":
        return UploadCheck(path, f"{path.name}: unknown file type (no known extension); the API "
                                 "uses images, PDF, text and data files (csv, json, xlsx, ...)",
                           size, mime)
    return UploadCheck(path, None, size, mime)


def sort_files(files: list[dict[str, Any]], key: str, reverse: bool) -> list[dict[str, Any]]:
    def value(f: dict[str, Any]) -> Any:
        v = f.get(key)
        if key == "size_bytes":
            return int(v or 0)
        return str(v or "").lower()

    return sorted(files, key=value, reverse=reverse)


def filter_files(files: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Files whose name (or type) contains every word of `text`, case-insensitively."""
    words = text.lower().split()
    if not words:
        return list(files)
    return [f for f in files
            if all(w in f"{f.get('filename', '')} {f.get('mime_type', '')}".lower()
                   for w in words)]


def default_download_path(filename: str) -> Path:
    """~/Downloads/NAME when that folder exists, else ./NAME."""
    downloads = Path.home() / "Downloads"
    folder = downloads if downloads.is_dir() else Path.cwd()
    return folder / (Path(filename).name or "download.bin")


def detail_text(f: dict[str, Any], compact: bool = False) -> Text:
    """The metadata panel: what the file is, what it is good for, whether it downloads.

    `compact`: five lines for a narrow terminal, where the panel sits under the table.
    """
    if compact:
        return _compact_detail(f)
    text = Text()
    text.append(f"{f.get('filename')}\n", style="bold")
    text.append(f"{shown_id(f['id'])}\n\n", style="dim")
    mime = f.get("mime_type") or "?"
    size = f.get("size_bytes") or 0
    text.append(f"type       {mime}\n")
    text.append(f"size       {human_size(size)} ({size:,} bytes)\n")
    text.append(f"created    {when(f.get('created_at'))}\n")
    text.append(f"expires    {when(f.get('expires_at')) if f.get('expires_at') else 'never'}\n")
    text.append("\n")
    kind = block_kind(mime)
    text.append(f"use        {use_of(mime)}\n", style="green" if kind else "")
    if f.get("downloadable"):
        text.append("download   yes (made by a tool or skill)\n", style="green")
    else:
        text.append("download   no: " + NOT_DOWNLOADABLE + "\n", style="dim")
    return text


def _compact_detail(f: dict[str, Any]) -> Text:
    mime = f.get("mime_type") or "?"
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{f.get('filename')}  ", style="bold")
    text.append(f"{shown_id(f['id'])}\n", style="dim")
    text.append(f"{mime} · {human_size(f.get('size_bytes') or 0)} · created "
                f"{when(f.get('created_at'))} · expires "
                f"{when(f.get('expires_at')) if f.get('expires_at') else 'never'}\n")
    text.append(f"use: {use_of(mime)}\n", style="green" if block_kind(mime) else "")
    if f.get("downloadable"):
        text.append("download: yes (made by a tool or skill)", style="green")
    else:
        text.append("download: no (uploaded files cannot be downloaded)", style="dim")
    return text
