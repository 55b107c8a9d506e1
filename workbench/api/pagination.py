"""Walking both pagination envelopes: Style A (id cursors) and Style B (`next_page` tokens)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from workbench.api.types import CursorPage, Page

T = TypeVar("T")


async def iter_style_a(fetch: Callable[[str | None], Awaitable[Page[T]]]) -> AsyncIterator[T]:
    """Every item, page after page: `fetch(after_id)` until `has_more` is false."""
    after: str | None = None
    while True:
        page = await fetch(after)
        for item in page.data:
            yield item
        if not page.has_more or not page.last_id or page.last_id == after:
            return
        after = page.last_id


async def iter_style_b(
    fetch: Callable[[str | None], Awaitable[CursorPage[T]]],
) -> AsyncIterator[T]:
    """Every item, page after page: `fetch(page_token)` until `next_page` is null."""
    token: str | None = None
    seen: set[str] = set()
    while True:
        page = await fetch(token)
        for item in page.data:
            yield item
        if not page.next_page or page.next_page in seen:
            return
        seen.add(page.next_page)
        token = page.next_page


async def collect(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]
