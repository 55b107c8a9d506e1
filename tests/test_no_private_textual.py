"""No private Textual name outside workbench/ui/compat.py, the one module that may name them
(each with a canary test in tests/ui/test_textual_compat.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "workbench"
ALLOWED = {ROOT / "ui" / "compat.py"}

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
