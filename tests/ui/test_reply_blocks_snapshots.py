"""How replies with real blocks look (pytest-textual-snapshot): citations, web search results,
code execution output, a refusal, a paused turn continued. Timings and request-ids (volatile)
are replaced by a fixed line; the folds a user would open are opened."""

from __future__ import annotations

import pytest
from rich.text import Text

from tests.ui.test_reply_blocks import cited_draft, code_draft, run_draft, search_draft
from workbench.services.draft import Draft, Turn

SIZE = (140, 42)


@pytest.fixture(autouse=True)
def fixed_stats(monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.ui.widgets import run_stats

    monkeypatch.setattr(run_stats, "stats_text", lambda result, cost: Text(
        f"{result.status} · stop_reason {getattr(result.message, 'stop_reason', None)} "
        "(timings hidden in the snapshot)"))


async def _show(pilot, reply) -> None:
    from textual.widgets import Collapsible, Static

    from tests.ui.conftest import wait_until

    folds = list(reply.query(Collapsible))
    for fold in folds:
        fold.collapsed = False
    # an opened fold is laid out a frame later: wait until each shows its body
    await wait_until(pilot, lambda: all(f.query(Static).first().size.height > 0 for f in folds))
    pilot.app.set_focus(None)
    pilot.app._set_status("default · api.example")
    screen = pilot.app.screen
    await wait_until(pilot, lambda: "context" in str(screen.query_one("#model-info").render()))
    # the side column done with the run: the limits it answered with shown, the model's
    # options settled (a loaded machine once took the picture between the two)
    await wait_until(pilot, lambda: screen.settled
                     and "limits" in str(screen.query_one("#rate-meter").render()))
    await pilot.pause(0.3)
    screen.transcript.scroll_end(animate=False)
    await pilot.pause(0.2)


async def _after_key(pilot, key: str):
    """Press `key`, which starts a run, and return its finished reply."""
    from tests.ui.conftest import wait_until

    session = pilot.app.composer
    count = len(session.replies)
    await pilot.press(key)
    await wait_until(pilot, lambda: len(session.replies) > count)
    reply = session.replies[-1]
    await wait_until(pilot, lambda: reply.status != "running" and not session.running
                     and bool(reply.query(".reply-body")), timeout=20)
    return reply


def _snap(snap_compare, make_app, draft_of, keys: tuple[str, ...] = ()) -> bool:
    async def before(pilot) -> None:
        reply = await run_draft(pilot, draft_of())
        for key in keys:
            reply = await _after_key(pilot, key)
        await _show(pilot, reply)

    return snap_compare(make_app(), terminal_size=SIZE, run_before=before)


def test_reply_with_citations(snap_compare, make_app) -> None:
    assert _snap(snap_compare, make_app, cited_draft)


def test_reply_with_web_search_results(snap_compare, make_app) -> None:
    assert _snap(snap_compare, make_app, search_draft)


def test_reply_with_code_execution(snap_compare, make_app) -> None:
    def draft() -> Draft:  # no file: its id would change on every run
        d = code_draft()
        d.turns[0].text = "Calculate 3 * 12390 with Python"
        return d

    assert _snap(snap_compare, make_app, draft)


def test_reply_refused(snap_compare, make_app) -> None:
    assert _snap(snap_compare, make_app, lambda: Draft(
        model="claude-haiku-4-5", turns=[Turn("user", "Tell me a secret emulator:refusal")]))


def test_paused_turn_continued(snap_compare, make_app) -> None:
    assert _snap(snap_compare, make_app,
                 lambda: search_draft("Tides in Brest emulator:pause_turn"), keys=("alt+g",))
