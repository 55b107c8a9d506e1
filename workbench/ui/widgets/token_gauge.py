"""Live token count: an instant `~` estimate, then the exact count, against the context window."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from workbench.safe_text import clean
from workbench.services.tokens import Breakdown


def short(n: int | None) -> str:
    if n is None:
        return "?"
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000:
        return f"{n / 1000:.0f}K" if n % 1000 == 0 else f"{n:,}"
    return str(n)


class TokenGauge(Static):
    """Shows `~1,234` while estimating, `1,240` once the API has counted."""

    HELP = """
## Token gauge
Input tokens of the request as it is now, against the model's context window.
`~` marks the instant local estimate; the exact number comes from `count_tokens` a moment after
you stop typing. Turns yellow at 90% of the window and red over it. With cache breakpoints
(`alt+shift+f`), "⚑ cached prefix" is the part of the prompt up to the last one: a run within the
TTL reads it from the cache at a tenth of the input price.
"""

    DEFAULT_CSS = """
    TokenGauge { height: auto; padding: 0 1; margin-top: 1; border: round $panel; }
    TokenGauge.-near { border: round $warning; }
    TokenGauge.-over { border: round $error; }
    TokenGauge.-compact { border: none; border-top: solid $panel; margin-top: 0; }
    TokenGauge.-compact.-near { border-top: solid $warning; }
    TokenGauge.-compact.-over { border-top: solid $error; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("~0 tokens", **kwargs)
        self.breakdown = Breakdown()
        self.exact: int | None = None
        self.limit: int | None = None
        self.problem: str | None = None
        self.compact = False

    def on_mount(self) -> None:
        from workbench.ui.screens.base import NARROW

        self.set_compact(self.app.size.width < NARROW)

    def set_compact(self, compact: bool) -> None:
        """One line (count, bar, share) without the breakdown: at 80x24 the parameters are
        shown in the reply's place and the full gauge (6 rows) left them a few rows."""
        if compact != self.compact:
            self.compact = compact
            self.set_class(compact, "-compact")
            self._redraw()

    def set_estimate(self, breakdown: Breakdown) -> None:
        self.breakdown = breakdown
        self.exact = None
        self._redraw()

    def set_exact(self, count: int | None, problem: str | None = None) -> None:
        self.exact = count
        self.problem = problem
        self._redraw()

    def set_limit(self, limit: int | None) -> None:
        self.limit = limit
        self._redraw()

    @property
    def value(self) -> int:
        return self.exact if self.exact is not None else self.breakdown.total

    def _redraw(self) -> None:
        value = self.value
        ratio = value / self.limit if self.limit else 0.0
        self.set_class(0.9 <= ratio <= 1.0, "-near")
        self.set_class(ratio > 1.0, "-over")
        label = f"{value:,}" if self.exact is not None else f"~{value:,}"
        text = Text()
        text.append(label, style="bold")
        text.append(f" / {short(self.limit)} input tokens", style="dim")
        width = 10 if self.compact else 24
        filled = min(width, round(width * ratio)) if self.limit else 0
        style = "red" if ratio > 1 else "yellow" if ratio >= 0.9 else "green"
        text.append(" " if self.compact else "\n")
        text.append("█" * filled, style=style)
        text.append("░" * (width - filled), style="dim")
        text.append(f" {ratio:.1%}" if self.limit else "")
        b = self.breakdown
        if b.cached:  # alt+shift+f breakpoints: the prefix a warm cache reads at 0.1x the price
            share = b.cached / b.total if b.total else 0.0
            text.append(f" ⚑{share:.0%}" if self.compact else
                        f"\n⚑ cached prefix ~{b.cached:,} ({share:.0%})", style="cyan")
        if not self.compact:
            text.append(f"\nsystem {b.system:,} · tools {b.tools:,}\nmessages {b.messages:,} · "
                        f"attachments {b.attachments:,}", style="dim")
        if ratio > 1:
            text.append("\nover the context window: the API will reject this", style="bold red")
        elif ratio >= 0.9:
            text.append("\nnear the context window", style="yellow")
        if self.problem:
            text.append(f"\ncount failed: {clean(self.problem, multiline=True)}", style="yellow")
        self.update(text)
