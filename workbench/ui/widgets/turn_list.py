"""The conversation's turns, one editor each, kept in line with the session's list of turns.

Editors are matched to turns by identity: a command that adds, deletes or moves a turn mounts,
removes or moves only that editor, so the others (and the focus in them) stay as they are.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Vertical

from workbench.ui.focus import focus_now
from workbench.ui.widgets.turn_editor import TurnEditor

if TYPE_CHECKING:
    from workbench.services.draft import Turn


class TurnList(Vertical):
    DEFAULT_CSS = """
    TurnList { height: auto; }
    """
    # For the footer: shown while the focus is in the turns and a turn has an attachment
    # (check_action); the composer screen binds alt+u too, for wherever else the focus is.
    BINDINGS = [Binding("alt+u", "remove_attachment", "Remove attachment",
                        id="compose.remove_attachment")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_attachment":
            return any(e.turn.attachments for e in self.editors)
        return True

    async def action_remove_attachment(self) -> None:
        """The composer asks which one (its `action_remove_attachment`)."""
        await self.app.run_action("screen.remove_attachment")

    def compose(self):
        # One empty user turn in the very first frame, so typing can start at once.
        yield TurnEditor()

    @property
    def editors(self) -> list[TurnEditor]:
        """The turns, without those `sync` is removing."""
        return [e for e in self.query_children(TurnEditor) if not e.has_class("-retired")]

    def adopt(self, turns: list[Turn]) -> None:
        """The first frame's editor becomes the session's first turn (text typed into it so far
        goes into that turn), when the session holds just that one turn."""
        editors = self.editors
        if len(editors) == 1 and len(turns) == 1 and not turns[0].text:
            turns[0].text = editors[0].area.text
            editors[0].turn = turns[0]

    def focused_index(self) -> int:
        """The turn holding the focus, else the last turn."""
        index = self.focused_turn()
        return len(self.editors) - 1 if index is None else index

    def focused_turn(self) -> int | None:
        """The turn holding the focus, or None when the focus is elsewhere."""
        focused = self.screen.focused
        for i, editor in enumerate(self.editors):
            if focused is not None and (focused is editor or editor in focused.ancestors):
                return i
        return None

    async def sync(self, turns: list[Turn], *, focus: int | None = None,
                   edited: Collection[int] = ()) -> None:
        """Mount, move or remove editors until there is one per turn, in order; show the text
        of the turns in `edited` (ids of turns whose text a command set: any other editor's
        text is the user's, maybe with keys still on their way); then focus turn `focus` (or,
        when the focused editor went, the last user turn) and scroll it into view. The focus
        moves before anything is removed: Textual would otherwise hand it to the system prompt
        for a moment, and keys typed then would land there."""
        turns = list(turns)  # as they are now: the awaits below let the session change them
        old = self.editors
        wanted = {id(t) for t in turns}
        gone = [e for e in old if id(e.turn) not in wanted]
        for editor in gone:  # keys still on their way to it wait, then go to the new focus
            editor.add_class("-retired")
            editor.area.hold_keys()
        by_turn = {id(e.turn): e for e in old if id(e.turn) in wanted}
        new = [TurnEditor(t) for t in turns if id(t) not in by_turn]
        mounting = list(new)
        if not by_turn:  # a whole new conversation: one mount
            await self.mount_all(new, before=gone[0] if gone else None)
        else:
            for i, turn in enumerate(turns):
                current = self.editors
                editor = by_turn.get(id(turn))
                if editor is None:
                    editor = new.pop(0)
                    await self.mount(editor, before=current[i] if i < len(current) else None)
                elif current.index(editor) != i:
                    self.move_child(editor, before=current[i])
        editors = self.editors
        fresh = set(map(id, mounting))
        for editor, turn in zip(editors, turns, strict=True):
            if id(turn) in edited and editor.area.text != turn.text:
                editor.area.text = turn.text
                fresh.add(id(editor))
        focused = self.screen.focused
        lost = any(focused is e.area for e in gone)
        if focus is None and lost:
            users = [i for i, t in enumerate(turns) if t.role == "user"]
            focus = users[-1] if users else len(turns) - 1
        if focus is not None and 0 <= focus < len(editors):
            area = editors[focus].area
            if id(editors[focus]) in fresh:  # typing goes on after its text
                area.move_cursor(area.document.end)
            focus_now(area)
            self.call_after_refresh(area.scroll_visible, animate=False)
        for editor in gone:
            # removed once it has handed on the keys still queued in it (typed meanwhile)
            editor.display = False
            editor.area.hand_on()
            # (the area cannot await its own removal: the list removes it, when asked)
            editor.area.call_later(self.call_later, editor.remove)
        self.refresh_heads()

    def refresh_heads(self) -> None:
        editors = self.editors
        for i, editor in enumerate(editors):
            last = i == len(editors) - 1
            editor.refresh_head(prefill=last and editor.turn.role == "assistant" and i > 0)
        if self.is_attached:
            self.screen.refresh_bindings()  # alt+u shows while a turn has an attachment
