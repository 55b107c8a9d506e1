"""multipart/form-data bodies streamed from disk, so a 200 MB upload is never in memory.

The body is an async byte generator with a known length (sent as content-length), rebuilt
for each attempt so retries resend it from the start; the progress callback sees the file
bytes as they leave.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1024 * 1024
Progress = Callable[[int, "int | None"], None]


@dataclass(frozen=True)
class Part:
    name: str
    value: bytes | Path  # a Path is streamed from disk
    filename: str | None = None
    content_type: str | None = None

    def size(self) -> int:
        return self.value.stat().st_size if isinstance(self.value, Path) else len(self.value)


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace(
        "\n", "%0A")


class MultipartBody:
    def __init__(self, parts: list[Part], progress: Progress | None = None) -> None:
        self.parts = parts
        self.progress = progress
        self.boundary = secrets.token_hex(16)
        self._heads = [self._head(p) for p in parts]
        self._tail = f"--{self.boundary}--\r\n".encode()
        self.payload_size = sum(p.size() for p in parts if p.filename is not None)
        self.length = sum(len(h) + p.size() + 2 for h, p in zip(self._heads, parts, strict=True))
        self.length += len(self._tail)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def _head(self, part: Part) -> bytes:
        disposition = f'form-data; name="{_quote(part.name)}"'
        if part.filename is not None:
            disposition += f'; filename="{_quote(part.filename)}"'
        lines = [f"--{self.boundary}", f"Content-Disposition: {disposition}"]
        if part.content_type:
            lines.append(f"Content-Type: {part.content_type}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def describe(self) -> str:
        """What the exchange record shows instead of the bytes."""
        items = []
        for p in self.parts:
            if p.filename is None:
                items.append(f"{p.name}={p.value.decode(errors='replace')[:200]}"
                             if isinstance(p.value, bytes) else p.name)
            else:
                items.append(f"{p.name}: {p.filename} ({p.content_type}, {p.size()} bytes)")
        return "multipart/form-data\n" + "\n".join(items)

    async def stream(self) -> AsyncIterator[bytes]:
        done = 0
        total = self.payload_size
        if self.progress:
            self.progress(0, total)
        for head, part in zip(self._heads, self.parts, strict=True):
            yield head
            if isinstance(part.value, Path):
                fh = await asyncio.to_thread(open, part.value, "rb")
                try:
                    while True:
                        chunk = await asyncio.to_thread(fh.read, CHUNK)
                        if not chunk:
                            break
                        yield chunk
                        done += len(chunk)
                        if self.progress:
                            self.progress(done, total)
                finally:
                    fh.close()
            else:
                yield part.value
                if part.filename is not None:
                    done += len(part.value)
                    if self.progress:
                        self.progress(done, total)
            yield b"\r\n"
        yield self._tail
