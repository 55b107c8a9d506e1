"""Issue 13's pictures at 120x36 and 80x24: the maximised reply, the notices log, the models
picker with prices, and the top bar with the session's and today's totals."""

from __future__ import annotations

import pytest

from tests.ui.conftest import wait_until

SIZES = {"120x36": (120, 36), "80x24": (80, 24)}
TOTALS = "$0.0123 session · $0.4500 today"
REPLY = ("Here is a small function:\n\n```python\ndef is_palindrome(text: str) -> bool:\n"
         "    cleaned = [c.lower() for c in text if c.isalnum()]\n"
         "    return cleaned == cleaned[::-1]\n```\n\nIt ignores case and punctuation.\n")


async def _compose_ready(pilot) -> None:
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.settled)
    await wait_until(pilot, lambda: "context" in str(screen.query_one("#model-info").render()))


def _pin(app) -> None:
    app._set_status("default · api.example")
    app._show_costs(TOTALS)


@pytest.mark.parametrize("size", SIZES)
def test_maximised_reply(snap_compare, make_app, size) -> None:
    async def before(pilot) -> None:
        app = pilot.app
        await _compose_ready(pilot)
        screen = app.screen
        reply = screen.transcript.add_reply("claude-sonnet-5-5", 1)  # fixed text, no timings
        reply.add_text(REPLY)
        await wait_until(pilot, lambda: reply.is_mounted)
        await reply.finish("complete")
        await pilot.press("alt+v", "alt+m")
        await wait_until(pilot, lambda: screen.maximized is screen.transcript)
        screen.transcript.scroll_home(animate=False)
        _pin(app)
        await pilot.pause(0.2)

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=before)


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch):
    """The log's clock times the same on every machine."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("size", SIZES)
def test_notices_log(snap_compare, make_app, size, utc) -> None:
    from workbench.services.notices import Notice

    async def before(pilot) -> None:
        app = pilot.app
        await _compose_ready(pilot)
        app.clear_notifications()
        at = 1_800_000_000.0
        for notice in (
            Notice("opened in the composer (library:weather-review v2)", at=at),
            Notice("temperature must be between 0 and 1\nFix it in the composer's parameters "
                   "(alt+p).", "Not sent", "error", at + 5),
            Notice("529 overloaded: retrying in 1.0 s", "Retrying", "warning", at + 9),
        ):
            app.notices.add(notice)
        await pilot.press("alt+n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NoticesScreen")
        await pilot.pause(0.2)

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_models_picker_with_prices(snap_compare, make_app, size) -> None:
    async def before(pilot) -> None:
        app = pilot.app
        await _compose_ready(pilot)
        await app.switch_mode("models")
        await wait_until(pilot, lambda: "per MTok" in str(
            app.screen.query_one("#model-detail").render()))
        app.screen.query_one("#models-status").update("12 models from api.example")
        _pin(app)
        await pilot.pause(0.2)

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_top_bar_with_totals(snap_compare, make_app, size) -> None:
    async def before(pilot) -> None:
        await _compose_ready(pilot)
        _pin(pilot.app)
        await pilot.pause(0.3)

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=before)
