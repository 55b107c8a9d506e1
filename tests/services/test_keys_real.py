"""Keys through a REAL Secret Service (gnome-keyring in a private D-Bus session).

Run inside `../shared/scripts/with-secret-service` (CI does); skipped elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import keyring
import pytest

from workbench.config import Settings
from workbench.services.keys import KeyStore, resolve_key

# One worker runs them all: they share the session's one Secret Service.
pytestmark = [pytest.mark.keyring_real, pytest.mark.xdist_group("keyring_real")]

KEY = "sk-ant-real-secret-service-key-7731"


def lookup(profile: str) -> str:
    result = subprocess.run(["secret-tool", "lookup", "service", "workbench", "username", profile],
                            capture_output=True, text=True, timeout=10)
    return result.stdout.strip()


@pytest.fixture(autouse=True)
def real_backend():
    if shutil.which("secret-tool") is None:
        pytest.skip("secret-tool (libsecret-tools) is not installed")
    keyring.set_keyring(keyring.core.load_keyring("keyring.backends.SecretService.Keyring"))
    yield


def test_set_read_use_delete_through_our_code() -> None:
    assert type(keyring.get_keyring()).__module__ == "keyring.backends.SecretService"
    store = KeyStore()
    store.set("real-profile", KEY)
    assert store.get("real-profile") == KEY
    assert lookup("real-profile") == KEY  # really in the Secret Service
    resolved = resolve_key(Settings(active_profile="real-profile"))
    assert (resolved.key, resolved.source) == (KEY, "keyring")
    store.delete("real-profile")
    assert store.get("real-profile") is None and lookup("real-profile") == ""


def test_cli_set_list_delete(isolated_home, emulator_url) -> None:
    env = {**os.environ}

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "workbench", "keys", *args], input=stdin,
                              capture_output=True, text=True, env=env, timeout=60)

    made = cli("set", "cli-profile", "--base-url", emulator_url, stdin=KEY + "\n")
    assert made.returncode == 0, made.stderr
    assert KEY not in made.stdout and "sk-ant-…7731" in made.stdout
    assert lookup("cli-profile") == KEY
    listed = cli("list")
    assert "cli-profile" in listed.stdout and "sk-ant-…7731" in listed.stdout
    assert KEY not in listed.stdout
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="replace")  # never in a file
    assert cli("delete", "cli-profile", "--yes").returncode == 0
    assert lookup("cli-profile") == ""
