"""One watcher for workers: a worker of any node that ends in an unexpected exception reaches
the user as a notice and the log file as a traceback, with no key in either; the app goes on."""

from __future__ import annotations

import pytest

from tests.ui.conftest import wait_until
from workbench import paths

SECRET = "sk-ant-api03-" + "Q" * 40 + "WXYZ"


def failing(text: str):
    async def work() -> None:
        raise RuntimeError(text)

    return work


@pytest.mark.parametrize("where", ["app", "screen", "widget"])
async def test_a_failed_worker_is_a_notice_and_a_log_line(make_app, where) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        node = {"app": app, "screen": app.screen,
                "widget": app.screen.query_one("#transcript")}[where]
        node.run_worker(failing(f"[bold]lost[/] with key {SECRET} in x-api-key"),
                        name="exploding", exit_on_error=False)

        def notices() -> list:
            return [n for n in app.notices.entries if n.title == "Unexpected error"]

        await wait_until(pilot, lambda: bool(notices()))
        notice = notices()[0].message
        assert "exploding" in notice and "RuntimeError" in notice
        assert "[bold]lost[/]" in notice  # shown as written: data, not markup
        assert SECRET not in notice and "sk-ant-…WXYZ" in notice
        assert str(paths.log_file()) in notice

        log = paths.log_file().read_text(encoding="utf-8")
        assert "exploding" in log and "RuntimeError" in log and "Traceback" in log
        assert SECRET not in log and "sk-ant-…WXYZ" in log
        assert app.is_running  # the app keeps going
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.current_mode == "models")


async def test_the_clients_own_key_is_masked_whatever_its_shape(make_app) -> None:
    from workbench.api.client import ClaudeClient

    app = make_app()
    odd_key = "corp-gateway-token-1234567890"
    await app.client.aclose()
    app.client = ClaudeClient(api_key=odd_key, base_url=app.client.base_url)
    async with app.run_test(size=(120, 36)) as pilot:
        app.run_worker(failing(f"401 for {odd_key}"), name="odd", exit_on_error=False)
        await wait_until(pilot, lambda: any(n.title == "Unexpected error"
                                            for n in app.notices.entries))
        assert odd_key not in paths.log_file().read_text(encoding="utf-8")
        assert all(odd_key not in n.message for n in app.notices.entries)
        await app.client.aclose()
