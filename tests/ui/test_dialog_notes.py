"""The upload and skill folder dialogs show paths, names and descriptions as typed: text from
the disk is never read as Textual markup."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.ui.conftest import wait_until


def note_of(app) -> str:
    return str(app.screen.query_one(".dialog-note").render())


async def test_an_upload_path_with_brackets_is_shown_as_typed(make_app, tmp_path: Path) -> None:
    from workbench.ui.widgets.files_dialogs import UploadScreen

    odd = tmp_path / "[red]report.pdf"
    odd.write_bytes(b"%PDF-1.4")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(UploadScreen(tmp_path))
        await wait_until(pilot, lambda: bool(app.screen.query("#upload-path")))
        app.screen.query_one("#upload-path", Input).value = str(odd)
        await wait_until(pilot, lambda: "[red]report.pdf · 8 B" in note_of(app))


async def test_a_skill_folder_problem_names_the_folder_as_typed(
        make_app, tmp_path: Path) -> None:
    from workbench.ui.widgets.skills_dialogs import SkillFolderScreen

    folder = tmp_path / "[red]skill"
    folder.mkdir()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(SkillFolderScreen(start=tmp_path))
        await wait_until(pilot, lambda: bool(app.screen.query("#skill-folder")))
        app.screen.query_one("#skill-folder", Input).value = str(folder)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "[red]skill has no SKILL.md" in note_of(app))


def test_a_multi_line_skill_description_is_summed_up_on_one_line(tmp_path: Path) -> None:
    from workbench.ui.widgets.skills_dialogs import check_folder

    (tmp_path / "SKILL.md").write_text(
        "---\nname: odd\ndescription: |\n  Reads PDFs,\n  fills forms.\n---\n")
    problem, summary = check_folder(str(tmp_path))
    assert problem is None and summary.startswith("odd: Reads PDFs, fills forms. · 1 file, ")
