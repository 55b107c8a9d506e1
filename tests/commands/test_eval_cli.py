"""`workbench eval`: the shipped example runs offline with --demo, exit codes for CI, JUnit,
a bad suite names its line, init, runs / compare / export, generate."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from workbench.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(str(p) for p in (ROOT / "examples/evals").glob("*.toml"))


def call(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_the_examples_run_offline_with_json_and_junit(capsys, tmp_path):
    junit = tmp_path / "junit.xml"
    code, out, err = call(capsys, "eval", "run", *EXAMPLES, "--demo", "--json",
                          "--junit", str(junit))
    doc = json.loads(out)
    assert code == doc["exit_code"] == 1  # some cases fail, deterministically
    suite = doc["suites"][0]
    assert suite["suite"] == "explain-for-beginners" and suite["cells"] == 8
    assert 0 < suite["passed"] < 8
    cases = {c["case"]: c for c in suite["cases"]}
    assert cases["recursion"]["passed"] is True
    assert cases["git-rebase"]["passed"] is False
    closures = cases["closures"]["results"]
    assert closures["haiku"]["status"] != closures["sonnet"]["status"]  # a disagreement
    failed = [a for a in cases["git-rebase"]["results"]["haiku"]["assertions"] if not a["passed"]]
    assert failed[0]["reason"].startswith("missing")
    assert "VARIANT" in err and "estimate up to $" in err
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites" and len(root.findall("testsuite")) == 2
    assert root.find("testsuite/testcase/failure") is not None

    # the same again comes from the cache: the same verdicts
    code2, out2, _ = call(capsys, "eval", "run", *EXAMPLES, "--demo", "--json")
    assert code2 == 1 and json.loads(out2)["suites"][0]["passed"] == suite["passed"]


def test_a_passing_suite_exits_0_and_prints_a_table(capsys, tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text('[prompt]\nmodel = "claude-haiku-5-5"\nmax_tokens = 400\nuser = "Explain '
                    '{{t}}"\n[[assert]]\ntype = "stop-reason"\nvalue = "end_turn"\n'
                    '[[cases]]\nvars = {t = "entropy"}\n')
    code, out, err = call(capsys, "eval", "run", str(path), "--demo")
    assert code == 0, err
    assert out.splitlines()[0].split() == ["VARIANT", "PASSED", "RATE", "SCORE", "COST", "P50",
                                           "P95", "ERRORS"]
    assert out.splitlines()[1].split()[:3] == ["default", "1/1", "100%"]


def test_batch_mode_from_the_cli(capsys, tmp_path):
    code, out, err = call(capsys, "eval", "run", EXAMPLES[0], "--demo", "--json", "--batch",
                          "--force")
    doc = json.loads(out)
    assert code == 1 and doc["suites"][0]["mode"] == "batch" and doc["suites"][0]["cells"] == 8
    assert "at the batch discount" in err and "ended" in err


def test_a_broken_suite_exits_2_naming_the_line(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(Path(EXAMPLES[0]).read_text().replace('value = "^(Good question|Here is)"',
                                                         'value = "^(Good question"'))
    code, out, err = call(capsys, "eval", "run", str(bad), "--demo")
    line = bad.read_text().splitlines().index('value = "^(Good question"') + 1
    assert code == 2 and out == ""
    assert f"bad.toml:{line}: regex: invalid regular expression" in err
    bad.write_text("name = \n")
    code, _, err = call(capsys, "eval", "run", str(bad), "--demo")
    assert code == 2 and "bad.toml:1: not valid TOML" in err
    code, _, err = call(capsys, "eval", "run", str(tmp_path / "none.toml"), "--demo")
    assert code == 2 and "no such file" in err


def test_init_writes_a_suite_that_runs(capsys, tmp_path):
    target = tmp_path / "suite.toml"
    code, _, err = call(capsys, "eval", "init", str(target))
    assert code == 0 and target.exists() and "workbench eval run" in err
    assert call(capsys, "eval", "init", str(target))[0] == 2  # no silent overwrite
    assert call(capsys, "eval", "run", str(target), "--demo", "--estimate")[0] == 0


def test_runs_compare_and_export(capsys, tmp_path):
    call(capsys, "eval", "run", EXAMPLES[0], "--demo")
    call(capsys, "eval", "run", EXAMPLES[0], "--demo", "--force")
    code, out, _ = call(capsys, "eval", "runs", "--json")
    runs = json.loads(out)
    assert code == 0 and len(runs) == 2 and runs[0]["summary"]["cells"] == 8
    new, old = runs[0]["id"], runs[1]["id"]
    code, out, _ = call(capsys, "eval", "compare", str(old), str(new))
    assert code == 0 and "0 better, 0 worse, 8 same" in out
    code, out, _ = call(capsys, "eval", "export", str(new))
    assert code == 0 and len(out.splitlines()) == 8 and json.loads(out.splitlines()[0])["case"]
    target = tmp_path / "run.csv"
    code, _, _ = call(capsys, "eval", "export", str(new), "--format", "csv", "-o", str(target))
    assert code == 0 and target.read_text().startswith("case,variant,status")
    assert call(capsys, "eval", "export", "999")[0] == 2


def test_generate_proposes_cases_to_review(capsys):
    code, out, err = call(capsys, "eval", "generate", EXAMPLES[0], "--demo", "--model",
                          "claude-haiku-5-5", "--count", "3")
    assert code == 0 and out.startswith("# Proposed test cases")
    assert "[[cases]]" in out and "[cases.vars]" in out and "topic =" in out
    assert "review" in err


def test_a_run_over_the_rate_limits_says_it_is_paced_and_still_runs(
        make_emulator, memory_keyring, monkeypatch, capsys, tmp_path):
    """Nothing is known before the first answer: the warning comes with it, on its own line."""
    from tests.services.test_burst_warning import suite_text

    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key-0000")
    url = make_emulator(tokens_per_second=None, rate_limits=(20, 1_000_000, 1_000_000))
    path = tmp_path / "paced.toml"
    path.write_text(suite_text(21))
    code, _out, err = call(capsys, "--base-url", url, "eval", "run", str(path))
    assert code == 0, err  # a warning, not a refusal: every cell ran
    note = next(line for line in err.splitlines() if line.startswith("note: "))
    assert "20 requests but 19 of 20 left" in note and "paced" in note and "about 3 s" in note
    assert "21 cells" in err and "21 passed" in err
