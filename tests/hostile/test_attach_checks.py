"""Attachments are checked when attached (size, type, readable, a regular file) from stat and
the first bytes only; a file that grew since is refused before it is read; history keeps no
inline data of a request that was never sent."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from workbench.services.attach_check import BASE64_LIMIT
from workbench.services.draft import Attachment, Draft, DraftError, Turn

PDF_HEAD = b"%PDF-1.4\n"


def sparse(path: Path, head: bytes, size: int) -> Path:
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)  # no disk, no time: only its size matters
    return path


def test_a_40_mb_pdf_is_refused_when_attached_without_reading_it(tmp_path: Path) -> None:
    big = sparse(tmp_path / "big.pdf", PDF_HEAD, 40 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(DraftError, match=r"over the .* inline.*Files \(F7\)"):
        Attachment.from_path(big)
    assert time.perf_counter() - started < 0.5


def test_a_600_mb_pdf_is_refused_at_once(tmp_path: Path) -> None:
    huge = sparse(tmp_path / "huge.pdf", PDF_HEAD, 600 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(DraftError, match=r"600\.0 MB"):
        Attachment.from_path(huge)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("name, content, problem", [
    ("notes.pdf", b"just text", "its content is not"),
    ("chart.png", b"GIF89a....", "its content is not"),
    ("photo.webp", b"RIFF\x00\x00\x00\x00WAVE", "its content is not"),
    ("run.sh", b"#!/bin/sh", "unsupported type"),
])
def test_type_is_checked_from_the_first_bytes(tmp_path: Path, name: str, content: bytes,
                                              problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DraftError, match=problem):
        Attachment.from_path(path)


def test_fifo_and_device_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(DraftError, match="not a regular file"):
        Attachment.from_path(fifo)
    with pytest.raises(DraftError, match="not a regular file"):
        Attachment.from_path("/dev/zero")


def test_a_file_that_grew_after_attaching_is_refused_before_it_is_read(tmp_path: Path) -> None:
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(PDF_HEAD + b"%%EOF\n")
    draft = Draft(turns=[Turn("user", "Summarise", attachments=[Attachment.from_path(doc)])])
    assert draft.to_request("2023-06-01")["messages"][0]["content"][0]["type"] == "document"
    sparse(doc, PDF_HEAD, BASE64_LIMIT + 1)
    with pytest.raises(DraftError, match="inline"):
        draft.to_request("2023-06-01")


def test_history_keeps_no_inline_data_of_a_request_never_sent() -> None:
    from workbench.api.errors import RequestSizeError
    from workbench.services.runner import RunResult, store_run

    data = "A" * 100_000
    body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": [
        {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                        "data": data}},
        {"type": "text", "text": "hi"}]}]}
    kept: list[dict] = []

    class Store:
        def add_run(self, **fields):
            kept.append(fields)

    refused = RunResult(body=body, status="failed",
                        error=RequestSizeError("the request", 100, 200))
    store_run(Store(), refused, None, "default")
    stored = kept[-1]["request"]["messages"][0]["content"][0]["source"]["data"]
    assert data not in stored and "not sent" in stored
    assert body["messages"][0]["content"][0]["source"]["data"] == data  # the run's own: whole
    sent = RunResult(body=body, status="complete")
    store_run(Store(), sent, None, "default")
    assert kept[-1]["request"]["messages"][0]["content"][0]["source"]["data"] == data
