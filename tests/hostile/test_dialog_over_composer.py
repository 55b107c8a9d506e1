"""A dialog open over the composer (ctrl+s saves a prompt) does not stop other panes from
reaching it: a model picked in F3 and a file attached from F7 land in the composer's session
(they went to the dialog on top: "'SavePromptScreen' object has no attribute 'set_model'")."""

from __future__ import annotations

from tests.ui.conftest import wait_until


async def open_save_dialog(app, pilot) -> None:
    await wait_until(pilot, lambda: app.screen.side_ready)
    await pilot.press(*"hello")
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "SavePromptScreen")


async def test_model_picked_in_f3_reaches_the_composer_under_a_dialog(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await open_save_dialog(app, pilot)
        await app.switch_mode("models")
        models = app.screen
        await wait_until(pilot, lambda: len(models.models) > 0)
        target = next(m["id"] for m in models.shown if m.get("lifecycle") != "retired"
                      and m["id"] != app.composer.draft.model)
        from workbench.ui import messages as m

        app.post_message(m.ModelChosen(target, None))
        await wait_until(pilot, lambda: app.composer.draft.model == target)
        await wait_until(pilot, lambda: app.current_mode == "compose")
        assert app.is_running
        # the dialog is still there, over the composer, and still works
        assert type(app.screen).__name__ == "SavePromptScreen"
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ComposeScreen")


async def test_file_attached_from_f7_reaches_the_composer_under_a_dialog(
        make_app, own_emulator, tmp_path) -> None:
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        doc = tmp_path / "notes.txt"
        doc.write_text("some notes\n")
        meta = await app.client.files.upload(doc)
        await open_save_dialog(app, pilot)
        await app.switch_mode("files")
        files = app.screen
        await wait_until(pilot, lambda: any(f["id"] == meta.id for f in files.files))
        await pilot.pause(0.05)
        await pilot.press("a")
        await wait_until(pilot, lambda: any(
            a.file_id == meta.id for t in app.composer.draft.turns for a in t.attachments))
        assert app.is_running
