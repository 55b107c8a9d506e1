"""The [keys] table remaps bindings by id (App.set_keymap); mistakes are one warning, never a
crash; F1 says keys can be remapped and where; every binding has an id."""

from __future__ import annotations

import pytest
from textual.widgets import HelpPanel

from tests.ui.conftest import wait_until
from tests.ui.test_small_terminal import compose_ready
from workbench import paths


def with_keys(app, keys: dict):
    app.settings.keys = keys
    app.apply_user_keymap()
    return app


async def test_a_remapped_key_runs_the_action_and_the_old_one_no_longer_does(make_app) -> None:
    app = with_keys(make_app(), {"app.theme": "f12", "compose.add_turn": ["f11", "alt+n"]})
    async with app.run_test(size=(140, 42)) as pilot:
        compose = await compose_ready(app, pilot)
        await pilot.press("ctrl+t")
        await pilot.pause(0.2)
        assert app.theme == "workbench-warm"
        await pilot.press("f12")
        await wait_until(pilot, lambda: app.theme != "workbench-warm")

        turns = lambda: len(compose.session.draft.turns)  # noqa: E731
        await pilot.press("ctrl+n")
        await pilot.pause(0.2)
        assert turns() == 1
        await pilot.press("f11")
        await wait_until(pilot, lambda: turns() == 2)
        await pilot.press("alt+n")
        await wait_until(pilot, lambda: turns() == 3)
        assert not [n for n in app.notices.entries if n.title == "Keymap"]


async def test_unknown_ids_and_bad_keys_are_one_warning(make_app) -> None:
    app = with_keys(make_app(), {"app.theme": "f12,ctrl+nonsense", "compose.nope": "f10",
                                 "app.help": 5})
    async with app.run_test(size=(140, 42)) as pilot:
        await wait_until(pilot, lambda: any(n.title == "Keymap" for n in app.notices.entries))
        await pilot.pause(0.3)
        warnings = [n.message for n in app.notices.entries if n.title == "Keymap"]
        assert len(warnings) == 1
        text = warnings[0]
        assert "ctrl+nonsense" in text and "compose.nope" in text and "app.help" in text
        assert str(paths.config_file()) in text
        await pilot.press("f12")  # the valid part of the table still applies
        await wait_until(pilot, lambda: app.theme != "workbench-warm")


async def test_f1_says_keys_can_be_remapped_and_where(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await compose_ready(app, pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: bool(app.screen.query(HelpPanel)))
        note = str(app.screen.query_one("#keymap-note").render())
        assert "[keys]" in note and str(paths.config_file()) in note  # not under ~ here
        assert "workbench bindings" in note


def test_every_binding_has_an_id_and_each_id_one_meaning() -> None:
    import importlib
    import inspect
    import pkgutil

    from textual.binding import Binding

    import workbench.ui as ui

    actions: dict[str, set[str]] = {}
    for info in pkgutil.walk_packages(ui.__path__, "workbench.ui."):
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and cls.__module__ == module.__name__ \
                    and "BINDINGS" in cls.__dict__:
                for binding in Binding.make_bindings(cls.__dict__["BINDINGS"]):
                    assert binding.id, f"{module.__name__}.{name}: {binding.key} has no id"
                    actions.setdefault(binding.id, set()).add(binding.action)
    assert len(actions) > 100
    shared = {bid: acts for bid, acts in actions.items() if len(acts) > 1}
    assert not shared, f"one id, several actions: {shared}"


@pytest.mark.parametrize(("key", "ok"), [
    ("ctrl+r", True), ("f5", True), ("alt+shift+up", True), ("a", True), ("?", True),
    ("question_mark", True), ("slash", True), ("pagedown", True), ("ctrl+1", True),
    ("Ctrl+R", False), ("ctrl+rr", False), ("F5", False), ("ctrl+ctrl+r", False), ("", False),
    ("ctrl+", False), ("ctrl+?", False), ("hyper+space", True),
])
def test_key_names(key: str, ok: bool) -> None:
    from workbench.ui.keymap import valid_key

    assert valid_key(key) is ok
