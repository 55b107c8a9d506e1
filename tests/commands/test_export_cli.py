"""`workbench prompts` and `workbench export` through the real CLI, on a library in WORKBENCH_HOME."""

from __future__ import annotations

import os
import subprocess
import sys

from workbench import paths
from workbench.services.draft import Draft, Turn
from workbench.services.store import Store


def _run(*args: str):
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def _library() -> None:
    store = Store(paths.database_file())
    draft = Draft(model="claude-haiku-4-5", system="Answer in {{language}}.",
                  turns=[Turn("user", "Summarise {{text}}")], max_tokens=200)
    store.save_prompt("summary", draft.to_dict(), variables=["language", "text"])
    draft.max_tokens = 400
    store.save_prompt("summary", draft.to_dict(), note="longer")
    store.close()


def test_list_export_import_round_trip(tmp_path):
    _library()
    r = _run("prompts", "list")
    assert r.returncode == 0 and "summary" in r.stdout and "2" in r.stdout
    out = tmp_path / "summary.toml"
    r = _run("prompts", "export", "summary", "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert "Answer in {{language}}." in text and "max_tokens = 400" in text
    r = _run("prompts", "import", str(out))
    assert r.returncode == 0 and "summary: version 3" in r.stdout
    r = _run("prompts", "import", str(tmp_path / "nope.toml"))
    assert r.returncode == 2 and "cannot read" in r.stderr and "Traceback" not in r.stderr


def test_export_formats_versions_and_variables(tmp_path):
    _library()
    r = _run("export", "summary", "--format", "python")
    assert r.returncode == 0, r.stderr
    assert "max_tokens=400" in r.stdout and 'os.environ["ANTHROPIC_API_KEY"]' in r.stdout
    assert "{{language}}" in r.stdout  # unfilled variables stay as placeholders
    r = _run("export", "summary", "--version", "1", "-f", "curl", "--var", "language=French",
             "--stream")
    assert r.returncode == 0, r.stderr
    assert '"max_tokens": 200' in r.stdout and "French" in r.stdout and "{{text}}" in r.stdout
    assert "note: {{text}} not filled" in r.stderr  # said, as the TUI's export says it
    assert '"stream": true' in r.stdout
    out = tmp_path / "s.ts"
    r = _run("export", "summary", "-f", "typescript", "-o", str(out))
    assert r.returncode == 0 and "@anthropic-ai/sdk" in out.read_text()


def test_export_errors_are_clear():
    _library()
    r = _run("export", "missing")
    assert r.returncode == 2 and "no prompt named 'missing'" in r.stderr and "summary" in r.stderr
    r = _run("export", "summary", "--version", "9")
    assert r.returncode == 2 and "versions 1, 2, not 9" in r.stderr
    r = _run("export", "summary", "--var", "oops")
    assert r.returncode == 2 and "NAME=VALUE" in r.stderr
    r = _run("export", "summary", "--var", "langauge=French")  # a typo is not ignored
    assert r.returncode == 2 and r.stdout == ""
    assert "--var langauge: summary has no such {{variable}} (its variables: language, text)" \
        in r.stderr
    r = _run("export", "summary", "--format", "ruby")
    assert r.returncode == 2 and "invalid choice" in r.stderr
