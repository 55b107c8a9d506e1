"""The library pane's calls into the store and prompt files, in one place (run in threads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.ui.widgets.history_data import field_of


def prompt_names(store: Any) -> list[str]:
    return [str(field_of(p, "name")) for p in store.list_prompts()]


def list_prompts(store: Any) -> list[Any]:
    return list(store.list_prompts())


def list_versions(store: Any, prompt_id: Any) -> list[Any]:
    return list(store.list_versions(prompt_id))


def version_draft(version: Any) -> Any:
    """The Draft stored with a version."""
    from workbench.services.draft import Draft

    data = field_of(version, "draft", "data", default={}) or {}
    if isinstance(data, str):
        import json

        data = json.loads(data)
    return data if isinstance(data, Draft) else Draft.from_dict(data)


def save_version(store: Any, name: str, draft: Any, note: str) -> int:
    """Store `draft` as the next version of `name`; returns the version number."""
    from workbench.services.templates import find_variables

    variables = find_variables(draft.text_for_variables())
    result = store.save_prompt(name, draft.to_dict(), note=note or None, variables=variables)
    return int(field_of(result, "version", default=result))


def rename(store: Any, prompt_id: Any, name: str) -> None:
    store.rename_prompt(prompt_id, name)


def delete(store: Any, prompt_id: Any) -> None:
    store.delete_prompt(prompt_id)


def export_file(store: Any, prompt_id: Any, path: Path) -> Path:
    """Write the prompt's latest version as a readable TOML file."""
    try:
        from workbench.services import promptfile
    except ImportError:  # the service is not installed: a minimal local format
        return _export_toml(store, prompt_id, path)
    promptfile.export_prompt(store, prompt_id, path)
    return path


def import_file(store: Any, path: Path) -> str:
    """Read a prompt file into the library (a new version); returns the prompt's name."""
    try:
        from workbench.services import promptfile
    except ImportError:
        return _import_toml(store, path)
    result = promptfile.import_prompt(store, path)
    return str(field_of(result, "name", default=result))


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value if v is not None]
    return value


def _export_toml(store: Any, prompt_id: Any, path: Path) -> Path:
    import tomli_w

    prompt = next(p for p in list_prompts(store) if field_of(p, "id") == prompt_id)
    latest = max(list_versions(store, prompt_id), key=lambda v: int(field_of(v, "version")))
    draft = version_draft(latest)
    doc = {"name": str(field_of(prompt, "name")), "version": int(field_of(latest, "version")),
           "note": str(field_of(latest, "note", default="") or ""),
           "variables": list(field_of(latest, "variables", default=[]) or []),
           "draft": _drop_none(draft.to_dict())}
    path.write_text(tomli_w.dumps(doc, multiline_strings=True), encoding="utf-8")
    return path


def _import_toml(store: Any, path: Path) -> str:
    import tomllib

    from workbench.services.draft import Draft

    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path.name} is not valid TOML: {exc}") from exc
    name, data = doc.get("name"), doc.get("draft")
    if not isinstance(name, str) or not isinstance(data, dict):
        raise ValueError(f"{path.name}: a prompt file needs a name and a [draft] table")
    save_version(store, name, Draft.from_dict(data), str(doc.get("note") or f"imported {path.name}"))
    return name
