"""`workbench count` through the real CLI: exact count from the emulator, errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def _run(*args: str, stdin: str | None = None, env: dict | None = None):
    full = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    full.update({"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", **(env or {})})
    return subprocess.run([sys.executable, "-m", "workbench", *args], input=stdin,
                          capture_output=True, text=True, env=full, timeout=60)


def test_count_demo_json_matches_estimate():
    r = _run("--demo", "count", "--json", "--model", "claude-haiku-4-5", stdin="hello world " * 50)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["model"] == "claude-haiku-4-5"
    assert out["exact"] == out["estimate"] > 50


def test_count_against_emulator_url(emulator_url):
    r = _run("count", "--base-url", emulator_url, "Say hi", env={"ANTHROPIC_API_KEY": "sk-test"})
    assert r.returncode == 0, r.stderr
    assert "(local estimate)" in r.stdout and "(count_tokens" in r.stdout


def test_count_no_key_and_usage_errors(tmp_path):
    r = _run("count", "hi")
    assert r.returncode == 1
    assert "no API key" in r.stderr and "Traceback" not in r.stderr
    r = _run("count", "-f", str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and "missing.txt: no such file" in r.stderr
    r = _run("count", "-f", "~nosuchuser/prompt.txt")  # bash leaves an unknown ~user as is
    assert r.returncode == 2 and "~nosuchuser/prompt.txt: no such file" in r.stderr
    r = _run("count", "-f", str(tmp_path))
    assert r.returncode == 2 and f"{tmp_path} is a folder: give a file" in r.stderr
    (tmp_path / "blob.bin").write_bytes(b"\x00\xe4\xff" * 100)
    r = _run("count", "-f", str(tmp_path / "blob.bin"))
    assert r.returncode == 2 and "is not UTF-8 text" in r.stderr and "Traceback" not in r.stderr
    r = _run("count", "   ")
    assert r.returncode == 2 and "empty" in r.stderr
