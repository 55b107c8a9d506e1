"""The composer's editing half: turns, attachments, skills, `$EDITOR`, and clearing the
conversation to start over (undoable).

A mixin for ComposeScreen, kept apart so each module stays readable.

Clearing is undoable rather than confirmed: a confirmation dialog gets answered by reflex (and
slows down the common case), while an undo keeps the common case one key and makes the mistake
cheap. The cleared conversation (its turns and its replies) is kept aside; `alt+z` swaps it
back, and pressing it again swaps back the other way, so nothing typed since is lost either.
The set-aside turns are saved with the draft (the replies are in History), so the undo also
survives a restart or a crash.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.widgets import TextArea

from workbench.ui.key_order import focus_now

if TYPE_CHECKING:
    from workbench.services.draft import Attachment, Turn

ATTACH_PROMPT = ("Attach an image or PDF, or a plain-text .txt file: a local path (Tab "
                 "completes), or a Files API id (its kind is read from the Files API; say it "
                 "with image:file_… or document:file_…)")


def attach_problem(value: str) -> str | None:
    """Why `value` cannot be attached, or None: checked in the dialog, so a typo keeps the
    dialog open with what was typed. A Files API id is checked later (it needs the API)."""
    from workbench.services.draft import Attachment, DraftError

    value = value.strip()
    if not value:
        return "type a path or a Files API id (esc cancels)"
    # a local file wins over the id syntax: `file_notes.pdf` may be a file here
    if not Path(os.path.expanduser(value)).is_file() and parse_file_ref(value) is not None:
        return None
    try:
        Attachment.from_path(value)
    except DraftError as exc:
        return str(exc)
    return None


@dataclass
class Conversation:
    """A conversation set aside by a clear: its turns, its replies (hidden), its last result.
    Set aside because another draft was opened (History, Library, curl import), it keeps the
    whole draft too (`setup`: system prompt, parameters, tools), which alt+z puts back.

    Restored after a restart it has its turns only: `earlier_replies` counts the replies it
    had then (they are runs in History, not widgets that can come back)."""

    turns: list[Turn]
    replies: list[Any]
    last_result: Any
    earlier_replies: int = 0
    setup: dict[str, Any] | None = None

    @property
    def is_blank(self) -> bool:
        return not self.replies and all(t.is_empty() for t in self.turns)

    def to_data(self) -> dict[str, Any]:
        """What is saved with the draft."""
        data: dict[str, Any] = {"turns": [t.to_dict() for t in self.turns],
                                "replies": len(self.replies) + self.earlier_replies}
        if self.setup is not None:
            data["setup"] = self.setup
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Conversation:
        from workbench.services.draft import Turn

        setup = data.get("setup")
        return cls([Turn.from_dict(t) for t in data.get("turns", [])], [], None,
                   earlier_replies=int(data.get("replies", 0) or 0),
                   setup=setup if isinstance(setup, dict) else None)


def parse_file_ref(value: str) -> tuple[str | None, str] | None:
    """`file_…` -> (None, id); `image:file_…` / `document:file_…` -> (kind, id); else None."""
    kind, sep, rest = value.partition(":")
    if sep and kind.strip() in ("image", "document") and rest.strip().startswith("file_"):
        return kind.strip(), rest.strip()
    if value.startswith("file_") and " " not in value:
        return None, value
    return None


class EditActions:
    """Expects the ComposeScreen attributes: turn_list, params, replies, last_result, running,
    _skills, and request_changed()."""

    replies: list[Any]
    last_result: Any
    running: bool
    _skills: list[dict[str, Any]]
    _cleared: Conversation | None = None

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

    # --- clearing the conversation ----------------------------------------------------------
    async def action_clear_conversation(self) -> None:
        """Start over: one empty user turn, an empty transcript. The system prompt, parameters,
        tools and skills stay (they are the setup, not the conversation)."""
        from workbench.services.draft import Turn

        if self.running:
            self.notify("a run is in progress (esc cancels it)", severity="warning")
            return
        current = self._conversation()
        if current.is_blank:
            self.notify("the conversation is already empty")
            return
        await self._show(Conversation([Turn("user", "")], [], None), hide=current)
        await self._set_aside(current)
        self.notify("Conversation cleared; system prompt, parameters, tools and skills kept. "
                    "alt+z brings it back.", title="Cleared", timeout=10)

    async def action_undo_clear(self) -> None:
        """Swap the cleared conversation back in (and the current one out, kept for alt+z)."""
        if self._cleared is None:
            self.notify("no cleared conversation to bring back", severity="warning")
            return
        if self.running:
            self.notify("a run is in progress (esc cancels it)", severity="warning")
            return
        current, cleared = self._conversation(), self._cleared
        if cleared.setup is not None:  # a whole draft that an opened one replaced
            from workbench.services.draft import Draft

            current.setup = self.current_draft().to_dict()  # type: ignore[attr-defined]
            await self._apply_draft(Draft.from_dict(cleared.setup))  # type: ignore[attr-defined]
        await self._show(cleared, hide=current)
        self._cleared = None if current.is_blank and current.setup is None else current
        earlier = (f" (its {cleared.earlier_replies} "
                   f"{'reply' if cleared.earlier_replies == 1 else 'replies'} from before the "
                   "restart are in History, F4)" if cleared.earlier_replies else "")
        what = "draft" if cleared.setup is not None else "conversation"
        self.notify(f"{what} restored" + earlier + (
            "" if self._cleared is None else "; alt+z swaps back to the newer one"))

    async def _set_aside(self, conversation: Conversation) -> None:
        """Keep this one for alt+z; only one is kept: the older one goes for good."""
        if self._cleared is not None:
            for reply in self._cleared.replies:
                await reply.remove()
        self._cleared = conversation

    async def set_aside_for_open(self) -> bool:
        """Before another draft replaces this one: the whole draft and its replies are kept for
        alt+z (they were simply lost). False when there was nothing to keep."""
        current = self._conversation()
        setup = self.current_draft()  # type: ignore[attr-defined]
        if current.is_blank and not setup.system.strip():
            return False
        current.setup = setup.to_dict()
        for reply in current.replies:
            reply.display = False
        self.replies, self.last_result = [], None
        for hint in self.query("#transcript-hint"):  # type: ignore[attr-defined]
            hint.display = True
        await self._set_aside(current)
        return True

    def set_aside_data(self) -> dict[str, Any] | None:
        """The set-aside conversation as saved with the draft (None: nothing to undo)."""
        return None if self._cleared is None else self._cleared.to_data()

    def adopt_set_aside(self, data: dict[str, Any] | None) -> None:
        """The conversation a clear set aside before a restart: alt+z can bring it back."""
        if not data or self._cleared is not None:
            return
        try:
            conversation = Conversation.from_data(data)
        except (TypeError, ValueError, AttributeError) as exc:
            self.notify(f"could not restore the cleared conversation: {exc}",
                        severity="warning")
            return
        if not conversation.is_blank or conversation.setup is not None:
            self._cleared = conversation

    def _conversation(self) -> Conversation:
        return Conversation(self.turn_list.turns(), list(self.replies), self.last_result)

    async def _show(self, conversation: Conversation, *, hide: Conversation) -> None:
        for reply in hide.replies:
            reply.display = False
        for reply in conversation.replies:
            reply.display = True
        self.replies = list(conversation.replies)
        self.last_result = conversation.last_result
        for hint in self.query("#transcript-hint"):
            hint.display = not self.replies
        area = await self.turn_list.set_turns(conversation.turns, focus=True)
        if area is not None:
            area.move_cursor(area.document.end)
        for transcript in self.query("#transcript"):
            transcript.scroll_end(animate=False)
        self.request_changed()

    # --- skills ---------------------------------------------------------------------------------
    def use_skill(self, skill: dict[str, Any]) -> None:
        if not any(s.get("skill_id") == skill.get("skill_id") for s in self._skills):
            self._skills.append(dict(skill))
        self.params.show_skills(self._skills)
        self.notify(f"skill {skill.get('skill_id')} will be used by the next run "
                    "(alt+s removes a skill)")
        self.request_changed()

    def action_remove_skill(self) -> None:
        from workbench.ui.screens.compose_modals import PickScreen

        if not self._skills:
            self.notify("no skill to remove: the request uses none (add one from Skills, F8)",
                        severity="warning")
            return
        labels = [f"{s.get('skill_id')} @ {s.get('version', 'latest')} ({s.get('type', '?')})"
                  for s in self._skills]

        def remove(index: int | None) -> None:
            if index is None or not 0 <= index < len(self._skills):
                return
            skill = self._skills.pop(index)
            self.params.show_skills(self._skills)
            self.notify(f"skill {skill.get('skill_id')} removed from the request")
            self.request_changed()

        self.app.push_screen(PickScreen("Remove which skill from the request?", labels), remove)

    # --- attachments ------------------------------------------------------------------------------
    def attach(self, attachment: Attachment) -> None:
        editor = self.turn_list.attach(attachment)
        focus_now(editor.area)  # typing goes on in the turn that got it
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
            # a local file wins over the id syntax: `file_notes.pdf` may be a file here
            ref = None if Path(os.path.expanduser(value)).is_file() else parse_file_ref(value)
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

        self.app.push_screen(AskScreen(ATTACH_PROMPT, "~/diagram.png or file_011C…",
                                       check=attach_problem, path=True), done)

    def action_remove_attachment(self) -> None:
        """Pick one of the turns' attachments to take off (the focused turn's come first);
        the turns' text and the other attachments stay."""
        from workbench.ui.screens.compose_modals import PickScreen

        editors = self.turn_list.editors
        focused = self.turn_list.focused_index()
        order = [focused, *(i for i in range(len(editors)) if i != focused)]
        choices = [(t, a) for t in order for a in range(len(editors[t].turn.attachments))]
        if not choices:
            self.notify("no attachment to remove: no turn has one (alt+i attaches a file)",
                        severity="warning")
            return
        labels = [f"turn {t + 1} ({editors[t].turn.role}): {editors[t].turn.attachments[a].label}"
                  for t, a in choices]
        # by identity: the turns may be moved, or the attachment removed, while the list is up
        picked = [(editors[t].turn, editors[t].turn.attachments[a]) for t, a in choices]

        def remove(index: int | None) -> None:
            if index is None or not 0 <= index < len(picked):
                return
            turn, attachment = picked[index]
            for number, editor in enumerate(self.turn_list.editors):
                if editor.turn is turn:
                    for a, other in enumerate(turn.attachments):
                        if other is attachment:
                            self.turn_list.remove_attachment(number, a)
                            self.notify(f"removed {attachment.label} from turn {number + 1}")
                            self.request_changed()
                            return
            self.notify(f"{attachment.label} is no longer attached", severity="warning")

        self.app.push_screen(PickScreen("Remove which attachment?", labels), remove)

    @work(group="attach-file", exit_on_error=False)  # not exclusive: two ids may be on the way
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
