"""Keys: keyring per profile, env fallback, masking, headless advice."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from workbench.config import Settings
from workbench.services.keys import (
    HEADLESS_ADVICE,
    KeyringUnavailable,
    KeyStore,
    check_key,
    mask_key,
    resolve_key,
)


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_mask_key() -> None:
    assert mask_key("sk-ant-api03-abcdefghijklmnop-wxyz") == "sk-ant-…wxyz"
    assert mask_key("short") == "…••••"
    assert mask_key(None) == "no key"
    assert "abcdefghij" not in mask_key("sk-ant-api03-abcdefghijklmnop-wxyz")


def test_store_set_get_delete(memory_keyring) -> None:
    store = KeyStore()
    store.set("work", "sk-ant-work-key-1234")
    assert store.get("work") == "sk-ant-work-key-1234"
    assert memory_keyring.store[("workbench", "work")] == "sk-ant-work-key-1234"
    store.delete("work")
    assert store.get("work") is None
    store.delete("work")  # deleting twice is fine
    with pytest.raises(ValueError):
        store.set("work", "  ")


def test_resolve_prefers_keyring_then_env(memory_keyring, monkeypatch) -> None:
    settings = Settings(active_profile="work")
    assert resolve_key(settings) == resolve_key(settings).__class__(None, None, None)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-env-key-9999")
    assert resolve_key(settings).source == "env"
    KeyStore().set("work", "sk-ant-ring-key-1111")
    resolved = resolve_key(settings)
    assert (resolved.key, resolved.source) == ("sk-ant-ring-key-1111", "keyring")


def test_headless_says_what_to_do_and_env_still_works(no_keyring, monkeypatch) -> None:
    with pytest.raises(KeyringUnavailable, match="ANTHROPIC_API_KEY"):
        KeyStore().set("default", "sk-ant-x-000000000")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-env-key-9999")
    resolved = resolve_key(Settings())
    assert resolved.key == "sk-ant-env-key-9999" and resolved.source == "env"
    assert resolved.problem and HEADLESS_ADVICE in resolved.problem


async def test_check_key_against_the_emulator(emulator_url) -> None:
    assert await check_key(emulator_url, "sk-ant-good-key-0000", "2023-06-01") is None
    problem = await check_key("http://127.0.0.1:9", "sk-ant-good-key-0000", "2023-06-01")
    assert problem and "connect" in problem.lower()
