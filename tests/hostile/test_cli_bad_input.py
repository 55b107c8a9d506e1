"""Every bad local input gets a clear message and exit code 2: no traceback, no hang. And a CLI
session against a server that echoes the key and sends escape sequences prints neither."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.server import RAW_ESCAPES, hostile_server, windows

ROOT = Path(__file__).resolve().parents[2]


def make_inputs(d: Path) -> None:
    (d / "broken.toml").write_text("name = [\n")
    (d / "typed.toml").write_text('name = "x"\nformat = "abc"\n[draft]\nmodel = 5\n')
    (d / "typed2.toml").write_text('name = "x"\n[draft]\nturns = 5\n')
    (d / "noname.toml").write_text("name = 5\n")
    (d / "bigint.toml").write_text('name = "x"\nv = ' + "9" * 5000 + "\n")
    (d / "deep.toml").write_text('name = "x"\nv = ' + "[" * 3000 + "]" * 3000 + "\n")
    (d / "big.jsonl").write_text('{"a": ' + "9" * 5000 + "}\n")
    (d / "deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    (d / "p.txt").write_text("hello\n")
    (d / "bin.txt").write_bytes(b"\xff\xfe\x00bad")
    os.mkfifo(d / "fifo")
    skill = d / "skill"
    skill.mkdir()
    (skill / "SKILL.md").write_text("---\nname: s\ndescription: d\n---\nbody\n")
    (d / "outside.txt").write_text("secret outside the folder\n")
    (skill / "x.txt").symlink_to(d / "outside.txt")


CASES = {
    "malformed prompt TOML": (["prompts", "import", "broken.toml"], "not valid TOML"),
    "wrong-typed format": (["prompts", "import", "typed.toml"], "wrong type"),
    "wrong-typed turns": (["prompts", "import", "typed2.toml"], "not a prompt"),
    "name not a string": (["prompts", "import", "noname.toml"], "needs a name"),
    "5000-digit integer in TOML": (["prompts", "import", "bigint.toml"], "too many digits"),
    "deeply nested TOML": (["prompts", "import", "deep.toml"], "nested too deeply"),
    "prompt file is a FIFO": (["prompts", "import", "fifo"], "FIFO"),
    "prompt file is /dev/zero": (["prompts", "import", "/dev/zero"], "device"),
    "count -f FIFO": (["count", "-f", "fifo"], "FIFO"),
    "count -f /dev/zero": (["count", "-f", "/dev/zero"], "device"),
    "count -f binary": (["count", "-f", "bin.txt"], "UTF-8"),
    "5000-digit integer in a dataset": (["batch", "create", "--dataset", "big.jsonl",
                                         "--prompt", "p.txt", "--demo"], "digits"),
    "deeply nested dataset": (["batch", "create", "--dataset", "deep.jsonl", "--prompt",
                               "p.txt", "--demo"], "nested too deeply"),
    "dataset is a FIFO": (["batch", "create", "--dataset", "fifo", "--prompt", "p.txt",
                           "--demo"], "not a regular file"),
    "upload a FIFO": (["files", "upload", "fifo", "--demo"], "not a regular file"),
    "port 99999": (["emulator", "--port", "99999"], "not a port"),
    "port not a number": (["emulator", "--port", "x"], "not a port"),
    "non-UTF-8 argument": ([b"count", b"\xff\xfe"], "not valid UTF-8"),
    "non-UTF-8 command": ([b"\xff"], "not valid UTF-8"),
    "skill link outside its folder": (["skills", "create", "skill", "--demo"],
                                      "outside the skill folder"),
}


def run(args: list, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    words = [a if isinstance(a, bytes) else a.encode() for a in args]
    return subprocess.run([sys.executable.encode(), b"-m", b"workbench", *words], cwd=cwd,
                          env=env, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "WORKBENCH_"))}
    env.update(WORKBENCH_HOME=str(home), PYTHONPATH=str(ROOT))
    return env


@pytest.mark.parametrize("case", list(CASES))
def test_bad_local_input_is_a_clear_usage_error(case: str, tmp_path: Path,
                                                 isolated_home: Path) -> None:
    args, expected = CASES[case]
    make_inputs(tmp_path)
    done = run(args, tmp_path, environment(isolated_home))  # a hang fails by the timeout
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, (case, done.returncode, err[-800:])
    assert "Traceback" not in err, err[-800:]
    assert expected in err, (case, err[-400:])


KEY = "sk-ant-api03-" + "Zq9" * 12 + "-EchoedKey"


@pytest.mark.parametrize("args", [["files", "list"], ["skills", "list"], ["batch", "list"],
                                  ["count", "hello"], ["batch", "show", "msgbatch_1"],
                                  ["files", "list", "--json"], ["skills", "list", "--json"]])
def test_cli_against_a_hostile_server_prints_no_key_and_no_escape(
        args: list[str], tmp_path: Path, isolated_home: Path) -> None:
    from tests.hostile.test_hostile_text_and_key import canned

    with hostile_server(canned()) as url:
        env = environment(isolated_home)
        env["ANTHROPIC_API_KEY"] = KEY
        done = run(["--base-url", url, *args], tmp_path, env)
    out = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert "Traceback" not in out, out[-800:]
    for seq in RAW_ESCAPES:
        assert seq not in out
    assert "\x1b" not in out and "\x07" not in out
    assert not [w for w in windows(KEY) if w in out], out[-400:]
    for path in isolated_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [w for w in windows(KEY) if w.encode() in data], path
