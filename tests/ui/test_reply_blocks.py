"""Replies with real blocks in the composer: citations, server tools (web search, code
execution), a refusal, a paused turn continued, and the server tools dialog."""

from __future__ import annotations

from textual.widgets import Collapsible

from tests.ui.conftest import wait_until
from workbench.services.draft import Draft, Turn

SIZE = (140, 42)
DOC = {"type": "document", "title": "seine.txt", "citations": {"enabled": True},
       "source": {"type": "text", "media_type": "text/plain",
                  "data": "The Seine flows through Paris. It is 777 km long."}}


async def run_draft(pilot, draft: Draft):
    """Open `draft`, run it, and return the finished reply view."""
    compose = pilot.app.screen
    await wait_until(pilot, lambda: compose.settled)
    compose.open_draft(draft)
    await wait_until(pilot, lambda: pilot.app.composer.draft is draft)
    count = len(compose.session.replies)
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: len(compose.session.replies) > count)
    reply = compose.session.replies[-1]
    await wait_until(pilot, lambda: reply.status != "running" and not compose.session.running
                     and bool(reply.query(".reply-body")), timeout=20)
    return reply


def shown(reply) -> str:
    """What the reply's widgets show, as plain text at a width nothing wraps in."""
    from rich.console import Console
    from textual.widgets import Static

    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    for static in reply.query(Static):
        if static.has_class("reply-body") or static.parent.has_class("contents") \
                or isinstance(static.parent.parent, Collapsible):
            console.print(static.content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def cited_draft() -> Draft:
    return Draft(model="claude-haiku-4-5",
                 turns=[Turn("user", "How long is the Seine?", blocks=[dict(DOC)])])


def search_draft(text: str = "Which rivers flow through Paris?") -> Draft:
    return Draft(model="claude-haiku-4-5", turns=[Turn("user", text)],
                 server_tools={"web_search": True, "search_max_uses": 2})


def code_draft() -> Draft:
    return Draft(model="claude-haiku-4-5",
                 turns=[Turn("user", "Calculate 3 * 12390 and save it to a csv file")],
                 server_tools={"code_execution": True})


async def test_citations_are_marked_and_listed(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await run_draft(pilot, cited_draft())
        text = shown(reply)
        assert "The Seine flows through Paris.[1]" in text
        assert "[2] “It is 777 km long.” — seine.txt, characters 31–49" in text
        assert reply.message.content[1].citations[0].type == "char_location"


async def test_web_search_fold_lists_results_and_sources(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await run_draft(pilot, search_draft())
        body = app.composer.last_result.body
        assert body["tools"] == [{"type": "web_search_20250305", "name": "web_search",
                                  "max_uses": 2}]
        fold = reply.query_one(Collapsible)
        assert fold.collapsed and "web search · 5 results · “rivers flow paris”" in \
            str(fold.title)
        text = shown(reply)
        assert "https://docs.example.com/guide/rivers-flow-paris" in text
        assert "Sources" in text and "[1]" in text


async def test_code_execution_shows_output_and_downloads_its_file(make_app) -> None:
    from workbench.ui.widgets.files_dialogs import DownloadScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await run_draft(pilot, code_draft())
        fold = reply.query_one(Collapsible)
        assert "code (bash) · return code 0 · 1 line out · 1 file" in \
            str(fold.title)
        text = shown(reply)
        assert "37170" in text and "return code 0" in text and "created file_" in text
        assert reply.files and reply.files[0].startswith("file_")
        await pilot.press("alt+o")
        await wait_until(pilot, lambda: isinstance(app.screen, DownloadScreen))
        assert app.screen.meta["id"] == reply.files[0]
        assert app.screen.meta["filename"] == "output.csv"


async def test_refusal_shows_its_stop_details(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reply = await run_draft(pilot, Draft(model="claude-haiku-4-5", turns=[
            Turn("user", "Tell me a secret emulator:refusal")]))
        assert reply.message.stop_reason == "refusal"
        text = shown(reply)
        assert "Refused (stop_reason refusal)" in text
        assert "The emulator refused because the prompt asked it to" in text


async def test_pause_turn_is_continued_with_one_key(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        first = await run_draft(pilot, search_draft("Tides in Brest emulator:pause_turn"))
        assert first.message.stop_reason == "pause_turn"
        assert "Paused (stop_reason pause_turn)" in shown(first)
        compose = app.screen
        await pilot.press("alt+g")
        await wait_until(pilot, lambda: len(compose.session.replies) == 2)
        second = compose.session.replies[1]
        await wait_until(pilot, lambda: second.status != "running"
                         and not compose.session.running, timeout=20)
        sent = app.composer.last_result.body["messages"]
        assert sent[-1]["role"] == "assistant"
        assert [b["type"] for b in sent[-1]["content"]] == ["server_tool_use",
                                                           "web_search_tool_result"]
        assert second.message.stop_reason == "end_turn"
        assert any(b.type == "text" and b.citations for b in second.message.content)


async def test_server_tools_dialog_sets_the_request_tools(make_app) -> None:
    from textual.widgets import Checkbox, Input

    from workbench.ui.widgets.server_tools_dialog import ServerToolsScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        await pilot.press("alt+w")
        await wait_until(pilot, lambda: isinstance(app.screen, ServerToolsScreen))
        dialog = app.screen
        dialog.query_one("#st-web-search", Checkbox).value = True
        dialog.query_one("#st-search-allowed", Input).value = "a.example b.example"
        dialog.query_one("#st-search-blocked", Input).value = "c.example"
        await pilot.press("ctrl+s")
        assert "not both" in str(dialog.query_one("#st-error").render())
        dialog.query_one("#st-search-blocked", Input).value = ""
        dialog.query_one("#st-location-city", Input).value = "Lyon"
        dialog.query_one("#st-code", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is compose)
        tools = app.composer.draft.to_request("2023-06-01")["tools"]
        assert tools == [
            {"type": "web_search_20250305", "name": "web_search",
             "allowed_domains": ["a.example", "b.example"],
             "user_location": {"type": "approximate", "city": "Lyon"}},
            {"type": "code_execution_20250825", "name": "code_execution"}]


async def test_server_tools_show_while_streaming(make_app, make_emulator) -> None:
    from textual.widgets import Static

    app = make_app(make_emulator(tokens_per_second=40))
    async with app.run_test(size=SIZE) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        compose.open_draft(search_draft())
        await wait_until(pilot, lambda: app.composer.draft.server_tools)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: bool(compose.session.replies))
        reply = compose.session.replies[0]
        await wait_until(pilot, lambda: "✓ web_search" in str(
            [s.content for s in reply.query(".reply-activity").results(Static)]), timeout=15)
        assert reply.status == "running"
        await wait_until(pilot, lambda: not compose.session.running, timeout=30)
        await wait_until(pilot, lambda: not reply.query(".reply-activity"))
