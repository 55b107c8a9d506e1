"""Every key binding of the workbench, by id: for `workbench bindings` and the keymap check.

Reading them means importing every pane and widget module, so this is never done at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.binding import Binding


@dataclass
class BindingRow:
    """One binding id as `workbench bindings` lists it."""

    id: str
    keys: list[str] = field(default_factory=list)
    description: str = ""
    where: list[str] = field(default_factory=list)


def all_bindings() -> list[BindingRow]:
    """Every binding of every class in `workbench.ui`, by id (imports every pane: slow-ish)."""
    import importlib
    import inspect
    import pkgutil

    import workbench.ui as ui

    rows: dict[str, BindingRow] = {}
    for info in pkgutil.walk_packages(ui.__path__, "workbench.ui."):
        module = importlib.import_module(info.name)
        for name, cls in sorted(vars(module).items()):
            if (not inspect.isclass(cls) or cls.__module__ != module.__name__
                    or not isinstance(cls.__dict__.get("BINDINGS"), list)):
                continue
            for binding in Binding.make_bindings(cls.__dict__["BINDINGS"]):
                row = rows.setdefault(binding.id or "", BindingRow(binding.id or ""))
                row.description = row.description or binding.description or binding.action
                for key in binding.key.split(","):
                    if key.strip() not in row.keys:
                        row.keys.append(key.strip())
                if name not in row.where:
                    row.where.append(name)
    return sorted(rows.values(), key=lambda row: row.id)
