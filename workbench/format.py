"""Small text formats shared by the UI and the CLI: sizes, money, times, one-line previews.

Standard library only (no Textual, no Rich, nothing of ours), so any layer may import it
and start-up pays nothing for it. The emulator keeps its own `human_size`: it must not depend
on the rest of the package.
"""

from __future__ import annotations

import math
import re
import time
from datetime import UTC, datetime
from typing import Any


def human_size(n: float | None) -> str:
    """Bytes as '512 B', '1.5 KB', '3.2 MB', '1.0 GB' (binary units); '?' when unknown."""
    if n is None:
        return "?"
    size = float(n)
    for unit in ("B", "KB", "MB"):
        if abs(size) < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def usd(amount: float | None, missing: str = "–") -> str:
    """Dollars as shown everywhere: '$0.0042' under $1, '$1,500.00' from $1 on, '$0.00' for 0.

    One formatter so a cost reads the same in the reply stats, history and batch estimates;
    four decimals tell cheap runs apart, more would be noise on large sums. An amount too
    small for four decimals keeps two significant digits ('$0.000012'), never '$0.0000'.
    """
    if amount is None or not math.isfinite(float(amount)):
        return missing
    value = float(amount)
    sign, value = ("-" if value < 0 else ""), abs(value)
    if value == 0:
        return "$0.00"
    if round(value, 4) >= 1:
        return f"{sign}${value:,.2f}"
    if value >= 0.00005:
        return f"{sign}${value:.4f}"
    if value < 0.000000005:  # below what any price table yields: say so, never '$0.00000000'
        return f"{sign}<$0.00000001"
    places = 1 - math.floor(math.log10(value))
    return f"{sign}${value:.{places}f}"


def parse_time(value: Any) -> datetime | None:
    """An RFC 3339 string, epoch seconds or a datetime as an aware datetime (None if not)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, UTC)
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def when(stamp: Any, *, seconds: bool = False, missing: str = "-") -> str:
    """A time as local 'YYYY-MM-DD HH:MM' (':SS' with `seconds`); unparsable text as is."""
    moment = parse_time(stamp)
    if moment is None:
        return missing if stamp is None or stamp == "" else str(stamp)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def short_when(stamp: Any, now: datetime | None = None) -> str:
    """Compact, for narrow columns: '14:03:09' today, 'Nov 24 14:03' otherwise; '' for none."""
    moment = parse_time(stamp)
    if moment is None:
        return ""
    local = moment.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    return local.strftime("%H:%M:%S" if local.date() == today else "%b %d %H:%M")


def epoch_day(stamp: float) -> str:
    """Epoch seconds as local 'YYYY-MM-DD HH:MM' (the CLI's tables)."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))


# --- Markdown to one plain line ------------------------------------------------------------
_FENCE = re.compile(r"^\s*(```|~~~)")
_BLOCK_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)+")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC_STAR = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*")  # '2 * 3 * 4' stays: a space follows
_ITALIC_UNDERSCORE = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")  # not snake_case
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE = re.compile(r"`+([^`]*)`+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BLOCK_STARTS = frozenset("#>-*+0123456789")
_SKIP_STARTS = frozenset("`~-*_|:")


def _plain(line: str) -> str:
    # each pattern only where its marker occurs: ~100,000 result lines go through here
    if line[0] in _BLOCK_STARTS:
        line = _BLOCK_PREFIX.sub("", line)
    if "[" in line:
        line = _LINK.sub(r"\1", _IMAGE.sub(r"\1", line))
    if "`" in line:
        line = _CODE.sub(r"\1", line)
    if "~~" in line:
        line = _STRIKE.sub(r"\1", line)
    if "**" in line or "__" in line:
        line = _BOLD.sub(r"\2", line)
    if "*" in line:
        line = _ITALIC_STAR.sub(r"\1", line)
    if "_" in line:
        line = _ITALIC_UNDERSCORE.sub(r"\1", line)
    if "|" in line:
        line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    return line.strip()


def markdown_preview(text: str, width: int = 120) -> str:
    """Markdown as one plain line of at most `width` characters, for a table cell.

    Headings, emphasis, inline code, links, list and quote markers and code fences go; what
    they held stays. Only the first few lines are read, so a long reply costs no more.
    """
    words: list[str] = []
    length = 0
    for line in text.splitlines()[:40]:
        line = line.strip()
        if not line:
            continue
        if line[0] in _SKIP_STARTS and (
                _FENCE.match(line) or _RULE.match(line) or _TABLE_RULE.match(line)):
            continue
        plain = _plain(line)
        if not plain:
            continue
        words.append(plain)
        length += len(plain) + 1
        if length > width:
            break
    return " ".join(" ".join(words).split())[:width].rstrip()
