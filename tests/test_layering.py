"""Layering rules, checked in fresh interpreters (sys.modules of this one is polluted)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import workbench

ROOT = Path(workbench.__file__).parent


def _modules(package: str) -> list[str]:
    folder = ROOT / package.split(".", 1)[1]
    return [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(folder)])]


def _loaded_after(imports: list[str]) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {imports!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, cwd=ROOT.parent)
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_headless_layers_never_import_the_ui():
    imports = ["workbench.api.client"]
    if (ROOT / "emulator" / "app.py").exists():
        imports.append("workbench.emulator.app")
    imports += _modules("workbench.services") + _modules("workbench.commands")
    loaded = _loaded_after(imports)
    assert "workbench.api.client" in loaded
    bad = sorted(m for m in loaded if m == "textual" or m.startswith(("textual.", "workbench.ui")))
    assert not bad, f"UI modules pulled in by the headless layers: {bad[:10]}"


def test_client_does_not_import_the_emulator():
    loaded = _loaded_after(["workbench.api.client"])
    assert not any(m.startswith("workbench.emulator") for m in loaded)
    assert not {"starlette", "uvicorn"} & loaded


def test_cli_import_is_light():
    loaded = _loaded_after(["workbench.cli"])
    assert "workbench.cli" in loaded
    heavy = {"httpx", "pydantic", "uvicorn", "starlette", "textual"} & loaded
    assert not heavy, f"`import workbench.cli` loads {sorted(heavy)}"


def test_the_shared_rules_and_tokenizer_are_stdlib_only():
    """The emulator, the client and the services all import them: they must cost nothing."""
    loaded = _loaded_after(["workbench.api.rules", "workbench.tokenizer", "workbench.services.files"])
    heavy = {"httpx", "pydantic", "uvicorn", "starlette", "textual", "yaml", "rich"} & loaded
    assert not heavy, f"the shared rules load {sorted(heavy)}"
