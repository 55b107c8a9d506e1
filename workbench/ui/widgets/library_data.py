"""The library pane's calls into the store and prompt files, in one place (run in threads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.ui.widgets.history_data import field_of


def prompt_names(store: Any) -> list[str]:
    return [str(field_of(p, "name")) for p in store.list_prompts()]


def latest_versions(store: Any) -> dict[str, int]:
    """Each prompt's latest version, by name (the save dialog says which one a save makes)."""
    latest = {}
    for prompt in store.list_prompts():
        versions = [int(field_of(v, "version", default=0)) for v in
                    store.list_versions(field_of(prompt, "id"))]
        latest[str(field_of(prompt, "name"))] = max(versions, default=0)
    return latest


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
    from workbench.services import promptfile

    return promptfile.export_prompt(store, prompt_id, path)


def import_file(store: Any, path: Path) -> str:
    """Read a prompt file into the library (a new version); returns the prompt's name."""
    from workbench.services import promptfile

    return promptfile.import_prompt(store, path)
