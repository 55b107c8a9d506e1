"""Walking both pagination envelopes: Style A (id cursors) and Style B (`next_page` tokens).

A server that never ends a list must not grow us without bound: a cursor seen twice is a
cycle, and past `max_pages` pages or `max_items` items the walk stops; both raise
PaginationError after the items already yielded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from workbench.api.bounds import MAX_ITEMS, MAX_PAGES, PaginationError
from workbench.api.types import CursorPage, Page

T = TypeVar("T")


class _Walk:
    """The bounds and the cycle check shared by both styles."""

    def __init__(self, max_pages: int, max_items: int) -> None:
        self.max_pages = max_pages
        self.max_items = max_items
        self.pages = 0
        self.items = 0
        self.seen: set[str] = set()

    def page(self, count: int) -> None:
        self.pages += 1
        self.items += count
        if self.items > self.max_items:
            raise PaginationError(
                f"the list goes on past {self.max_items:,} items; stopped there")

    def next(self, cursor: str) -> None:
        if cursor in self.seen:
            raise PaginationError(
                f"the server sent the page cursor {cursor[:80]!r} twice (a cycle); "
                f"stopped after {self.pages} pages")
        if self.pages >= self.max_pages:
            raise PaginationError(
                f"the list goes on past {self.max_pages:,} pages; stopped there")
        self.seen.add(cursor)


async def iter_style_a(
    fetch: Callable[[str | None], Awaitable[Page[T]]], *,
    max_pages: int = MAX_PAGES, max_items: int = MAX_ITEMS,
) -> AsyncIterator[T]:
    """Every item, page after page: `fetch(after_id)` until `has_more` is false."""
    walk = _Walk(max_pages, max_items)
    after: str | None = None
    while True:
        page = await fetch(after)
        walk.page(len(page.data))
        for item in page.data:
            yield item
        if not page.has_more or not page.last_id:
            return
        walk.next(page.last_id)
        after = page.last_id


async def iter_style_b(
    fetch: Callable[[str | None], Awaitable[CursorPage[T]]], *,
    max_pages: int = MAX_PAGES, max_items: int = MAX_ITEMS,
) -> AsyncIterator[T]:
    """Every item, page after page: `fetch(page_token)` until `next_page` is null."""
    walk = _Walk(max_pages, max_items)
    token: str | None = None
    while True:
        page = await fetch(token)
        walk.page(len(page.data))
        for item in page.data:
            yield item
        if not page.next_page:
            return
        walk.next(page.next_page)
        token = page.next_page


async def collect(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]
