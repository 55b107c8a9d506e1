"""The composer's editing half: turns, attachments, skills, `$EDITOR`.

A mixin for ComposeScreen, kept apart so each module stays readable.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import tempfile
from typing import TYPE_CHECKING, Any

from textual import work
from textual.widgets import TextArea

if TYPE_CHECKING:
    from workbench.services.draft import Attachment

ATTACH_PROMPT = ("Attach an image or PDF: a local path, or a Files API id (its kind is read "
                 "from the Files API; say it with image:file_… or document:file_…)")


def parse_file_ref(value: str) -> tuple[str | None, str] | None:
    """`file_…` -> (None, id); `image:file_…` / `document:file_…` -> (kind, id); else None."""
    kind, sep, rest = value.partition(":")
    if sep and kind.strip() in ("image", "document") and rest.strip().startswith("file_"):
        return kind.strip(), rest.strip()
    if value.startswith("file_") and " " not in value:
        return None, value
    return None


class EditActions:
    """Expects the ComposeScreen attributes: turn_list, params, _skills, request_changed()."""

    _skills: list[dict[str, Any]]

    # --- turns ----------------------------------------------------------------------------------
    async def action_add_turn(self) -> None:
        await self.turn_list.add_turn(at=self.turn_list.focused_index() + 1)
        self.request_changed()

    async def action_delete_turn(self) -> None:
        await self.turn_list.delete_focused()
        self.request_changed()

    def action_move_turn(self, step: int) -> None:
        self.turn_list.move_focused(step)
        self.request_changed()

    def action_toggle_role(self) -> None:
        self.turn_list.toggle_role()
        self.request_changed()

    # --- skills ---------------------------------------------------------------------------------
    def use_skill(self, skill: dict[str, Any]) -> None:
        if not any(s.get("skill_id") == skill.get("skill_id") for s in self._skills):
            self._skills.append(dict(skill))
        self.params.show_skills(self._skills)
        self.notify(f"skill {skill.get('skill_id')} will be used by the next run")
        self.request_changed()

    # --- attachments ------------------------------------------------------------------------------
    def attach(self, attachment: Attachment) -> None:
        editor = self.turn_list.attach(attachment)
        editor.area.focus()  # typing goes on in the turn that got it
        number = self.turn_list.editors.index(editor) + 1
        self.notify(f"attached {attachment.label} to turn {number}")
        self.request_changed()

    def action_attach(self) -> None:
        from workbench.services.draft import Attachment, DraftError
        from workbench.ui.screens.compose_modals import AskScreen

        def done(value: str | None) -> None:
            value = (value or "").strip()
            if not value:
                return
            ref = parse_file_ref(value)
            if ref is not None:
                kind, file_id = ref
                self.attach_file_id(file_id, kind)
                return
            try:
                attachment = Attachment.from_path(value)
            except DraftError as exc:
                self.notify(str(exc), severity="error")
                return
            self.attach(attachment)

        self.app.push_screen(AskScreen(ATTACH_PROMPT, "~/diagram.png or file_011C…"), done)

    @work(exclusive=True, group="attach-file", exit_on_error=False)
    async def attach_file_id(self, file_id: str, kind: str | None = None) -> None:
        """The block kind comes from the file's mime_type (Files API metadata), unless the
        user said it: an image must go as an image block, whatever its id looks like."""
        from workbench.api.errors import APIError
        from workbench.services.draft import Attachment, DraftError

        client = await self.wb.wait_client()
        try:
            meta = await client.files.get(file_id)
        except APIError as exc:
            if kind is not None:  # the user said what it is: trust that
                self.attach(Attachment(kind, file_id=file_id))  # type: ignore[arg-type]
                return
            self.notify(f"could not read {file_id}'s metadata: {exc}\nIf you know what it is, "
                        f"attach it as image:{file_id} or document:{file_id}.",
                        title="Not attached", severity="error", timeout=12)
            return
        try:
            attachment = Attachment.from_file(file_id, meta.mime_type, meta.filename)
        except DraftError as exc:
            if kind is None:
                self.notify(str(exc), title="Not attached", severity="error", timeout=10)
                return
            attachment = Attachment(kind, file_id=file_id, media_type=meta.mime_type,  # type: ignore[arg-type]
                                    title=meta.filename)
            self.notify(f"{exc}\nAttached as {kind}, as you said.", severity="warning")
        else:
            if kind is not None and kind != attachment.kind:
                self.notify(f"{meta.filename} is {meta.mime_type}: attached as "
                            f"{attachment.kind}, not {kind}", severity="warning")
        self.attach(attachment)

    # --- $EDITOR ----------------------------------------------------------------------------------
    async def action_editor(self) -> None:
        area = self.focused if isinstance(self.focused, TextArea) else None
        if area is None or area.read_only:
            self.notify("focus an editor first", severity="warning")
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify("set $EDITOR (or $VISUAL) to edit in your editor", severity="warning")
            return
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as tmp:
            tmp.write(area.text)
        try:
            try:
                with self.app.suspend():
                    subprocess.run([*shlex.split(editor), tmp.name], check=False)
            except Exception:  # no suspend support (e.g. headless): run without suspending
                await asyncio.to_thread(subprocess.run, [*shlex.split(editor), tmp.name],
                                        check=False, capture_output=True)
            with open(tmp.name, encoding="utf-8") as fh:
                area.text = fh.read()
        finally:
            os.unlink(tmp.name)
