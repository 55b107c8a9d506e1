"""Text is data, and the key stays secret, through every pane, dialog and notice.

A hostile server (tests/hostile/server.py) names its models, files, skills and batches with
markup (`[/]`, `[@click=app.quit]`) and terminal escapes (OSC 52 clipboard, CSI 2J, OSC 0
title), and answers every other request with an error that echoes the caller's key in the body
and the headers. The app visits every pane, runs a prompt, opens the inspector and copies from
it, saves a prompt and imports a curl command with hostile names. It must keep running, show
the hostile text literally (no raw ESC in any drawn line) and write the key nowhere: not in a
notice, the clipboard, the screen, nor any byte under the test's home (history database with
its WAL, drafts, error log, settings).
"""

from __future__ import annotations

from pathlib import Path

from tests.hostile.server import HOSTILE, RAW_ESCAPES, hostile_server, windows
from tests.ui.conftest import screen_text, wait_until

# Not `sk-ant-` shaped: only the client's own scrub can catch it.
KEY = "hostile-Key-0123456789abcdefGHIJKLMNOPqrstuvwxyz-SECRET"
WHEN = "2026-10-07T00:00:00Z"
# What each pane shows once it has loaded: the canned list, the saved run and prompt, the profile.
LOADED = {"models": "1 models from", "files": "1 file", "skills": "1 skill", "batches": "1 batch",
          "history": "1 run", "library": "v1 · claude-x", "keys": "●  default"}


def canned() -> dict:
    page = {"has_more": False, "first_id": None, "last_id": None, "next_page": None}
    return {
        "/v1/models": {**page, "data": [{"type": "model", "id": "claude-x" + HOSTILE,
                                         "display_name": HOSTILE, "created_at": WHEN}]},
        "/v1/files": {**page, "data": [{"type": "file", "id": "file_" + HOSTILE,
                                        "filename": HOSTILE + ".txt", "mime_type": "text/plain",
                                        "size_bytes": 3, "created_at": WHEN,
                                        "downloadable": False}]},
        "/v1/skills": {**page, "data": [{"type": "skill", "id": "skill_" + HOSTILE,
                                         "display_title": HOSTILE, "latest_version": "1",
                                         "source": "custom", "created_at": WHEN,
                                         "updated_at": WHEN}]},
        "/v1/messages/batches": {**page, "data": [{
            "type": "message_batch", "id": "msgbatch_" + HOSTILE, "processing_status": "ended",
            "request_counts": {"processing": 0, "succeeded": 1, "errored": 0, "canceled": 0,
                               "expired": 0},
            "created_at": WHEN, "ended_at": WHEN, "expires_at": WHEN, "archived_at": None,
            "cancel_initiated_at": None, "results_url": None}]},
    }


def leaks(text: str) -> list[str]:
    return [w for w in windows(KEY) if w in text]


def assert_no_raw_escape(text: str, where: str) -> None:
    for seq in RAW_ESCAPES:
        assert seq not in text, f"raw {seq!r} in {where}"
    assert "\x1b" not in text and "\x07" not in text, where


async def test_hostile_names_and_an_echoed_key_through_every_pane(isolated_home: Path) -> None:
    from workbench.api.client import ClaudeClient
    from workbench.config import Profile, Settings
    from workbench.ui.app import WorkbenchApp

    with hostile_server(canned()) as url:
        settings = Settings()
        settings.profiles["default"] = Profile("default", url, "2023-06-01")
        client = ClaudeClient(api_key=KEY, base_url=url, api_version="2023-06-01",
                              max_retries=0)
        app = WorkbenchApp(settings=settings, client=client)
        shown: list[str] = []
        async with app.run_test(size=(140, 42)) as pilot:
            compose = app.screen
            await wait_until(pilot, lambda: compose.side_ready)
            # a run: the server answers 401 quoting the key and HOSTILE
            await pilot.press(*"hello")
            await pilot.press("ctrl+r")
            await wait_until(pilot, lambda: compose.session.last_result is not None
                             and not compose.session.running)
            shown.append(screen_text(app))
            # the inspector and its copy
            await pilot.press("ctrl+o")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "InspectorScreen")
            shown.append(screen_text(app))
            for tab in ("request", "response"):
                app.screen.query_one("TabbedContent").active = f"tab-{tab}"
                await pilot.pause(0.05)
                await pilot.press("c")
                await wait_until(pilot, lambda: bool(app.clipboard))
                shown.append(app.clipboard)
            await pilot.press("escape")
            # a prompt saved under a hostile name
            compose.session.set_model("claude-x" + HOSTILE)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "SavePromptScreen")
            app.screen.query_one("#save-name").value = HOSTILE
            await pilot.press("enter", "enter")  # to the note, then save
            await wait_until(pilot, lambda: type(app.screen).__name__ == "ComposeScreen")
            # curl import: a hostile option, then a hostile model
            for command in ("curl --[/]x " + HOSTILE,
                            "curl https://api.anthropic.com/v1/messages -d "
                            "'{\"model\":\"x[/]\\u001b]0;t\\u0007\",\"max_tokens\":5,"
                            "\"messages\":[{\"role\":\"user\",\"content\":\"[/]\"}]}'"):
                await pilot.press("ctrl+g")
                await wait_until(pilot, lambda: type(app.screen).__name__ == "ImportCurlScreen")
                curl = app.screen
                curl.query_one("#curl-text").text = command
                await pilot.press("ctrl+r")
                await wait_until(pilot, lambda curl=curl: "cannot import" in screen_text(app) or (
                    app.screen is not curl and app.composer_draft().model.startswith("x[/]")))
                shown.append(screen_text(app))
                if app.screen is curl:
                    await pilot.press("escape")
            # every pane, once it shows what it loaded (the hostile names, the profile)
            for mode, loaded in LOADED.items():
                await app.switch_mode(mode)
                await wait_until(pilot, lambda loaded=loaded: loaded in screen_text(app))
                shown.append(screen_text(app))
                assert app.is_running, mode
            # a confirmation that quotes a hostile file name, then its failing delete
            await app.switch_mode("files")
            files = app.screen
            await wait_until(pilot, lambda: bool(files.files))
            files.action_delete()  # what d asks
            await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
            shown.append(screen_text(app))
            await pilot.press("y")
            await wait_until(pilot, lambda: app.screen is files)
            await pilot.pause(0.3)
            shown.append(screen_text(app))
            # an unexpected error quoting the key goes to the log file (scanned below)
            app.report_error("a hostile test", RuntimeError(f"echo {KEY} {HOSTILE}"))
            await app.switch_mode("history")
            await wait_until(pilot, lambda: "invalid x-api-key" in screen_text(app)
                             or bool(app.screen.run_ids))
            shown.append(screen_text(app))
            notices = [f"{n.title}\n{n.message}" for n in app._notifications]
            shown.extend(notices)
            assert app.is_running
        client_scrubbed = [w for w in windows(KEY) if any(w in s for s in shown)]
    assert not client_scrubbed, "the key was shown or copied"
    everything = "\n".join(shown)
    assert_no_raw_escape(everything, "the screen, notices or clipboard")
    assert "[@click=app.quit]" in everything and "[/]" in everything  # shown literally
    assert any("invalid x-api-key" in n for n in notices)
    # every byte written under the test's home
    written, scanned = 0, []
    for path in isolated_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            written += len(data)
            scanned.append(path.name)
            found = [w for w in windows(KEY) if w.encode() in data]
            assert not found, f"{path} holds the key ({found[:1]})"
    assert written > 0
    print(f"\nkey scan: {len(shown)} screens/notices/copies ({len(everything):,} chars), "
          f"{len(scanned)} files ({written:,} bytes: {', '.join(sorted(scanned))}), {len(windows(KEY))} windows of the key: 0 found")
    assert any(p.suffix == ".log" or "log" in p.name for p in isolated_home.rglob("*")
               if p.is_file()), "the error log was written (and scanned)"


def test_folder_tree_labels_are_data() -> None:
    from workbench.ui.widgets.files_dialogs import PickTree

    label = PickTree.process_label(None, "[@click=app.quit]quit.txt\x1b]0;t\x07")  # type: ignore[arg-type]
    assert label.plain == "[@click=app.quit]quit.txt" and not label.spans


async def test_a_streamed_reply_with_markup_and_escapes_is_shown_as_data() -> None:
    from tests.hostile.server import hostile_stream
    from workbench.api.client import ClaudeClient
    from workbench.config import Profile, Settings
    from workbench.ui.app import WorkbenchApp

    reply = f"Reply {HOSTILE} end\n\n```\ncode {HOSTILE}\n```\n"
    with hostile_server({"SSE": hostile_stream(reply)}) as url:
        settings = Settings()
        settings.profiles["default"] = Profile("default", url, "2023-06-01")
        client = ClaudeClient(api_key=KEY, base_url=url, max_retries=0)
        app = WorkbenchApp(settings=settings, client=client)
        async with app.run_test(size=(140, 42)) as pilot:
            compose = app.screen
            await wait_until(pilot, lambda: compose.side_ready)
            await pilot.press(*"hello", "ctrl+r")
            await wait_until(pilot, lambda: compose.session.last_result is not None
                             and not compose.session.running)
            assert compose.session.last_result.status == "complete"
            await wait_until(pilot, lambda: "[/]x[@click=app.quit]q[b] end" in screen_text(app))
            shown = screen_text(app)
            assert app.is_running
    assert_no_raw_escape(shown, "the reply view")
    assert "52;c;" not in shown and "pwned" not in shown  # whole sequences gone, payload too
