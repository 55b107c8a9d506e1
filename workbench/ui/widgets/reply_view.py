"""One run in the transcript: thinking, streamed Markdown text, tool calls, and its stats.

While streaming, text deltas are buffered and drawn at most every 100 ms. Text up to the last
finished block (a blank line outside a code fence) is "settled": drawn once as Markdown into
a Static of its own. Only the block still being written is redrawn, into a Static with a fixed
height that is grown a few lines ahead, so most draws repaint one widget instead of laying
out the whole screen (Textual re-arranges every widget on any layout change; with 50 replies
in the transcript that was most of the CPU). When the run ends the reply is rendered once more
in full and collapsed into a single `Static`, so finished replies are cheap to lay out; only
a reply with server tool calls gets a few more (a Collapsible per call, a Static per run of
blocks between them). Every block is drawn by `block_views`, as History and Compare draw it.
Server tool calls seen while streaming are one line each (`reply-activity`).
"""

from __future__ import annotations

import re
import time
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from workbench.safe_text import clean
from workbench.ui.plain import plain

# Markdown and syntax highlighting are imported when a reply first needs them: they cost
# ~60 ms, which would otherwise be paid before the first frame.

FLUSH_SECONDS = 0.1
GROW_LINES = 6  # reserved below the live block, so it grows without a relayout for a while
# Settling mounts a widget, which lays out the whole transcript (~70 ms with 50 replies above):
# at most once a second; in between, the live block holds the few blocks written meanwhile.
SETTLE_SECONDS = 1.0
_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.S)
_FENCE_LINE = re.compile(r" {0,3}(```|~~~)")


def split_settled(text: str) -> int:
    """Where the settled part of streamed Markdown ends (0: nothing settled yet).

    That is at the start of the last line that begins a new top-level block: not indented,
    after a blank line, outside a code fence. Everything before it renders the same alone.
    """
    cut, in_fence, blank_before, pos = 0, False, False, 0
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):  # the last line, still being written
            if not in_fence and blank_before and pos and line[0] not in " \t`~":
                cut = pos  # a new block starts here, whatever the line turns out to be
            break
        if _FENCE_LINE.match(line):
            if not in_fence and blank_before and pos:
                cut = pos
            in_fence = not in_fence
            blank_before = False
        elif not in_fence:
            if line.strip():
                if blank_before and pos and not line[0].isspace():
                    cut = pos
                blank_before = False
            else:
                blank_before = True
        pos += len(line)
    return cut


def code_blocks(text: str) -> list[str]:
    return [m.group(1) for m in _FENCE.finditer(text)]


def rendered_lines(widget: Any, renderable: Any) -> list[Any]:
    """The renderable's lines at `widget`'s content width (to size a live block)."""
    width = widget.content_region.width
    if width <= 0:
        return [[]]
    console = widget.app.console
    return console.render_lines(renderable, console.options.update_width(width), pad=False)


def starts_blank(lines: list[Any]) -> bool:
    """Whether a render begins with a blank line (Rich starts some blocks, such as lists, with
    their own), so a block drawn after another needs no gap of ours."""
    return bool(lines) and not "".join(seg.text for seg in lines[0]).strip()


class ReplyView(Vertical):
    """A reply; `status` is running | complete | cancelled | failed."""

    DEFAULT_CSS = """
    ReplyView {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        border-left: thick $primary 60%;
    }
    ReplyView.-cancelled, ReplyView.-failed { border-left: thick $warning; }
    ReplyView .reply-head { color: $text-muted; height: auto; }
    ReplyView .reply-stats { color: $text-muted; height: auto; margin-top: 1; }
    ReplyView .reply-settled { height: auto; }
    ReplyView .-gap { margin-top: 1; }
    ReplyView Collapsible { margin: 0; padding: 0; background: $surface; }
    ReplyView .thinking { color: $text-muted; }
    ReplyView .tool-use { background: $surface; padding: 0 1; margin-top: 1; }
    ReplyView .reply-activity { color: $text-muted; height: auto; }
    ReplyView .block-fold { margin-bottom: 1; }
    ReplyView .block-fold Static { padding: 0 0 0 1; }
    """

    def __init__(self, model: str, run_no: int, prefill: str = "") -> None:
        """`prefill`: the assistant turn this reply continues, shown at its start."""
        super().__init__(classes="reply")
        self.prefill = prefill
        self.model = model
        self.run_no = run_no
        self.status = "running"
        self._pending = ""
        self._thinking = ""
        self._text_parts: list[str] = []
        self._live_text = ""  # the block being written, redrawn each flush
        self._live: Static | None = None
        self._live_rows = 0
        self._settled = False
        self._last_settle = 0.0
        self._thinking_static: Static | None = None
        self._thinking_fold: Any = None
        self._activity: list[Any] = []  # server tool blocks started while streaming
        self._activity_static: Static | None = None
        self._flusher: Any = None
        self.structured = False  # the request asked for JSON matching a schema
        self._pending_finish: tuple[str, Any, Text | None] | None = None
        self.files: list[str] = []  # file ids code execution created (downloadable)
        self.message: Any = None
        self._retry_reason: str | None = None
        self._retry_until = 0.0
        self._retry_timer: Any = None

    def compose(self) -> ComposeResult:
        yield Static(self._head(), classes="reply-head")
        if self.prefill:
            yield Static(Text(self.prefill, style="italic dim"), classes="reply-prefill")

    def _head(self) -> Text:
        marks = {"running": "streaming…", "complete": "", "cancelled": "cancelled",
                 "failed": "failed"}
        head = Text(f"#{self.run_no} assistant · {self.model}", style="bold")
        if marks[self.status]:
            head.append(f"  [{marks[self.status]}]", style="bold yellow"
                        if self.status != "running" else "italic")
        if self._retry_reason and self.status == "running":
            left = max(0.0, self._retry_until - time.monotonic())
            head.append(f"\n{self._retry_reason}: retrying in {left:.0f} s", style="bold yellow")
        return head

    def wait_for_retry(self, reason: str, delay: float) -> None:
        """Show a live countdown while the client waits to retry (429, 529, ...)."""
        self._retry_reason = reason
        self._retry_until = time.monotonic() + delay
        if self._retry_timer is None:
            self._retry_timer = self.set_interval(0.25, self._tick_retry)
        self._tick_retry()

    def _tick_retry(self) -> None:
        if self._retry_until <= time.monotonic() and self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
            self._retry_reason = None
        for head in self.query(".reply-head"):
            head.update(self._head())

    @property
    def text(self) -> str:
        return "".join(self._text_parts)

    # --- streaming --------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self._pending_finish is not None:  # the run ended before the view was mounted
            self.call_later(self.finish, *self._pending_finish)
            return
        self._flusher = self.set_interval(FLUSH_SECONDS, self._flush)

    def take(self, event: Any) -> None:
        """A stream event: only buffered here; the view draws at its own pace."""
        if event.type == "content_block_start":
            block = event.content_block
            if block.type not in ("text", "thinking", "tool_use"):
                self._activity.append(block)  # server tools: one line each, drawn at flush
                self._thinking_dirty = True
        elif event.type == "content_block_delta":
            delta = event.delta
            if delta.type == "text_delta":
                self.add_text(delta.text)
            elif delta.type == "thinking_delta":
                self.add_thinking(delta.thinking)

    def add_thinking(self, text: str) -> None:
        self._thinking += text
        if self._thinking_static is None:
            from textual.widgets import Collapsible

            self._thinking_static = Static(classes="thinking")
            self._thinking_fold = Collapsible(self._thinking_static, title="thinking",
                                              collapsed=False)
            self.mount(self._thinking_fold)
        self._thinking_dirty = True

    def add_text(self, text: str) -> None:
        self._text_parts.append(text)
        self._pending += text

    async def _flush(self) -> None:
        if getattr(self, "_thinking_dirty", False):
            self._thinking_dirty = False
            if self._thinking_static is not None:
                self._thinking_static.update(plain(self._thinking))
            if self._activity:
                await self._show_activity()
        if not self._pending:
            return
        from rich.markdown import Markdown

        chunk, self._pending = clean(self._pending, multiline=True), ""  # data: no escapes
        text = self._live_text + chunk
        parent = self.parent
        following = parent is not None and parent.max_scroll_y - parent.scroll_y < 4
        if self._live is None:
            self._live = Static(classes="reply-live")
            await self.mount(self._live)
        now = time.monotonic()
        cut = split_settled(text) if now - self._last_settle >= SETTLE_SECONDS else 0
        relayout = False
        if cut:
            self._last_settle = now
            settled, text = text[:cut], text[cut:]
            piece = Markdown(settled.rstrip("\n"), code_theme="monokai")
            widget = Static(piece, classes="reply-settled")
            widget.set_class(self._gap_before(self._lines(piece)), "-gap")
            await self.mount(widget, before=self._live)
            self._settled = True
            self._live_rows = 0  # sized again below
            relayout = True
        self._live_text = text
        live = Markdown(text, code_theme="monokai")
        lines = self._lines(live)
        gap = self._gap_before(lines)
        if gap != self._live.has_class("-gap"):
            self._live.set_class(gap, "-gap")
            relayout = True
        if len(lines) > self._live_rows:
            self._live_rows = len(lines) + max(GROW_LINES, len(lines) // 2)  # fewer relayouts
            self._live.styles.height = self._live_rows
            relayout = True
        self._live.update(live, layout=False)
        # Follow the reply while the user is at the bottom of the transcript.
        if relayout and following and parent is not None:
            parent.scroll_end(animate=False)

    def _lines(self, renderable: Any) -> list[Any]:
        return rendered_lines(self, renderable)

    def _gap_before(self, lines: list[Any]) -> bool:
        """A blank line between Markdown blocks, as one render of the whole text would put it."""
        return getattr(self, "_settled", False) and not starts_blank(lines)

    # --- the end ----------------------------------------------------------------------------
    async def _show_activity(self) -> None:
        from workbench.ui.widgets.block_views import activity_text

        if self._activity_static is None:
            self._activity_static = Static(classes="reply-activity")
            await self.mount(self._activity_static, before=self._live)
        self._activity_static.update(activity_text(self._activity))

    async def finish(self, status: str, message: Any = None, stats: Text | None = None) -> None:
        """Render once in full and collapse into single widgets: one Static, or one per run
        of blocks between server tool folds (each a Collapsible), plus the folded thinking."""
        from workbench.ui.widgets.block_views import finished_widgets, layout
        from workbench.ui.widgets.reply_code import body_widgets, json_shown, text_only, wide_code

        self.status = status
        self.message = message
        if not self.is_mounted:  # a run can fail before its view is mounted: finish then
            self._pending_finish = (status, message, stats)
            return
        self._pending_finish = None
        if self._flusher is not None:
            self._flusher.stop()
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        self._live = None
        if self._thinking_static is not None:
            self._thinking_static.update(plain(self._thinking))
            self._thinking_fold.collapsed = True
        self.set_class(status == "cancelled", "-cancelled")
        self.set_class(status == "failed", "-failed")
        content = getattr(message, "content", None) or (
            [{"type": "text", "text": self.text}] if self.text else [])
        if self.structured:  # a reply to a JSON schema: shown as indented JSON
            content = json_shown(content)
        lay = layout(content, thinking=self._thinking_static is None,
                     stop_reason=getattr(message, "stop_reason", None),
                     stop_details=getattr(message, "stop_details", None))
        self.files = lay.files
        thinking = self._thinking_fold is not None  # then the head goes above it, alone
        prefill = Text(self.prefill, style="italic dim", end="") if self.prefill else None
        # Few widgets per finished reply, so a long transcript stays cheap to lay out while
        # the next reply streams.
        for child in list(self.children):
            if child is not self._thinking_fold:
                await child.remove()
        self._activity_static = None
        if thinking:  # head, thinking, body: thinking under its reply's header
            await self.mount(Static(self._head(), classes="reply-head"), before=0)
        head = None if thinking else self._head()
        widgets = finished_widgets(lay, head, stats, prefill)
        width = self.content_region.width
        if text_only(content) and wide_code(self.text, width):
            # a code block wider than the column scrolls sideways (widgets/reply_code.py)
            before = [x for x in (head, prefill) if x is not None]
            widgets = body_widgets(before, self.text, [Text(""), stats] if stats else [], width)
        await self.mount_all(widgets)

    def tool_uses(self) -> list[Any]:
        return [b for b in getattr(self.message, "content", None) or []
                if getattr(b, "type", "") == "tool_use"]
