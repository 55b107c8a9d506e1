"""Make the README's pictures: each main pane of the real app, on the built-in emulator.

    python screenshots/make_screenshots.py          # writes screenshots/*.svg
    rsvg-convert -w 1400 screenshots/compose.svg -o /tmp/compose.png   # to look at one

Each scene drives the app with Textual's Pilot, the way the tests do, against an emulator at
full speed, so the pictures are reproducible.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SIZE = (140, 42)


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)


async def scene_compose(app, pilot) -> None:
    from workbench.services.draft import Draft, Turn

    screen = app.screen
    await wait_for(pilot, lambda: screen.side_ready and screen.session.loaded)
    screen.open_draft(Draft(
        model="claude-sonnet-5-5", system="You are a concise senior Python reviewer.",
        turns=[Turn("user", "Write a Python function that checks whether a string is a "
                            "palindrome.")]))
    await pilot.pause(0.5)
    await pilot.press("ctrl+r")
    session = screen.session
    await wait_for(pilot, lambda: session.last_result is not None and not session.running)
    await wait_for(pilot, lambda: "today" in app.cost_line)  # the top bar's totals
    await pilot.pause(0.5)


async def scene_reply_maximised(app, pilot) -> None:
    """The reply alone (alt+v, alt+m): room to read the code."""
    await scene_compose(app, pilot)
    await pilot.press("alt+v", "alt+m")
    await wait_for(pilot, lambda: app.screen.maximized is not None)
    app.screen.transcript.scroll_home(animate=False)
    await pilot.pause(0.3)


async def scene_notices(app, pilot) -> None:
    """The notices log (alt+n): every notice of the session in full."""
    await scene_compose(app, pilot)
    app.notify("temperature must be between 0 and 1\nFix it in the composer's parameters "
               "(alt+p).", title="Not sent", severity="error", markup=False)
    app.notify("529 overloaded: retrying in 1.0 s", title="Retrying", severity="warning")
    await pilot.press("alt+n")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "NoticesScreen")
    await pilot.pause(0.3)


async def _seed_batches(url: str) -> str:
    """Three batches: one with some errors, one large and still running, one small."""
    import httpx

    from workbench.api.client import ClaudeClient

    client = ClaudeClient(api_key="sk-ant-demo-key-0000", base_url=url)
    ok = {"model": "claude-haiku-4-5", "max_tokens": 120,
          "messages": [{"role": "user", "content": "Summarise the review in one line"}]}
    bad = {**ok, "model": "claude-unknown"}
    mixed = await client.batches.create(
        [{"custom_id": f"review-{i:04d}", "params": bad if i % 9 == 4 else ok}
         for i in range(400)])
    await client.batches.create([{"custom_id": f"ticket-{i:05d}", "params": ok}
                                 for i in range(5000)])
    small = await client.batches.create([{"custom_id": f"probe-{i}", "params": ok}
                                         for i in range(12)])
    await client.aclose()
    for batch in (mixed, small):
        httpx.post(f"{url}/_emulator/batches/{batch.id}/finish", json={},
                   headers={"x-api-key": "k"})
    return mixed.id


async def scene_batches(app, pilot) -> None:
    await _seed_batches(app.client.base_url)
    await app.switch_mode("batches")
    await wait_for(pilot, lambda: len(getattr(app.screen, "order", ())) == 3)
    await pilot.pause(0.5)


async def scene_batch(app, pilot) -> None:
    from workbench.ui.screens.batch_detail import BatchDetailScreen

    mixed = await _seed_batches(app.client.base_url)
    await app.switch_mode("batches")
    await app.push_screen(BatchDetailScreen([mixed]))
    await wait_for(pilot, lambda: getattr(app.screen, "results_done", False))
    await pilot.press("down", "down", "down", "down")
    await pilot.pause(0.3)


async def scene_files(app, pilot) -> None:
    """Four files: three made 'by tools' (downloadable) and one upload; a PDF highlighted."""
    import httpx

    url = app.client.base_url
    for name, size, mime in (("sales-2026-q3.csv", 123456, "text/csv"),
                             ("chart.png", 45678, "image/png"),
                             ("summary.pdf", 2345678, "application/pdf")):
        httpx.post(f"{url}/_emulator/files", headers={"x-api-key": "k"},
                   json={"filename": name, "size": size, "mime_type": mime})
    with tempfile.TemporaryDirectory() as folder:
        notes = Path(folder) / "meeting-notes.txt"
        notes.write_text("Decisions: ship the workbench on Friday.\n" * 30)
        await app.client.files.upload(notes)
    await app.switch_mode("files")
    await wait_for(pilot, lambda: len(getattr(app.screen, "files", ())) >= 4)
    await pilot.press("down")
    await pilot.pause(0.3)


async def scene_skills(app, pilot) -> None:
    """A custom skill with two versions next to the Anthropic ones, its versions shown."""
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "release-notes"
        folder.mkdir()
        (folder / "SKILL.md").write_text(
            "---\nname: release-notes\ndescription: Writes release notes from a changelog, "
            "grouped by feature and fix\n---\n\nRead CHANGELOG.md and write the notes.\n")
        (folder / "template.md").write_text("## Features\n\n## Fixes\n")
        skill = await app.client.skills.create(folder, display_name="Release notes")
        await app.client.skills.create_version(skill.id, folder)
    await app.switch_mode("skills")
    await wait_for(pilot, lambda: len(getattr(app.screen, "versions", ())) == 2)
    await pilot.pause(0.3)


async def scene_library(app, pilot) -> None:
    """Two saved versions of a prompt with {{variables}} and one other prompt, the newest
    version previewed."""
    from workbench.services.draft import Draft, Turn

    store = await app.wait_store()
    first = Draft(model="claude-haiku-4-5", system="You summarise support tickets.",
                  turns=[Turn("user", "Summarise {{ticket}} for {{audience}} in 3 bullets.")],
                  max_tokens=400)
    await store.arun(store.save_prompt, "ticket-summary", first.to_dict(),
                     note="first try", variables=["ticket", "audience"])
    first.system = "You summarise support tickets. Lead with the customer's goal."
    first.model, first.temperature = "claude-sonnet-5-5", 0.3
    await store.arun(store.save_prompt, "ticket-summary", first.to_dict(),
                     note="goal first, sonnet", variables=["ticket", "audience"])
    review = Draft(model="claude-opus-5-5", system="You are a strict code reviewer.",
                   turns=[Turn("user", "Review this diff:\n{{diff}}")])
    await store.arun(store.save_prompt, "code-review", review.to_dict(),
                     note="baseline", variables=["diff"])
    await app.switch_mode("library")
    await wait_for(pilot, lambda: len(getattr(app.screen, "prompts", ())) >= 2)
    await pilot.pause(0.3)
    await pilot.press("down")  # the one with two versions
    await pilot.pause(0.8)


async def scene_evaluate(app, pilot) -> None:
    """The example suite (examples/evals/explain.toml) run: 4 cases x 2 models, graded."""
    os.chdir(HERE.parent)  # the path field shows the suite's path as typed
    await app.switch_mode("evaluate")
    screen = app.screen
    await wait_for(pilot, lambda: getattr(screen, "session", None) is not None)
    screen.load_suite("examples/evals/explain.toml")
    await wait_for(pilot, lambda: screen.session.suite is not None and screen.session.cells)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmRun")
    await pilot.press("enter")
    total = len(screen.session.cells)
    await wait_for(pilot, lambda: len(screen.session.results) == total
                   and not screen.session.running, timeout=60)
    await pilot.press("down", "down", "down")  # a failing row: git-rebase
    await pilot.pause(0.8)


async def scene_mode(mode: str) -> Callable:
    async def run(app, pilot) -> None:
        await app.switch_mode(mode)
        await pilot.pause(1.5)
    return run


async def shoot(name: str, scene: Callable[..., Awaitable[None]], url: str, store_path: Path) -> None:
    from workbench.api.client import ClaudeClient
    from workbench.config import Settings
    from workbench.ui.app import WorkbenchApp

    settings = Settings(demo=True)
    client = ClaudeClient(api_key="sk-ant-demo-key-0000", base_url=url)
    app = WorkbenchApp(settings=settings, client=client)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        await scene(app, pilot)
        app._set_status("demo · emulator")
        await pilot.pause(0.1)
        app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    await client.aclose()
    print(f"wrote screenshots/{name}.svg")


async def main(names: list[str]) -> None:
    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import EmulatorThread

    emu = EmulatorThread(EmulatorConfig(tokens_per_second=None, batch_seconds_per_request=0.05))
    url = emu.start()
    scenes: dict[str, Callable] = {"compose": scene_compose,
                                   "reply-maximised": scene_reply_maximised,
                                   "notices": scene_notices}
    for mode in ("models", "history", "library", "batches", "files", "skills", "keys"):
        scenes[mode] = await scene_mode(mode)
    scenes["batches"] = scene_batches
    scenes["batch"] = scene_batch
    scenes["files"] = scene_files
    scenes["skills"] = scene_skills
    scenes["library"] = scene_library
    scenes["evaluate"] = scene_evaluate
    try:
        with tempfile.TemporaryDirectory() as home:
            os.environ["WORKBENCH_HOME"] = home
            store_path = Path(home) / "shots.db"
            for name, scene in scenes.items():
                if names and name not in names:
                    continue
                await shoot(name, scene, url, store_path)
    finally:
        emu.stop()


if __name__ == "__main__":
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "disable")
    asyncio.run(main(sys.argv[1:]))
