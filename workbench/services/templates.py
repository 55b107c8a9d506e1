"""`{{variables}}` in prompts: find them, and fill them into a request body."""

from __future__ import annotations

import copy
import re
from typing import Any

VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")


class MissingVariables(ValueError):
    """Some variables have no value; `.names` lists them in order."""

    def __init__(self, names: list[str], where: str = "") -> None:
        self.names = names
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}no value for {', '.join('{{' + n + '}}' for n in names)}")


def find_variables(text: str) -> list[str]:
    """Variable names in order of first appearance, each once."""
    seen: dict[str, None] = {}
    for match in VARIABLE.finditer(text or ""):
        seen.setdefault(match.group(1), None)
    return list(seen)


def body_variables(body: Any) -> list[str]:
    """Variables used anywhere in a JSON body's strings."""
    found: dict[str, None] = {}

    def walk(value: Any) -> None:
        if isinstance(value, str):
            for name in find_variables(value):
                found.setdefault(name, None)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(body)
    return list(found)


def render(body: Any, values: dict[str, Any], *, where: str = "") -> Any:
    """A deep copy of `body` with every `{{name}}` replaced; raises MissingVariables."""
    missing = [n for n in body_variables(body) if n not in values]
    if missing:
        raise MissingVariables(missing, where)

    def sub(value: Any) -> Any:
        if isinstance(value, str):
            return VARIABLE.sub(lambda m: str(values[m.group(1)]), value)
        if isinstance(value, dict):
            return {k: sub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [sub(v) for v in value]
        return copy.deepcopy(value)

    return sub(body)
