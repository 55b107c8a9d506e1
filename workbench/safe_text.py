"""Text that did not come from us is data: the one rule for showing it.

Names, ids, error messages, file contents and replies come from users, servers and files. Shown
as they are, `[/]` is markup that crashes a widget, `[@click=app.quit]` a live link, and an ESC
sequence reaches the terminal: OSC 52 overwrites the clipboard, OSC 0 retitles the window, CSI
2J clears the screen. So everything shown that is not ours goes through `clean` (terminal
controls out) and into a widget as a Text/Content object, never as markup; the CLI's own
output streams are wrapped by `CleanWriter`. Imports nothing heavy: the CLI uses it too.
"""

from __future__ import annotations

import re
from typing import IO, Any

# Whole escape sequences first (their payload goes too: "]0;title" is not text to show), then
# any control character left. \t and \n stay where a multi-line view needs them.
_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC … BEL/ST (title, clipboard, links)
    r"|\x1b[P^_X][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, PM, APC, SOS … ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI (clear, move, colours)
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC, DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # any other ESC sequence (charset, keypad, reset)
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Unicode bidi overrides can make a shown name read unlike what it is (CVE-2021-42574).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# A non-UTF-8 argument or file name arrives as lone surrogates, which no stream can encode.
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: Any, multiline: bool = False) -> str:
    """`text` without terminal escape sequences and control characters. One line (a label, a
    cell, a notice title) unless `multiline`: then newlines and tabs stay, CRLF becomes LF."""
    text = "" if text is None else str(text)
    if text.isprintable() and max(text, default=" ") < "\u202a":  # the common case: nothing to do
        return text
    text = _SURROGATE.sub("\ufffd", _BIDI.sub("", _SEQUENCE.sub("", text)))
    if multiline:
        return _CONTROLS.sub("", text.replace("\r\n", "\n"))
    return _LINE_CONTROLS.sub(lambda m: " " if m.group() in "\t\n\r" else "", text)


def has_controls(text: str) -> bool:
    """True when `text` holds a character `clean(multiline=True)` would remove."""
    return clean(text, multiline=True) != text.replace("\r\n", "\n")


class CleanWriter:
    """A text stream that passes everything through `clean(multiline=True)`: the CLI's stdout
    and stderr, so no command prints a server's or a file's escape sequence raw."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.unfiltered = stream  # for our own controls (a progress line's \r and erase)

    def write(self, text: str) -> int:
        self._stream.write(clean(text, multiline=True))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, buffer, encoding…
        return getattr(self._stream, name)
