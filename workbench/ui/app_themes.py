"""The App's themes: ours and the user's registered before the first frame, the choice saved."""

from __future__ import annotations

from typing import Any


class Themes:
    """App mixin (uses `settings`, `save_settings`, `notify` and Textual's theme API)."""

    settings: Any

    def _register_themes(self) -> list[str]:
        """Before the first frame, so the stylesheet is built once, in the right theme."""
        from workbench.ui.theme import load_themes

        loaded = load_themes()
        for theme in loaded.themes:
            self.register_theme(theme)
        problems = list(loaded.problems)
        wanted = self.settings.theme
        if wanted not in self.available_themes:
            problems.append(f"theme {wanted!r} not found; using workbench-warm")
            wanted = "workbench-warm"
        self.theme = wanted
        return problems

    def watch_theme(self, theme: str) -> None:
        if self.is_mounted and theme != self.settings.theme:
            self.settings.theme = theme
            self.save_settings()

    def action_cycle_theme(self) -> None:
        names = [n for n in self.available_themes if n.startswith("workbench-")]
        names += [n for n in self.available_themes if not n.startswith("workbench-")]
        index = names.index(self.theme) + 1 if self.theme in names else 0
        self.theme = names[index % len(names)]
        self.notify(f"theme: {self.theme}")
