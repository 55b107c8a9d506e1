"""No private Textual name outside workbench/ui/compat.py, the one module that may name them
(each with a canary test in tests/ui/test_textual_compat.py).

Two checks: regexes over the text, and an AST check by meaning: a method or class attribute
that overrides a private of a Textual base class, and any `x._name` where `_name` is a private
of a Textual class the module imports or subclasses. Names are resolved against the real
Textual classes (their source too, for instance attributes), so a private name of our own is
fine as long as Textual does not define it."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1] / "workbench"
ALLOWED = {ROOT / "ui" / "compat.py"}
# the public API of a named tuple (Offset, Size, Region...), underscored to avoid field names
NAMEDTUPLE = {"_make", "_replace", "_asdict", "_fields", "_field_defaults"}

PRIVATE = [
    r"textual(\.[a-z_]+)*\._[a-z]",  # a private module: textual._compositor, widgets._footer
    r"\._compositor\b",
    r"_bindings_ready",
    r"_screen_stacks",
    r"_check_bindings",
    r"_binding_chain",
    r"_batch_count",
    r"\._suggestion\b",
    r"\b_display\(",
    r"\b_on_key\b",
    r"\._bindings\b",
    r"\._forward_event\b",
    r"widgets\._footer",
]
PATTERN = re.compile("|".join(f"(?:{p})" for p in PRIVATE))


def test_the_patterns_catch_what_they_are_for() -> None:
    for text in ["from textual._compositor import LayoutUpdate", "self._screen_stacks.get(m)",
                 "from textual.widgets._footer import FooterKey", "field._suggestion",
                 "async def _on_key(self, event)", "self._bindings.key_to_bindings"]:
        assert PATTERN.search(text), text
    for text in ["from textual.widgets import Footer", "self._fitted_width", "on_key_in_order"]:
        assert not PATTERN.search(text), text


def test_no_private_textual_name_outside_compat() -> None:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PATTERN.search(line):
                found.append(f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}")
    assert not found, ("private Textual names outside workbench/ui/compat.py:\n"
                       + "\n".join(found))


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name != "_"


def is_textual(cls: type) -> bool:
    return cls.__module__.split(".")[0] == "textual"


@cache
def own_privates(cls: type) -> frozenset[str]:
    """Private names one Textual class defines: in its namespace and as `self._x = ...`."""
    names = {name for name in vars(cls) if is_private(name)} - NAMEDTUPLE
    try:
        tree = ast.parse(inspect.getsource(cls))
    except (OSError, TypeError, SyntaxError):
        return frozenset(names)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name) and node.value.id == "self"
                and is_private(node.attr)):
            names.add(node.attr)
    return frozenset(names)


def textual_privates(cls: type) -> frozenset[str]:
    """Every private a Textual class or its Textual ancestors define."""
    return frozenset().union(*(own_privates(c) for c in cls.__mro__ if is_textual(c)))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_textual_classes(tree: ast.Module) -> list[type]:
    """Classes the module imports from textual (`from textual.x import A`), nested ones too."""
    found: list[type] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
            module = importlib.import_module(node.module or "textual")
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if value is None:
                    try:
                        value = importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        continue
                found.extend(classes_in(value))
    return found


def classes_in(value: object) -> list[type]:
    """A class and the Textual classes nested in it (`Worker.StateChanged`); a module's classes."""
    if isinstance(value, ModuleType):
        return [v for v in vars(value).values() if isinstance(v, type) and is_textual(v)]
    if not isinstance(value, type) or not is_textual(value):
        return []
    return [value, *(v for v in vars(value).values() if isinstance(v, type) and is_textual(v))]


def class_objects(tree: ast.Module, module: ModuleType) -> dict[ast.ClassDef, type]:
    """Each class statement with the class it made (top level and nested in classes)."""
    found: dict[ast.ClassDef, type] = {}

    def visit(body: list[ast.stmt], owner: object) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                cls = getattr(owner, node.name, None)
                if isinstance(cls, type):
                    found[node] = cls
                    visit(node.body, cls)

    visit(tree.body, module)
    return found


def findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # `python -m workbench` runs the app when imported: it defines no class
    module = None if path.name == "__main__.py" else importlib.import_module(module_name(path))
    where = path.relative_to(ROOT.parent)
    found: list[str] = []
    classes = class_objects(tree, module) if module else {}
    names: set[str] = set()
    for cls in imported_textual_classes(tree) + list(classes.values()):
        names |= textual_privates(cls)
    for node, cls in classes.items():
        base_privates = frozenset().union(*(textual_privates(c) for c in cls.__mro__[1:]
                                            if is_textual(c)))
        for item in node.body:
            defined = []
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                defined = [item.name]
            elif isinstance(item, ast.Assign):
                defined = [t.id for t in item.targets if isinstance(t, ast.Name)]
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                defined = [item.target.id]
            for name in defined:
                if is_private(name) and name in base_privates:
                    found.append(f"{where}:{item.lineno}: {cls.__name__}.{name} overrides "
                                 "a private of its Textual base")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr) and node.attr in names:
            found.append(f"{where}:{node.lineno}: .{node.attr} is a private of Textual")
    return found


def test_the_check_catches_what_it_is_for(tmp_path: Path) -> None:
    from textual.widgets import DataTable

    assert "_clear_caches" in textual_privates(DataTable)
    assert "_require_update_dimensions" in textual_privates(DataTable)  # set in __init__
    assert "_bindings" in textual_privates(DataTable)  # from DOMNode
    assert "_fitted" not in textual_privates(DataTable)


def test_no_private_textual_use_outside_compat() -> None:
    found: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        if path not in ALLOWED:
            found += findings(path)
    assert not found, ("private Textual names outside workbench/ui/compat.py:\n"
                       + "\n".join(found))
