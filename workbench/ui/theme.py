"""Themes from TOML files (ours in `themes/`, the user's in the config dir) as Textual themes.

A broken user theme never stops the app: it is skipped and reported, and the app falls back to
the default theme.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from textual.theme import Theme

from workbench import paths

_COLOUR_KEYS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
                "boost", "success", "warning", "error")


@dataclass
class LoadedThemes:
    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def builtin_themes_dir() -> Path:
    """Packaged copy inside the wheel, else the source checkout's top-level `themes/`."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "themes"
    return packaged if packaged.is_dir() else here.parent / "themes"


def theme_from_toml(path: Path) -> Theme:
    """Build a Theme; raises ValueError with the file name and the reason."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    name = raw.get("name") or path.stem
    if "primary" not in raw:
        raise ValueError(f"{path.name}: a theme needs at least 'primary'")
    colours = {k: str(raw[k]) for k in _COLOUR_KEYS if k in raw}
    variables = {str(k): str(v) for k, v in (raw.get("variables") or {}).items()}
    try:
        dark = bool(raw.get("dark", True))
        theme = Theme(name=str(name), dark=dark, variables=variables, **colours)
        theme.to_color_system()  # validates every colour now, not at first paint
    except Exception as exc:  # Textual raises ColorParseError and friends
        raise ValueError(f"{path.name}: {exc}") from exc
    return theme


def load_themes() -> LoadedThemes:
    loaded = LoadedThemes()
    for folder in (builtin_themes_dir(), paths.user_themes_dir()):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                loaded.themes.append(theme_from_toml(path))
            except ValueError as exc:
                loaded.problems.append(f"theme skipped: {exc}")
    return loaded
