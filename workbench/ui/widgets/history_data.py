"""The history pane's view of the store: filters, one page of rows, and cell formatting.

Kept apart from the screen so the store calls live in one place (the store runs them in a
thread through `store.arun`), and rows may be dicts or objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text

from workbench.format import when as format_time
from workbench.services.runner import ESTIMATED_MARK

PAGE_SIZE = 100
STATUSES = ("complete", "cancelled", "failed")


def field_of(row: Any, *names: str, default: Any = None) -> Any:
    """The first present attribute or key among `names` (rows may be dicts or dataclasses)."""
    for name in names:
        if isinstance(row, dict):
            if row.get(name) is not None:
                return row[name]
        elif getattr(row, name, None) is not None:
            return getattr(row, name)
    return default


@dataclass
class HistoryQuery:
    """What the filter bar asks for; empty fields mean no filter."""

    text: str = ""
    model: str | None = None
    status: str | None = None
    since: float | None = None   # epoch seconds, inclusive
    until: float | None = None   # epoch seconds, exclusive

    def kwargs(self) -> dict[str, Any]:
        return {"search": self.text.strip() or None, "model": self.model, "status": self.status,
                "since": self.since, "until": self.until}


def parse_day(text: str, *, end: bool = False) -> float | None:
    """'2026-11-25' -> epoch seconds of local midnight (the next midnight when `end`)."""
    text = text.strip()
    if not text:
        return None
    try:
        day = datetime.strptime(text, "%Y-%m-%d")
    except ValueError as exc:
        raise ValueError(f"dates are YYYY-MM-DD, not {text!r}") from exc
    stamp = day.timestamp()
    return stamp + 86400 if end else stamp


def fetch_page(store: Any, query: HistoryQuery, offset: int, limit: int = PAGE_SIZE) -> list[Any]:
    """One page of run summaries, newest first (runs in a thread)."""
    return list(store.list_runs(limit=limit, offset=offset, **query.kwargs()))


def when(stamp: Any) -> str:
    """Run times to the second: runs a few seconds apart are told apart."""
    return format_time(stamp, seconds=True, missing="")


def narrow_when(stamp: Any) -> str:
    """'11-24 16:29:00': at 80 columns the year gives way to the prompt (runs stay told apart
    to the second)."""
    return when(stamp)[5:]


def first_line(text: Any, width: int = 200) -> str:
    line = next((ln for ln in str(text or "").splitlines() if ln.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def output_estimated(row: Any) -> bool:
    """The run was cut short and its output count estimated locally (the final usage never
    came): shown with `~`, as the composer shows it. The list's rows carry a flag, a full
    run its usage."""
    if field_of(row, "output_estimated", default=False):
        return True
    usage = field_of(row, "usage", default={}) or {}
    return bool(field_of(usage, ESTIMATED_MARK, default=False))


def tokens_cell(row: Any) -> str:
    usage = field_of(row, "usage", default={}) or {}
    inp = field_of(row, "input_tokens", default=None)
    out = field_of(row, "output_tokens", default=None)
    if inp is None:
        inp = field_of(usage, "input_tokens", default=0)
    if out is None:
        out = field_of(usage, "output_tokens", default=0)
    approx = "~" if output_estimated(row) else ""
    return f"{int(inp or 0):,}→{approx}{int(out or 0):,}"


def cost_cell(value: Any) -> str:
    from workbench.format import usd

    return usd(None if value is None else float(value))


def ttft_cell(value: Any) -> str:
    if value is None:
        return "–"
    return f"{float(value) * 1000:.0f} ms"


def vote_cell(row: Any) -> str:
    """Compare's vote: ★ the run picked as the better one, · a run compared with another."""
    if field_of(row, "preferred", default=False):
        return "★"
    return "·" if field_of(row, "compare_group", default=None) else ""


def row_cells(row: Any, narrow: bool = False) -> tuple[str | Text, ...]:
    """The row's cells; `narrow` (80 columns): no year, no 'claude-', so the prompt shows."""
    from workbench.ui.widgets.flex_table import cell

    stamp = field_of(row, "created_at", "started_at", "created")
    model = str(field_of(row, "model", default=""))
    if narrow:
        model = model.removeprefix("claude-")
    return (
        narrow_when(stamp) if narrow else when(stamp),
        model,
        str(field_of(row, "status", default="")),
        vote_cell(row),
        cell(first_line(field_of(row, "prompt_preview", "prompt", "preview", default=""))),
        tokens_cell(row),
        cost_cell(field_of(row, "cost_usd", "cost")),
        ttft_cell(field_of(row, "ttft")),
    )


COLUMNS = ("time", "model", "status", "vote", "prompt", "tokens", "cost", "TTFT")
FLEX_COLUMN = "prompt"  # gives way first (at least PROMPT_MIN wide); the others stay whole
PROMPT_MIN = 10
