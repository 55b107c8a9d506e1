"""A curl command for /v1/messages (as in the API docs) -> the request body and headers.

Line continuations, single or double quotes, -H/--header, -d/--data/--data-raw/--data-binary,
--json; anything it cannot read is named in the error rather than guessed. Every field of the
body is kept (`cache_control` markers included, see services/cache_points.py), and the
`anthropic-beta` header becomes the draft's betas.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

FLAGS_WITH_VALUE = {"-H", "--header", "-d", "--data", "--data-raw", "--data-binary", "--json",
                    "--data-ascii", "-X", "--request", "--url", "-u", "--user", "-o", "--output",
                    "-m", "--max-time", "--connect-timeout"}
FLAGS_ALONE = {"-s", "--silent", "-S", "--show-error", "-N", "--no-buffer", "-i", "--include",
               "-v", "--verbose", "-L", "--location", "--compressed", "-f", "--fail", "-sS"}


class CurlImportError(ValueError):
    """Says what in the command was not understood."""


@dataclass
class ParsedCurl:
    url: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def betas(self) -> list[str]:
        """The `anthropic-beta` names (comma separated, or the header given more than once)."""
        return [b.strip() for b in self.headers.get("anthropic-beta", "").split(",")
                if b.strip()]

    def to_draft(self) -> Any:
        from workbench.services.draft import Draft

        draft = Draft.from_request(self.body)
        draft.betas = self.betas
        return draft


def parse_curl(command: str) -> ParsedCurl:
    text = re.sub(r"\\\r?\n", " ", command.strip())
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise CurlImportError(f"cannot split the command: {exc} (an unclosed quote?)") from exc
    if not tokens or tokens[0] != "curl":
        raise CurlImportError("the command must start with curl")
    url, data, headers = "", None, {}
    i = 1
    while i < len(tokens):
        token = tokens[i]
        if token in FLAGS_WITH_VALUE:
            if i + 1 >= len(tokens):
                raise CurlImportError(f"{token} needs a value")
            value = tokens[i + 1]
            if token in ("-H", "--header"):
                name, _, val = value.partition(":")
                name = name.strip().lower()
                if name in headers and name == "anthropic-beta":  # repeated: both count
                    val = f"{headers[name]},{val.strip()}"
                headers[name] = val.strip()
            elif token.startswith(("-d", "--data")) or token == "--json":
                data = value
            elif token == "--url":
                url = value
            i += 2
            continue
        if token in FLAGS_ALONE:
            i += 1
            continue
        if token.startswith("-"):
            raise CurlImportError(f"option {token} is not understood")
        url = token
        i += 1
    if not url.rstrip("/").endswith("/v1/messages"):
        raise CurlImportError(f"the URL must be a /v1/messages endpoint, not {url or 'missing'}")
    if data is None:
        raise CurlImportError("no request body: add --data '{...}'")
    if data.startswith("@"):
        raise CurlImportError("a body read from a file (--data @file) cannot be imported")
    try:
        body = json.loads(data)
    except json.JSONDecodeError as exc:
        raise CurlImportError(
            f"the --data body is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    if not isinstance(body, dict) or "messages" not in body:
        raise CurlImportError("the body must be a JSON object with messages")
    return ParsedCurl(url, body, headers)
