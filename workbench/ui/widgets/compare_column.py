"""One side of a comparison: what runs (a model or a prompt version), the reply as it streams,
and the run's stats. Text is pushed in at most every 50 ms by the screen (coalesced).

The reply is Markdown while it streams, the way the transcript's `ReplyView` draws it: each
finished block (see `split_settled`) is rendered once into a Static of its own, and only the
block still being written is redrawn. The whole reply is rendered once more at the end, into
one Static (fences render right only when complete)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Select, Static

from workbench.ui.plain import plain


class CompareColumn(Vertical):
    """Select + streamed reply + stats; `.preferred` shows the user's choice."""

    HELP = """
## Compare column
Pick a model, or a saved prompt version, for this side. `r` runs both sides at once,
`1`/`2` marks the better reply (stored with both runs).
"""

    DEFAULT_CSS = """
    CompareColumn { width: 1fr; height: 1fr; border: round $panel; padding: 0 1; }
    CompareColumn.-preferred { border: round $success; }
    CompareColumn .compare-title { height: 1; text-style: bold; color: $accent; }
    CompareColumn Select { width: 100%; }
    CompareColumn VerticalScroll { height: 1fr; background: $surface; padding: 0 1; }
    CompareColumn .compare-stats { height: auto; min-height: 4; color: $text-muted; }
    CompareColumn .compare-settled { height: auto; }
    CompareColumn .-gap { margin-top: 1; }
    """

    def __init__(self, side: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.side = side
        self.result: Any = None
        self.run_id: Any = None
        self._shown = ""
        self._settled_to = 0  # characters of the text drawn in settled blocks

    def compose(self) -> ComposeResult:
        yield Static(f"{self.side}", classes="compare-title")
        yield Select([], prompt="choose a model or prompt version", id=f"choice-{self.side}",
                     allow_blank=True)
        with VerticalScroll():
            yield Static(id=f"reply-{self.side}", classes="compare-reply")
        yield Static(id=f"stats-{self.side}", classes="compare-stats")

    @property
    def select(self) -> Select:
        return self.query_one(Select)

    def set_title(self, title: str) -> None:
        self.query_one(".compare-title", Static).update(plain(f"{self.side} · {title}", False))

    def start(self, result: Any) -> None:
        self.result, self.run_id, self._shown = result, None, ""
        self._drop_settled()
        self.remove_class("-preferred")
        self.query_one(".compare-reply", Static).update(Text("…", style="italic"))
        self.query_one(".compare-stats", Static).update("streaming…")

    def _drop_settled(self) -> None:
        self._settled_to = 0
        for widget in self.query(".compare-settled"):
            widget.remove()
        self.query_one(".compare-reply", Static).remove_class("-gap")

    def flush(self) -> None:
        """Draw the text that arrived since the last flush (called on a timer): a block that
        is finished settles into a Markdown Static of its own; the rest is redrawn."""
        from rich.markdown import Markdown

        from workbench.ui.widgets.reply_view import rendered_lines, split_settled, starts_blank

        if self.result is None:
            return
        text = self.result.text
        if text == self._shown:
            return
        self._shown = text
        live = self.query_one(".compare-reply", Static)
        scroll = self.query_one(VerticalScroll)
        tail = text[self._settled_to:]
        cut = split_settled(tail)
        if cut:
            piece = Markdown(tail[:cut].rstrip("\n"), code_theme="monokai")
            widget = Static(piece, classes="compare-settled")
            widget.set_class(self._settled_to > 0 and not starts_blank(
                rendered_lines(scroll, piece)), "-gap")
            scroll.mount(widget, before=live)
            self._settled_to += cut
            tail = tail[cut:]
        markdown = Markdown(tail, code_theme="monokai")
        live.set_class(self._settled_to > 0 and not starts_blank(
            rendered_lines(scroll, markdown)), "-gap")
        live.update(markdown)
        scroll.scroll_end(animate=False)

    def finish(self, stats: Text, message: Any = None) -> None:
        """Render the whole reply once, into one Static (fences render right only when
        complete): every block of the message as the composer shows it, else the text."""
        from rich.markdown import Markdown

        from workbench.ui.widgets.block_views import message_group

        self.flush()
        if getattr(message, "content", None) or getattr(message, "stop_reason", None) in (
                "refusal", "pause_turn"):
            self._drop_settled()
            self.query_one(".compare-reply", Static).update(message_group(message))
        elif self._shown:
            self._drop_settled()
            self.query_one(".compare-reply", Static).update(
                Markdown(self._shown, code_theme="monokai"))
        self.query_one(".compare-stats", Static).update(plain(stats))

    def show_error(self, text: str) -> None:
        self._drop_settled()
        self.query_one(".compare-reply", Static).update(Text(text, style="bold red"))
        self.query_one(".compare-stats", Static).update("")

    @property
    def text(self) -> str:
        return self._shown
