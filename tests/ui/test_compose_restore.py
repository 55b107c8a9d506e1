"""A draft restored at start-up keeps the cursor where the user types: the last user turn."""

from __future__ import annotations

from tests.ui.conftest import wait_until


async def test_restored_draft_keeps_typing_in_the_last_user_turn(make_app):
    from workbench.services.draft import Draft, Turn
    from workbench.services.drafts import save_draft

    save_draft("default", Draft(system="Be brief.", turns=[
        Turn("user", "first question"), Turn("assistant", "an answer"),
        Turn("user", "follow-up")]).to_dict())
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await wait_until(pilot, lambda: app.screen.session.loaded)
        await pilot.pause(0.1)
        editors = app.screen.turn_list.editors
        assert [e.area.text for e in editors] == ["first question", "an answer", "follow-up"]
        assert app.focused is editors[-1].area
        await pilot.press("!", "!")
        await pilot.pause(0.1)
        assert editors[-1].area.text == "follow-up!!"
        assert app.screen.query_one("#system").text == "Be brief."


async def test_a_draft_whose_attachment_is_gone_opens_and_says_so_on_run(make_app, tmp_path):
    """The file attached yesterday was moved: the composer opens (it crashed at every start),
    counts what it can, and a run names the missing file; the draft is kept as it was."""
    from workbench.services.draft import Attachment, Draft, Turn
    from workbench.services.drafts import load_draft, save_draft

    picture = tmp_path / "chart.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    save_draft("default", Draft(turns=[Turn("user", "What does this show?", attachments=[
        Attachment.from_path(str(picture))])]).to_dict())
    picture.unlink()
    app = make_app()
    notices: list[str] = []
    async with app.run_test(size=(140, 42), notifications=True) as pilot:
        original = app.notify

        def record(message, *args, **kwargs):
            notices.append(str(message))
            return original(message, *args, **kwargs)

        app.notify = record  # type: ignore[method-assign]
        await wait_until(pilot, lambda: app.screen.session.loaded)
        await pilot.pause(0.2)
        assert app.screen.turn_list.editors[0].area.text == "What does this show?"
        await pilot.press("!")  # an edit: the live token estimate runs
        await pilot.pause(0.3)
        assert app.screen.turn_list.editors[0].area.text == "What does this show?!"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: any("chart.png" in n for n in notices))
        assert app.is_running
    saved = load_draft("default")
    assert saved["turns"][0]["attachments"][0]["path"] == str(picture)  # nothing dropped


async def test_text_typed_just_before_quitting_is_saved(make_app, monkeypatch):
    """The autosave waits for a pause in typing; quitting does not wait for it, so the App
    writes what is pending on its way out."""
    from workbench.services import composer
    from workbench.services.drafts import load_draft

    monkeypatch.setattr(composer, "AUTOSAVE_DEBOUNCE", 30.0)
    monkeypatch.setattr(composer, "AUTOSAVE_MAX_WAIT", 30.0)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.screen.session.loaded and app.screen.side_ready)
        await pilot.press(*"last words")
        await wait_until(pilot, lambda: app.composer.draft.turns[0].text == "last words")
        assert app.composer.autosave.pending
    assert load_draft("default")["turns"][0]["text"] == "last words"


async def test_each_profile_has_its_own_draft(make_app, emulator_url):
    """Switching profile shows that profile's draft; the first one's comes back, typing and all
    (the composer kept writing into the old profile's session and could crash)."""
    from workbench.config import Profile
    from workbench.services.drafts import load_draft

    app = make_app()
    app.settings.profiles["work"] = Profile("work", emulator_url, "2023-06-01")
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.session.loaded and compose.side_ready)
        await pilot.press(*"for default", "ctrl+n", *"second turn")
        await wait_until(pilot, lambda: len(compose.turn_list.editors) == 2)
        app.settings.active_profile = "work"
        await app.use_key("sk-ant-test-key-0000")
        await wait_until(pilot, lambda: compose.session.slot == "work" and compose.session.loaded
                         and [e.area.text for e in compose.turn_list.editors] == [""])
        await pilot.press(*"for work")
        await wait_until(pilot, lambda: app.composer.draft.turns[0].text == "for work")
        app.settings.active_profile = "default"
        await app.use_key("sk-ant-test-key-0000")
        await wait_until(pilot, lambda: [e.area.text for e in compose.turn_list.editors]
                         == ["for default", "second turn"])
    assert load_draft("work")["turns"][0]["text"] == "for work"
