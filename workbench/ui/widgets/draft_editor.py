"""The composer's draft as editors: the system prompt and the turns, a view of the session.

Typing goes into the session as it happens (`TextArea.Changed`); `pull` reads all the editors
into it at once, before a command reads the draft (their Changed messages may still be queued
behind the key that runs the command); `show` brings the editors in line with the session
after a command, mounting or removing only the turns that differ (`TurnList.sync`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from textual import getters
from textual.app import ComposeResult
from textual.widgets import Label, TextArea

from workbench.ui.widgets.editor_column import EditorColumn
from workbench.ui.widgets.ordered_text_area import OrderedTextArea
from workbench.ui.widgets.turn_editor import TurnEditor
from workbench.ui.widgets.turn_list import TurnList

if TYPE_CHECKING:
    from workbench.services.composer import ComposerSession


class DraftEditor(EditorColumn):
    ALLOW_MAXIMIZE = True  # alt+m: the turns fill the screen (not one turn's text area)
    turn_list = getters.query_one(TurnList)
    system = getters.query_one("#system", OrderedTextArea)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session: ComposerSession | None = None  # set when the screen attaches one

    def compose(self) -> ComposeResult:
        yield Label("System prompt", classes="section")
        yield OrderedTextArea("", id="system", soft_wrap=True, tab_behavior="focus")
        yield Label("Messages", classes="section")
        yield TurnList(id="turns")

    def adopt(self, session: ComposerSession) -> None:
        """Typing may have begun in the first frame: its text becomes the session's."""
        self.turn_list.adopt(session.draft.turns)
        if self.system.text:
            session.set_system(self.system.text)
        self.session = session

    def typing_area(self) -> TextArea | None:
        """Where typing goes on: the last user turn (else the last turn)."""
        editors = self.turn_list.editors
        users = [e for e in editors if e.turn.role == "user"] or editors
        return users[-1].area if users else None

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.session is None:  # before the first frame: adopting reads the text
            return
        area = event.text_area
        if area is self.system:
            self.session.set_system(area.text)
        elif isinstance(editor := area.parent, TurnEditor):
            self.session.set_turn_text(editor.turn, area.text)

    def pull(self, session: ComposerSession) -> None:
        session.set_system(self.system.text)
        for editor in self.turn_list.editors:
            session.set_turn_text(editor.turn, editor.area.text)

    async def show(self, session: ComposerSession, *, new_draft: bool, focus: int | None,
                   edited: Collection[int]) -> None:
        """The system prompt (only when a new draft replaced it: else the text is the user's)
        and the turns, focusing turn `focus` and showing the text of the `edited` turns."""
        if new_draft and self.system.text != session.draft.system:
            self.system.text = session.draft.system
        await self.turn_list.sync(session.draft.turns, focus=focus, edited=edited)

    def show_empty_turn(self, index: int) -> None:
        """Put the cursor in the empty turn a run was refused for."""
        editors = self.turn_list.editors
        if 0 <= index < len(editors):
            area = editors[index].area
            area.focus()
            area.scroll_visible(animate=False)
