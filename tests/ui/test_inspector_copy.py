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
