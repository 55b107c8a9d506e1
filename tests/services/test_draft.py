"""The composer's Draft: request building per API version, tools checks, round trips."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.services.draft import Attachment, Draft, DraftError, Turn


def test_plain_text_turns_become_string_content() -> None:
    draft = Draft(model="claude-opus-5", system="Be brief.", turns=[Turn("user", "Hi")])
    body = draft.to_request("2023-06-01")
    assert body == {
        "model": "claude-opus-5", "max_tokens": 1024, "system": "Be brief.",
        "messages": [{"role": "user", "content": "Hi"}],
    }


def test_sampling_params_only_where_the_version_accepts_them() -> None:
    draft = Draft(temperature=0.3, top_k=5)
    assert draft.to_request("2023-06-01")["temperature"] == 0.3
    body = draft.to_request("2026-10-21")
    assert "temperature" not in body and "top_k" not in body


def test_trailing_assistant_turn_is_sent_as_prefill() -> None:
    draft = Draft(turns=[Turn("user", "Name a colour"), Turn("assistant", "The colour is")])
    assert draft.to_request("2023-06-01")["messages"][-1] == {
        "role": "assistant", "content": "The colour is"}


def test_empty_turns_are_not_sent() -> None:
    draft = Draft(turns=[Turn("user", "Hi"), Turn("assistant", "  ")])
    assert len(draft.to_request("2023-06-01")["messages"]) == 1


def test_invalid_tools_json_names_line_and_column() -> None:
    draft = Draft(tools_json='[\n  {"name": "x",\n   "input_schema": }\n]')
    with pytest.raises(DraftError, match=r"line 3, column 20"):
        draft.to_request("2023-06-01")


@pytest.mark.parametrize(
    "tools, fragment",
    [
        ('[{"input_schema": {"type": "object"}}]', "non-empty string 'name'"),
        ('[{"name": "w", "input_schema": {"type": "array"}}]', 'input_schema.type must be "object"'),
        ('[{"name": "bad name", "input_schema": {"type": "object"}}]', "must match"),
        ('"just a string"', "must be a list"),
    ],
)
def test_tool_shape_problems(tools: str, fragment: str) -> None:
    with pytest.raises(DraftError, match=fragment.replace("(", r"\(").replace("^", r"\^")):
        Draft(tools_json=tools).tools()


def test_server_tools_need_only_type_and_name() -> None:
    tools = Draft(tools_json='[{"type": "web_search_20250305", "name": "web_search"}]').tools()
    assert tools[0]["name"] == "web_search"


def test_attachments_become_blocks(tmp_path: Path) -> None:
    png = tmp_path / "dot.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    turn = Turn("user", "What is this?", [Attachment.from_path(png), Attachment("document", file_id="file_1")])
    blocks = Draft(turns=[turn]).to_request("2023-06-01")["messages"][0]["content"]
    assert blocks[0]["source"] == {"type": "base64", "media_type": "image/png",
                                   "data": base64.b64encode(png.read_bytes()).decode()}
    assert blocks[1] == {"type": "document", "source": {"type": "file", "file_id": "file_1"}}
    assert blocks[2] == {"type": "text", "text": "What is this?"}


def test_attachment_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(DraftError, match="no such file"):
        Attachment.from_path(tmp_path / "missing.png")
    odd = tmp_path / "x.exe"
    odd.write_bytes(b"MZ")
    with pytest.raises(DraftError, match="unsupported type"):
        Attachment.from_path(odd)


def test_skills_add_the_code_execution_tool_and_container() -> None:
    draft = Draft(skills=[{"type": "anthropic", "skill_id": "xlsx", "version": "latest"}])
    body = draft.to_request("2023-06-01")
    assert body["container"] == {"skills": [{"type": "anthropic", "skill_id": "xlsx", "version": "latest"}]}
    assert body["tools"] == [{"type": "code_execution_20250825", "name": "code_execution"}]
    back = Draft.from_request(body)
    assert back.skills == draft.skills and back.tools_json == ""


def test_from_request_keeps_tool_blocks_and_unknown_fields() -> None:
    body = {
        "model": "claude-haiku-4-5", "max_tokens": 50, "system": [{"type": "text", "text": "S"}],
        "metadata": {"user_id": "u1"}, "stream": True,
        "messages": [
            {"role": "user", "content": "weather?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "w", "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"}]},
        ],
    }
    draft = Draft.from_request(body)
    assert draft.system == "S"
    assert draft.turns[1].blocks[0]["type"] == "tool_use"
    rebuilt = draft.to_request("2023-06-01")
    assert rebuilt["metadata"] == {"user_id": "u1"}
    assert "stream" not in rebuilt
    assert rebuilt["messages"][1:] == body["messages"][1:]


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(system=_text, texts=st.lists(_text, min_size=1, max_size=4), budget=st.integers(1024, 9000))
def test_to_dict_round_trip(system: str, texts: list[str], budget: int) -> None:
    draft = Draft(system=system, turns=[Turn("user" if i % 2 == 0 else "assistant", t)
                                        for i, t in enumerate(texts)],
                  thinking=True, thinking_budget=budget, stop_sequences=["END"])
    assert Draft.from_dict(draft.to_dict()) == draft


def test_autosave_snapshots_land_in_the_order_they_were_taken() -> None:
    """Many writer threads, each slowed at random: the database ends with the newest snapshot
    of each slot, never an older one that happened to be written last."""
    import random
    import threading
    import time

    from workbench.services.autosave import OrderedSaver
    from workbench.services.drafts import load_draft, save_draft

    def slow_write(slot: str, data: dict) -> None:
        time.sleep(random.uniform(0, 0.01))
        save_draft(slot, data)

    saver = OrderedSaver(slow_write)
    jobs = [(saver.take(), slot, {"n": i}) for i in range(30) for slot in ("a", "b")]
    threads = [threading.Thread(target=saver.save, args=job) for job in reversed(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert load_draft("a") == {"n": 29} and load_draft("b") == {"n": 29}
    # and a snapshot older than the one on disk is refused outright
    assert saver.save(jobs[0][0], "a", {"n": -1}) is False
    assert load_draft("a") == {"n": 29}


def test_an_empty_turn_among_written_ones_is_refused_not_dropped() -> None:
    from workbench.services.draft import EmptyTurnError

    middle = Draft(turns=[Turn("user", "Hi"), Turn("assistant", "  "), Turn("user", "More")])
    with pytest.raises(EmptyTurnError, match=r"turn 2 \(assistant\) is empty") as caught:
        middle.to_request("2023-06-01")
    assert caught.value.index == 1 and isinstance(caught.value, DraftError)
    # a trailing empty user turn would silently turn the assistant turn into a prefill
    trailing = Draft(turns=[Turn("user", "Hi"), Turn("assistant", "Hello"), Turn("user", "")])
    with pytest.raises(EmptyTurnError, match="turn 3"):
        trailing.to_request("2023-06-01")
    # nothing written yet: no messages (callers ask for one), not an error
    assert Draft(turns=[Turn("user", ""), Turn("assistant", "")]).to_request(
        "2023-06-01")["messages"] == []
    # a turn with only an attachment or blocks is not empty
    blocks = Draft(turns=[Turn("user", "", blocks=[{"type": "text", "text": "x"}]),
                          Turn("assistant", "ok")])
    assert len(blocks.to_request("2023-06-01")["messages"]) == 2


def test_a_files_api_attachment_takes_its_kind_from_the_mime_type() -> None:
    image = Attachment.from_file("file_011Cabc", "image/webp", "photo.webp")
    assert image.to_block() == {"type": "image",
                                "source": {"type": "file", "file_id": "file_011Cabc"}}
    doc = Attachment.from_file("file_011Cpng", "application/pdf", "report.pdf")
    assert doc.to_block() == {"type": "document", "title": "report.pdf",
                              "source": {"type": "file", "file_id": "file_011Cpng"}}
    with pytest.raises(DraftError, match=r"data\.csv is text/csv"):
        Attachment.from_file("file_011Ccsv", "text/csv", "data.csv")


def test_a_local_attachment_is_read_once_while_unchanged(tmp_path):
    """The live estimate builds the request on every edit: a big file must not be re-read."""
    import os

    from workbench.services.draft import Attachment

    doc = tmp_path / "notes.txt"
    doc.write_text("first", encoding="utf-8")
    attachment = Attachment.from_path(str(doc))
    one, two = attachment.to_block(), attachment.to_block()
    assert one["source"]["data"] == "first"
    assert one["source"]["data"] is two["source"]["data"]  # not read (or decoded) again
    one["source"]["data"] = "mutated"  # a caller's change does not reach the cache
    assert attachment.to_block()["source"]["data"] == "first"
    doc.write_text("second", encoding="utf-8")
    stat = doc.stat()
    os.utime(doc, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert attachment.to_block()["source"]["data"] == "second"
    doc.unlink()
    import pytest

    from workbench.services.draft import DraftError

    with pytest.raises(DraftError, match="cannot read attachment"):
        attachment.to_block()
