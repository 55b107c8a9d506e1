"""No key does two things on one screen: helpers adding keys in parallel once gave alt+m and
alt+g two actions each on the composer (the later binding silently won)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

import workbench.ui.screens as screens_pkg
from workbench.ui.app import WorkbenchApp


def _ours(cls: type) -> list[type]:
    return [c for c in cls.__mro__ if c.__module__.startswith("workbench.")]


def _clashes(cls: type) -> dict[str, set[str]]:
    actions: dict[str, set[str]] = defaultdict(set)
    for owner in _ours(cls):
        for binding in owner.__dict__.get("BINDINGS", []):
            if isinstance(binding, tuple):
                continue
            for key in binding.key.split(","):
                actions[key.strip()].add(binding.action)
    return {key: acts for key, acts in actions.items() if len(acts) > 1}


def _screen_classes() -> list[type]:
    from textual.screen import Screen

    found = []
    for info in pkgutil.iter_modules(screens_pkg.__path__):
        module = importlib.import_module(f"{screens_pkg.__name__}.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Screen) and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def test_no_screen_binds_a_key_to_two_actions() -> None:
    classes = _screen_classes()
    assert len(classes) > 10
    clashes = {cls.__name__: c for cls in [WorkbenchApp, *classes] if (c := _clashes(cls))}
    assert clashes == {}
