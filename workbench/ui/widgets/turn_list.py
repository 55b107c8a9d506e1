"""The conversation's turns: add, delete, reorder, switch role; knows which turn is a prefill."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import TextArea

from workbench.ui.key_order import drain, focus_now, typed_between
from workbench.ui.widgets.turn_editor import TurnEditor

if TYPE_CHECKING:
    from workbench.services.draft import Attachment, Turn


class TurnList(Vertical):
    DEFAULT_CSS = """
    TurnList { height: auto; }
    """
    # For the footer: shown while the focus is in the turns and a turn has an attachment
    # (check_action). The key itself is run by the composer screen's own alt+u binding, which
    # comes first among priority bindings and works wherever the focus is.
    BINDINGS = [Binding("alt+u", "remove_attachment", "Remove attachment",
                        id="compose.remove_attachment", priority=True)]

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
        """The turns, without those `set_turns` is replacing (hidden, on their way out)."""
        return [e for e in self.query_children(TurnEditor) if not e.has_class("-retired")]

    def turns(self) -> list[Turn]:
        return [e.current() for e in self.editors]

    async def set_turns(self, turns: list[Turn], *, focus: bool = False) -> TextArea | None:
        """Replace the turns. With `focus`, or when a replaced turn had the focus, the new last
        user turn takes it (returned) before the old turns go: removing the focused editor
        first let Textual hand the focus to the system prompt until a deferred `focus()` ran,
        and keys typed right after ctrl+l went into the system prompt (an e2e test caught it).
        What is typed into the old focused turn while the new ones mount (a draft opened by a
        worker) goes on in the new turn rather than away with the old one."""
        old = self.editors
        focused = self.screen.focused
        typing = next((e.area for e in old if focused is e.area), None)
        before = typing.text if typing is not None else ""
        had_focus = focused is not None and any(
            focused is e or e in focused.ancestors for e in old)
        for editor in old:  # not read as turns from now on; hidden once the focus has moved
            editor.add_class("-retired")
        new = [TurnEditor(t) for t in turns] or [TurnEditor()]
        await self.mount_all(new)
        area = None
        if focus or had_focus:
            users = [e for e in new if e.turn.role == "user"]
            area = (users[-1] if users else new[-1]).area
            focus_now(area)
            if typing is not None:
                await drain(typing)  # the keys it was sent before the focus moved
                extra = typed_between(before, typing.text)
                if extra:
                    area.insert(extra, area.document.end)
        for editor in old:
            editor.display = False
        await self.remove_children(old)
        self.refresh_heads()
        return area

    def focused_index(self) -> int:
        focused = self.screen.focused
        for i, editor in enumerate(self.editors):
            if focused is not None and (focused is editor or editor in focused.ancestors):
                return i
        return len(self.editors) - 1

    async def add_turn(self, role: str | None = None, text: str = "", *,
                       at: int | None = None, blocks: list | None = None,
                       focus: bool = True) -> TurnEditor:
        editors = self.editors
        index = len(editors) if at is None else at
        if role is None:
            before = editors[index - 1].turn.role if index > 0 and editors else "assistant"
            role = "assistant" if before == "user" else "user"
        from workbench.services.draft import Turn

        editor = TurnEditor(Turn(role, text, blocks=list(blocks or [])))  # type: ignore[arg-type]
        if index >= len(editors):
            await self.mount(editor)
        else:
            await self.mount(editor, before=editors[index])
        self.refresh_heads()
        if focus:
            focus_now(editor.area)
        return editor

    async def delete_focused(self) -> bool:
        editors = self.editors
        if len(editors) <= 1:
            editors[0].area.text = ""
            editors[0].turn.blocks.clear()
            editors[0].turn.attachments.clear()
            self.refresh_heads()
            return False
        index = self.focused_index()
        await editors[index].remove()
        rest = self.editors
        focus_now(rest[min(index, len(rest) - 1)].area)
        self.refresh_heads()
        return True

    def move_focused(self, step: int) -> None:
        editors = self.editors
        index = self.focused_index()
        target = index + step
        if not 0 <= target < len(editors):
            return
        editor = editors[index]
        if step < 0:
            self.move_child(editor, before=editors[target])
        else:
            self.move_child(editor, after=editors[target])
        self.refresh_heads()
        focus_now(editor.area)

    def toggle_role(self) -> None:
        editor = self.editors[self.focused_index()]
        editor.turn.role = "assistant" if editor.turn.role == "user" else "user"
        self.refresh_heads()

    def attach(self, attachment: Attachment) -> TurnEditor:
        """To the focused user turn, else the last user turn."""
        editors = self.editors
        index = self.focused_index()
        if editors[index].turn.role != "user":
            users = [e for e in editors if e.turn.role == "user"]
            editor = users[-1] if users else editors[index]
        else:
            editor = editors[index]
        editor.turn.attachments.append(attachment)
        editor.refresh_head(prefill=False)
        self.refresh_heads()
        return editor

    def refresh_heads(self) -> None:
        editors = self.editors
        for i, editor in enumerate(editors):
            last = i == len(editors) - 1
            editor.refresh_head(prefill=last and editor.turn.role == "assistant" and i > 0)
        if self.is_attached:
            self.screen.refresh_bindings()  # alt+u shows while a turn has an attachment

    def remove_attachment(self, turn_index: int, index: int) -> Attachment:
        """Take attachment `index` off turn `turn_index`; its text and the rest stay."""
        attachment = self.editors[turn_index].turn.attachments.pop(index)
        self.refresh_heads()
        return attachment

    def focused_area(self) -> TextArea | None:
        focused = self.screen.focused
        return focused if isinstance(focused, TextArea) else None
