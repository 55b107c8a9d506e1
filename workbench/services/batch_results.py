"""A compact, on-disk-backed index of batch results, for tables of 100,000 rows.

Each result line is appended to a cache file as it arrives; in memory we keep only a short
summary string per row, its byte offset and its type. That is a few MB for 100,000 results,
and any one of them can still be opened whole by seeking the cache file.
"""

from __future__ import annotations

import json
import os
import re
from array import array
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from workbench.format import markdown_preview

TYPES = ("succeeded", "errored", "canceled", "expired")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SEP = "\x1f"
TEXT_WIDTH = 120
PREVIEW_READ = 2000  # of a long reply, only the start can reach a one-line preview


def summarize(item: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """(custom_id, result type, stop_reason, tokens "in→out", a one-line preview).

    The preview of a reply is its Markdown as plain text (no `**`, `#`, fences): a table cell
    shows no formatting, and the syntax would only crowd out the words.
    """
    result = item.get("result") or {}
    rtype = str(result.get("type") or "?")
    stop = tokens = text = ""
    if rtype == "succeeded":
        message = result.get("message") or {}
        stop = str(message.get("stop_reason") or "")
        usage = message.get("usage") or {}
        tokens = f"{usage.get('input_tokens', 0)}→{usage.get('output_tokens', 0)}"
        for block in message.get("content") or ():
            if block.get("type") == "text" and block.get("text", "").strip():
                text = markdown_preview(block["text"][:PREVIEW_READ], TEXT_WIDTH)
                break
            if block.get("type") == "tool_use":
                text = f"tool_use {block.get('name')}"
                break
    elif rtype == "errored":
        error = (result.get("error") or {}).get("error") or {}
        text = f"{error.get('type', 'error')}: {error.get('message', '')}"
    first = text.splitlines()[0] if text else ""
    # model text reaches the terminal: no escape sequences, tabs or our own field separator
    first = _CONTROL.sub(" ", first)
    return (str(item.get("custom_id", "")), rtype, stop, tokens, first[:TEXT_WIDTH])


class _AllRows(Sequence[int]):
    """Every row position, growing with the index (a range would be frozen at its length)."""

    def __init__(self, index: ResultIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return len(self._index)

    def __getitem__(self, i):  # type: ignore[override]
        n = len(self._index)
        if isinstance(i, slice):
            return range(n)[i]
        if not -n <= i < n:
            raise IndexError(i)
        return i % n


class ResultIndex:
    """Results appended line by line; rows read back by position, optionally by type."""

    def __init__(self, cache_file: str | os.PathLike) -> None:
        self.path = Path(cache_file)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._out: IO[bytes] | None = self.path.open("wb")
        self._rows: list[str] = []
        self._offsets = array("Q")
        self._types = bytearray()
        self._size = 0
        self.counts = dict.fromkeys(TYPES, 0)
        self._views: dict[str, array] = {t: array("I") for t in TYPES}
        self.complete = False  # set by the loader once every result is in the cache file
        self.cost = 0.0  # USD of the succeeded results, at the batch price (half)
        self.unpriced = 0  # succeeded results of a model with no known price

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, line: str) -> None:
        """Store one raw JSONL line (as returned by `batches.results_lines`)."""
        data = line.encode("utf-8") + b"\n"
        item = json.loads(line)
        fields = summarize(item)
        index = len(self._rows)
        self._rows.append(SEP.join(fields))
        self._offsets.append(self._size)
        assert self._out is not None, "index is closed"
        self._out.write(data)
        self._size += len(data)
        rtype = fields[1]
        if rtype == "succeeded":
            self._add_cost(item)
        code = TYPES.index(rtype) if rtype in TYPES else 255
        self._types.append(code)
        if rtype in self.counts:
            self.counts[rtype] += 1
            self._views[rtype].append(index)

    def _add_cost(self, item: dict[str, Any]) -> None:
        from workbench.services.pricing import cost_usd

        message = (item.get("result") or {}).get("message") or {}
        cost = cost_usd(str(message.get("model") or ""), message.get("usage"), batch=True)
        if cost is None:
            self.unpriced += 1
        else:
            self.cost += cost

    def cost_text(self) -> str:
        """'cost $0.0123 (batch price)': what the results used, at half the usual price; and
        how many results had a model with no known price (not counted)."""
        from workbench.services.pricing import money

        text = f"cost {money(self.cost)} (batch price)"
        return text + (f", {self.unpriced:,} unpriced" if self.unpriced else "")

    def row(self, index: int) -> tuple[str, ...]:
        return tuple(self._rows[index].split(SEP))

    def view(self, rtype: str | None) -> Sequence[int]:
        """Row positions of one result type (None: all rows), as they are now."""
        return self._views[rtype] if rtype else _AllRows(self)

    def item(self, index: int) -> dict[str, Any]:
        """The whole result line, read back from the cache file."""
        if self._out is not None:
            self._out.flush()
        with self.path.open("rb") as fh:
            fh.seek(self._offsets[index])
            return json.loads(fh.readline())

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None

    def is_complete(self) -> bool:
        """Every result is in the cache file, written out: saving can copy it."""
        if not self.complete or self._out is not None:
            return False
        try:
            return self.path.stat().st_size == self._size
        except OSError:
            return False

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


async def load(index: ResultIndex, lines: AsyncIterator[str], *,
               on_progress: Callable[[int], None] | None = None,
               slice_seconds: float = 0.02) -> int:
    """Feed `lines` into `index`, yielding to the event loop every `slice_seconds`.

    A response buffer can hold thousands of lines, which `aiter_lines` hands over without
    ever awaiting the network; without these pauses the UI would freeze while they are parsed.
    """
    import asyncio
    import time

    count = 0
    deadline = time.perf_counter() + slice_seconds
    async for line in lines:
        index.add(line)
        count += 1
        if time.perf_counter() >= deadline:
            if on_progress:
                on_progress(len(index))
            await asyncio.sleep(0)
            deadline = time.perf_counter() + slice_seconds
    if on_progress:
        on_progress(len(index))
    return count


def _temp_beside(dest: Path) -> tuple[int, str]:
    """A temp file in dest's folder (same file system: the final rename is atomic)."""
    import tempfile

    if not dest.parent.is_dir():
        raise FileNotFoundError(f"no folder {dest.parent} (create it first)")
    return tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)


async def save_lines(lines_of: Iterable[AsyncIterator[str]], dest: str | os.PathLike,
                     on_progress: Callable[[int], None] | None = None) -> int:
    """Stream results to `dest` (temp file + rename so a cancel leaves no half file)."""
    import asyncio
    import time

    dest = Path(os.path.expanduser(dest))
    fd, tmp = _temp_beside(dest)
    count = 0
    last = time.perf_counter()
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for lines in lines_of:
                async for line in lines:
                    out.write(line + "\n")
                    count += 1
                    if time.perf_counter() - last > 0.05:
                        last = time.perf_counter()
                        if on_progress:
                            on_progress(count)
                        await asyncio.sleep(0)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if on_progress:
        on_progress(count)
    return count


COPY_CHUNK = 4 * 1024 * 1024


async def save_from_cache(index: ResultIndex, dest: str | os.PathLike,
                          on_progress: Callable[[int], None] | None = None) -> int:
    """Copy a complete index's cache file to `dest`: the same bytes `save_lines` would write,
    without downloading every result again. Reads and writes run in a thread, chunk by chunk,
    so progress reaches the caller's event loop; temp file + rename as in `save_lines`."""
    import asyncio

    if not index.is_complete():
        raise ValueError("the results cache is not complete")
    dest = Path(os.path.expanduser(dest))
    fd, tmp = await asyncio.to_thread(_temp_beside, dest)
    count = 0
    try:
        with os.fdopen(fd, "wb") as out, index.path.open("rb") as src:
            while chunk := await asyncio.to_thread(src.read, COPY_CHUNK):
                await asyncio.to_thread(out.write, chunk)
                count += chunk.count(b"\n")
                if on_progress:
                    on_progress(count)
        await asyncio.to_thread(os.replace, tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
