"""A batch's results: plain previews in the table, Markdown in the single-result view, and
saving from the local cache (no second download) once it holds every result."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import screen_text, wait_until

BODY = {"model": "claude-haiku-4-5", "max_tokens": 60,
        "messages": [{"role": "user", "content": "Tell me about lighthouses"}]}


class CountingApp:
    """ASGI wrapper around the emulator's app: every HTTP request it serves, in order."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[tuple[str, str]] = []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.requests.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)

    def __getattr__(self, name: str) -> Any:  # .state and the rest: the real app's
        return getattr(self.app, name)

    def results_downloads(self) -> int:
        return sum(1 for _, path in self.requests if path.endswith("/results"))


@pytest.fixture
def counting_emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, CountingApp]]:
    """An emulator whose requests are logged server-side (batches end in about a second)."""
    from workbench.emulator import app as emulator_app
    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import EmulatorThread

    made: list[CountingApp] = []
    real = emulator_app.create_app

    def counting(config: Any = None) -> CountingApp:
        made.append(CountingApp(real(config)))
        return made[-1]

    monkeypatch.setattr(emulator_app, "create_app", counting)
    emu = EmulatorThread(EmulatorConfig(tokens_per_second=None, batch_seconds_per_request=0.05,
                                        batch_max_seconds=1.5))
    url = emu.start()
    yield url, made[0]
    emu.stop()


async def _ended_batch(url: str, n: int) -> str:
    from workbench.api.client import ClaudeClient

    async with ClaudeClient(api_key="sk-ant-test", base_url=url) as client:
        batch = await client.batches.create(
            [{"custom_id": f"r{i}", "params": BODY} for i in range(n)])
    return batch.id


async def _open_detail(app, pilot, batch_id: str):
    from workbench.ui.screens.batch_detail import BatchDetailScreen

    await app.switch_mode("batches")
    await app.push_screen(BatchDetailScreen([batch_id]))
    detail = app.screen
    await wait_until(pilot, lambda: detail.results_done, timeout=20)
    await pilot.pause(0.1)
    return detail


async def _save(app, pilot, dest: Path) -> None:
    from workbench.ui.screens.compose_modals import AskScreen

    await pilot.press("s")
    await wait_until(pilot, lambda: isinstance(app.screen, AskScreen))
    app.screen.query_one("#answer").value = str(dest)
    await pilot.press("enter")
    await wait_until(pilot, lambda: "saved" in str(app.screen.query_one("#batch-status").content),
                     timeout=10)


async def test_table_preview_is_plain_and_the_result_renders_markdown(make_app,
                                                                      counting_emulator):
    from workbench.ui.screens.batch_result import ResultScreen
    from workbench.ui.widgets.lines_view import LinesView

    url, _ = counting_emulator
    batch_id = await _ended_batch(url, 3)
    app = make_app(url)
    async with app.run_test(size=(140, 42)) as pilot:
        detail = await _open_detail(app, pilot, batch_id)
        item = detail.index.item(0)
        raw = item["result"]["message"]["content"][0]["text"]
        assert "**" in raw  # the emulator answers in Markdown
        preview = detail.index.row(0)[4]
        assert "**" not in preview and "#" not in preview and "\n" not in preview
        assert preview.split()[0] == raw.split()[0]  # the words stay
        assert "**" not in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen))
        await pilot.pause(0.2)
        body = app.screen.query_one("#result-body", LinesView)
        await wait_until(pilot, lambda: body.line_count > 3)
        shown = body.text
        assert shown.lstrip().startswith(raw.split()[0])
        assert '"custom_id"' in shown  # the raw JSON follows the reply
        region = body.region
        on_screen = "\n".join(line[region.x:region.right] for line in
                              screen_text(app).splitlines()[region.y:region.bottom])
        assert raw.split()[0] in on_screen
        reply = shown.split('"custom_id"')[0]
        bold = raw.split("**")[1]
        assert bold in reply and f"**{bold}**" not in reply  # drawn bold, not spelled out


async def test_save_copies_the_complete_cache_without_downloading_again(
        make_app, counting_emulator, tmp_path):
    url, emulator = counting_emulator
    batch_id = await _ended_batch(url, 12)
    app = make_app(url)
    async with app.run_test(size=(140, 42)) as pilot:
        detail = await _open_detail(app, pilot, batch_id)
        assert detail.index.is_complete()
        assert emulator.results_downloads() == 1  # the load itself
        dest = tmp_path / "out.jsonl"
        await _save(app, pilot, dest)
        assert emulator.results_downloads() == 1  # none for the save
        lines = dest.read_text(encoding="utf-8").splitlines()
        assert [json.loads(x)["custom_id"] for x in lines] == [f"r{i}" for i in range(12)]
        assert dest.read_bytes() == detail.index.path.read_bytes()
        assert not list(tmp_path.glob(".out.jsonl.*"))  # the temp file was renamed
        assert "saved 12 results" in screen_text(app)


async def test_save_downloads_again_when_the_cache_is_incomplete(make_app, counting_emulator,
                                                                 tmp_path):
    url, emulator = counting_emulator
    batch_id = await _ended_batch(url, 5)
    app = make_app(url)
    async with app.run_test(size=(140, 42)) as pilot:
        detail = await _open_detail(app, pilot, batch_id)
        detail.index.complete = False  # as when the load stopped part way
        dest = tmp_path / "again.jsonl"
        await _save(app, pilot, dest)
        assert emulator.results_downloads() == 2
        assert len(dest.read_text(encoding="utf-8").splitlines()) == 5


async def test_a_bad_save_path_keeps_the_dialog_open_with_what_was_typed(
        make_app, counting_emulator, tmp_path):
    """A missing folder, a folder, a file the disk refuses: the dialog says why and keeps the
    path; the corrected path saves."""
    from workbench.ui.screens.compose_modals import AskScreen

    url, _ = counting_emulator
    batch_id = await _ended_batch(url, 3)
    app = make_app(url)
    async with app.run_test(size=(120, 36)) as pilot:
        detail = await _open_detail(app, pilot, batch_id)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, AskScreen))

        async def answer(value: str) -> str:
            app.screen.query_one("#answer").value = value
            await pilot.press("enter")
            await pilot.pause(0.2)
            assert isinstance(app.screen, AskScreen), "the dialog closed"
            assert app.screen.query_one("#answer").value == value
            return str(app.screen.query_one(".error").render())

        missing = tmp_path / "no-such-folder" / "out.jsonl"
        assert f"no folder {missing.parent}" in await answer(str(missing))
        assert f"{tmp_path} is a folder" in await answer(str(tmp_path))
        if Path("/proc").is_dir():  # the folder is there but refuses a new file
            # refused by the check (not root) or by the save itself (root): said either way
            assert "to /proc/out.jsonl" in await answer("/proc/out.jsonl")
        dest = tmp_path / "out.jsonl"
        app.screen.query_one("#answer").value = str(dest)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is detail)
        await wait_until(pilot, lambda: "saved 3 results" in
                         str(detail.query_one("#batch-status").content), timeout=10)
        assert len(dest.read_text(encoding="utf-8").splitlines()) == 3


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_top_row_is_the_panes_bar_not_blank(make_app, counting_emulator, size):
    url, _ = counting_emulator
    batch_id = await _ended_batch(url, 2)
    app = make_app(url)
    async with app.run_test(size=size) as pilot:
        await _open_detail(app, pilot, batch_id)
        rows = screen_text(app).splitlines()
        assert rows[0].strip(), "the top row is blank"
        assert "F6" in rows[0] and "Batch" in rows[0]  # where you are, as on every pane
        assert rows[1].strip().startswith(f"Batch {batch_id}")
