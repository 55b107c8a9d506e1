"""API keys in the OS keyring, one entry per profile; `ANTHROPIC_API_KEY` as the fallback.

A key never goes to a file, a log or the screen unmasked. On a headless server with no
Secret Service, keyring has no usable backend: we say what to do and keep working with the
environment variable.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Literal

SERVICE = "workbench"
HEADLESS_ADVICE = (
    "No OS keyring is available here (a headless server has no Secret Service). Either install "
    "and unlock one (e.g. `apt install gnome-keyring` and run inside a D-Bus session), or set "
    "the key for this shell: `export ANTHROPIC_API_KEY=sk-ant-...`."
)


class KeyringUnavailable(RuntimeError):
    """No usable keyring backend; the message says what to do instead."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(HEADLESS_ADVICE + (f" ({detail})" if detail else ""))


def mask_key(key: str | None) -> str:
    """`sk-ant-…abcd`: enough to recognise a key, never enough to use it."""
    if not key:
        return "no key"
    if len(key) < 12:
        return "…" + "•" * 4
    prefix = key[:7] if key.startswith("sk-ant-") else key[:3]
    return f"{prefix}…{key[-4:]}"


_KEY_LIKE = re.compile(r"sk-ant-[A-Za-z0-9_\-]{4,}")


def scrub_keys(text: str, *known: str | None) -> str:
    """`text` with every `sk-ant-…` key, and each `known` key (any shape), masked: for logs and
    notices made of exception text, which can quote a header or a URL holding a key."""
    for key in known:
        if key and len(key) >= 8 and key in text:  # a toy key like "k" would mangle everything
            text = text.replace(key, mask_key(key))
    return _KEY_LIKE.sub(lambda match: mask_key(match.group()), text)


def _backend() -> Any:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise KeyringUnavailable("no recommended keyring backend")
    return backend


class KeyStore:
    """set / get / delete a profile's key in the OS keyring."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def _call(self, method: str, *args: str) -> Any:
        from keyring.errors import KeyringError, PasswordDeleteError

        backend = _backend()
        try:
            return getattr(backend, method)(self.service, *args)
        except PasswordDeleteError:
            return None
        except KeyringError as exc:
            raise KeyringUnavailable(str(exc) or exc.__class__.__name__) from None
        except Exception as exc:  # D-Bus errors from secretstorage and friends
            raise KeyringUnavailable(f"{exc.__class__.__name__}: {exc}") from None

    def set(self, profile: str, key: str) -> None:
        if not key.strip():
            raise ValueError("the key is empty")
        self._call("set_password", profile, key.strip())

    def get(self, profile: str) -> str | None:
        return self._call("get_password", profile)

    def delete(self, profile: str) -> None:
        self._call("delete_password", profile)


@dataclass(frozen=True)
class ResolvedKey:
    key: str | None
    source: Literal["keyring", "env", "session"] | None
    problem: str | None = None


# Keys entered for this session only (no keyring to keep them): profile -> key, in memory.
SESSION_KEYS: dict[str, str] = {}


def resolve_key(settings: Any, store: KeyStore | None = None) -> ResolvedKey:
    """The active profile's key: from the environment variable the profile names (`key_env`:
    no keyring needed), else the keyring, else one entered for this session, else
    ANTHROPIC_API_KEY."""
    problem = None
    profile = getattr(settings, "profile", None)
    named = getattr(profile, "key_env", "") or ""
    if named:
        key = os.environ.get(named, "").strip()
        if key:
            return ResolvedKey(key, "env")
        problem = f"profile {settings.active_profile} takes its key from ${named}, which is not set"
    elif settings.active_profile in SESSION_KEYS:
        return ResolvedKey(SESSION_KEYS[settings.active_profile], "session")
    try:
        key = (store or KeyStore()).get(settings.active_profile)
        if key:
            return ResolvedKey(key, "keyring")
    except KeyringUnavailable as exc:
        problem = problem or str(exc)
    env = os.environ.get("ANTHROPIC_API_KEY", "").strip()
    if env:
        return ResolvedKey(env, "env", problem)
    return ResolvedKey(None, None, problem)


def advice_once(resolved: ResolvedKey, marker: Any) -> str | None:
    """The keyring advice to show at start-up, once: never when a key came from the
    environment (it works as it is), and not again after `marker` (a file) records it."""
    from pathlib import Path

    if not resolved.problem or resolved.source == "env":
        return None
    if not resolved.problem.startswith(HEADLESS_ADVICE[:40]):
        return resolved.problem  # a profile's own problem: said each time until fixed
    marker = Path(marker)
    if marker.exists():
        return None
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("shown\n", encoding="utf-8")
    except OSError:
        pass  # shown again next time: better than never
    return resolved.problem


async def check_key(base_url: str, key: str, api_version: str) -> str | None:
    """None when the key works (GET /v1/models answers), else a readable problem."""
    from workbench.api.client import ClaudeClient
    from workbench.api.errors import APIError

    client = ClaudeClient(api_key=key, base_url=base_url, api_version=api_version, max_retries=0)
    try:
        await client.models.list(limit=1)
    except APIError as exc:
        return str(exc)
    finally:
        await client.aclose()
    return None
