"""Plain helpers for the Files pane: sorting, filtering, the metadata text, where a download
goes. The rules (which block a file can become, what may be uploaded, the "not downloadable"
wording) are `workbench.services.files`, shared with the composer and the CLI.

No Textual here (rich text only), so the helpers are easy to test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text

from workbench.format import human_size, when  # used here; the pane and tests use fd.when
from workbench.services.files import NOT_DOWNLOADABLE, NOT_DOWNLOADABLE_SHORT, block_kind, use_of

PAGE_SIZE = 100
MAX_LOADED = 10_000  # sorting/filtering loads every page, up to this many files

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
        text.append(f"download: no ({NOT_DOWNLOADABLE_SHORT})", style="dim")
    return text
