"""UI fixtures: an app wired to the emulator through an injected client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest


@pytest.fixture
def make_app(emulator_url: str) -> Callable:
    """Build a WorkbenchApp with its own client to `base_url` (default: the session emulator)."""
    from workbench.api.client import ClaudeClient
    from workbench.config import Profile, Settings
    from workbench.ui.app import WorkbenchApp

    def build(base_url: str | None = None, api_version: str = "2023-06-01",
              theme: str | None = None, **client_kwargs):
        settings = Settings()
        if theme:
            settings.theme = theme
        settings.profiles["default"] = Profile("default", base_url or emulator_url, api_version)
        client = ClaudeClient(api_key="sk-ant-test-key-0000", base_url=base_url or emulator_url,
                              api_version=api_version, **client_kwargs)
        return WorkbenchApp(settings=settings, client=client)

    return build


POLL = 0.02


async def open_and_wait(app, pilot, draft) -> None:
    """Open a draft in the composer and wait until its turns and tools are in the editors (the
    editors are mounted asynchronously: a fixed pause flaked on a loaded machine)."""
    screen = app.screen
    screen.open_draft(draft)
    await wait_until(pilot, lambda: app.composer.draft is draft
                     and [e.area.text for e in screen.turn_list.editors]
                     == [t.text for t in draft.turns]
                     and screen.params.query_one("#tools").text == draft.tools_json)


async def wait_until(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll every 20 ms, `timeout` seconds' worth of polls (more on a loaded machine): the one
    way the UI tests wait for something to happen, instead of a fixed pause."""
    for _ in range(int(timeout / POLL)):
        if condition():
            return
        await pilot.pause(POLL)
    raise AssertionError("condition not met in time")


def tabs_settled(app) -> bool:
    """Every Tabs' underline is under its active tab: after a relabel it moves a frame later,
    and a snapshot taken before that depends on the machine's load."""
    for tabs in app.screen.query("Tabs"):
        active = tabs.active_tab
        if active is None:
            continue
        underline = tabs.query_one("Underline")
        span = active.virtual_region.shrink(active.styles.gutter).column_span
        if (underline.highlight_start, underline.highlight_end) != span:
            return False
    return True


@pytest.fixture
async def anyio_backend() -> AsyncIterator[str]:
    yield "asyncio"


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text lines. Rendered here, outside a
    refresh, a widget mounted a moment ago may not have its styles yet: then nothing is shown
    (a `wait_until` polls again)."""
    try:
        strips = app.screen._compositor.render_strips()
    except KeyError:  # "No 'text-area--gutter' key in COMPONENT_CLASSES": styles pending
        return ""
    return "\n".join(strip.text for strip in strips)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes pictures differ from run to run."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(TextArea, "cursor_blink", False)
    monkeypatch.setattr(Input, "cursor_blink", False)


def _cell_width(cell) -> int:
    from rich.cells import cell_len
    from rich.text import Text

    text = cell.plain if isinstance(cell, Text) else str(cell)
    return max((cell_len(line) for line in text.splitlines()), default=0)


def tables_measured(app) -> bool:
    """Every DataTable has measured its rows (it does so when idle: until then its auto-width
    columns are as wide as their headers) and every flexible table has fitted its columns."""
    from textual.widgets import DataTable

    from workbench.ui.widgets.flex_table import FlexTable

    for table in app.screen.query(DataTable):
        if isinstance(table, FlexTable) and not table.settled:
            return False
        if table.row_count > 200:
            continue  # big tables: measured while scrolling, not worth checking here
        for index, column in enumerate(table.ordered_columns):
            if not column.auto_width:
                continue
            widest = max((_cell_width(table.get_row_at(row)[index])
                          for row in range(table.row_count)), default=0)
            if column.content_width < widest:
                return False
    return True


@pytest.fixture
def snap_compare(snap_compare, request):
    """The plugin's snap_compare, taking the picture once the tables have measured their rows
    and fitted their columns (they do it when idle: a loaded machine drew them mid-way)."""

    def compare(app, *args, run_before=None, **kwargs):
        seen: list[str] = []

        async def before(pilot) -> None:
            if run_before is not None:
                await run_before(pilot)
            await wait_until(pilot, lambda: tables_measured(pilot.app))
            await pilot.pause()
            seen.append(pilot.app.export_screenshot())

        same = snap_compare(app, *args, run_before=before, **kwargs)
        if not same and seen:  # CI shows only the report's path: say what differed
            _print_text_diff(request.node, seen[-1])
        return same

    return compare


def _svg_lines(svg: str) -> list[str]:
    """The text of a Textual screenshot, line by line (cells grouped by their y)."""
    import html
    import re

    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(r'<text class="terminal-(?:[\w-]*-)?r\d+" x="([\d.]+)" y="([\d.]+)"'
                                 r'[^>]*>([^<]*)</text>', svg):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text)))
    return ["".join(t for _, t in sorted(cells)).replace("\xa0", " ").rstrip()
            for _, cells in sorted(rows.items())]


def _print_text_diff(node, actual_svg: str) -> None:
    import difflib
    from pathlib import Path

    expected = Path(node.path).parent / "__snapshots__" / node.path.stem / f"{node.name}.svg"
    if not expected.exists():
        return
    diff = difflib.unified_diff(_svg_lines(expected.read_text()), _svg_lines(actual_svg),
                                "expected", "actual (just before the picture)", lineterm="")
    print("\n".join(diff))
