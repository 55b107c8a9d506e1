"""Files pane against the emulator: list (lazy pages), sort, filter, metadata, upload (checks,
progress), download (progress, not downloadable), delete (confirm), attach to the composer."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from tests.ui.conftest import screen_text, wait_until


def make_generated(base_url: str, filename: str, size: int, mime: str = "text/csv") -> dict:
    """A downloadable file, as if a tool had made it (the emulator's control endpoint)."""
    req = urllib.request.Request(f"{base_url}/_emulator/files", method="POST",
                                 data=json.dumps({"filename": filename, "size": size,
                                                  "mime_type": mime}).encode(),
                                 headers={"content-type": "application/json",
                                          "x-api-key": "sk-ant-test-control"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def raw_bytes(base_url: str, file_id: str) -> bytes:
    req = urllib.request.Request(f"{base_url}/_emulator/files/{file_id}/raw",
                                 headers={"x-api-key": "sk-ant-test-control"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read()


@pytest.fixture
def own_emulator(make_emulator) -> str:
    """A fresh emulator: the file list holds only what the test puts there."""
    return make_emulator(tokens_per_second=None)


async def open_files(app, pilot, count: int | None = None):
    await app.switch_mode("files")
    screen = app.screen
    if count is None:
        await wait_until(pilot, lambda: "loading" not in str(
            screen.query_one("#files-status").render()))
    else:
        await wait_until(pilot, lambda: len(screen.files) >= count)
    await pilot.pause(0.05)
    return screen


async def upload_via_dialog(app, pilot, path: Path) -> dict:
    screen = app.screen
    before = len(screen.files)
    await pilot.press("u")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "UploadScreen")
    field = app.screen.query_one("#upload-path", Input)
    field.value = str(path)
    await pilot.pause(0.05)
    await pilot.press("enter")
    await wait_until(pilot, lambda: app.screen is screen and len(screen.files) > before)
    return screen.files[0]


def note_of(app) -> str:
    return str(app.screen.query_one(".dialog-note").render())


async def test_list_shows_files_and_metadata(make_app, own_emulator, tmp_path) -> None:
    made = make_generated(own_emulator, "chart.csv", 3000)
    doc = tmp_path / "notes.txt"
    doc.write_text("hello files\n")
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await app.client.files.upload(doc)
        screen = await open_files(app, pilot, 2)
        assert [f["filename"] for f in screen.files] == ["notes.txt", "chart.csv"]
        shown = screen_text(app)
        assert "notes.txt" in shown and "chart.csv" in shown and "text/plain" in shown
        detail = str(screen.query_one("#file-detail").render())
        assert "attach as a document block" in detail and "cannot be downloaded" in detail
        await pilot.press("down")
        await pilot.pause(0.05)
        detail = str(screen.query_one("#file-detail").render())
        assert made["id"] in detail and "2.9 KB (3,000 bytes)" in detail
        assert "download   yes" in detail


async def test_pages_load_lazily_as_the_cursor_nears_the_end(make_app, own_emulator) -> None:
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        for i in range(130):
            make_generated(own_emulator, f"f{i:03}.txt", 10, "text/plain")
        screen = await open_files(app, pilot, 100)
        await wait_until(pilot, lambda: len(screen.files) == 100)
        await pilot.pause(0.2)
        assert len(screen.files) == 100 and not screen.loaded_all
        assert "100+ (more as you scroll)" in str(screen.query_one("#files-status").render())
        screen.query_one(DataTable).move_cursor(row=85)
        await wait_until(pilot, lambda: len(screen.files) == 130)
        assert screen.loaded_all and screen.query_one(DataTable).row_count == 130
        assert len({f["id"] for f in screen.files}) == 130


async def test_sorting_loads_every_page_first(make_app, own_emulator) -> None:
    for i in range(130):
        make_generated(own_emulator, f"g{i:03}.txt", 2000 - i, "text/plain")
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_files(app, pilot, 100)
        assert not screen.loaded_all
        await pilot.press("3")  # by size, largest first: the largest is on page 2
        await wait_until(pilot, lambda: screen.loaded_all and len(screen.shown) == 130)
        assert screen.shown[0]["filename"] == "g000.txt"  # the oldest: listed last by the API
        assert screen.query_one(DataTable).row_count == 130
        assert "130 files · sorted by size, largest first" in str(
            screen.query_one("#files-status").render())


async def test_coming_back_shows_new_files_and_keeps_the_cursor(make_app, own_emulator) -> None:
    make_generated(own_emulator, "one.txt", 10, "text/plain")
    two = make_generated(own_emulator, "two.txt", 10, "text/plain")
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_files(app, pilot, 2)
        await pilot.press("down", "up")  # on two.txt (newest)
        assert screen.current()["id"] == two["id"]
        await pilot.press("u")  # a dialog over the pane is not "away": no reload
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UploadScreen")
        generation = screen._generation
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen._generation == generation
        await app.switch_mode("compose")
        await pilot.pause(0.1)
        make_generated(own_emulator, "three.txt", 10, "text/plain")  # made while away
        await app.switch_mode("files")
        await wait_until(pilot, lambda: len(screen.files) == 3)
        assert screen.files[0]["filename"] == "three.txt"
        assert screen.current()["id"] == two["id"]


async def test_sort_and_filter(make_app, own_emulator) -> None:
    for name, size in (("beta.txt", 50), ("alpha.pdf", 500), ("gamma.png", 5)):
        make_generated(own_emulator, name, size, {"txt": "text/plain", "pdf": "application/pdf",
                                                  "png": "image/png"}[name[-3:]])
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_files(app, pilot, 3)
        names = lambda: [f["filename"] for f in screen.shown]  # noqa: E731
        assert names() == ["gamma.png", "alpha.pdf", "beta.txt"]  # newest first
        await pilot.press("1")
        assert names() == ["alpha.pdf", "beta.txt", "gamma.png"]
        assert "Name ▲" in screen_text(app)
        await pilot.press("1")
        assert names() == ["gamma.png", "beta.txt", "alpha.pdf"]
        await pilot.press("3")
        assert names() == ["alpha.pdf", "beta.txt", "gamma.png"]  # biggest first
        await pilot.press("2")
        assert names()[0] == "alpha.pdf"  # application/pdf < image/png < text/plain
        await pilot.press("slash")
        await pilot.press("b", "e", "t")
        await wait_until(pilot, lambda: names() == ["beta.txt"])  # once typing pauses
        assert "1 of 3 files match 'bet'" in str(screen.query_one("#files-status").render())
        await pilot.press("enter", "escape")
        assert len(names()) == 3 and screen.sort is None


async def test_filter_waits_for_a_pause_in_typing_and_enter_applies_it_at_once(
        make_app, own_emulator, monkeypatch) -> None:
    """Up to 10,000 rows are rebuilt per filter: once per pause, not once per key."""
    monkeypatch.setattr("workbench.ui.screens.list_pane.FILTER_DELAY", 0.5)  # longer than a pause on a loaded machine
    for name in ("alpha.txt", "alpine.txt", "beta.txt"):
        make_generated(own_emulator, name, 10, "text/plain")
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_files(app, pilot, 3)
        rebuilds = []
        render = screen._render_rows
        screen._render_rows = lambda *a, **k: (rebuilds.append(screen.filter_text),
                                               render(*a, **k))
        await pilot.press("slash", "a", "l", "p", "h")
        assert rebuilds in ([], ["alph"])  # never a rebuild per key (a slow pause may pass the delay)
        await wait_until(pilot, lambda: rebuilds == ["alph"])
        assert [f["filename"] for f in screen.shown] == ["alpha.txt"]
        assert "1 of 3 files match 'alph'" in str(screen.query_one("#files-status").render())
        # Enter applies what was typed without waiting; escape clears it all at once
        await pilot.press("backspace", "backspace", "enter")
        assert rebuilds[-1] == "al" and len(screen.shown) == 2
        await pilot.press("escape")
        await pilot.pause(0.7)  # past the debounce: a stale timer would have fired
        assert screen.filter_text == "" and len(screen.shown) == 3
        assert rebuilds.count("al") == 1  # the timer of the Enter'd text did not fire again


async def test_upload_then_attach_puts_a_document_block_in_the_request(
        make_app, own_emulator, tmp_path) -> None:
    doc = tmp_path / "report.txt"
    doc.write_text("quarterly numbers\n" * 1000)
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_files(app, pilot)
        meta = await upload_via_dialog(app, pilot, doc)
        assert meta["filename"] == "report.txt" and meta["size_bytes"] == doc.stat().st_size
        assert raw_bytes(own_emulator, meta["id"]) == doc.read_bytes()
        assert screen.current()["id"] == meta["id"]
        assert any("uploaded report.txt" in n.message for n in app._notifications)
        await pilot.press("a")
        await wait_until(pilot, lambda: app.current_mode == "compose")
        expected = {"type": "document", "source": {"type": "file", "file_id": meta["id"]},
                    "title": "report.txt"}
        await wait_until(pilot, lambda: expected in app.composer_draft().to_request(
            "2023-06-01")["messages"][-1]["content"])
        await wait_until(pilot, lambda: "📎 report.txt (" in screen_text(app)
                         and meta["id"][:12] in screen_text(app))  # named, id cut


async def test_attach_image_and_refuse_other_types(make_app, own_emulator) -> None:
    png = make_generated(own_emulator, "plot.png", 100, "image/png")
    make_generated(own_emulator, "data.csv", 100, "text/csv")
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await open_files(app, pilot, 2)
        await pilot.press("a")  # data.csv is first (newest)
        await wait_until(pilot, lambda: any("text/csv: only PDF and plain text" in n.message
                                            or "is text/csv" in n.message
                                            for n in app._notifications))
        assert app.current_mode == "files"
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: app.current_mode == "compose")
        blocks = app.composer_draft().to_request("2023-06-01")["messages"][-1]["content"]
        assert {"type": "image", "source": {"type": "file", "file_id": png["id"]}} in blocks
        await wait_until(pilot, lambda: "📎 plot.png (" in screen_text(app))  # named, no title sent


async def test_upload_refuses_missing_path_folder_and_too_large(
        make_app, own_emulator, tmp_path) -> None:
    big = tmp_path / "huge.pdf"
    with big.open("wb") as out:
        out.truncate(500 * 1024 * 1024 + 1)  # sparse: no disk used
    odd = tmp_path / "blob.weird"
    odd.write_bytes(b"\0\1")
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await open_files(app, pilot)
        sent_before = len(app.client.recorder.exchanges)
        await pilot.press("u")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UploadScreen")
        field = app.screen.query_one("#upload-path", Input)
        for value, expected in ((str(tmp_path / "nope.txt"), "no such file"),
                                (str(tmp_path), "is a folder"),
                                (str(big), "over the Files API limit of 500.0 MB"),
                                (str(odd), "unknown file type")):
            field.value = value
            await pilot.pause(0.05)
            await pilot.press("enter")
            await wait_until(pilot, lambda e=expected: e in note_of(app) and not app.screen.busy)
            assert "-error" in app.screen.query_one(".dialog-note").classes
            assert type(app.screen).__name__ == "UploadScreen"
        posts = [e for e in app.client.recorder.exchanges[sent_before:] if e.method == "POST"]
        assert posts == []  # nothing was sent
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "FilesScreen")


async def test_path_input_completes_with_tab(make_app, own_emulator, tmp_path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "q3-summary.txt").write_text("x")
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await open_files(app, pilot)
        await pilot.press("u")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UploadScreen")
        field = app.screen.query_one("#upload-path", Input)
        field.value = str(tmp_path / "rep")
        field.cursor_position = len(field.value)
        await wait_until(pilot, lambda: field._suggestion.endswith("reports/"))
        await pilot.press("tab")
        assert field.value == str(tmp_path / "reports") + "/"
        await wait_until(pilot, lambda: field._suggestion.endswith("q3-summary.txt"))
        await pilot.press("tab")
        assert field.value.endswith("reports/q3-summary.txt")
        await wait_until(pilot, lambda: "q3-summary.txt · 1 B · text/plain" in note_of(app))


async def test_download_with_progress_and_not_downloadable(
        make_app, own_emulator, tmp_path) -> None:
    made = make_generated(own_emulator, "result.csv", 3 * 1024 * 1024 + 7)
    up = tmp_path / "mine.txt"
    up.write_text("mine")
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await app.client.files.upload(up)
        screen = await open_files(app, pilot, 2)
        assert screen.current()["filename"] == "mine.txt"
        sent_before = len(app.client.recorder.exchanges)
        await pilot.press("s")
        await wait_until(pilot, lambda: any(
            "uploaded files cannot be downloaded; only files created by tools or skills "
            "can be" in n.message for n in app._notifications))
        assert type(app.screen).__name__ == "FilesScreen"
        assert len(app.client.recorder.exchanges) == sent_before  # refused locally
        await pilot.press("down", "s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DownloadScreen")
        dest = tmp_path / "out"
        dest.mkdir()
        app.screen.query_one("#download-path", Input).value = str(dest)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, timeout=20)
        saved = dest / "result.csv"
        assert saved.read_bytes() == raw_bytes(own_emulator, made["id"])
        await wait_until(pilot, lambda: any(f"saved {saved}" in n.message
                                            for n in app._notifications))
        # a second download to the same place asks for 'overwrite'
        await pilot.press("s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DownloadScreen")
        app.screen.query_one("#download-path", Input).value = str(saved)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "exists; tick 'overwrite'" in note_of(app))


async def test_download_of_a_vanished_file_is_a_readable_error(
        make_app, own_emulator, tmp_path) -> None:
    made = make_generated(own_emulator, "vanishing.csv", 100)
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await open_files(app, pilot, 1)
        await app.client.files.delete(made["id"])  # gone behind the pane's back
        await pilot.press("s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DownloadScreen")
        app.screen.query_one("#download-path", Input).value = str(tmp_path / "v.csv")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "download failed" in note_of(app))
        assert "not found" in note_of(app).lower() and "req_" in note_of(app)
        assert not (tmp_path / "v.csv").exists()
        assert list(tmp_path.glob(".v.csv.*")) == []  # no half-written temp file either


async def test_delete_with_confirm_and_unknown_id(make_app, own_emulator) -> None:
    keep = make_generated(own_emulator, "keep.txt", 10, "text/plain")
    gone = make_generated(own_emulator, "gone.txt", 10, "text/plain")
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_files(app, pilot, 2)
        assert screen.current()["id"] == gone["id"]
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("escape")  # "no": nothing deleted
        await wait_until(pilot, lambda: app.screen is screen)
        assert len(screen.files) == 2
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: len(screen.files) == 1)
        assert screen.files[0]["id"] == keep["id"]
        assert "gone.txt" not in screen_text(app)
        listed = await app.client.files.list()
        assert [f.id for f in listed.data] == [keep["id"]]
        # the deleted id, looked up by id: a readable error with the request id
        await pilot.press("slash")
        screen.query_one("#files-filter", Input).value = gone["id"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("no file" in n.message for n in app._notifications))
        message = next(n.message for n in app._notifications if "no file" in n.message)
        assert "not found" in message.lower() and "req_" in message


async def test_files_palette_lists_every_action(make_app, own_emulator) -> None:
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_files(app, pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        for title in ("Files: attach to composer", "Files: upload", "Files: download",
                      "Files: delete", "Files: sort by size", "Files: filter", "Files: refresh"):
            assert title in titles
        await pilot.press("f1")  # help for the focused widget: the table
        await wait_until(pilot, lambda: "Files stored with the Files API" in screen_text(app))
        bindings = {b.binding.id for b in screen.active_bindings.values()}
        assert {"files.attach", "files.upload", "files.download", "files.delete",
                "files.sort_size", "files.filter", "files.refresh"} <= bindings


def test_path_completion_rules(tmp_path, monkeypatch) -> None:
    from workbench.ui.widgets.path_input import _complete

    (tmp_path / "alpha").mkdir()
    (tmp_path / "alpine.txt").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    base = str(tmp_path)
    assert _complete(base + "/alp", False) is None  # two matches, nothing in common to add
    assert _complete(base + "/al", False) == base + "/alp"  # their common part
    assert _complete(base + "/alp", True) == base + "/alpha/"  # folders only
    assert _complete(base + "/alpi", False) == base + "/alpine.txt"
    assert _complete(base + "/", False) is None  # hidden names are not offered on an empty part
    assert _complete(base + "/.h", False) == base + "/.hidden"
    assert _complete(base + "/nope/x", False) is None
    monkeypatch.setenv("HOME", base)
    assert _complete("~/alpi", False) == "~/alpine.txt"  # ~ kept as typed



def sha_of_remote(base_url: str, file_id: str) -> str:
    import hashlib

    digest = hashlib.sha256()
    req = urllib.request.Request(f"{base_url}/_emulator/files/{file_id}/raw",
                                 headers={"x-api-key": "sk-ant-test-control"})
    with urllib.request.urlopen(req, timeout=30) as r:
        while chunk := r.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def sha_of(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


async def test_big_upload_progress_is_throttled_and_bytes_match(
        make_app, own_emulator, tmp_path) -> None:
    import os
    import time

    from workbench.ui.widgets.transfer_progress import TransferProgress

    big = tmp_path / "big.csv"
    with big.open("wb") as out:
        for _ in range(96):
            out.write(os.urandom(1024) * 1024)  # 96 MB, not all zeros
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_files(app, pilot)
        await pilot.press("u")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UploadScreen")
        bar = app.screen.query_one(TransferProgress)
        app.screen.query_one("#upload-path", Input).value = str(big)
        started = time.monotonic()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and screen.files, timeout=60)
        elapsed = time.monotonic() - started
        assert bar.total is not None and bar.done == bar.total  # the last callback is drawn
        assert bar.done >= big.stat().st_size  # the multipart body: the file plus its headers
        assert 1 <= bar.updates <= elapsed * 10 + 3, (bar.updates, elapsed)
        meta = screen.files[0]
        assert meta["size_bytes"] == big.stat().st_size
        assert sha_of_remote(own_emulator, meta["id"]) == sha_of(big)


async def test_cancel_mid_upload_stores_nothing(make_app, own_emulator, tmp_path) -> None:
    import asyncio

    from workbench.ui.widgets.transfer_progress import TransferProgress

    big = tmp_path / "huge.csv"
    with big.open("wb") as out:
        out.truncate(400 * 1024 * 1024)  # sparse
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_files(app, pilot)
        await pilot.press("u")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UploadScreen")
        dialog = app.screen
        bar = dialog.query_one(TransferProgress)
        dialog.query_one("#upload-path", Input).value = str(big)
        dialog._go()  # not through Pilot: its idle waits let the whole body go first
        for _ in range(2000):
            if bar.done > 0:
                break
            await asyncio.sleep(0.005)
        dialog.action_cancel()  # what Escape does
        assert 0 < bar.done < bar.total
        await wait_until(pilot, lambda: "cancelled" in note_of(app))
        assert app.screen is dialog and not dialog.busy  # the dialog stays, ready again
        await pilot.pause(0.5)
        assert (await app.client.files.list()).data == []  # nothing stored
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)


async def test_cancel_after_every_byte_was_sent_says_it_may_be_stored(
        make_app, own_emulator, tmp_path) -> None:
    doc = tmp_path / "small.txt"
    doc.write_text("x" * 1000)
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_files(app, pilot)
        await pilot.press("u")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "UploadScreen")
        dialog = app.screen
        dialog.query_one("#upload-path", Input).value = str(doc)
        # as if the body were all sent and the answer not yet back when Escape comes
        dialog.busy = True
        from workbench.ui.widgets.transfer_progress import TransferProgress

        bar = dialog.query_one(TransferProgress)
        bar.done, bar.total = 1200, 1200
        dialog.action_cancel()
        assert "may have stored it" in note_of(app)
        generation = screen._generation
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen._generation == generation + 1  # the list reloads to show what is there


def test_files_snapshot(snap_compare, make_app, make_emulator, monkeypatch) -> None:
    """Emulator ids and times are random: the shown id and the dates are frozen."""
    from workbench.ui.widgets import files_data

    monkeypatch.setattr(files_data, "when", lambda stamp: "2026-11-25 09:00" if stamp else "-")
    monkeypatch.setattr(files_data, "shown_id", lambda file_id: "file_011CexampleFileId0001")
    url = make_emulator(tokens_per_second=None)
    for name, size, mime in (("sales-2026-q3.csv", 123456, "text/csv"),
                             ("chart.png", 45678, "image/png"),
                             ("summary.pdf", 2345678, "application/pdf"),
                             ("notes.txt", 1200, "text/plain")):
        make_generated(url, name, size, mime)
    app = make_app(url)

    async def run_before(pilot) -> None:
        await open_files(pilot.app, pilot, 4)
        pilot.app._set_status("emulator")
        await pilot.press("down")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(140, 42), run_before=run_before)


@pytest.mark.parametrize("mime", ["image/png", "image/webp", "application/pdf", "text/plain",
                                  "text/csv", "image/svg+xml", "application/zip", ""])
def test_the_files_pane_and_the_composer_agree_on_what_can_be_attached(mime: str) -> None:
    """One rule (services.files.block_kind): what the pane offers to attach, the composer takes."""
    from workbench.services.draft import Attachment, DraftError
    from workbench.services.files import use_of

    offered = use_of(mime).startswith("attach as")
    try:
        Attachment.from_file("file_011Cx", mime, "x")
    except DraftError:
        taken = False
    else:
        taken = True
    assert offered == taken
