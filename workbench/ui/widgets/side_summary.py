"""The composer's parameters in one line, shown instead of the side column below 140 columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.widgets import Static

if TYPE_CHECKING:
    from workbench.services.draft import Draft


class SideSummary(Static):
    """The parameters in one line, when they are hidden; a click shows them."""

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.run_action("screen.params")


def summary_text(draft: Draft, gauge: Any, is_open: bool,
                 problems: list[str] | None = None) -> Text:
    """'alt+p ▸ parameters │ model · max_tokens 1,024 · ~12 / 1M tokens' (the gauge's count),
    with what the API would refuse first and the sampling settings that are set (hidden, they
    would only show up as a refused run); while they are shown, how to get back."""
    text = Text()
    if is_open:  # the panel and the gauge say the rest
        text.append("alt+p", style="bold")
        text.append(" or ")
        text.append("esc", style="bold")
        text.append(" ◂ back to the reply")
        return text
    text.append("alt+p", style="bold")
    text.append(" ▸ parameters", style="bold")
    text.append(" │ ", style="dim")
    if problems:
        text.append(f"⚠ {problems[0]}", style="bold red")
        text.append(" │ ", style="dim")
    parts = [draft.model, f"max_tokens {draft.max_tokens:,}"]
    parts += [f"{name} {value}" for name in ("temperature", "top_p", "top_k")
              if (value := getattr(draft, name)) is not None]
    if draft.stop_sequences:
        parts.append(f"{len(draft.stop_sequences)} stop")
    if draft.thinking:
        parts.append(f"thinking {draft.thinking_budget:,}")
    try:
        tools = len(draft.tools())
    except ValueError:  # tools JSON being typed: the panel shows the problem
        tools = 0
    if tools:
        parts.append(f"{tools} tool{'s' if tools != 1 else ''}")
    if draft.skills:
        parts.append(f"{len(draft.skills)} skill{'s' if len(draft.skills) != 1 else ''}")
    text.append(" · ".join(parts) + " · ")
    if gauge is not None:
        from workbench.ui.widgets.token_gauge import short

        count = f"{gauge.value:,}" if gauge.exact is not None else f"~{gauge.value:,}"
        ratio = gauge.value / gauge.limit if gauge.limit else 0.0
        style = "bold red" if ratio > 1 else "yellow" if ratio >= 0.9 else ""
        text.append(f"{count} / {short(gauge.limit)} tokens", style=style)
    return text
