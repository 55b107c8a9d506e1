"""The Files rules the pane, the composer and the CLI share (`workbench.services.files`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.services.files import check_upload, is_not_downloadable, parse_file_ref


@pytest.mark.parametrize("value,ref", [
    ("file_011Cx", (None, "file_011Cx")),
    ("image:file_011Cx", ("image", "file_011Cx")),
    ("document: file_011Cx", ("document", "file_011Cx")),
    ("audio:file_011Cx", None),
    ("image:notes.png", None),
    ("file_a b", None),
    ("~/notes.pdf", None),
])
def test_file_references(value: str, ref: tuple | None) -> None:
    assert parse_file_ref(value) == ref


def test_upload_checks(tmp_path: Path) -> None:
    assert "no such file" in (check_upload(str(tmp_path / "nope.txt")).problem or "")
    assert "is a folder, not a regular file" in (check_upload(str(tmp_path)).problem or "")
    big = tmp_path / "big.pdf"
    with big.open("wb") as out:
        out.truncate(501 * 1024 * 1024)  # sparse: no disk used
    assert "501.0 MB is over the Files API limit of 500.0 MB" in (check_upload(str(big)).problem
                                                                  or "")
    blob = tmp_path / "blob"
    blob.write_bytes(b"\0")
    assert "unknown file type" in (check_upload(str(blob)).problem or "")
    allowed = check_upload(str(blob), any_type=True)  # the CLI: --type may name it
    assert allowed.ok and allowed.mime_type == "application/octet-stream" and allowed.size == 1
    assert check_upload(f"  {big}  ").path == big  # as typed, spaces around


def test_not_downloadable_is_recognised_by_code_or_wording() -> None:
    class Coded(Exception):
        error_code = "file_not_downloadable"

    assert is_not_downloadable(Coded("whatever"))
    assert is_not_downloadable(RuntimeError("File x is not downloadable"))
    assert not is_not_downloadable(RuntimeError("not found"))
