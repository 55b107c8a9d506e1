"""Prompts as readable TOML files, so they can live in git next to the code that uses them.

A file holds the prompt's name, the version it came from, a note, its `{{variables}}` and the
draft (system, turns, parameters, tools). Importing adds a new version to the library.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 1


class PromptFileError(ValueError):
    """The file cannot be read as a prompt; the message says why."""


@dataclass
class PromptFile:
    name: str
    draft: dict[str, Any]
    note: str = ""
    version: int | None = None
    variables: list[str] = field(default_factory=list)


def _drop_none(value: Any) -> Any:
    """TOML has no null: leave unset fields out (the draft's defaults fill them back)."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value if v is not None]
    return value


def _has_carriage_return(value: Any) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_carriage_return(k) or _has_carriage_return(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_carriage_return(v) for v in value)
    return False


def dumps(prompt: PromptFile) -> str:
    import tomli_w

    doc: dict[str, Any] = {"format": FORMAT, "name": prompt.name}
    if prompt.version is not None:
        doc["version"] = prompt.version
    doc["note"] = prompt.note
    doc["variables"] = list(prompt.variables)
    doc["draft"] = _drop_none(prompt.draft)
    # Multi-line strings keep prompts readable in git, but tomli_w writes a carriage return in
    # them as a bare newline; text with one is written escaped so it comes back exactly.
    readable = not _has_carriage_return(doc)
    return tomli_w.dumps(doc, multiline_strings=readable)


def loads(text: str, source: str = "the file") -> PromptFile:
    """The prompt in `text`; PromptFileError (never another exception) when it is not one."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PromptFileError(f"{source} is not valid TOML: {exc}") from None
    except (ValueError, RecursionError) as exc:  # a 5,000-digit integer, arrays nested deep
        why = ("a number has too many digits" if "digits" in str(exc) else
               "nested too deeply" if isinstance(exc, RecursionError) else str(exc))
        raise PromptFileError(f"{source} is not a TOML file this reads: {why}") from None
    try:
        return _from_doc(doc, source)
    except PromptFileError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
        raise PromptFileError(f"{source}: not a prompt file: a value has the wrong type "
                              f"({type(exc).__name__}: {exc})") from None


def _from_doc(doc: dict[str, Any], source: str) -> PromptFile:
    from workbench.services.draft import Draft

    name, data = doc.get("name"), doc.get("draft")
    if not isinstance(name, str) or not name.strip():
        raise PromptFileError(f"{source}: a prompt file needs a name = \"...\"")
    if not isinstance(data, dict):
        raise PromptFileError(f"{source}: a prompt file needs a [draft] table")
    if int(doc.get("format", FORMAT)) > FORMAT:
        raise PromptFileError(f"{source} was written by a newer workbench (format "
                              f"{doc['format']}); update the workbench")
    try:
        draft = Draft.from_dict(data).to_dict()  # checked and normalised
    except (TypeError, ValueError, KeyError) as exc:
        raise PromptFileError(f"{source}: the [draft] table is not a prompt: {exc}") from None
    variables = doc.get("variables") or []
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise PromptFileError(f"{source}: variables must be a list of names")
    return PromptFile(name=name.strip(), draft=draft, note=str(doc.get("note") or ""),
                      version=doc.get("version"), variables=variables)


def latest(store: Any, prompt_id: int) -> PromptFile:
    prompt = next((p for p in store.list_prompts() if p["id"] == prompt_id), None)
    if prompt is None:
        raise PromptFileError(f"no prompt with id {prompt_id}")
    version = store.list_versions(prompt_id)[0]  # newest first
    return PromptFile(name=prompt["name"], draft=version["draft"], note=version["note"] or "",
                      version=version["version"], variables=version["variables"])


def export_prompt(store: Any, prompt_id: int, path: str | Path) -> Path:
    """Write the prompt's latest version to `path`."""
    path = Path(os.path.expanduser(path))
    try:
        path.write_text(dumps(latest(store, prompt_id)), encoding="utf-8")
    except OSError as exc:
        raise PromptFileError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def import_prompt(store: Any, path: str | Path) -> str:
    """Add the file's prompt to the library as a new version; returns the prompt's name."""
    from workbench.services.templates import find_variables

    path = Path(os.path.expanduser(path))
    from workbench.services.localfile import LocalFileError, read_text

    try:
        text = read_text(path)
    except LocalFileError as exc:
        raise PromptFileError(f"cannot read {exc}") from None
    except UnicodeDecodeError as exc:
        raise PromptFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise PromptFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    prompt = loads(text, path.name)
    from workbench.services.draft import Draft

    variables = prompt.variables or find_variables(Draft.from_dict(prompt.draft)
                                                   .text_for_variables())
    store.save_prompt(prompt.name, prompt.draft, note=prompt.note or f"imported {path.name}",
                      variables=variables)
    return prompt.name
