"""What the Claude API accepts, stated once: sizes, batch `custom_id`s, custom tool names, Files
API ids, the media type an upload declares, and a skill's SKILL.md front matter.

The client checks a request against these before sending it, the services check what the user
typed before a request is built, and the emulator enforces them as the API does; one module
keeps the three from drifting apart. Standard library only (PyYAML is imported when a front
matter is read), so the emulator may import it and start-up pays nothing for it.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any

MB = 1024 * 1024
MESSAGES_LIMIT = 32 * MB  # one Messages (or count_tokens) request body
BATCH_LIMIT = 256 * MB  # one Message Batches create body
BATCH_MAX_REQUESTS = 100_000  # requests in one batch
FILE_LIMIT = 500 * MB  # one Files API upload
SKILL_LIMIT = 30 * MB  # ⚠ the per-upload cap of a skill is not documented; a generous guess

FILE_ID_PREFIX = "file_"
CUSTOM_ID_PATTERN = "^[a-zA-Z0-9_-]{1,64}$"
_CUSTOM_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")  # fullmatch: "$" would let "a\n" through
TOOL_NAME_PATTERN = "^[a-zA-Z0-9_-]{1,128}$"
_TOOL_NAME = re.compile(r"[a-zA-Z0-9_-]{1,128}")
SKILL_FIELDS = ("name", "description")

# Types `mimetypes` does not know on every system, as the API names them.
_EXTRA_TYPES = {".md": "text/markdown", ".jsonl": "application/jsonl",
                ".parquet": "application/x-parquet", ".yaml": "text/yaml",
                ".yml": "text/yaml", ".toml": "text/plain", ".log": "text/plain"}


def custom_id_ok(value: object) -> bool:
    """A batch request's `custom_id`: 1-64 letters, digits, `_` or `-`."""
    return isinstance(value, str) and _CUSTOM_ID.fullmatch(value) is not None


def tool_name_ok(value: object) -> bool:
    """A custom tool's `name`: 1-128 letters, digits, `_` or `-`."""
    return isinstance(value, str) and _TOOL_NAME.fullmatch(value) is not None


def is_file_id(text: str) -> bool:
    """Whether `text` reads as a Files API id (`file_…`, one word)."""
    return text.startswith(FILE_ID_PREFIX) and not any(c.isspace() for c in text)


def guess_mime(path: str | Path) -> str:
    """The media type an upload of `path` declares when none is given."""
    name = Path(path).name
    kind, _ = mimetypes.guess_type(name)
    return kind or _EXTRA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


class FrontMatterError(ValueError):
    """SKILL.md's front matter is not a YAML mapping; the message says where and why."""


def front_matter(text: str) -> dict[str, Any]:
    """The YAML mapping between SKILL.md's opening `---` line and the next `---` line.

    YAML, because a description may be quoted, folded (`>`) or span several lines. {} when the
    file has no front matter block or never closes it; FrontMatterError when the block is not
    valid YAML or not a mapping."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        return {}
    import yaml

    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(
            f"the front matter is not valid YAML{where}: {problem}; quote a value that holds "
            "': ' or starts with a special character") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError("the front matter must be `key: value` lines (a YAML mapping), "
                               f"not a {type(data).__name__}")
    return {str(k): v for k, v in data.items()}


def missing_skill_fields(meta: dict[str, Any]) -> list[str]:
    """The required front matter fields (`name`, `description`) that are absent or not text."""
    return [k for k in SKILL_FIELDS if not isinstance(meta.get(k), str) or not meta[k].strip()]
