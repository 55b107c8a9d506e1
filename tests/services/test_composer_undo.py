"""alt+z's undo stack on the session: delete, move, role and clear, newest first (no Textual)."""

from __future__ import annotations

import pytest

from workbench.services.composer import ComposerSession, Refused
from workbench.services.draft import Attachment, Draft, Turn


def make() -> ComposerSession:
    session = ComposerSession("test", default_model="m", api_version="2023-06-01")
    session.draft.turns = [Turn("user", "one"), Turn("assistant", "two"), Turn("user", "three")]
    return session


def shape(session: ComposerSession) -> list[tuple[str, str]]:
    return [(t.role, t.text) for t in session.draft.turns]


def test_delete_move_role_undone_newest_first_keeping_the_same_turns() -> None:
    session = make()
    before = list(session.draft.turns)
    session.delete_turn(1)
    session.move_turn(1, -1)
    session.toggle_role(0)
    session.draft.turns[1].text = "one, typed after"  # typing since is kept
    assert session.undo() == "role switched back"
    assert shape(session) == [("user", "three"), ("user", "one, typed after")]
    assert session.undo() == "turn moved back"
    assert session.undo() == "deleted turn brought back"
    assert session.draft.turns == before and session.draft.turns[1] is before[1]
    assert shape(session)[0] == ("user", "one, typed after")
    with pytest.raises(Refused):  # nothing left, nothing set aside
        session.undo()


def test_the_only_turn_emptied_by_delete_gets_its_text_and_attachment_back() -> None:
    session = ComposerSession("test", default_model="m", api_version="2023-06-01")
    session.draft.turns = [Turn("user", "keep me", attachments=[Attachment("file", "f", "x")])]
    session.delete_turn(0)
    assert shape(session) == [("user", "")]
    session.undo()
    assert shape(session) == [("user", "keep me")]
    assert len(session.draft.turns[0].attachments) == 1


def test_clear_is_undone_in_order_with_the_turn_edits() -> None:
    session = make()
    session.toggle_role(2)
    session.clear()
    assert shape(session) == [("user", "")]
    back = session.undo()
    assert not isinstance(back, str)  # the conversation came back
    assert shape(session)[2] == ("assistant", "three")
    assert session.undo() == "role switched back"
    assert shape(session)[2] == ("user", "three")


def test_an_opened_draft_forgets_the_edits_of_the_one_it_replaced() -> None:
    session = make()
    session.delete_turn(0)
    session.open(Draft(turns=[Turn("user", "new")]))
    back = session.undo()  # the replaced draft comes back whole, not a stale turn edit
    assert not isinstance(back, str)
    assert shape(session) == [("assistant", "two"), ("user", "three")]
