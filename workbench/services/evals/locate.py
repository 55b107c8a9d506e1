"""Line numbers for a parsed TOML suite: `tomllib` gives values without positions, and a suite
error must name the line the user has to fix. A light scan of the text is enough: table headers
in order, `type =` keys for inline assertion arrays, and `key =` lines inside a span."""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*\[(\[)?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")


class Locator:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        # (line number from 1, table name, is an array-of-tables header)
        self.headers: list[tuple[int, str, bool]] = []
        for number, line in enumerate(self.lines, 1):
            match = _HEADER.match(line)
            if match:
                self.headers.append((number, match.group(2).replace(" ", ""), bool(match.group(1))))

    def table(self, name: str, index: int = 0) -> int:
        """The line of the `index`-th `[name]`/`[[name]]` header; 0 when there is none."""
        found = [n for n, h, _ in self.headers if h == name]
        return found[index] if index < len(found) else 0

    def end_of(self, line: int, prefix: str = "") -> int:
        """The line after the table starting at `line`: the next header not named `prefix...`
        (sub-tables such as `[[cases.assert]]` belong to their case)."""
        for number, name, _ in self.headers:
            if number > line and not (prefix and name.startswith(prefix)):
                return number
        return len(self.lines) + 1

    def top_end(self) -> int:
        """The end of the top-level keys (before the first header)."""
        return self.headers[0][0] if self.headers else len(self.lines) + 1

    def key(self, key: str, start: int, end: int) -> int:
        """The first line in [start, end) that sets `key` (also inside an inline table)."""
        pattern = re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*=")
        for number in range(max(start, 1), min(end, len(self.lines) + 1)):
            if pattern.search(self.lines[number - 1]):
                return number
        return start

    def nth_key(self, key: str, index: int, start: int, end: int) -> int:
        """The line of the `index`-th `key =` in [start, end); `start` when not found."""
        pattern = re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*=")
        seen = 0
        for number in range(max(start, 1), min(end, len(self.lines) + 1)):
            for _ in pattern.finditer(self.lines[number - 1]):
                if seen == index:
                    return number
                seen += 1
        return start

    def sub_tables(self, name: str, start: int, end: int) -> list[int]:
        return [n for n, h, _ in self.headers if h == name and start < n < end]


def toml_error_line(message: str, text: str) -> int:
    """tomllib's "... (at line 3, column 9)" -> 3, "(at end of document)" -> the last line;
    0 when it names no place."""
    match = re.search(r"at line (\d+)", message)
    if match:
        return int(match.group(1))
    return max(1, text.count("\n") + (not text.endswith("\n"))) if "end of document" in \
        message else 0
