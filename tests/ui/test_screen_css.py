"""Screens keep their CSS in a `.tcss` file next to the module (`CSS_PATH`), so
`textual run --dev` restyles them live; every such file exists and parses."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

import workbench.ui.screens
import workbench.ui.widgets

COMPOSER = ("compose", "params", "turn_list", "turn_editor")  # moved with the composer's rewrite


def screen_classes() -> list[type[Screen]]:
    found = []
    for package in (workbench.ui.screens, workbench.ui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith(COMPOSER):
                continue
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            found += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                      if issubclass(cls, Screen) and cls.__module__ == module.__name__]
    return found


def test_screens_keep_their_css_in_tcss_files_that_parse() -> None:
    screens = screen_classes()
    with_files = [cls for cls in screens if cls.CSS_PATH]
    assert len(with_files) >= 20
    for cls in screens:
        own = cls.__dict__.get("DEFAULT_CSS", "")
        assert own.count("\n") <= 1 or cls.__name__ == "WorkbenchScreen", (
            f"{cls.__name__}: screen CSS belongs in a .tcss file (CSS_PATH)")
    variables = App().get_css_variables()  # $surface, $panel, ... of the default theme
    for cls in with_files:
        path = Path(inspect.getfile(cls)).parent / str(cls.CSS_PATH)
        assert path.is_file(), path
        sheet = Stylesheet(variables=variables)
        sheet.read(path)
        sheet.parse()  # raises StylesheetParseError on a mistake
        assert cls.__name__ in path.read_text(encoding="utf-8")  # rules scoped by the screen
