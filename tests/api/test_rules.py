"""The API's rules, stated once in `workbench.api.rules` and used by the client, the services
and the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.api.rules import (
    CUSTOM_ID_PATTERN,
    FrontMatterError,
    custom_id_ok,
    front_matter,
    guess_mime,
    is_file_id,
    missing_skill_fields,
    tool_name_ok,
)
from workbench.api.skills import SkillFolderError, skill_parts


@pytest.mark.parametrize("value,ok", [
    ("row-1", True), ("a" * 64, True), ("A_b-9", True),
    ("", False), ("a" * 65, False), ("a\n", False), ("a b", False), ("é", False), (7, False),
])
def test_custom_id(value: object, ok: bool) -> None:
    assert custom_id_ok(value) is ok
    assert CUSTOM_ID_PATTERN == "^[a-zA-Z0-9_-]{1,64}$"  # the API's wording, quoted in errors


def test_tool_names() -> None:
    assert tool_name_ok("get_weather-2") and tool_name_ok("t" * 128)
    assert not tool_name_ok("t" * 129) and not tool_name_ok("has space") and not tool_name_ok("")


def test_file_ids() -> None:
    assert is_file_id("file_011CabC")
    assert not is_file_id("file_ x") and not is_file_id("notes.pdf") and not is_file_id("")


def test_guess_mime_knows_the_data_types_mimetypes_may_not() -> None:
    assert guess_mime(Path("a.pdf")) == "application/pdf"
    assert guess_mime("rows.jsonl") == "application/jsonl"
    assert guess_mime("conf.yaml") == "text/yaml"
    assert guess_mime("blob") == "application/octet-stream"


def test_front_matter_is_yaml_so_descriptions_may_span_lines() -> None:
    text = ("\ufeff---\nname: pdf-helper\ndescription: >\n  Fills PDF forms,\n  and merges them.\n"
            "extra:\n  nested: true\n---\nBody\n---\n")
    meta = front_matter(text)
    assert meta["name"] == "pdf-helper"
    assert meta["description"] == "Fills PDF forms, and merges them.\n"
    assert meta["extra"] == {"nested": True}
    assert front_matter('---\nname: "quoted: colon"\ndescription: |\n  a\n  b\n---\n') == {
        "name": "quoted: colon", "description": "a\nb"}


@pytest.mark.parametrize("text", ["no front matter", "---\nname: x\n", "", "---\n---\nbody"])
def test_no_front_matter_block_reads_as_empty(text: str) -> None:
    assert front_matter(text) == {}


def test_front_matter_errors_say_where_and_why() -> None:
    with pytest.raises(FrontMatterError, match=r"not valid YAML \(line 3, column \d+\).*quote"):
        front_matter("---\nname: x\ndescription: does: this\n---\n")
    with pytest.raises(FrontMatterError, match="key: value"):
        front_matter("---\n- a list\n---\n")


def test_required_fields_are_text() -> None:
    assert missing_skill_fields({"name": "x", "description": "y"}) == []
    assert missing_skill_fields({"name": 3, "description": "  "}) == ["name", "description"]


def test_a_skill_folder_with_bad_yaml_is_explained(tmp_path: Path) -> None:
    (tmp_path / "SKILL.md").write_text("---\nname: x\ndescription: a: b\n---\n")
    with pytest.raises(SkillFolderError, match=r"SKILL\.md: the front matter is not valid YAML"):
        skill_parts(tmp_path)
    (tmp_path / "SKILL.md").write_text("---\nname: x\ndescription: >-\n  two\n  lines\n---\n")
    assert skill_parts(tmp_path)[1] == {"name": "x", "description": "two lines"}
