"""TypeScript and the official SDK packages for the export tests' type checks: installed from npm
once, kept in the user's cache between runs (a folder per package list and ISO week, so the
SDKs' types are at most a week old) and shared by every test of a run (fixture
`typescript_sdks` in tests/conftest.py).

A folder is installed under a temporary name and renamed into place when complete, so a run
never sees a half-installed one and two runs on one machine can install at the same time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

PACKAGES = ("typescript@5", "@types/node", "@anthropic-ai/sdk", "@anthropic-ai/bedrock-sdk",
            "@anthropic-ai/vertex-sdk", "@anthropic-ai/foundry-sdk")
TSC_FLAGS = ("--noEmit", "--strict", "--target", "es2022", "--module", "nodenext",
             "--moduleResolution", "nodenext", "--types", "node", "--skipLibCheck")
PACKAGE_JSON = '{"name": "export-check", "private": true, "type": "module"}'
KEEP_DAYS = 14  # older installs are removed


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "workbench-tests"


def install() -> Path | str:
    """The folder whose node_modules holds PACKAGES, or why there is none."""
    npm = shutil.which("npm")
    if not npm:
        return "npm is not installed (.ci/run installs it)"
    digest = hashlib.sha256("\n".join(PACKAGES).encode()).hexdigest()[:12]
    root = cache_root()
    folder = root / f"ts-{digest}-{time.strftime('%G-W%V')}"
    if (folder / "node_modules" / ".bin" / "tsc").exists():
        return folder
    root.mkdir(parents=True, exist_ok=True)
    _prune(root)
    work = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
    try:
        (work / "package.json").write_text(PACKAGE_JSON)
        out = subprocess.run([npm, "install", "--no-audit", "--no-fund", *PACKAGES], cwd=work,
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            return f"npm could not install typescript and the SDKs: {out.stderr[-300:]}"
        with contextlib.suppress(OSError):  # another run put its complete install there first
            work.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def _prune(root: Path) -> None:
    cutoff = time.time() - KEEP_DAYS * 86400
    for old in root.glob("*"):
        if old.name.startswith(("ts-", ".installing-")) and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)


def typecheck(sdks: Path, sources: dict[str, str], where: Path) -> subprocess.CompletedProcess:
    """tsc over `sources` (file name -> code), written to `where`: one run for them all (tsc's
    start-up is most of its time; each file is a module, so they are checked independently)."""
    where.mkdir(parents=True, exist_ok=True)
    (where / "package.json").write_text(PACKAGE_JSON)
    (where / "node_modules").symlink_to(sdks / "node_modules", target_is_directory=True)
    for name, code in sources.items():
        (where / name).write_text(code)
    return subprocess.run([str(sdks / "node_modules" / ".bin" / "tsc"), *TSC_FLAGS, *sources],
                          cwd=where, capture_output=True, text=True, timeout=180)
