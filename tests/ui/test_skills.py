"""Skills pane against the emulator: list (custom + Anthropic, source filter), versions, create
and new version from a folder (with the local folder checks), delete a version / a skill with
its versions (confirm), and "use in composer" (container.skills + code execution tool)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select

from tests.ui.conftest import screen_text, wait_until


def skill_folder(root: Path, name: str = "greeter", body: str = "Say hello nicely.",
                 description: str = "Greets people in their language") -> Path:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "SKILL.md").write_text(
        f"---\nname: {name}\ndescription: {description}\n---\n\n{body}\n")
    (folder / "reference.md").write_text("# Greetings\nhello, hola, bonjour\n")
    return folder


@pytest.fixture
def own_emulator(make_emulator) -> str:
    return make_emulator(tokens_per_second=None)


async def open_skills(app, pilot, count: int = 4):
    await app.switch_mode("skills")
    screen = app.screen
    await wait_until(pilot, lambda: len(screen.skills) >= count and screen.versions_of)
    await pilot.pause(0.05)
    return screen


def note_of(app) -> str:
    return str(app.screen.query_one(".dialog-note").render())


async def create_via_dialog(app, pilot, folder: Path, display: str = "") -> None:
    await pilot.press("n")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "SkillFolderScreen")
    app.screen.query_one("#skill-folder", Input).value = str(folder)
    if display:
        app.screen.query_one("#skill-display", Input).value = display
    await pilot.pause(0.05)
    app.screen.query_one("#skill-folder", Input).focus()
    await pilot.press("enter")


async def test_lists_anthropic_and_custom_skills_with_versions(
        make_app, own_emulator, tmp_path) -> None:
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await app.client.skills.create(skill_folder(tmp_path))
        screen = await open_skills(app, pilot, 5)
        names = [s.get("display_name") for s in screen.skills]
        assert "greeter" in names and {"Excel", "Word", "PDF"} <= set(names)
        shown = screen_text(app)
        assert "custom" in shown and "anthropic" in shown and "Excel" in shown
        # the custom skill (newest) is first: its version and description show
        assert screen.current()["display_name"] == "greeter"
        detail = str(screen.query_one("#skill-detail").render())
        assert "Greets people in their language" in detail
        assert len(screen.versions) == 1 and screen.versions[0]["name"] == "greeter"
        # source filter: custom only, then anthropic only
        screen.query_one("#skills-source", Select).value = "custom"
        await wait_until(pilot, lambda: screen.source == "custom" and len(screen.skills) == 1)
        assert "1 custom skill" in str(screen.query_one("#skills-status").render())
        screen.query_one("#skills-source", Select).value = "anthropic"
        await wait_until(pilot, lambda: len(screen.skills) == 4)
        assert all(s["source"]["type"] == "anthropic" for s in screen.skills)
        assert "4 anthropic skills" in str(screen.query_one("#skills-status").render())


async def test_create_from_folder_and_new_version(make_app, own_emulator, tmp_path) -> None:
    folder = skill_folder(tmp_path)
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_skills(app, pilot)
        await create_via_dialog(app, pilot, folder, display="Greeter Pro")
        await wait_until(pilot, lambda: app.screen is screen and any(
            s.get("display_name") == "Greeter Pro" for s in screen.skills))
        await wait_until(pilot, lambda: screen.current()["display_name"] == "Greeter Pro"
                         and screen.versions_of == screen.current()["id"])
        skill_id = screen.current()["id"]
        assert len(screen.versions) == 1
        assert any("created skill Greeter Pro" in n.message for n in app._notifications)
        # a new version, from an edited folder
        (folder / "SKILL.md").write_text("---\nname: greeter\ndescription: Greets, v2\n---\nHi\n")
        await pilot.press("v")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "SkillFolderScreen")
        assert "New version of Greeter Pro" in screen_text(app)
        app.screen.query_one("#skill-folder", Input).value = str(folder)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: screen.versions_of == skill_id and
                         len(screen.versions) == 2)
        assert screen.versions[0]["description"] == "Greets, v2"
        assert "Greets, v2" in str(screen.query_one("#skill-detail").render())
        got = await app.client.skills.get(skill_id)
        assert got.latest_version_id == screen.versions[0]["id"]
        screen.query_one("#versions-table").focus()
        await pilot.press("down")  # the first version: its own description shows
        await pilot.pause(0.05)
        detail = str(screen.query_one("#skill-detail").render())
        assert "Greets people in their language" in detail and "not the latest" in detail


async def test_bad_folders_are_explained_before_sending(make_app, own_emulator, tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("no skill here")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "SKILL.md").write_text("---\nname: bad\n---\nno description\n")
    big = skill_folder(tmp_path, "big")
    with (big / "data.bin").open("wb") as out:
        out.truncate(31 * 1024 * 1024)  # sparse
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        await open_skills(app, pilot)
        before = len(app.client.recorder.exchanges)
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "SkillFolderScreen")
        field = app.screen.query_one("#skill-folder", Input)
        for folder, expected in ((tmp_path / "missing", "not a folder"),
                                 (empty, "has no SKILL.md"),
                                 (bad, "needs description"),
                                 (big, "MB")):
            field.value = str(folder)
            field.focus()
            await pilot.press("enter")
            await wait_until(pilot, lambda e=expected: e in note_of(app) and not app.screen.busy)
            assert "-error" in app.screen.query_one(".dialog-note").classes
        assert "limit" in note_of(app) or "30" in note_of(app)
        posts = [e for e in app.client.recorder.exchanges[before:] if e.method == "POST"]
        assert posts == []
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "SkillsScreen")


async def test_delete_version_then_skill_with_its_versions(
        make_app, own_emulator, tmp_path) -> None:
    folder = skill_folder(tmp_path)
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        skill = await app.client.skills.create(folder)
        await app.client.skills.create_version(skill.id, folder)
        await app.client.skills.create_version(skill.id, folder)
        screen = await open_skills(app, pilot, 5)
        await wait_until(pilot, lambda: len(screen.versions) == 3)
        # one version, from the versions table
        screen.query_one("#versions-table").focus()
        await pilot.press("down")
        doomed = screen.current_version()["id"]
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert f"Delete version {doomed}" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.versions_of == skill.id and
                         len(screen.versions) == 2)
        assert doomed not in [v["id"] for v in screen.versions]
        # the skill: the confirm says its versions go first
        screen.query_one("#skills-table").focus()
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert "its 2 versions will be deleted first" in app.screen.question
        assert "will be deleted" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.skills and
                         all(s["id"] != skill.id for s in screen.skills))
        assert any("deleted skill greeter and 2 versions" in n.message
                   for n in app._notifications)
        listed = await app.client.skills.list(source="custom")
        assert listed.data == []


async def test_anthropic_skills_cannot_be_deleted_or_versioned(make_app, own_emulator) -> None:
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_skills(app, pilot)
        assert screen.current()["source"]["type"] == "anthropic"
        before = len(app.client.recorder.exchanges)
        await pilot.press("d")
        await pilot.pause(0.05)
        await pilot.press("v")
        def said(text: str) -> bool:
            return any(text in n.message for n in app._notifications)

        await wait_until(pilot, lambda: said("cannot be deleted") and said("cannot be changed"))
        assert type(app.screen).__name__ == "SkillsScreen"
        assert [e for e in app.client.recorder.exchanges[before:] if e.method != "GET"] == []


async def test_delete_of_a_vanished_skill_is_a_readable_error(
        make_app, own_emulator, tmp_path) -> None:
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        skill = await app.client.skills.create(skill_folder(tmp_path))
        screen = await open_skills(app, pilot, 5)
        for v in (await app.client.skills.list_versions(skill.id)).data:
            await app.client.skills.delete_version(skill.id, v.id)
        await app.client.skills.delete(skill.id)  # gone behind the pane's back
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: any("could not delete" in n.message
                                            for n in app._notifications))
        message = next(n.message for n in app._notifications if "could not delete" in n.message)
        assert "not found" in message and "req_" in message
        await wait_until(pilot, lambda: all(s["id"] != skill.id for s in screen.skills))


async def test_use_in_composer_adds_the_skill_the_tool_and_no_beta(
        make_app, own_emulator, tmp_path) -> None:
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        skill = await app.client.skills.create(skill_folder(tmp_path))
        v2 = await app.client.skills.create_version(skill.id, skill_folder(tmp_path))
        screen = await open_skills(app, pilot, 5)
        await pilot.press("a")  # the custom skill, latest
        await wait_until(pilot, lambda: app.current_mode == "compose")
        body = app.composer_draft().to_request("2023-06-01")
        assert body["container"] == {"skills": [
            {"type": "custom", "skill_id": skill.id, "version": "latest"}]}
        assert {"type": "code_execution_20250825", "name": "code_execution"} in body["tools"]
        assert not app.composer_draft().betas  # GA: no beta header needed
        # an Anthropic skill, and an exact version picked in the versions table
        await app.switch_mode("skills")
        await wait_until(pilot, lambda: len(screen.versions) == 2)
        screen.query_one("#versions-table").focus()
        await pilot.press("down", "enter")  # the older (first) version
        await wait_until(pilot, lambda: app.current_mode == "compose")
        await app.switch_mode("skills")
        table = screen.query_one("#skills-table")
        await wait_until(pilot, lambda: table.row_count >= 2)
        table.focus()
        table.move_cursor(row=0)  # the custom skill (newest first), whatever was highlighted
        await pilot.pause()
        await pilot.press("down", "a")  # first Anthropic skill
        await wait_until(pilot, lambda: app.current_mode == "compose")
        skills = app.composer_draft().to_request("2023-06-01")["container"]["skills"]
        assert skills[0]["skill_id"] == skill.id  # one entry per skill: the first choice stays
        assert skills[1]["type"] == "anthropic" and skills[1]["version"] == "latest"
        assert v2.id  # made above; the versions table showed it
        tools = app.composer_draft().to_request("2023-06-01")["tools"]
        assert sum(t.get("name") == "code_execution" for t in tools) == 1


async def test_skill_pages_load_as_the_cursor_nears_the_end(
        make_app, own_emulator, tmp_path) -> None:
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        folder = skill_folder(tmp_path)
        for i in range(56):
            await app.client.skills.create(folder, display_name=f"skill {i:02}")
        screen = await open_skills(app, pilot, 50)
        await wait_until(pilot, lambda: len(screen.skills) == 50)
        await pilot.pause(0.2)
        assert len(screen.skills) == 50 and not screen.loaded_all  # one page of 50
        assert "50+ (more as you scroll)" in str(screen.query_one("#skills-status").render())
        screen.query_one("#skills-table").move_cursor(row=45)
        await wait_until(pilot, lambda: screen.loaded_all and len(screen.skills) == 60)
        assert screen.query_one("#skills-table").row_count == 60  # 56 custom + 4 Anthropic


async def test_skills_palette_lists_every_action(make_app, own_emulator) -> None:
    app = make_app(own_emulator)
    async with app.run_test(size=(140, 42)) as pilot:
        screen = await open_skills(app, pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        for title in ("Skills: use in composer", "Skills: new skill from a folder",
                      "Skills: new version from a folder", "Skills: delete",
                      "Skills: filter by source", "Skills: refresh"):
            assert title in titles
        await pilot.press("f1")
        await wait_until(pilot, lambda: "Anthropic-provided ones" in screen_text(app))
        bindings = {b.binding.id for b in screen.active_bindings.values()}
        assert {"skills.use", "skills.create", "skills.version", "skills.delete",
                "skills.source", "skills.refresh"} <= bindings


def test_skills_snapshot(snap_compare, make_app, make_emulator, tmp_path, monkeypatch) -> None:
    """A custom skill's id and times are random: shown ids and dates are frozen."""
    import asyncio

    from workbench.api.client import ClaudeClient
    from workbench.ui.screens import skills

    monkeypatch.setattr(skills, "when", lambda stamp: "2026-11-25 09:00" if stamp else "-")
    monkeypatch.setattr(skills, "shown_id",
                        lambda i: i if len(i) <= 8 else "skill_011CexampleId" if i.startswith(
                            "skill_") else "1764061200000000")
    url = make_emulator(tokens_per_second=None)

    async def seed() -> None:
        async with ClaudeClient(api_key="sk-ant-test-key-0000", base_url=url) as c:
            await c.skills.create(skill_folder(tmp_path), display_name="Greeter")

    asyncio.run(seed())
    app = make_app(url)

    async def run_before(pilot) -> None:
        await open_skills(pilot.app, pilot, 5)
        pilot.app._set_status("emulator")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(140, 42), run_before=run_before)
