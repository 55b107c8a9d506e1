"""Kept for the composer's imports until it imports `workbench.ui.focus` itself."""

from __future__ import annotations

import asyncio
import contextlib

from textual.widget import Widget

from workbench.ui.focus import focus_now

__all__ = ["drain", "focus_now", "typed_between"]


# removed when the composer stops using them (turn_list.py) ------------------------------------
async def drain(widget: Widget) -> None:
    """Until the widget has handled the messages already in its queue (the keys before)."""
    done = asyncio.Event()
    if widget.call_later(done.set):
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(done.wait(), 0.5)


def typed_between(before: str, after: str) -> str:
    """The text inserted in one place between two states of a field (what typing adds)."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return after[start:len(after) - end]
