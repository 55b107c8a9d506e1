"""Settings file: defaults, round trip, overrides, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import config, paths
from workbench.config import ConfigError, Profile, Settings


def test_defaults_without_a_file() -> None:
    settings = config.load()
    assert settings.active_profile == "default"
    assert settings.base_url == config.DEFAULT_BASE_URL
    assert settings.api_version == "2023-06-01"


def test_round_trip_and_no_secret_fields(isolated_home: Path) -> None:
    settings = Settings(theme="workbench-light")
    settings.profiles["work"] = Profile("work", "http://127.0.0.1:9999", "2026-10-21")
    settings.active_profile = "work"
    config.save(settings)
    text = paths.config_file().read_text()
    assert "key" not in text.replace("api_version", "")
    loaded = config.load()
    assert loaded.active_profile == "work"
    assert loaded.base_url == "http://127.0.0.1:9999"
    assert loaded.api_version == "2026-10-21"
    assert loaded.theme == "workbench-light"


def test_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_THEME", "workbench-dark")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:1234")
    settings = config.load()
    assert settings.theme == "workbench-dark"
    assert settings.base_url == "http://127.0.0.1:1234"
    settings.base_url_override = "http://127.0.0.1:5678"
    assert settings.base_url == "http://127.0.0.1:5678"


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("this is = = not toml", "cannot read settings file"),
        ('theme = 3', "theme must be a string"),
        ('[profiles.x]\napi_version = "1999-01-01"', "api_version '1999-01-01' is not one of"),
    ],
)
def test_bad_file_gives_a_clear_error(text: str, fragment: str) -> None:
    paths.ensure(paths.config_dir())
    paths.config_file().write_text(text)
    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(")):
        config.load()


def test_keys_table_is_read_kept_and_written_back(isolated_home: Path) -> None:
    paths.ensure(paths.config_dir())
    paths.config_file().write_text(
        'theme = "workbench-dark"\n[keys]\n"compose.run" = "ctrl+r, f5"\n'
        '"app.theme" = ["f12", "alt+t"]\n"app.help" = 5\n"app.compare" = ""\n',
        encoding="utf-8")
    settings = config.load()
    keymap, problems = config.keymap(settings.keys)
    assert keymap == {"compose.run": "ctrl+r,f5", "app.theme": "f12,alt+t"}
    assert problems == ["app.help: 5 is not a key list", "app.compare: no key given"]

    settings.theme = "workbench-light"  # the app saves on a theme change: the table stays
    config.save(settings)
    again = config.load()
    assert again.theme == "workbench-light" and again.keys == settings.keys
    config.save(Settings())  # no table: none written
    assert "keys" not in paths.config_file().read_text()


def test_keys_must_be_a_table(isolated_home: Path) -> None:
    paths.ensure(paths.config_dir())
    paths.config_file().write_text('keys = "ctrl+r"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[keys\] must be a table"):
        config.load()
