"""The composer's editing keys: turns, clearing and its undo, attachments, skills, `$EDITOR`.

Each action runs one command of the `ComposerSession` and awaits the screen's mirror of it, so
the keys typed next reach the turn the command focused. A refused command says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import TextArea

from workbench.ui.widgets.attach_flow import AttachFlow

if TYPE_CHECKING:
    from workbench.services.draft import Attachment


REFUSED = object()


class EditActions:
    """Mixed into ComposeScreen (its `session`, `turn_list`, `mirror()`)."""

    async def _do(self, command: Any, *args: Any) -> Any:
        """Run a session command and mirror it; a refusal becomes a warning (REFUSED)."""
        from workbench.services.composer import Refused

        self.pull()
        try:
            result = command(*args)
        except Refused as exc:
            self.notify(str(exc), severity="warning")
            return REFUSED
        await self.mirror()
        return result

    # --- turns -----------------------------------------------------------------------------------
    async def action_add_turn(self) -> None:
        await self._do(self.session.add_turn, self.turn_list.focused_index() + 1)

    async def action_delete_turn(self) -> None:
        """Only the turn with the cursor in it: a guess elsewhere would lose a turn's text."""
        index = self.turn_list.focused_turn()
        if index is None:
            self.notify("put the cursor in the turn to delete (alt+d deletes that turn)",
                        severity="warning")
            return
        await self._do(self.session.delete_turn, index)

    async def action_move_turn(self, step: int) -> None:
        await self._do(self.session.move_turn, self.turn_list.focused_index(), step)

    async def action_toggle_role(self) -> None:
        await self._do(self.session.toggle_role, self.turn_list.focused_index())

    async def action_branch(self) -> None:
        index = self.turn_list.focused_turn()
        if index is None:
            self.notify("put the cursor in the turn to branch from (alt+shift+b)", severity="warning")
            return
        count = await self._do(self.session.branch, index)
        if count is not REFUSED:
            self.notify(f"branched: a new draft with turns 1–{count}; alt+z brings back the "
                        "original (History and the library keep it as it was)")

    # --- clearing the conversation, and undoing turn edits -----------------------------------------------
    async def action_clear_conversation(self) -> None:
        """Start over; the system prompt, parameters, tools and skills stay (the setup)."""
        if await self._do(self.session.clear) is not REFUSED:
            self.notify("Conversation cleared: alt+z brings it back (the system prompt, "
                        "parameters, tools and skills stay)", timeout=10)

    async def action_undo_clear(self) -> None:
        """alt+z: the last turn edit (delete, move, role, clear), else the set-aside draft."""
        back = await self._do(self.session.undo)
        if back is REFUSED:
            return
        if isinstance(back, str):
            self.notify(back + " (alt+z again undoes the edit before)")
            return
        earlier = back.earlier_replies
        note = (f" (its {earlier} {'reply' if earlier == 1 else 'replies'} from before the "
                "restart are in History, F4)" if earlier else "")
        what = "draft" if back.setup is not None else "conversation"
        swap = "" if self.session.set_aside is None else "; alt+z swaps back to the newer one"
        self.notify(f"{what} restored{note}{swap}")

    # --- skills ----------------------------------------------------------------------------------
    def use_skill(self, skill: dict[str, Any], name: str = "") -> None:
        self.session.use_skill(skill, name)
        self.notify(f"skill {name or skill.get('skill_id')} will be used by the next run "
                    "(alt+s removes a skill)", markup=False)

    def action_remove_skill(self) -> None:
        from workbench.ui.screens.compose_modals import PickScreen

        skills = self.session.draft.skills
        if not skills:
            self.notify("no skill to remove: the request uses none (add one from Skills, F8)",
                        severity="warning")
            return
        names = self.session.skill_names
        labels = [f"{names.get(str(s.get('skill_id')), '')} {s.get('skill_id')} @ "
                  f"{s.get('version', 'latest')} ({s.get('type', '?')})".lstrip()
                  for s in skills]
        picked = list(skills)

        def remove(index: int | None) -> None:
            if index is None or picked[index] not in self.session.draft.skills:
                return
            skill = self.session.remove_skill(self.session.draft.skills.index(picked[index]))
            self.notify(f"skill {names.get(str(skill.get('skill_id'))) or skill.get('skill_id')}"
                        " removed from the request", markup=False)

        self.app.push_screen(PickScreen("Remove which skill from the request?", labels), remove)

    # --- attachments (the dialogs and the Files API look-up: AttachFlow) ----------------------
    async def attach(self, attachment: Attachment) -> None:
        import asyncio

        from workbench.services.draft import DraftError

        if attachment.path:  # read and encode it once in a thread: the request built on the
            try:  # UI thread (the token estimate, each edit) then finds it in the cache
                await asyncio.to_thread(attachment.to_block)
            except DraftError as exc:  # changed since the dialog checked it
                self.notify(str(exc), title="Not attached", severity="error", timeout=10)
                return
        index = await self._do(self.session.attach, attachment, self.turn_list.focused_index())
        self.notify(f"attached {attachment.label} to turn {index + 1}", markup=False)

    def action_attach(self) -> None:
        AttachFlow(self).ask()

    def action_remove_attachment(self) -> None:
        AttachFlow(self).pick_to_remove()

    def attach_file_id(self, file_id: str, kind: str | None = None) -> None:
        """Not exclusive: two ids may be on the way."""
        self.run_worker(AttachFlow(self).attach_file_id(file_id, kind), group="attach-file",
                        exit_on_error=False)

    async def action_toggle_cache(self) -> None:
        """alt+shift+f: the focused editor's cache breakpoint, off / 5m / 1h (widgets/cache_marks)."""
        from workbench.ui.widgets.cache_marks import toggle_focused

        await toggle_focused(self)

    async def action_editor(self) -> None:
        from workbench.ui.external_editor import edit_externally

        area = self.focused if isinstance(self.focused, TextArea) else None
        if area is None or area.read_only:
            self.notify("focus an editor first", severity="warning")
            return
        await edit_externally(self.app, area)
