"""`workbench files` through the real CLI entry point against the emulator over loopback."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

CONTROL = {"x-api-key": "sk-ant-test"}  # the emulator's /_emulator controls want a key too

def make_generated(url: str, filename: str, size: int) -> dict:
    """A downloadable file, as if a tool had produced it (emulator control)."""
    r = httpx.post(f"{url}/_emulator/files", json={"filename": filename, "size": size},
                   headers=CONTROL)
    r.raise_for_status()
    return r.json()


def test_upload_list_show_delete(wb, emulator_url, tmp_path: Path):
    src = tmp_path / "notes.md"
    src.write_text("# notes\nsome text\n")
    code, out, err = wb("files", "upload", str(src))
    assert code == 0, err
    file_id = out.strip()
    assert file_id.startswith("file_")
    assert "uploaded notes.md" in err and "upload notes.md: done" in err
    stored = httpx.get(f"{emulator_url}/_emulator/files/{file_id}/raw", headers=CONTROL).content
    assert stored == src.read_bytes()

    code, out, _ = wb("files", "list", "--all")
    assert code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith(file_id))
    assert "notes.md" in line and "text/markdown" in line and line.rstrip().endswith("no")
    assert out.splitlines()[0].split()[:2] == ["ID", "FILENAME"]

    code, out, _ = wb("files", "show", file_id)
    assert code == 0 and "filename:     notes.md" in out and "18 bytes" in out

    code, out, _ = wb("files", "delete", file_id)
    assert code == 0 and out.strip() == f"deleted {file_id}"
    code, _, err = wb("files", "show", file_id)
    assert code == 1 and "not_found_error" in err and file_id in err


def test_json_outputs_are_machine_readable(wb, tmp_path: Path):
    src = tmp_path / "data.csv"
    src.write_text("a,b\n1,2\n")
    code, out, _ = wb("files", "upload", str(src), "--type", "text/csv", "--json")
    assert code == 0
    meta = json.loads(out)
    assert meta["filename"] == "data.csv" and meta["mime_type"] == "text/csv"
    assert meta["size_bytes"] == 8 and meta["downloadable"] is False

    code, out, _ = wb("files", "list", "--json", "--limit", "1000")
    assert code == 0 and meta["id"] in [f["id"] for f in json.loads(out)]
    code, out, _ = wb("files", "show", meta["id"], "--json")
    assert json.loads(out)["id"] == meta["id"]
    code, out, _ = wb("files", "delete", meta["id"], "--json")
    assert json.loads(out) == {"id": meta["id"], "type": "file_deleted"}


def test_list_paginates_with_all(wb, make_emulator, tmp_path: Path):
    url = make_emulator()
    ids = {make_generated(url, f"f{i}.bin", 10)["id"] for i in range(5)}
    code, out, err = wb("files", "list", "--limit", "2", "--json", url=url)
    assert code == 0 and len(json.loads(out)) == 2
    code, out, err = wb("files", "list", "--limit", "2", url=url)
    assert "more files" in err
    code, out, _ = wb("files", "list", "--limit", "2", "--all", "--json", url=url)
    assert {f["id"] for f in json.loads(out)} == ids


def test_download_generated_file(wb, emulator_url, tmp_path: Path):
    meta = make_generated(emulator_url, "report.csv", 300_000)
    raw = httpx.get(f"{emulator_url}/_emulator/files/{meta['id']}/raw",
                    headers=CONTROL).content
    code, out, err = wb("files", "download", meta["id"], "-o", str(tmp_path) + "/")
    assert code == 0, err
    dest = tmp_path / "report.csv"
    assert out.strip() == str(dest)
    assert hashlib.sha256(dest.read_bytes()).digest() == hashlib.sha256(raw).digest()
    assert "download report.csv: done" in err

    # an existing file is kept unless --force
    code, _, err = wb("files", "download", meta["id"], "-o", str(dest))
    assert code == 2 and "already exists" in err
    dest.write_bytes(b"old")
    code, out, _ = wb("files", "download", meta["id"], "-o", str(dest), "--force", "--json")
    assert code == 0 and json.loads(out)["size_bytes"] == 300_000 == dest.stat().st_size


def test_download_of_an_upload_is_explained(wb, tmp_path: Path):
    src = tmp_path / "mine.txt"
    src.write_text("mine")
    _, out, _ = wb("files", "upload", str(src))
    code, out, err = wb("files", "download", out.strip(), "-o", str(tmp_path / "back.txt"))
    assert code == 1
    assert "uploaded files cannot be downloaded; only files created by tools or skills can be" in err
    assert not (tmp_path / "back.txt").exists()


def test_bad_inputs(wb, tmp_path: Path):
    code, _, err = wb("files", "upload", str(tmp_path / "missing.pdf"))
    assert code == 2 and "missing.pdf: no such file" in err
    code, _, err = wb("files", "upload", str(tmp_path))
    assert code == 2 and "not a regular file" in err

    big = tmp_path / "big.bin"
    with big.open("wb") as f:
        f.truncate(501 * 1024 * 1024)  # sparse: no disk used
    code, _, err = wb("files", "upload", str(big))
    assert code == 2 and "501.0 MB is over the Files API limit of 500.0 MB" in err

    code, _, err = wb("files", "download", "file_nope", "-o", str(tmp_path / "x"))
    assert code == 1 and "404 not_found_error" in err and "file_nope" in err
    code, _, err = wb("files", "delete", "file_nope")
    assert code == 1 and "not_found_error" in err
    code, _, err = wb("files", "list", "--limit", "0")
    assert code == 2 and "--limit" in err
    code, _, err = wb("files", "frobnicate")
    assert code == 2 and "invalid choice" in err


def test_no_key_and_unreachable_api(memory_keyring, capsys, tmp_path: Path):
    from workbench.cli import main

    code = main(["--base-url", "http://127.0.0.1:9", "files", "list"])
    assert code == 1 and "no API key" in capsys.readouterr().err
    os.environ["ANTHROPIC_API_KEY"] = "sk-ant-test"
    try:
        code = main(["--base-url", "http://127.0.0.1:9", "files", "list"])
    finally:
        del os.environ["ANTHROPIC_API_KEY"]
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("workbench files: ") and "Traceback" not in err


def test_subprocess_progress_is_one_final_line(emulator_url, tmp_path: Path):
    """Not a terminal: no redraws, a single final progress line, the id alone on stdout."""
    src = tmp_path / "blob.bin"
    src.write_bytes(os.urandom(3 * 1024 * 1024))
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    r = subprocess.run([sys.executable, "-m", "workbench", "files", "upload", str(src),
                        "--base-url", emulator_url], capture_output=True, text=True, env=env,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().startswith("file_") and len(r.stdout.splitlines()) == 1
    assert "\r" not in r.stderr and r.stderr.count("upload blob.bin: done, 3.0 MB") == 1


class FakeTTY:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


def test_progress_draws_only_on_a_terminal():
    from workbench.commands._shared import Progress

    tty = FakeTTY(True)
    p = Progress("upload x", stream=tty)
    for done in range(0, 11 * 1024 * 1024, 1024 * 1024):
        p(done, 10 * 1024 * 1024)
    assert "\r" in tty.text and "100.0%" in tty.text and "10.0 MB / 10.0 MB" in tty.text
    p.finish()
    assert tty.text.endswith("\n") and "upload x: done, 10.0 MB in" in tty.text

    pipe = FakeTTY(False)
    p = Progress("upload x", stream=pipe)
    for done in range(0, 11 * 1024 * 1024, 1024 * 1024):
        p(done, 10 * 1024 * 1024)
    assert pipe.text == ""
    p.finish(ok=False)
    assert pipe.text.startswith("upload x: failed, 10.0 MB in") and pipe.text.count("\n") == 1


def test_demo_runs_against_a_throwaway_emulator(tmp_path: Path):
    """`--demo` needs no key; top-level and per-command spellings both work."""
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    src = tmp_path / "a.txt"
    src.write_text("hi")
    for argv in (["--demo", "files", "upload", str(src), "--json"],
                 ["files", "upload", str(src), "--demo", "--json"]):
        r = subprocess.run([sys.executable, "-m", "workbench", *argv], capture_output=True,
                           text=True, env=env, timeout=60)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["filename"] == "a.txt"


def test_mime_type_checked_and_noted(wb, tmp_path: Path):
    src = tmp_path / "table.xlsx"
    src.write_bytes(b"PK\x03\x04 not really")
    code, _, err = wb("files", "upload", str(src), "--type", "spreadsheet")
    assert code == 2 and "'spreadsheet' is not a MIME type" in err
    code, out, err = wb("files", "upload", str(src))
    assert code == 0 and "container_upload" in err
    code, out, err = wb("files", "upload", str(src), "--type", "text/plain", "--json")
    assert code == 0 and json.loads(out)["mime_type"] == "text/plain" and "note:" not in err


def test_download_defaults_to_the_files_name_in_the_current_folder(wb, emulator_url, tmp_path,
                                                                    monkeypatch):
    meta = make_generated(emulator_url, "chart.png", 2048)
    monkeypatch.chdir(tmp_path)
    code, out, err = wb("files", "download", meta["id"])
    assert code == 0, err
    assert Path(out.strip()) == tmp_path / "chart.png"
    assert (tmp_path / "chart.png").stat().st_size == 2048
    code, _, err = wb("files", "download", meta["id"], "-o", str(tmp_path / "no" / "dir" / "x"))
    assert code == 2 and "no such folder" in err
