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
                await pilot.pause(0.2)
                shown.append(screen_text(app))
                if app.screen is curl:
                    await pilot.press("escape")
            # every pane
            for mode in ("models", "files", "skills", "batches", "history", "library", "keys"):
                await app.switch_mode(mode)
                await pilot.pause(0.4)
                shown.append(screen_text(app))
                assert app.is_running, mode
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
    written = 0
    for path in isolated_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            written += len(data)
            found = [w for w in windows(KEY) if w.encode() in data]
            assert not found, f"{path} holds the key ({found[:1]})"
    assert written > 0
