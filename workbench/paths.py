"""Where the workbench keeps its files (platformdirs), overridable for tests.

`WORKBENCH_HOME` puts everything under one folder (tests and the tmux e2e runs use it).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "workbench"


def _base(kind: str) -> Path:
    home = os.environ.get("WORKBENCH_HOME")
    if home:
        return Path(home) / kind
    import platformdirs

    getter = {
        "config": platformdirs.user_config_dir,
        "data": platformdirs.user_data_dir,
        "cache": platformdirs.user_cache_dir,
        "state": platformdirs.user_state_dir,
    }[kind]
    return Path(getter(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return _base("config")


def data_dir() -> Path:
    return _base("data")


def cache_dir() -> Path:
    return _base("cache")


def state_dir() -> Path:
    return _base("state")


def log_file() -> Path:
    """Unexpected errors, with their tracebacks (keys masked): what a bug report needs."""
    return state_dir() / "workbench.log"


def config_file() -> Path:
    return config_dir() / "config.toml"


def database_file() -> Path:
    return data_dir() / "workbench.db"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def ensure(path: Path) -> Path:
    """Create a folder (and parents) if missing; return it."""
    path.mkdir(parents=True, exist_ok=True)
    return path
