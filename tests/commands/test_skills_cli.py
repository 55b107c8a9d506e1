"""`workbench skills` through the real CLI entry point against the emulator over loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def wb(wb_fresh):
    return wb_fresh


def skill_folder(root: Path, name: str = "greeter", description: str = "Greets people") -> Path:
    folder = root / name
    (folder / "scripts").mkdir(parents=True)
    (folder / "SKILL.md").write_text(
        f"---\nname: {name}\ndescription: {description}\n---\n# {name}\nSay hello.\n")
    (folder / "scripts" / "hello.py").write_text("print('hello')\n")
    return folder


def test_create_list_versions_delete(wb, tmp_path: Path):
    folder = skill_folder(tmp_path)
    code, out, err = wb("skills", "create", str(folder), "--title", "Greeter")
    assert code == 0, err
    skill_id = out.strip()
    assert skill_id.startswith("skill_") and "created skill 'greeter' (Greeter)" in err

    code, out, _ = wb("skills", "list", "--source", "custom")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 and lines[1].startswith(skill_id)
    assert "Greeter" in lines[1] and "custom" in lines[1]

    code, out, _ = wb("skills", "list")
    assert "anthropic" in out and skill_id in out

    v2 = skill_folder(tmp_path / "v2", description="Greets people warmly")
    code, out, err = wb("skills", "new-version", skill_id, str(v2))
    assert code == 0, err
    version = out.strip()
    code, out, _ = wb("skills", "versions", skill_id)
    rows = out.splitlines()[1:]
    assert len(rows) == 2 and rows[0].startswith(version) and "warmly" in rows[0]

    code, out, _ = wb("skills", "show", skill_id)
    assert f"latest:   {version}" in out and "Greets people warmly" in out

    # still has versions: refused, with what to do
    code, _, err = wb("skills", "delete", skill_id)
    assert code == 1 and "still has 2 version(s)" in err and "--all-versions" in err

    code, out, _ = wb("skills", "delete", skill_id, "--version", version)
    assert code == 0 and out.strip() == f"deleted version {version} of {skill_id}"
    code, out, err = wb("skills", "delete", skill_id, "--all-versions")
    assert code == 0 and out.strip() == f"deleted {skill_id}" and "deleted version" in err
    code, _, err = wb("skills", "show", skill_id)
    assert code == 1 and "not_found_error" in err and skill_id in err


def test_json_outputs(wb, tmp_path: Path):
    code, out, _ = wb("skills", "create", str(skill_folder(tmp_path)), "--json")
    skill = json.loads(out)
    assert skill["display_name"] == "greeter" and skill["source"] == {"type": "custom"}

    code, out, _ = wb("skills", "list", "--json", "--source", "anthropic", "--all")
    listed = json.loads(out)
    assert listed and all(s["source"]["type"] == "anthropic" for s in listed)

    code, out, _ = wb("skills", "versions", skill["id"], "--json")
    versions = json.loads(out)
    assert [v["id"] for v in versions] == [skill["latest_version_id"]]
    assert versions[0]["name"] == "greeter"

    code, out, _ = wb("skills", "new-version", skill["id"], str(skill_folder(tmp_path / "b")),
                      "--json")
    assert json.loads(out)["skill_id"] == skill["id"]

    code, out, _ = wb("skills", "show", skill["id"], "--json")
    shown = json.loads(out)
    assert shown["id"] == skill["id"] and len(shown["versions"]) == 2

    code, out, _ = wb("skills", "delete", skill["id"], "--all-versions", "--json")
    assert code == 0
    deleted = json.loads(out)
    assert deleted["type"] == "skill_deleted" and len(deleted["deleted_versions"]) == 2


def test_bad_folders_are_usage_errors(wb, tmp_path: Path):
    code, _, err = wb("skills", "create", str(tmp_path / "missing"))
    assert code == 2 and "not a folder" in err

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("no skill here")
    code, _, err = wb("skills", "create", str(empty))
    assert code == 2 and "has no SKILL.md" in err

    no_meta = tmp_path / "nometa"
    no_meta.mkdir()
    (no_meta / "SKILL.md").write_text("---\nname: x\n---\nbody\n")
    code, _, err = wb("skills", "create", str(no_meta))
    assert code == 2 and "needs description" in err

    big = skill_folder(tmp_path / "big")
    with (big / "data.bin").open("wb") as f:
        f.truncate(31 * 1024 * 1024)  # sparse
    code, _, err = wb("skills", "create", str(big))
    assert code == 2 and "limit" in err

    code, _, err = wb("skills", "new-version", "skill_nope", str(empty))
    assert code == 2 and "has no SKILL.md" in err

    code, out, _ = wb("skills", "list", "--source", "custom", "--json")
    assert json.loads(out) == []  # nothing half-made


def test_unknown_ids_and_anthropic_skills(wb, tmp_path: Path):
    for args in (("versions", "skill_nope"), ("show", "skill_nope"),
                 ("delete", "skill_nope"), ("new-version", "skill_nope",
                                            str(skill_folder(tmp_path)))):
        code, _, err = wb("skills", *args)
        assert code == 1 and "404 not_found_error" in err and "skill_nope" in err, args

    code, out, _ = wb("skills", "list", "--source", "anthropic", "--json")
    anthropic_id = json.loads(out)[0]["id"]
    code, _, err = wb("skills", "delete", anthropic_id)
    assert code == 1 and "permission_error" in err and "cannot be deleted" in err

    code, _, err = wb("skills", "delete", "x", "--version", "1", "--all-versions")
    assert code == 2 and "not allowed with" in err
    code, _, err = wb("skills", "list", "--source", "mine")
    assert code == 2 and "invalid choice" in err
