"""The user's keymap: a `[keys]` table in the settings file maps binding ids to keys.

Applied with Textual's `App.set_keymap` before the first frame (no I/O: the settings are
already loaded). Bad key names are known at once; unknown ids only once every binding is
known, which means importing every pane, so that check runs in a thread after the first
frame, and only when the table is not empty. One warning names every problem; none stops
the app.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

MODIFIERS = frozenset({"ctrl", "alt", "shift", "super", "meta", "hyper"})


@cache
def key_names() -> frozenset[str]:
    """Textual's named keys (`f5`, `pageup`, `slash`, ...); made on first use, not at start."""
    return frozenset({k.value.rpartition("+")[2] for k in Keys if not k.value.startswith("<")}
                     | set(KEY_NAME_REPLACEMENTS.values()))


def valid_key(key: str) -> bool:
    """A key as Textual names it: modifiers, then `a`, `f5`, `pageup`, `question_mark`, ..."""
    *mods, base = key.split("+")
    if not base or len(set(mods)) != len(mods) or not MODIFIERS.issuperset(mods):
        return False
    if len(base) == 1:  # a bare character; with a modifier, only letters and digits
        return base.isprintable() and not base.isspace() and (not mods or base.isalnum())
    return base in key_names() or key_to_character(base) is not None


def checked_keymap(keys: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """[keys] -> (the keymap of valid keys, problems naming the invalid ones)."""
    from workbench.config import keymap

    raw, problems = keymap(keys)
    good: dict[str, str] = {}
    for binding_id, value in raw.items():
        names = value.split(",")
        bad = [name for name in names if not valid_key(name)]
        if bad:
            problems.append(f"{binding_id}: not a key name: {', '.join(bad)}")
        ok = [name for name in names if valid_key(name)]
        if ok:
            good[binding_id] = ",".join(ok)
    return good, problems


def help_note() -> str:
    """F1's line on remapping: short, the panel is narrow."""
    from pathlib import Path

    from workbench import paths

    where = str(paths.config_file())
    home = str(Path.home())
    if where.startswith(home + "/"):
        where = "~" + where[len(home):]
    return f"Remap keys: [keys] in {where}. `workbench bindings` lists the ids."


class UserKeymap:
    """App mixin: apply the [keys] table at start; warn once about what it got wrong."""

    settings: Any
    _keymap_problems: list[str]

    def apply_user_keymap(self) -> None:
        keymap, self._keymap_problems = checked_keymap(self.settings.keys)
        if keymap:
            self.set_keymap(keymap)  # type: ignore[attr-defined]

    def check_user_keymap(self) -> None:
        """After the first frame: ids no binding has join the problems, then one warning."""
        if self.settings.keys:
            self.run_worker(self._find_unknown_ids, thread=True,  # type: ignore[attr-defined]
                            group="keymap", exit_on_error=False)
        elif self._keymap_problems:
            self._warn_keymap([])

    def _find_unknown_ids(self) -> None:
        from workbench.ui.binding_list import all_bindings

        known = {row.id for row in all_bindings()}
        unknown = sorted(set(self.settings.keys) - known)
        self.call_from_thread(self._warn_keymap, unknown)  # type: ignore[attr-defined]

    def _warn_keymap(self, unknown: list[str]) -> None:
        from workbench import paths

        problems = list(self._keymap_problems)
        if unknown:
            problems.append(f"no binding has the id {', '.join(unknown)}")
        if problems:
            self.notify(  # type: ignore[attr-defined]
                f"[keys] in {paths.config_file()}: " + "; ".join(problems)
                + ". The rest of the table applies; `workbench bindings` lists the ids.",
                title="Keymap", severity="warning", timeout=15, markup=False)

    def action_show_help_panel(self) -> None:
        """F1 (and the palette's "Keys"): Textual's help panel, saying keys can be remapped."""
        screen = self.screen  # type: ignore[attr-defined]
        if not screen.query("HelpPanel"):
            from workbench.ui.widgets.keys_help import KeysHelpPanel

            screen.mount(KeysHelpPanel())
