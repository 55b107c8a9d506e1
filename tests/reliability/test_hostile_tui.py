"""The hostile server through the TUI (Pilot): every pane that loads from the server ends on
a readable status and an error notice (never "loading…" for ever), and a run in the composer
ends with an error while keeping the text that had arrived."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Static

from tests.reliability.hostile import HostileServer, bomb
from tests.reliability.test_hostile_client import IDLE, deadline_for
from tests.ui.conftest import wait_until

PANES = {  # mode -> its status line
    "models": "#models-status",
    "batches": "#batches-status",
    "files": "#files-status",
    "skills": "#skills-status",
}
# one case per kind of failure for every pane (deadline, size, decoding, depth, a cut with a
# request-id, a refused retry-after), and the rest of the hostile cases for the Models pane
CASES = ["silence", "gzip-bomb", "bad-gzip", "deep-json", "truncated", "retry-after"]
MODELS_ONLY = ["trickle", "html", "bad-json", "wrong-type", "reset", "head-trickle", "huge",
               "deep-error", "html-500", "reset-after-headers", "retry-after-ms"]
RUN_CASES = ["trickle", "cut-stream", "silence", "gzip-bomb", "html", "reset"]


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    bomb()
    with HostileServer() as s:
        yield s


def errors_shown(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


@pytest.mark.parametrize(("mode", "case"), [
    *((mode, case) for mode in sorted(PANES) for case in CASES),
    *(("models", case) for case in MODELS_ONLY),
])
async def test_pane_ends_with_an_error(make_app, server: HostileServer, mode: str,
                                       case: str) -> None:
    app = make_app(server.url(case), deadline=deadline_for(case), stream_idle=IDLE, max_retries=1)
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode(mode)
        screen = app.screen

        def status() -> str:
            return str(screen.query_one(PANES[mode], Static).render())

        await wait_until(pilot, lambda: bool(errors_shown(app))
                         and not status().startswith("loading"), timeout=deadline_for(case) + 15)
        assert "Unexpected error" not in " ".join(str(n.title) for n in app._notifications)


@pytest.mark.parametrize("case", ["pages-cycle", "pages-endless"])
async def test_models_pane_stops_an_endless_list(make_app, server: HostileServer,
                                                 case: str) -> None:
    app = make_app(server.url(case), deadline=deadline_for(case), stream_idle=IDLE)
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("models")
        await wait_until(pilot, lambda: any("could not list models" in m
                                            for m in errors_shown(app)), timeout=30)


@pytest.mark.parametrize("case", RUN_CASES)
async def test_run_ends_and_keeps_what_arrived(make_app, server: HostileServer,
                                               case: str) -> None:
    app = make_app(server.url(case), deadline=deadline_for(case), stream_idle=IDLE, max_retries=1)
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.side_ready and compose.session.loaded)
        compose.turn_list.editors[0].area.text = "hello"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: bool(compose.session.replies))
        reply = compose.session.replies[0]
        await wait_until(pilot, lambda: not compose.session.running, timeout=deadline_for(case) + 15)
        assert reply.status not in ("streaming", "done"), reply.status
        if case in ("trickle", "cut-stream"):
            assert "partial reply" in reply.text
