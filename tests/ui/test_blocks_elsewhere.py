"""History and batch results draw a reply's blocks with the composer's renderer."""

from __future__ import annotations

import json

from tests.ui.conftest import screen_text, wait_until
from tests.ui.test_block_views import CORPUS, plain
from tests.ui.test_history import BASE, app_with, store_class


def _recorded(name: str) -> dict:
    if CORPUS is not None:
        return json.loads((CORPUS / f"{name}.json").read_text())
    return {"id": "msg_1", "type": "message", "role": "assistant", "model": "m",
            "content": [{"type": "server_tool_use", "id": "s1", "name": "bash_code_execution",
                         "input": {"command": "echo 1"}},
                        {"type": "bash_code_execution_tool_result", "tool_use_id": "s1",
                         "content": {"type": "bash_code_execution_result", "stdout": "1\n",
                                     "stderr": "", "return_code": 0, "content": []}}],
            "stop_reason": "end_turn", "usage": {"input_tokens": 1, "output_tokens": 1}}


async def test_history_detail_shows_server_tools_and_sources(tmp_path, emulator_url) -> None:
    from workbench.api.types import Message
    from workbench.ui.widgets.history_detail import RunDetailScreen

    store = store_class()(tmp_path / "h.db")
    message = Message.model_validate(_recorded("m26"))
    store.add_run(request={"model": "m", "max_tokens": 9,
                           "messages": [{"role": "user", "content": "hi"}]},
                  message=message, status="complete", error=None, cost_usd=None, ttft=0.1,
                  duration=0.5, output_tps=80.0, request_id="req_x", profile="default",
                  created_at=BASE)
    run = store.get_run(store.list_runs(limit=1)[0]["id"])
    app = app_with(store, emulator_url)
    async with app.run_test(size=(140, 42)) as pilot:
        app.push_screen(RunDetailScreen(run))
        await wait_until(pilot, lambda: type(app.screen).__name__ == "RunDetailScreen"
                         and bool(app.screen.query("#run-reply")))
        shown = plain(app.screen.query_one("#run-reply").content)
        assert "▼ web search · " in shown and "“latest stable Ruby version 2026”" in shown
        assert "https://www.ruby-lang.org/en/downloads/" in shown
        assert "Sources" in shown and "[1]" in shown
        assert "web search" in screen_text(app)


async def test_batch_result_shows_code_execution(make_app) -> None:
    from workbench.ui.screens.batch_result import ResultScreen
    from workbench.ui.widgets.lines_view import LinesView

    item = {"custom_id": "q1", "result": {"type": "succeeded", "message": _recorded("m21")}}
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        app.push_screen(ResultScreen(item))
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen)
                         and bool(app.screen.query("#result-body")))
        body = app.screen.query_one("#result-body", LinesView)
        await wait_until(pilot, lambda: body.line_count > 3)
        assert "code (bash) · return code 0" in body.text and "stdout" in body.text


async def test_compare_shows_the_server_tool_fold_and_sources(emulator_url) -> None:
    from textual.widgets import Static

    from tests.ui.test_reply_blocks import search_draft
    from workbench.api.client import ClaudeClient
    from workbench.config import Settings
    from workbench.ui.app import WorkbenchApp
    from workbench.ui.screens.compare import CompareScreen

    app = WorkbenchApp(settings=Settings(), client=ClaudeClient(
        api_key="sk-ant-test-key-0000", base_url=emulator_url))
    app.store = None
    async with app.run_test(size=(140, 42)) as pilot:
        await app.push_screen(CompareScreen(search_draft()))
        screen = app.screen
        await wait_until(pilot, lambda: all(c.select.value in screen.choices
                                            for c in screen.columns))
        await pilot.press("r")
        await wait_until(pilot, lambda: not screen.running and all(
            c.result and c.result.status == "complete" for c in screen.columns), timeout=20)
        for column in screen.columns:
            shown = plain(column.query_one(".compare-reply", Static).content)
            assert "▼ web search · 5 results" in shown and "Sources" in shown
