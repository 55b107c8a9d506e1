"""The skill dialog's folder memory (issue 13, item 4): per skill id and for "new skill", in
the data dir, kept across instances (an app restart); a damaged file is empty, not an error."""

from __future__ import annotations

from pathlib import Path

from workbench.services.prompt_memory import PromptMemory
from workbench.services.skill_versions import SkillFolders, folder_missing


def test_folders_are_kept_per_skill_and_for_a_new_skill(tmp_path: Path) -> None:
    path = tmp_path / "data" / "skill_folders.json"
    memory = SkillFolders(path)
    assert memory.recall("skill_01") == "" and memory.recall(None) == ""
    memory.keep("/work/greeter", "skill_01", None)  # a new skill: its id and the default
    memory.keep("/work/other", "skill_02", "skill_02")
    again = SkillFolders(path)  # a new process reads the file
    assert again.recall("skill_01") == "/work/greeter"
    assert again.recall(None) == again.recall("") == "/work/greeter"
    assert again.recall("skill_02") == "/work/other"
    again.keep("/work/greeter-v2", "skill_01")
    assert SkillFolders(path).recall("skill_01") == "/work/greeter-v2"
    assert SkillFolders(path).recall(None) == "/work/greeter"  # the default is unchanged


def test_the_default_file_is_in_the_data_dir_beside_the_prompt_values(isolated_home) -> None:
    from workbench import paths

    SkillFolders().keep("/somewhere", "skill_01")
    assert (paths.data_dir() / "skill_folders.json").is_file()
    assert SkillFolders().path.parent == PromptMemory().path.parent


def test_a_damaged_or_odd_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "skill_folders.json"
    path.write_text("{not json")
    assert SkillFolders(path).recall("skill_01") == ""
    path.write_text('{"skill_01": 42, "": ["x"]}')
    assert SkillFolders(path).recall("skill_01") == "" and SkillFolders(path).recall(None) == ""
    SkillFolders(path).keep("/ok", "skill_01")  # and it is written over
    assert SkillFolders(path).recall("skill_01") == "/ok"


def test_a_folder_that_went_away_is_missing(tmp_path: Path) -> None:
    assert not folder_missing("")
    assert not folder_missing(str(tmp_path))
    assert folder_missing(str(tmp_path / "gone"))
    (tmp_path / "file").write_text("x")
    assert folder_missing(str(tmp_path / "file"))


def test_prompt_memory_still_reads_and_writes_its_values(tmp_path: Path) -> None:
    path = tmp_path / "prompt_memory.json"
    PromptMemory(path).keep("weather", {"city": "Oslo"}, ("rows.csv", 3))
    assert PromptMemory(path).recall("weather") == ({"city": "Oslo"}, ("rows.csv", 3))
    assert PromptMemory(path).recall("other") == ({}, ("", 1))
