"""The Skills pane's folder dialog (a new skill, or a new version of one, from a local folder)
and small helpers shared with the pane.

The folder is checked locally first (`skill_parts`: SKILL.md at the top, front matter with
name and description, total size), so a bad folder is explained before anything is sent.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Static

from workbench.services.skill_versions import SkillFolders, folder_missing
from workbench.ui.plain import plain
from workbench.ui.screens.base import Fitted
from workbench.ui.widgets.files_dialogs import PickTree
from workbench.ui.widgets.ordered_keys import OrderedInput
from workbench.ui.widgets.path_input import PathInput


def source_of(skill: dict[str, Any]) -> str:
    source = skill.get("source")
    if isinstance(source, dict):
        return str(source.get("type") or "")
    return str(source or "")


def skill_name(skill: dict[str, Any]) -> str:
    return skill.get("display_name") or skill.get("display_title") or skill["id"]


def check_folder(raw: str) -> tuple[str | None, str]:
    """(problem, summary) for a skill folder: what `skill_parts` says, in words."""
    from workbench.api.errors import APIError
    from workbench.api.skills import skill_parts
    from workbench.format import human_size

    text = raw.strip()
    if not text:
        return "type the path of a folder that holds SKILL.md", ""
    try:
        parts, meta = skill_parts(text)
    except APIError as exc:
        return str(exc), ""
    except OSError as exc:
        return f"cannot read {text}: {exc.strerror or exc}", ""
    size = sum(p.size() for p in parts)
    files = "file" if len(parts) == 1 else "files"
    description = " ".join(meta["description"].split())  # YAML may fold it over lines
    return None, (f"{meta['name']}: {description[:80]} · {len(parts)} {files}, "
                  f"{human_size(size)}")


class SkillFolderScreen(Fitted, ModalScreen):
    """Create a skill (skill=None) or a new version of `skill` from a folder."""

    CSS_PATH = "skills_dialogs.tcss"
    HELP = """
## Skill from a folder
The folder must hold `SKILL.md` at its top, starting with a front matter block:

    ---
    name: my-skill
    description: What it does and when to use it
    ---

Every file under the folder is uploaded (hidden `.git` and caches are skipped).
**Enter** checks and uploads, **Escape** cancels.
"""
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="skill_folder.cancel")]
    AUTO_FOCUS = "#skill-folder"

    def __init__(self, skill: dict[str, Any] | None = None, start: Path | None = None,
                 memory: SkillFolders | None = None) -> None:
        super().__init__()
        self.skill = skill
        # the folder this skill (or the last new skill) came from, kept across restarts
        self.memory = memory if memory is not None else SkillFolders()
        self.folder = self.memory.recall(str((skill or {}).get("id") or ""))
        self.missing = folder_missing(self.folder)  # still offered: it may come back
        remembered = Path(os.path.expanduser(self.folder)).parent if self.folder else None
        self.start = start or (remembered if remembered and remembered.is_dir() else Path.cwd())
        self.busy = False

    def compose(self) -> ComposeResult:
        title = (f"New version of {skill_name(self.skill)}" if self.skill
                 else "New skill from a folder")
        with Vertical():
            yield Static(plain(title), classes="dialog-title")
            yield PathInput(self.folder, placeholder="folder holding SKILL.md (Tab completes)",
                            dirs_only=True, id="skill-folder")
            if self.skill is None:
                yield OrderedInput(placeholder="display name (optional: default is the front "
                                   "matter name)", id="skill-display")
            yield PickTree(self.start, dirs_only=True, id="skill-tree")
            if self.missing:
                yield Static(plain(f"{self.folder} (used last time) is missing: type a folder "
                                   "or pick one below"), classes="dialog-note -error")
            else:
                yield Static("type a folder or pick one below", classes="dialog-note",
                             markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", classes="cancel")
                yield Button("Upload", id="skill-go", variant="primary")

    def note(self, text: str, error: bool = False) -> None:
        note = self.query_one(".dialog-note", Static)
        note.update(plain(text))
        note.set_class(error, "-error")

    @on(DirectoryTree.DirectorySelected)
    def _picked(self, event: DirectoryTree.DirectorySelected) -> None:
        field = self.query_one("#skill-folder", PathInput)
        field.value = str(event.path)
        field.cursor_position = len(field.value)

    @on(PathInput.Changed, "#skill-folder")
    def _changed(self, event: PathInput.Changed) -> None:
        if self.missing and event.value == self.folder:
            return  # the pre-filled folder (its Changed comes after mount): still missing
        if not self.busy and event.value.strip():
            self.note("Enter checks the folder and uploads it")

    @on(PathInput.Submitted, "#skill-folder")
    @on(Input.Submitted, "#skill-display")
    @on(Button.Pressed, "#skill-go")
    def _go(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.note("checking the folder…")
        display = self.query("#skill-display")
        name = display.first(Input).value.strip() if display else ""
        self.upload(self.query_one("#skill-folder", PathInput).value, name or None)

    @work(exclusive=True, group="skill-upload", exit_on_error=False)
    async def upload(self, folder: str, display_name: str | None) -> None:
        import asyncio

        from workbench.api.errors import APIError

        try:
            problem, summary = await asyncio.to_thread(check_folder, folder)
            if problem:
                self.note(problem, error=True)
                return
            self.note(f"uploading {summary}…")
            client = await self.app.wait_client()  # type: ignore[attr-defined]
            path = Path(os.path.expanduser(folder.strip()))
            try:
                if self.skill is None:
                    result = await client.skills.create(path, display_name=display_name)
                else:
                    result = await client.skills.create_version(self.skill["id"], path)
            except APIError as exc:
                self.note(f"upload failed: {exc}", error=True)
                self.app.notify(f"skill upload failed: {exc}", severity="error", timeout=8,
                                markup=False)
                return
            data = result.model_dump(mode="json")
            try:  # the created skill's id, and the key it was asked under ("": a new skill)
                await asyncio.to_thread(self.memory.keep, folder.strip(),
                                        str(data.get("skill_id") or data.get("id") or ""),
                                        str((self.skill or {}).get("id") or ""))
            except OSError as exc:  # uploaded all the same: only the memory is lost
                self.app.notify(f"could not remember the folder: {exc}", severity="warning",
                                markup=False)
            self.dismiss(data)
        finally:
            self.busy = False

    def action_cancel(self) -> None:
        if self.busy:
            self.workers.cancel_group(self, "skill-upload")
            self.busy = False
            self.note("cancelled", error=True)
            return
        self.dismiss(None)

    @on(Button.Pressed, ".cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

