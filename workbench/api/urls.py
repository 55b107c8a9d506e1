"""Ids as URL path segments: whatever a user typed reaches the server as exactly one segment.

`quote(..., safe="")` alone is not enough: httpx (like any RFC 3986 client) removes the dot
segments `.` and `..`, so `files show ..` would silently ask for another endpoint and its
answer would then fail to parse. Those are spelled `%2E` instead, which no client normalises.
"""

from __future__ import annotations

from urllib.parse import quote

from workbench.api.errors import InvalidIdError


def segment(value: str, what: str = "id") -> str:
    """`value` trimmed and percent-encoded as one path segment; InvalidIdError when blank.

    No id holds leading or trailing whitespace, and a pasted one often does: trimmed, `' '`
    gets the same local "is empty" error as `''` instead of a server 404 for `%20`.
    """
    value = value.strip()
    if not value:
        raise InvalidIdError(f"the {what} is empty")
    encoded = quote(value, safe="")
    if encoded in (".", ".."):
        encoded = encoded.replace(".", "%2E")
    return encoded
