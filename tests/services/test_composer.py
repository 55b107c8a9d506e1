"""The composer's session: commands, validation, clear/undo, opening, autosave (no Textual)."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace
from typing import Any

import pytest

from workbench.services import composer
from workbench.services.composer import Change, ComposerSession, Refused
from workbench.services.draft import Attachment, Draft, DraftError, EmptyTurnError, Turn


def make(**kwargs: Any) -> tuple[ComposerSession, list[Change]]:
    session = ComposerSession("test", default_model="claude-sonnet-5-5",
                              api_version="2023-06-01", **kwargs)
    changes: list[Change] = []
    session.subscribe(changes.append)
    return session, changes


def texts(session: ComposerSession) -> list[tuple[str, str]]:
    return [(t.role, t.text) for t in session.draft.turns]


def reply(*blocks: Any) -> Any:
    message = SimpleNamespace(content=list(blocks))
    return SimpleNamespace(message=message)


def text_block(text: str) -> Any:
    return SimpleNamespace(type="text", text=text)


def tool_use(id_: str, name: str = "weather") -> Any:
    data = {"type": "tool_use", "id": id_, "name": name, "input": {"city": "Oslo"}}
    return SimpleNamespace(type="tool_use", id=id_, name=name, input=data["input"],
                           model_dump=lambda **_: dict(data))


def test_turns_alternate_move_delete_and_focus() -> None:
    session, changes = make()
    session.set_text(0, "hi")
    assert session.add_turn() == 1
    assert changes[-1] == Change("turns", focus=1)
    session.set_text(1, "hello")
    session.add_turn()
    assert [r for r, _ in texts(session)] == ["user", "assistant", "user"]
    assert session.move_turn(2, -1) == 1
    assert texts(session)[1] == ("user", "")
    assert session.move_turn(0, -1) == 0  # nowhere to go: unchanged
    session.toggle_role(1)
    assert session.draft.turns[1].role == "assistant"
    assert session.delete_turn(2) == 1
    assert texts(session) == [("user", "hi"), ("assistant", "")]
    session.delete_turn(1)
    only = session.draft.turns[0]
    only.attachments.append(Attachment("image", file_id="file_1"))
    session.delete_turn(0)  # the last turn is emptied, not removed (the same object)
    assert session.draft.turns == [only] and only.is_empty()


def test_parameter_problems_use_the_text_as_typed() -> None:
    session, _ = make()
    assert session.problems() == []
    draft = Draft(max_tokens=1024, thinking=True, thinking_budget=4096)
    session.set_params(draft, {"max-tokens": "1024", "budget": "4096", "temperature": "1.5"})
    found = {p.field: p.message for p in session.problems()}
    assert found["temperature"] == "temperature must be between 0 and 1 (1.5 is not)"
    assert found["budget"].startswith("thinking budget must be below max_tokens")
    session.set_params(Draft(), {"max-tokens": "abc", "temperature": "", "budget": "2048"})
    with pytest.raises(DraftError, match="max_tokens: 'abc' is not a whole number"):
        session.check()
    session.set_params(Draft(), {"max-tokens": "9000"})
    session.set_model("claude-x", {"id": "claude-x", "max_tokens": 8192})
    assert [str(p) for p in session.problems()] == [
        "max_tokens 9,000 is over claude-x's maximum of 8,192"]


def test_sampling_is_not_checked_where_the_api_version_refuses_it() -> None:
    session = ComposerSession("t", default_model="m", api_version="2026-10-21")
    session.set_params(Draft(), {"temperature": "7"})
    assert session.problems() == []


def test_run_body_refuses_with_reasons() -> None:
    session, _ = make()
    with pytest.raises(Refused, match="write a message first"):
        session.run_body()
    session.set_text(0, "hi")
    session.add_turn(text="")
    session.add_turn(text="more", role="user")
    with pytest.raises(EmptyTurnError) as caught:
        session.run_body()
    assert caught.value.index == 1
    session.delete_turn(1)
    assert session.run_body()["messages"] == [
        {"role": "user", "content": "hi"}, {"role": "user", "content": "more"}]
    session.started(object(), reply())
    with pytest.raises(Refused, match="in progress"):
        session.run_body()


def test_count_body_never_raises_while_the_draft_is_being_written() -> None:
    session, _ = make()
    session.set_text(0, "hi")
    session.add_turn()  # empty assistant... then a user turn: an empty turn between
    session.add_turn(text="there")
    draft = Draft(tools_json="[not json")
    session.set_params(draft, {})
    body = session.count_body()
    assert [m["content"] for m in body["messages"]] == ["hi", "there"]


def test_clear_undo_and_swap_back() -> None:
    session, changes = make()
    session.set_system("be brief")
    session.set_text(0, "first")
    token = object()
    session.started(token, reply(text_block("answer")))
    session.finished()
    session.clear()
    assert changes[-1].kind == "conversation" and changes[-1].hide == (token,)
    assert texts(session) == [("user", "")] and session.replies == []
    assert session.draft.system == "be brief"  # the setup stays
    with pytest.raises(Refused, match="already empty"):
        session.clear()
    session.set_text(0, "second")
    back = session.undo_clear()
    assert back.turns[0].text == "first" and session.replies == [token]
    assert changes[-1].show == (token,)
    session.undo_clear()  # swaps back to the newer one
    assert texts(session) == [("user", "second")]


def test_opening_a_draft_keeps_the_replaced_one_for_undo() -> None:
    session, changes = make()
    session.set_system("old system")
    session.set_text(0, "old")
    assert session.open(Draft(system="new", turns=[Turn("user", "new")]))
    assert changes[-1].kind == "draft"
    assert session.texts["max-tokens"] == "1024"
    back = session.undo_clear()
    assert back.setup is not None
    assert session.draft.system == "old system" and texts(session) == [("user", "old")]
    blank, _ = make()
    assert not blank.open(Draft(turns=[Turn("user", "x")]))  # nothing worth keeping


def test_append_reply_continues_a_prefill_and_answers_tool_calls() -> None:
    session, _ = make()
    session.set_text(0, "hi")
    session.add_turn(text="Once")  # an assistant prefill
    session.last_result = reply(text_block(" upon a time"))
    session.append_reply()
    assert texts(session) == [("user", "hi"), ("assistant", "Once upon a time"), ("user", "")]
    session.last_result = reply(text_block("checking"), tool_use("tu_1"), tool_use("tu_2"))
    session.answer_tool("12 degrees")
    turns = session.draft.turns
    assert turns[-2].role == "assistant"
    assert [b.get("id", b["type"]) for b in turns[-2].blocks] == ["text", "tu_1", "tu_2"]
    assert [b["content"] for b in turns[-1].blocks] == ["12 degrees", "not run"]
    session.last_result = None
    with pytest.raises(Refused):
        session.append_reply()


def test_attachments_go_to_a_user_turn_and_are_removed_by_identity() -> None:
    session, _ = make()
    session.set_text(0, "look")
    session.add_turn(text="ok")
    attachment = Attachment("image", file_id="file_9")
    assert session.attach(attachment, 1) == 0  # the assistant turn cannot take it
    picked = session.attachments(first=1)
    assert picked == [(session.draft.turns[0], attachment)]
    session.move_turn(1, -1)
    assert session.remove_attachment(*picked[0]) == 1
    assert session.remove_attachment(*picked[0]) is None


def test_skills_once_each() -> None:
    session, changes = make()
    skill = {"type": "anthropic", "skill_id": "pptx", "version": "latest"}
    assert session.use_skill(skill) and not session.use_skill(dict(skill))
    assert changes[-1].kind == "skills"
    assert session.remove_skill(0) == skill and session.draft.skills == []


def test_variables_and_dataset_are_remembered() -> None:
    session, _ = make()
    session.remember({"city": "Oslo"}, ("rows.csv", 3))
    session.remember(None, ("other.csv", 1))  # cancelled: the values stay
    assert session.variables == {"city": "Oslo"} and session.dataset == ("other.csv", 1)


def test_restore_applies_only_to_a_pristine_draft() -> None:
    session, changes = make()
    saved = Draft(system="saved", turns=[Turn("user", "from before")]).to_dict()
    session.restore_from(saved, {"turns": [{"role": "user", "text": "cleared"}], "replies": 2})
    assert texts(session) == [("user", "from before")] and session.loaded
    assert session.set_aside is not None and session.set_aside.earlier_replies == 2
    typing, _ = make()
    typing.set_text(0, "typed already")
    typing.restore_from(saved, None)
    assert texts(typing) == [("user", "typed already")]
    broken, changes = make()
    broken.restore_from({"turns": "nonsense"}, None)
    assert any(c.kind == "problem" for c in changes)


async def test_autosave_debounces_with_a_maximum_wait(monkeypatch) -> None:
    monkeypatch.setattr(composer, "AUTOSAVE_DEBOUNCE", 0.05)
    monkeypatch.setattr(composer, "AUTOSAVE_MAX_WAIT", 0.12)
    written: list[str] = []
    done = threading.Event()

    def write(slot: str, data: dict[str, Any], set_aside: Any) -> None:
        written.append(data["turns"][0]["text"])
        done.set()

    session, _ = make(write=write)
    session.restore_from(None, None)
    for i in range(8):  # typing faster than the debounce, for longer than the maximum wait
        session.set_text(0, f"text {i}")
        await asyncio.sleep(0.03)
    assert written, "the maximum wait did not force a save while typing went on"
    await session.flush()
    assert written[-1] == "text 7"


async def test_an_autosave_failure_is_announced() -> None:
    def write(slot: str, data: Any, set_aside: Any) -> None:
        raise OSError("disk full")

    session, changes = make(write=write)
    session.restore_from(None, None)
    session.set_text(0, "x")
    await session.flush()
    assert changes[-1] == Change("problem", message="autosave failed: disk full",
                                 severity="error")


async def test_a_failed_autosave_is_tried_again_on_flush() -> None:
    attempts: list[str] = []

    def write(slot: str, data: Any, set_aside: Any) -> None:
        attempts.append(data["turns"][0]["text"])
        if len(attempts) == 1:
            raise OSError("disk full")

    session, _ = make(write=write)
    session.restore_from(None, None)
    session.set_text(0, "x")
    await asyncio.gather(session.autosave.save_now(), return_exceptions=True)
    await session.flush()
    assert attempts == ["x", "x"]


def test_append_reply_twice_is_refused_and_the_next_reply_appends() -> None:
    session, _ = make()
    session.set_text(0, "hi")
    session.last_result = reply(text_block("hello there"))
    session.append_reply()
    assert texts(session) == [("user", "hi"), ("assistant", "hello there"), ("user", "")]
    with pytest.raises(Refused, match="already"):
        session.append_reply()
    assert len(session.draft.turns) == 3  # not the same reply twice and an empty turn
    session.set_text(2, "and then?")  # the next message typed: a new reply may follow
    session.last_result = reply(text_block("then this"))
    session.append_reply()
    assert texts(session)[-2:] == [("assistant", "then this"), ("user", "")]
