"""Typed settings: a TOML file in the user config dir, overridden by WORKBENCH_* variables.

Never holds a secret: keys live in the OS keyring (services/keys.py). Stdlib-only on purpose,
because the settings are read before the first frame.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench import paths
from workbench.api.versions import API_VERSIONS, DEFAULT_API_VERSION

DEFAULT_BASE_URL = "https://api.anthropic.com"
DEFAULT_MODEL = "claude-sonnet-5-5"
DEFAULT_THEME = "workbench-warm"


class ConfigError(ValueError):
    """The settings file cannot be read; the message says where and why."""


@dataclass
class Profile:
    """A name, a base URL and an API version; its key lives in the keyring under the name.

    A cloud profile also has a `platform` and that platform's settings (secrets, such as a
    Bedrock or Foundry API key, are in the keyring like any key): Bedrock `region`,
    `aws_profile`, `model_prefix` (`us.`, `eu.`, `global.`); Vertex `project`, `region`;
    Foundry `resource`; `auth` says how it authenticates and `token_command` prints a token.
    The base URL of a cloud profile is derived from these unless set.
    """

    name: str
    base_url: str = DEFAULT_BASE_URL
    api_version: str = DEFAULT_API_VERSION
    platform: str = "anthropic"
    auth: str = ""  # bedrock: aws | api-key; vertex: adc | command; foundry: api-key | entra
    region: str = ""
    project: str = ""
    aws_profile: str = ""
    model_prefix: str = ""
    resource: str = ""
    token_command: str = ""
    key_env: str = ""  # the environment variable holding this profile's key (no keyring)
    betas: list[str] = field(default_factory=list)  # anthropic-beta sent with every request


PLATFORM_FIELDS = ("platform", "auth", "region", "project", "aws_profile", "model_prefix",
                   "resource", "token_command")
OPTIONAL_FIELDS = (*PLATFORM_FIELDS, "key_env")  # strings, written only when set


@dataclass
class Settings:
    active_profile: str = "default"
    theme: str = DEFAULT_THEME
    default_model: str = DEFAULT_MODEL
    profiles: dict[str, Profile] = field(default_factory=lambda: {"default": Profile("default")})
    # [keys]: binding id -> "key,key" (`workbench bindings` lists the ids); kept as written
    keys: dict[str, Any] = field(default_factory=dict)
    # The composer's editor column, in percent of the room it shares with the reply (alt+left /
    # alt+right resize it); the reply gets the larger part unless the user says otherwise.
    compose_split: int = 40
    # Run-time only (from the command line), never written to the file:
    demo: bool = False
    base_url_override: str | None = None
    demo_platform: str | None = None  # `--demo --platform bedrock`: the emulator's Bedrock wire

    @property
    def profile(self) -> Profile:
        return self.profiles.get(self.active_profile) or Profile(self.active_profile)

    @property
    def base_url(self) -> str:
        if self.base_url_override:
            return self.base_url_override
        env = os.environ.get("ANTHROPIC_BASE_URL")
        profile = self.profile
        if profile.base_url == DEFAULT_BASE_URL and env:
            return env
        return profile.base_url

    @property
    def api_version(self) -> str:
        return self.profile.api_version

    def to_toml_dict(self) -> dict[str, Any]:
        return {
            "active_profile": self.active_profile,
            "theme": self.theme,
            "default_model": self.default_model,
            "profiles": {name: _profile_dict(p) for name, p in self.profiles.items()},
            **({"keys": dict(self.keys)} if self.keys else {}),
            **({"compose_split": self.compose_split} if self.compose_split != 40 else {}),
        }


def _profile_dict(profile: Profile) -> dict[str, Any]:
    """What the file keeps: unset platform fields are left out (old files stay as they were),
    and so is a cloud profile's unset base URL (it is derived from the platform's settings)."""
    cloud = profile.platform != "anthropic"
    return {k: v for k, v in asdict(profile).items() if k != "name"
            and not (k in OPTIONAL_FIELDS and v in ("", "anthropic"))
            and not (cloud and k == "base_url" and v == DEFAULT_BASE_URL)
            and not (k == "betas" and not v)}  # no betas: nothing written


def load(path: Path | None = None) -> Settings:
    """Read the settings file (missing file = defaults) and apply WORKBENCH_* overrides."""
    path = path or paths.config_file()
    settings = Settings()
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:  # TOMLDecodeError is a ValueError;
            # a 5,000-digit number and arrays nested thousands deep raise the other two
            raise ConfigError(f"cannot read settings file {path}: "
                              f"{exc or 'nested too deeply'}") from exc
        settings = _from_dict(raw, path)
    env = os.environ
    if env.get("WORKBENCH_PROFILE"):
        settings.active_profile = env["WORKBENCH_PROFILE"]
    if env.get("WORKBENCH_THEME"):
        settings.theme = env["WORKBENCH_THEME"]
    if env.get("WORKBENCH_MODEL"):
        settings.default_model = env["WORKBENCH_MODEL"]
    return settings


def _from_dict(raw: dict[str, Any], path: Path) -> Settings:
    settings = Settings()
    for key in ("active_profile", "theme", "default_model"):
        if key in raw:
            if not isinstance(raw[key], str):
                raise ConfigError(f"{path}: {key} must be a string")
            setattr(settings, key, raw[key])
    profiles = raw.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: [profiles] must be a table")
    for name, body in profiles.items():
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: [profiles.{name}] must be a table")
        version = body.get("api_version", DEFAULT_API_VERSION)
        if version not in API_VERSIONS:
            raise ConfigError(
                f"{path}: profiles.{name}.api_version {version!r} is not one of "
                f"{', '.join(API_VERSIONS)}"
            )
        platform = body.get("platform", "anthropic")
        # here, not at the top: the platforms package is not needed for the first frame
        from workbench.api.platforms.capabilities import PLATFORMS

        if platform not in PLATFORMS:
            raise ConfigError(f"{path}: profiles.{name}.platform {platform!r} is not one of "
                              f"{', '.join(PLATFORMS)}")
        if not isinstance(body.get("base_url", ""), str):
            raise ConfigError(f"{path}: profiles.{name}.base_url must be a string")
        extra = {k: body[k] for k in OPTIONAL_FIELDS if k in body}
        for key, value in extra.items():
            if not isinstance(value, str):
                raise ConfigError(f"{path}: profiles.{name}.{key} must be a string")
        betas = body.get("betas", [])
        if not isinstance(betas, list) or not all(isinstance(b, str) for b in betas):
            raise ConfigError(f"{path}: profiles.{name}.betas must be a list of beta names")
        settings.profiles[name] = Profile(
            name=name, base_url=str(body.get("base_url", DEFAULT_BASE_URL)), api_version=version,
            betas=list(betas), **extra,
        )
    split = raw.get("compose_split", settings.compose_split)
    if not isinstance(split, int) or isinstance(split, bool) or not 10 <= split <= 90:
        raise ConfigError(f"{path}: compose_split must be a whole number from 10 to 90")
    settings.compose_split = split
    keys = raw.get("keys", {})
    if not isinstance(keys, dict):
        raise ConfigError(f"{path}: [keys] must be a table of binding id = \"key,key\"")
    settings.keys = dict(keys)
    return settings


def keymap(keys: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """[keys] -> (binding id -> "key,key", problems). A value is a string of comma-separated
    keys or a list of keys; anything else is a problem, never an error: one wrong entry must not
    stop the app. Key names are checked by the UI, which knows Textual's."""
    out: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in keys.items():
        if isinstance(value, str):
            names = value.split(",")
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            names = value
        else:
            problems.append(f"{binding_id}: {value!r} is not a key list")
            continue
        names = [n.strip() for n in names if n.strip()]
        if not names:
            problems.append(f"{binding_id}: no key given")
            continue
        out[binding_id] = ",".join(names)
    return out, problems


def save(settings: Settings, path: Path | None = None) -> None:
    """Write atomically (temp file + rename), so a crash never leaves half a file."""
    import tomli_w

    path = path or paths.config_file()
    paths.ensure(path.parent)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(settings.to_toml_dict()), encoding="utf-8")
    os.replace(tmp, path)
