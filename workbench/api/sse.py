"""Server-sent events decoder: bytes in any chunking -> the same events.

Follows the WHATWG rules the API (and the SDK) rely on: lines end with `\\n`, `\\r\\n` or `\\r`;
a blank line ends an event; lines starting with `:` are comments; `data:` lines are joined
with `\\n`; one leading space after the colon is dropped. Speed matters (a 20,000-event stream
is decoded on the UI's loop), so the common case is a couple of `str` splits per chunk, and the
cost stays linear in the input: chunks of a line not yet ended are kept in a list and joined
once, when its end arrives (concatenating them as they came made a 40 MB line take seconds).
Invalid UTF-8 is a `MalformedResponseError`, as the SDK refuses it too.
"""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass

from workbench.api.errors import MalformedResponseError


@dataclass(slots=True)
class ServerSentEvent:
    """One decoded event; `event` is None when the server sent no `event:` line."""

    event: str | None
    data: str
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Incremental decoder: `feed(chunk)` returns the events completed by that chunk."""

    __slots__ = ("_buf", "_data", "_event", "_id", "_parts", "_retry", "_skip_lf", "_utf8")

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._buf = ""
        self._parts: list[str] = []  # pieces of an unfinished line beyond `_buf`
        self._skip_lf = False
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None
        self._retry: int | None = None

    def _decode(self, chunk: bytes, final: bool = False) -> str:
        try:
            return self._utf8.decode(chunk, final)
        except UnicodeDecodeError as exc:
            raise MalformedResponseError(f"the event stream is not valid UTF-8: {exc.reason}"
                                         ) from None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        text = self._decode(chunk)
        if not text:
            return []
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
                if not text:
                    return []
        if "\n" not in text and "\r" not in text:  # the middle of a (long) line: keep it
            if self._buf:
                self._parts.append(text)
            else:
                self._buf = text
            return []
        if self._parts:
            self._parts.append(text)
            text = "".join(self._parts)
            self._parts = []
        buf = self._buf + text if self._buf else text
        if "\r" in buf:
            if buf[-1] == "\r":
                # may be the first half of a CRLF split across chunks
                self._skip_lf = True
            buf = buf.replace("\r\n", "\n").replace("\r", "\n")
        lines = buf.split("\n")
        self._buf = lines.pop()
        return self._lines(lines)

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: a last event without its blank line still counts (like the SDK)."""
        tail = self._decode(b"", final=True)
        rest = "".join([self._buf, *self._parts, tail])
        self._buf = ""
        self._parts = []
        lines = rest.replace("\r\n", "\n").replace("\r", "\n").split("\n") if rest else []
        lines.append("")
        return self._lines(lines)

    def _lines(self, lines: list[str]) -> list[ServerSentEvent]:
        out: list[ServerSentEvent] = []
        data = self._data
        for line in lines:
            if not line:
                if data or self._event is not None or self._id is not None:
                    out.append(ServerSentEvent(self._event, "\n".join(data), self._id, self._retry))
                    data = self._data = []
                    self._event = None
                    self._retry = None
                continue
            if line[0] == ":":
                continue
            if line.startswith("data:"):
                value = line[5:]
                data.append(value[1:] if value[:1] == " " else value)
                continue
            name, colon, value = line.partition(":")
            if colon and value[:1] == " ":
                value = value[1:]
            if name == "event":
                self._event = value
            elif name == "data":  # "data" with no colon: empty data line
                data.append(value)
            elif name == "id":
                if "\0" not in value:
                    self._id = value
            elif name == "retry":
                with contextlib.suppress(ValueError):
                    self._retry = int(value)
        return out


def decode_all(chunks: Iterable[bytes]) -> list[ServerSentEvent]:
    """All events of a complete byte stream (tests, replays)."""
    decoder = SSEDecoder()
    out: list[ServerSentEvent] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    out.extend(decoder.flush())
    return out
