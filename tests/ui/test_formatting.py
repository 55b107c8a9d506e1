"""The shared text formats (workbench/format.py): sizes, times, Markdown previews."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.format import human_size, markdown_preview, short_when, usd, when


def test_human_size_units() -> None:
    assert human_size(None) == "?"
    assert human_size(0) == "0 B"
    assert human_size(1023) == "1023 B"
    assert human_size(1536) == "1.5 KB"
    assert human_size(3 * 1024**2) == "3.0 MB"
    assert human_size(5 * 1024**4) == "5120.0 GB"
    assert human_size(2048.0) == "2.0 KB"  # rates are floats


def test_usd_has_one_sensible_precision() -> None:
    """Costs read alike everywhere: 4 decimals under $1, cents from $1 ('$1,500.0000' before)."""
    assert usd(float("nan")) == usd(float("inf")) == "–"  # a broken price, not a crash
    assert usd(1500) == "$1,500.00"
    assert usd(1234.5) == "$1,234.50"
    assert usd(1) == "$1.00"
    assert usd(0.99996) == "$1.00"  # rounds up to a dollar: shown as one, not '$1.0000'
    assert usd(0.0042) == "$0.0042"
    assert usd(0.00123) == "$0.0012"
    assert usd(0) == "$0.00"
    assert usd(0.000012) == "$0.000012"  # too small for 4 decimals: never '$0.0000'
    assert usd(1e-12) == "<$0.00000001"
    assert usd(-0.5) == "-$0.5000"
    assert usd(None) == "–" and usd(None, missing="n/a") == "n/a"


def test_when_reads_rfc3339_epoch_and_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert when("2026-11-25T09:00:00Z") == "2026-11-25 09:00"
        assert when(1764061200.0, seconds=True) == "2025-11-25 09:00:00"
        assert when(None) == "-"
        assert when("", missing="") == ""
        assert when("not a time") == "not a time"
        assert short_when(None) == ""
        assert short_when("2026-11-24T14:03:00Z").startswith("Nov 24")
    finally:
        monkeypatch.undo()  # TZ back as it was, then the C library told so
        time.tzset()


@pytest.mark.parametrize(("text", "preview"), [
    ("**Hello** world, *this* is _it_ and snake_case_name",
     "Hello world, this is it and snake_case_name"),
    ("# Title\n\nSome `code`, a [link](http://x) and ![a picture](p.png)",
     "Title Some code, a link and a picture"),
    ("```python\nprint(1)\n```\nAfter", "print(1) After"),
    ("- item **one**\n- item two\n> a quote", "item one item two a quote"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "a b 1 2"),
    ("2 * 3 * 4 = 24", "2 * 3 * 4 = 24"),
    ("***both*** ~~gone~~", "both gone"),
])
def test_markdown_preview_is_one_plain_line(text: str, preview: str) -> None:
    assert markdown_preview(text) == preview


def test_markdown_preview_is_cut_to_width() -> None:
    assert len(markdown_preview("word " * 500, width=40)) <= 40


def test_format_imports_nothing_of_ours_or_heavy() -> None:
    code = ("import sys, workbench.format; "
            "bad = [m for m in sys.modules if m.startswith(('textual', 'rich', 'httpx')) "
            "or (m.startswith('workbench.') and m != 'workbench.format')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
