"""The inspector shows long SSE event data cut, but copying the Events tab gives every event
whole."""

from __future__ import annotations

from textual.widgets import TabbedContent

from tests.ui.conftest import wait_until


async def test_copying_the_events_gives_them_whole(make_app) -> None:
    from workbench.ui.screens.compose_modals import EVENT_DATA_SHOWN, InspectorScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        await pilot.press(*"Tell me about lighthouses")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None and not compose.session.running)
        events = compose.session.last_result.exchange.events
        long = [data for _, _, data in events if len(data) > EVENT_DATA_SHOWN]
        assert long, "the emulator's message_start is longer than what is shown"
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, InspectorScreen))
        inspector = app.screen
        assert long[0] not in inspector.tabs()["Events"]  # shown cut
        assert long[0][:EVENT_DATA_SHOWN] in inspector.tabs()["Events"]
        inspector.query_one(TabbedContent).active = "tab-events"
        await pilot.pause(0.1)
        await pilot.press("c")
        copied = app.clipboard.splitlines()
        assert len(copied) == len(events)
        for line, (_, name, data) in zip(copied, events, strict=True):
            assert name in line and line.endswith(data)


async def test_the_inspector_shows_this_drafts_run_not_another_panes_request(
        make_app, make_emulator) -> None:
    """After the composer's run another pane sends (here: the Models list); ctrl+o still
    shows the composer's request. With nothing run, it says so; a refused run is shown."""
    from workbench.ui.screens.compose_modals import InspectorScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        await pilot.press("ctrl+o")  # nothing run yet: not the client's last request
        await wait_until(pilot, lambda: "nothing sent from this draft" in " ".join(
            str(n.message) for n in app._notifications))
        await pilot.press(*"Tell me about lighthouses", "ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None
                         and not compose.session.running)
        await app.client.models.list(limit=2)  # another pane's request, after the run
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, InspectorScreen))
        assert "lighthouses" in app.screen.tabs()["Request"]
        assert "/v1/models" not in app.screen.tabs()["Request"]
        await pilot.press("escape")
    refusing = make_app(make_emulator(tokens_per_second=None, fault_rate_529=1.0),
                        max_retries=0)
    async with refusing.run_test(size=(120, 36)) as pilot:
        compose = refusing.screen
        await wait_until(pilot, lambda: compose.settled)
        await pilot.press(*"hello", "ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None
                         and not compose.session.running, timeout=30)
        assert compose.session.last_result.status == "failed"
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(refusing.screen, InspectorScreen))
