"""What the user types to attach a file, and what the Files API says it is.

The attach dialog checks as the user types (a typo keeps the dialog open with the text); a
Files API id is checked later, against its metadata. Stdlib only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from workbench.services.draft import Attachment, DraftError
from workbench.services.files import parse_file_ref


def _is_local_file(value: str) -> bool:
    try:
        return Path(os.path.expanduser(value)).is_file()
    except OSError:
        return False


def parse_reference(value: str) -> Attachment | tuple[str | None, str]:
    """A local file's Attachment, or (kind or None, file id) for the Files API. A local file
    wins over the id syntax: `file_notes.pdf` may be a file here. Raises DraftError."""
    value = value.strip()
    ref = None if _is_local_file(value) else parse_file_ref(value)
    return ref if ref is not None else Attachment.from_path(value)


def attach_problem(value: str) -> str | None:
    """Why `value` cannot be attached, or None."""
    if not value.strip():
        return "type a path or a Files API id (esc cancels)"
    try:
        parse_reference(value)
    except DraftError as exc:
        return str(exc)
    return None


def from_file_metadata(file_id: str, kind: str | None,
                       meta: Any) -> tuple[Attachment | None, str | None]:
    """The attachment for a Files API id and why it may not be what was asked (or None).

    The block kind comes from the file's mime_type unless the user said it; `meta` is None
    when the metadata could not be read (then the user's word is taken)."""
    if meta is None:
        return (Attachment(kind, file_id=file_id), None) if kind else (None, None)  # type: ignore[arg-type]
    try:
        attachment = Attachment.from_file(file_id, meta.mime_type, meta.filename)
    except DraftError as exc:
        if kind is None:
            return None, str(exc)
        return (Attachment(kind, file_id=file_id, media_type=meta.mime_type,  # type: ignore[arg-type]
                           title=meta.filename), f"{exc}\nAttached as {kind}, as you said.")
    if kind is not None and kind != attachment.kind:
        return attachment, (f"{meta.filename} is {meta.mime_type}: attached as "
                            f"{attachment.kind}, not {kind}")
    return attachment, None


async def attachment_for_file(client: Any, file_id: str,
                              kind: str | None) -> tuple[Attachment | None, str | None]:
    """The attachment for a Files API id, read from its metadata, and what to tell the user."""
    from workbench.api.errors import APIError

    try:
        meta = await client.files.get(file_id)
    except APIError as exc:
        if kind is None:
            return None, (f"could not read {file_id}'s metadata: {exc}\nIf you know what it "
                          f"is, attach it as image:{file_id} or document:{file_id}.")
        meta = None
    return from_file_metadata(file_id, kind, meta)
