"""How a batch's request counts and times are drawn: a segmented bar and short times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from workbench.format import parse_time

# (count name, glyph, style); order = order in the bar
SEGMENTS = (
    ("succeeded", "█", "green"),
    ("errored", "█", "red"),
    ("canceled", "█", "bright_black"),
    ("expired", "█", "yellow"),
    ("processing", "░", "blue"),
)
STATUS_STYLE = {"in_progress": "bold blue", "canceling": "yellow", "ended": "green"}


def counts_of(batch: Any) -> dict[str, int]:
    counts = batch.get("request_counts") if isinstance(batch, dict) else batch.request_counts
    if not isinstance(counts, dict):
        counts = counts.model_dump()
    return {name: int(counts.get(name) or 0) for name, _, _ in SEGMENTS}


def add_counts(batches: list[Any]) -> dict[str, int]:
    total = dict.fromkeys((name for name, _, _ in SEGMENTS), 0)
    for batch in batches:
        for name, n in counts_of(batch).items():
            total[name] += n
    return total


def segmented_bar(counts: dict[str, int], width: int = 24) -> Text:
    """One cell per 1/width of the requests; every non-empty segment gets at least one cell."""
    total = sum(counts.values())
    bar = Text()
    if total == 0:
        return Text("·" * width, style="dim")
    cells = {name: (counts[name] * width) // total for name, _, _ in SEGMENTS}
    for name, _, _ in SEGMENTS:
        if counts[name] and not cells[name]:
            cells[name] = 1
    # give rounding leftovers to (or take excess from) the largest segment
    largest = max(cells, key=lambda n: counts[n])
    cells[largest] += width - sum(cells.values())
    for name, glyph, style in SEGMENTS:
        bar.append(glyph * max(0, cells[name]), style=style)
    return bar


def counts_text(counts: dict[str, int]) -> Text:
    text = Text()
    labels = {"succeeded": "✓", "errored": "✗", "canceled": "⊘", "expired": "⌛",
              "processing": "…"}
    for name, _, style in SEGMENTS:
        if counts[name]:
            if text:
                text.append(" ")
            text.append(f"{labels[name]}{counts[name]:,}", style=style)
    return text or Text("no requests", style="dim")


def duration(start: str | None, end: str | None, now: datetime | None = None) -> str:
    begin = parse_time(start)
    if begin is None:
        return ""
    stop = parse_time(end) or now or datetime.now(UTC)
    seconds = max(0, int((stop - begin).total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"
