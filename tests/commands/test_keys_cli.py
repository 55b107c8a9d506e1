"""`workbench keys` failure paths that need no keyring."""

from __future__ import annotations

import os
import subprocess
import sys


def cli(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", "keys", *args], input=stdin,
                          capture_output=True, text=True, env={**os.environ, **env}, timeout=60)


def test_headless_keyring_gives_advice_not_a_traceback(emulator_url) -> None:
    result = cli("set", "--base-url", emulator_url, stdin="sk-ant-some-key-1234\n",
                 PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert result.returncode == 1
    assert "ANTHROPIC_API_KEY" in result.stderr and "Traceback" not in result.stderr


def test_bad_key_check_is_reported(emulator_url) -> None:
    result = cli("set", "--base-url", "http://127.0.0.1:9", stdin="sk-ant-some-key-1234\n",
                 PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert result.returncode == 1 and "not stored" in result.stderr


def test_usage_errors() -> None:
    assert cli("use", "nope").returncode == 2
    assert cli("set", stdin="\n").returncode == 2
    listed = cli("list", "--json", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert listed.returncode == 0 and '"keyring unavailable"' in listed.stdout
