"""Code export (curl / Python / TypeScript) and curl import through the UI."""

from __future__ import annotations

from tests.ui.conftest import wait_until
from workbench.api.client import ClaudeClient
from workbench.config import Settings
from workbench.services.draft import Draft, Turn
from workbench.ui.app import WorkbenchApp

KEY = "sk-ant-test-key-0000"


def make_app(url: str) -> WorkbenchApp:
    app = WorkbenchApp(settings=Settings(), client=ClaudeClient(api_key=KEY, base_url=url))
    app.store = None
    return app


def draft() -> Draft:
    return Draft(model="claude-haiku-5-5", system="Be brief.",
                 turns=[Turn("user", "Name three rivers")], max_tokens=300)


async def open_export(app, pilot):
    from workbench.ui.screens.export import ExportScreen

    await app.push_screen(ExportScreen(draft()))
    screen = app.screen
    await wait_until(pilot, lambda: screen.query_one("#code").code)
    return screen


async def test_export_tabs_stream_copy_save(emulator_url, tmp_path) -> None:
    app = make_app(emulator_url)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_export(app, pilot)
        view = screen.query_one("#code")
        curl = view.code
        assert curl.startswith("curl") and "claude-haiku-5-5" in curl
        assert "$ANTHROPIC_API_KEY" in curl and KEY not in curl
        assert "Name three rivers" in curl

        await pilot.press("2")
        await wait_until(pilot, lambda: "import anthropic" in view.code
                         or "from anthropic" in view.code)
        python = view.code
        assert "claude-haiku-5-5" in python and KEY not in python

        await pilot.press("s")  # streaming on
        await wait_until(pilot, lambda: view.code != python)
        assert "stream" in view.code and KEY not in view.code

        await pilot.press("3")
        await wait_until(pilot, lambda: "@anthropic-ai/sdk" in view.code)
        assert "claude-haiku-5-5" in view.code and KEY not in view.code

        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # the OSC 52 path; the terminal is not real here
        await pilot.press("c")
        assert copied == [view.code]

        target = tmp_path / "request.ts"
        await pilot.press("w")
        box = screen.query_one("#save-path")
        box.value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, target.exists)
        assert target.read_text(encoding="utf-8") == view.code

        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is not screen)


async def test_export_base_url_from_profile_when_not_default(emulator_url) -> None:
    app = make_app(emulator_url)
    app.settings.profiles["default"].base_url = "http://proxy.internal:8080"
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_export(app, pilot)
        assert "http://proxy.internal:8080" in screen.query_one("#code").code


async def test_curl_import_fills_composer_and_bad_command_errors(emulator_url) -> None:
    app = make_app(emulator_url)
    command = (
        "curl https://api.anthropic.com/v1/messages \\\n"
        "     --header \"x-api-key: $ANTHROPIC_API_KEY\" \\\n"
        "     --header \"anthropic-version: 2023-06-01\" \\\n"
        "     --header \"content-type: application/json\" \\\n"
        "     --data '{\"model\": \"claude-opus-5\", \"max_tokens\": 777, "
        "\"system\": \"Be kind.\", "
        "\"messages\": [{\"role\": \"user\", \"content\": \"Hello from curl\"}]}'"
    )
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ImportCurlScreen")
        screen = app.screen
        screen.query_one("#curl-text").text = "curl https://example.com -d '{not json"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: str(screen.query_one("#curl-error").render()))
        assert "cannot import" in str(screen.query_one("#curl-error").render())
        assert app.screen is screen  # stays open, nothing crashed

        screen.query_one("#curl-text").text = command
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: app.current_mode == "compose" and app.screen is not screen)
        composer = app.screen
        await wait_until(pilot, lambda: composer.session.draft.turns[0].text == "Hello from curl")
        current = composer.session.draft
        assert current.system == "Be kind."
        assert current.max_tokens == 777
        assert current.model == "claude-opus-5"


def test_export_snapshot(snap_compare, emulator_url) -> None:
    app = make_app(emulator_url)

    async def run_before(pilot) -> None:
        await open_export(app, pilot)
        await pilot.press("2")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(140, 42), run_before=run_before)


async def test_export_names_unfilled_variables_and_fills_them(emulator_url) -> None:
    """A request with {{variables}} was exported as written without a word (trial finding)."""
    from textual.widgets import Input

    from tests.ui.conftest import screen_text
    from workbench.ui.screens.export import ExportScreen

    app = make_app(emulator_url)
    async with app.run_test(size=(140, 42)) as pilot:
        templated = Draft(model="claude-haiku-5-5", system="You plan trips to {{city}}.",
                          turns=[Turn("user", "{{days}} days in {{city}}, please")])
        await app.push_screen(ExportScreen(templated))
        screen = app.screen
        await wait_until(pilot, lambda: screen.query_one("#code").code)
        await pilot.pause(0.1)
        shown = screen_text(app)
        assert "unfilled variables {{city}}, {{days}}" in shown, shown
        await wait_until(pilot, lambda: "f Fill variables" in screen_text(app))  # the footer
        assert "{{city}}" in screen.query_one("#code").code  # as-is until filled

        await pilot.press("f")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "VariablesScreen")
        dialog = app.screen
        dialog.query_one("#var-0", Input).value = "Oslo"
        dialog.query_one("#var-1", Input).value = "3"
        dialog.query_one("#var-1", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: "3 days in Oslo" in screen.query_one("#code").code)
        await pilot.pause(0.1)
        assert "{{" not in screen.query_one("#code").code
        shown = screen_text(app)
        assert "unfilled" not in shown and "variables filled in" in shown
        assert "Fill variables" not in shown


async def test_export_without_variables_shows_no_warning(emulator_url) -> None:
    app = make_app(emulator_url)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_export(app, pilot)
        assert not screen.query_one("#export-warning").display
        assert screen.unfilled == []
