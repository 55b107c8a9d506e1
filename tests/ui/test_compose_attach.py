"""Attaching a Files API id: the block kind comes from the file's metadata (mime_type), or
from the user (`image:file_…`), never from how the id looks."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from tests.ui.conftest import wait_until

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


async def attach_by_typing(app, pilot, value: str) -> None:
    from workbench.ui.screens.compose_modals import AskScreen

    await pilot.press("alt+i")
    await wait_until(pilot, lambda: isinstance(app.screen, AskScreen))
    app.screen.query_one("#answer").value = value
    await pilot.press("enter")


async def test_an_image_file_id_is_sent_as_an_image_block(make_app, tmp_path: Path) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(PNG)
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(b"%PDF-1.4\n%%EOF\n")
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        image = await app.client.files.upload(chart)
        pdf = await app.client.files.upload(notes)
        assert image.mime_type == "image/png"
        await pilot.press(*"Describe these")
        compose = app.screen
        await attach_by_typing(app, pilot, image.id)
        await wait_until(pilot, lambda: len(compose.session.draft.turns[0].attachments) == 1)
        await attach_by_typing(app, pilot, pdf.id)
        await wait_until(pilot, lambda: len(compose.session.draft.turns[0].attachments) == 2)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None and not compose.session.running)
        sent = json.loads(compose.session.last_result.exchange.request_body)
        blocks = sent["messages"][0]["content"]
        assert blocks[0] == {"type": "image", "source": {"type": "file", "file_id": image.id}}
        assert blocks[1] == {"type": "document", "title": "notes.pdf",
                             "source": {"type": "file", "file_id": pdf.id}}
        assert blocks[2] == {"type": "text", "text": "Describe these"}
        assert compose.session.last_result.status == "complete"


async def test_unknown_file_id_is_refused_unless_the_kind_is_given(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await pilot.press(*"Look")
        await attach_by_typing(app, pilot, "file_011CNotThere")
        await wait_until(pilot, lambda: any("Not attached" in (n.title or "")
                                            for n in app.notices.entries))
        notice = next(n.message for n in app.notices.entries if n.title == "Not attached")
        assert "image:file_011CNotThere" in notice
        assert compose.session.draft.turns[0].attachments == []
        # the user says what it is
        await attach_by_typing(app, pilot, "image:file_011CNotThere")
        await wait_until(pilot, lambda: compose.session.draft.turns[0].attachments)
        block = compose.session.draft.turns[0].attachments[0].to_block()
        assert block == {"type": "image", "source": {"type": "file",
                                                     "file_id": "file_011CNotThere"}}
        # the run's 404 names the id and says how to take it off (the draft stays)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: any((n.title or "").startswith("404")
                                            for n in app.notices.entries))
        notice = next(n.message for n in app.notices.entries if n.title.startswith("404"))
        assert "file_011CNotThere" in notice and "alt+u removes an attachment" in notice
        assert compose.session.draft.turns[0].attachments


async def test_a_file_no_message_can_take_is_refused(make_app, tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text("a,b\n1,2\n")
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        meta = await app.client.files.upload(table)
        await attach_by_typing(app, pilot, meta.id)
        await wait_until(pilot, lambda: any("Not attached" in (n.title or "")
                                            for n in app.notices.entries))
        assert "table.csv is text/csv" in next(
            n.message for n in app.notices.entries if n.title == "Not attached")
        assert app.screen.session.draft.turns[0].attachments == []


async def test_two_ids_in_quick_succession_are_both_attached(make_app, tmp_path: Path) -> None:
    """The second id's metadata fetch must not cancel the first one's."""
    chart = tmp_path / "chart.png"
    chart.write_bytes(PNG)
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        one = await app.client.files.upload(chart)
        two = await app.client.files.upload(chart)
        compose = app.screen
        await pilot.press(*"Compare")
        compose.attach_file_id(one.id)
        compose.attach_file_id(two.id)
        await wait_until(pilot, lambda: len(compose.session.draft.turns[0].attachments) == 2)
        ids = {a.file_id for a in compose.session.draft.turns[0].attachments}
        assert ids == {one.id, two.id}


async def test_a_local_file_named_like_an_id_is_the_local_file(make_app, tmp_path: Path,
                                                               monkeypatch) -> None:
    (tmp_path / "file_notes.png").write_bytes(PNG)
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await pilot.press(*"Look")
        await attach_by_typing(app, pilot, "file_notes.png")
        await wait_until(pilot, lambda: compose.session.draft.turns[0].attachments)
        attachment = compose.session.draft.turns[0].attachments[0]
        assert attachment.file_id is None and attachment.path.endswith("file_notes.png")


async def test_a_bad_path_keeps_the_dialog_open_with_what_was_typed(make_app,
                                                                    tmp_path: Path) -> None:
    """The reason shows inside the dialog; fixing the path attaches without retyping it all."""
    from workbench.ui.screens.compose_modals import AskScreen

    (tmp_path / "shots").mkdir()
    (tmp_path / "shots" / "chart.png").write_bytes(PNG)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        await pilot.press(*"Look")
        typed = str(tmp_path / "shots" / "chrat.png")
        await attach_by_typing(app, pilot, typed)
        await pilot.pause(0.1)
        dialog = app.screen
        assert isinstance(dialog, AskScreen)  # still open
        assert dialog.query_one("#answer").value == typed
        assert f"no such file: {typed}" in str(dialog.query_one(".error").render())
        await pilot.press("backspace")  # editing puts the error away
        assert "no such file" not in str(dialog.query_one(".error").render())
        await attach_by_typing_again(app, pilot, str(tmp_path / "shots"))
        assert isinstance(app.screen, AskScreen)
        assert f"{tmp_path / 'shots'} is a folder" in str(app.screen.query_one(".error").render())
        # paths Python's own calls choke on: an unknown ~user, a name over 255 bytes
        await attach_by_typing_again(app, pilot, "~nosuchuser/chart.png")
        assert isinstance(app.screen, AskScreen)
        assert "no such file: ~nosuchuser/chart.png" in str(app.screen.query_one(".error").render())
        await attach_by_typing_again(app, pilot, str(tmp_path / ("x" * 300 + ".png")))
        assert isinstance(app.screen, AskScreen)
        assert "File name too long" in str(app.screen.query_one(".error").render())
        await attach_by_typing_again(app, pilot, str(tmp_path / "shots" / "chart.png"))
        await wait_until(pilot, lambda: app.screen is compose)
        attachment = compose.session.draft.turns[0].attachments[0]
        assert attachment.path == str(tmp_path / "shots" / "chart.png")
        assert compose.session.draft.turns[0].text == "Look"


async def attach_by_typing_again(app, pilot, value: str) -> None:
    """The dialog is still open: correct the field and press enter."""
    app.screen.query_one("#answer").value = value
    await pilot.press("enter")
    await pilot.pause(0.1)


async def test_the_attach_dialog_says_what_it_accepts(make_app) -> None:
    from workbench.services.files import DOCUMENT_TYPES, IMAGE_TYPES
    from workbench.ui.screens.compose_modals import AskScreen

    assert set(DOCUMENT_TYPES) == {"application/pdf", "text/plain"}  # the wording below
    assert len(IMAGE_TYPES) == 4
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("alt+i")
        await wait_until(pilot, lambda: isinstance(app.screen, AskScreen))
        assert "image or PDF, or a plain-text .txt file" in app.screen.title_text


async def test_attachment_chips_show_the_file_name(make_app, tmp_path: Path) -> None:
    """A Files API file by its filename (the id cut, whole in the tooltip); a local file by
    its name."""
    from tests.ui.conftest import screen_text

    notes = tmp_path / "notes.pdf"
    notes.write_bytes(b"%PDF-1.4\n%%EOF\n")
    chart = tmp_path / "chart.png"
    chart.write_bytes(PNG)
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        meta = await app.client.files.upload(notes)
        compose = app.screen
        await attach_by_typing(app, pilot, meta.id)
        await wait_until(pilot, lambda: len(compose.session.draft.turns[0].attachments) == 1)
        await attach_by_typing(app, pilot, str(chart))
        await wait_until(pilot, lambda: len(compose.session.draft.turns[0].attachments) == 2)
        await pilot.pause(0.1)
        head = compose.turn_list.editors[0].query_one(".turn-head")
        shown = str(head.render())
        assert f"notes.pdf ({meta.id[:12]}…)" in shown
        assert "chart.png" in shown and str(tmp_path) not in shown
        assert meta.id not in shown
        assert f"notes.pdf ({meta.id})" in str(head.tooltip)
        assert str(chart) in str(head.tooltip)
        assert f"notes.pdf ({meta.id[:12]}…)" in screen_text(app)
