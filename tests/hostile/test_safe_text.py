"""The rule for text that is not ours: escape sequences go whole, controls go, newlines and tabs
stay only where a view has lines."""

from __future__ import annotations

import io

import pytest

from workbench.safe_text import CleanWriter, clean

CASES = [
    ("plain [/] text", "plain [/] text", "plain [/] text"),
    ("a\x1b]52;c;aGk=\x07b", "ab", "ab"),  # OSC 52 clipboard, BEL-terminated
    ("a\x1b]0;title\x1b\\b", "ab", "ab"),  # OSC 0 title, ST-terminated
    ("a\x1b[2Jb\x1b[31mc", "abc", "abc"),  # CSI clear, colour
    ("a\x9b2Jb\x9d0;t\x9cc", "abc", "abc"),  # 8-bit CSI and OSC
    ("a\x1bPq#0;1\x1b\\b", "ab", "ab"),  # DCS (sixel)
    ("a\x1b7b\x1bc", "ab", "ab"),  # save cursor, reset
    ("x\ny\tz\r\n", "x y z  ", "x\ny\tz\n"),
    ("a\x00b\x08c\x7fd", "abcd", "abcd"),
    ("\u202egnp.exe", "gnp.exe", "gnp.exe"),  # bidi override
    ("bad\udcffbytes", "bad\ufffdbytes", "bad\ufffdbytes"),  # a non-UTF-8 name
    ("naïve café 🎉", "naïve café 🎉", "naïve café 🎉"),
]


@pytest.mark.parametrize("raw, line, lines", CASES)
def test_clean(raw: str, line: str, lines: str) -> None:
    assert clean(raw) == line
    assert clean(raw, multiline=True) == lines


def test_clean_takes_anything() -> None:
    assert clean(None) == "" and clean(42) == "42"


def test_clean_writer_filters_what_passes_and_keeps_the_raw_stream_for_our_own() -> None:
    raw = io.StringIO()
    out = CleanWriter(raw)
    out.write("name \x1b]0;t\x07 ok\n")
    out.unfiltered.write("\r\x1b[K")
    assert raw.getvalue() == "name  ok\n\r\x1b[K"
