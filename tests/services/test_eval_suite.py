"""Loading suites: the example, datasets, library prompts, variants; every error names its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.services.evals.example import EXAMPLE
from workbench.services.evals.plan import base_request, plan_cells, request_hash
from workbench.services.evals.suite import SuiteError, load_suite, parse_suite

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_example_is_the_init_example_and_loads():
    assert (ROOT / "examples/evals/explain.toml").read_text() == EXAMPLE
    suite = parse_suite(EXAMPLE)
    assert [v.label for v in suite.variants] == ["haiku", "sonnet"]
    assert [c.id for c in suite.cases] == ["recursion", "closures", "sql-joins", "git-rebase"]
    assert len(suite.checks) == 3 and suite.threshold == 0.75
    cells = plan_cells(suite)
    assert len(cells) == 8
    first = cells[0].request
    assert first["model"] == "claude-haiku-5-5"
    assert first["messages"][0]["content"] == ("Explain recursion to a new programmer in three "
                                               "short points.")
    assert cells[1].request["model"] == "claude-sonnet-5-5"


def error_of(text: str) -> SuiteError:
    with pytest.raises(SuiteError) as info:
        parse_suite(text, "s.toml")
    return info.value


BASE = 'name = "s"\n[prompt]\nmodel = "m"\nmax_tokens = 10\nuser = "{{q}}"\n'


@pytest.mark.parametrize(("text", "line", "words"), [
    ('name = "s"\nthreshold = [\n', 2, "not valid TOML"),
    ('name = "s"\nthreshold = 3\n' + BASE[10:] + '[[cases]]\nvars = {q="a"}\n', 2, "0 to 1"),
    ('nam = "s"\n' + BASE[10:] + '[[cases]]\nvars = {q="a"}\n', 1, "unknown key 'nam'"),
    (BASE, 0, "no test cases"),
    (BASE + '[[cases]]\nid = "a"\nvars = {q="1"}\n[[cases]]\nid = "a"\nvars = {q="2"}\n', 9,
     "used twice"),
    (BASE + '[run]\nconcurrency = 0\n[[cases]]\nvars = {q="a"}\n', 7, "concurrency"),
    (BASE + '[[cases]]\nvars = {q="a"}\n[[cases.assert]]\ntype = "rubric"\nvalue = "good"\n', 9,
     "needs a grading model"),
    (BASE + '[[compare]]\nversion = 2\n[[cases]]\nvars = {q="a"}\n', 0, None),
])
def test_errors_name_the_line(text, line, words):
    if words is None:  # an error found when planning, not when loading
        suite = parse_suite(text, "s.toml")
        with pytest.raises(SuiteError) as info:
            plan_cells(suite)
        assert info.value.line == 6 and "needs prompt.library" in info.value.reason
        return
    error = error_of(text)
    assert error.line == line, str(error)
    assert words in error.reason
    assert str(error).startswith(f"s.toml:{line}: " if line else "s.toml: ")


def test_missing_variables_name_the_case():
    suite = parse_suite(BASE + '[[cases]]\nid = "a"\nvars = {q="x"}\n[[cases]]\nid = "b"\n'
                        'vars = {other = "y"}\n', "s.toml")
    with pytest.raises(SuiteError) as info:
        plan_cells(suite)
    assert info.value.line == 9 and "case 'b'" in info.value.reason and "{{q}}" in str(info.value)
    suite = parse_suite(BASE + '[[cases]]\nid = "a"\nvars = {q="x"}\n[[cases.assert]]\n'
                        'type = "contains"\nvalue = "{{nope}}"\n', "s.toml")
    with pytest.raises(SuiteError, match="no such variable"):
        plan_cells(suite)


def test_no_model_or_max_tokens_is_said():
    suite = parse_suite('[prompt]\nuser = "hi"\n[[cases]]\nid = "a"\n', "s.toml")
    with pytest.raises(SuiteError, match="no model"):
        plan_cells(suite)


def test_dataset_cases(tmp_path):
    (tmp_path / "cases.jsonl").write_text('{"id": "one", "q": "a", "ideal": "A"}\n'
                                          '{"q": "b"}\n')
    path = tmp_path / "s.toml"
    path.write_text(BASE + '[[cases]]\nid = "inline"\nvars = {q="z"}\n'
                    '[dataset]\npath = "cases.jsonl"\n')
    suite = load_suite(path)
    assert [(c.id, c.vars, c.ideal) for c in suite.cases] == [
        ("inline", {"q": "z"}, None), ("one", {"q": "a"}, "A"), ("row-2", {"q": "b"}, None)]
    (tmp_path / "cases.jsonl").write_text('{"q": "a"}\nnot json\n')
    with pytest.raises(SuiteError) as info:
        load_suite(path)
    assert info.value.line == 10 and "dataset" in info.value.reason


def test_request_file_and_params(tmp_path):
    (tmp_path / "req.json").write_text('{"model": "m", "max_tokens": 5, "stream": true, '
                                       '"messages": [{"role": "user", "content": "{{q}}"}]}')
    path = tmp_path / "s.toml"
    path.write_text('[prompt]\nrequest = "req.json"\n[[compare]]\nlabel = "hot"\n'
                    'params = { temperature = 1.0 }\n[[cases]]\nvars = {q = "hi"}\n')
    cell = plan_cells(load_suite(path))[0]
    assert cell.request == {"model": "m", "max_tokens": 5, "temperature": 1.0,
                            "messages": [{"role": "user", "content": "hi"}]}
    assert cell.key == request_hash(dict(reversed(list(cell.request.items()))))
    assert cell.key != request_hash(cell.request, "http://other")


def test_library_prompt_versions(tmp_path):
    from workbench.services.draft import Draft, Turn
    from workbench.services.store import Store

    store = Store(tmp_path / "db.sqlite")
    for system in ("Be terse.", "Be warm."):
        draft = Draft(model="claude-haiku-5-5", system=system, turns=[Turn("user", "Hi {{name}}")])
        store.save_prompt("greet", draft.to_dict())
    suite = parse_suite('[prompt]\nlibrary = "greet"\n[[compare]]\nversion = 1\n[[compare]]\n'
                        'version = 2\n[[cases]]\nvars = {name = "Ada"}\n', "s.toml")
    cells = plan_cells(suite, store)
    assert [c.variant.label for c in cells] == ["v1", "v2"]
    assert [c.request["system"] for c in cells] == ["Be terse.", "Be warm."]
    assert cells[0].request["messages"][0]["content"] == "Hi Ada"
    missing = parse_suite('[prompt]\nlibrary = "greet"\nversion = 9\n[[cases]]\nvars = {}\n',
                          "s.toml")
    with pytest.raises(SuiteError, match="no version 9"):
        base_request(missing, missing.variants[0], store)
    store.close()


def test_a_missing_or_folder_path(tmp_path):
    with pytest.raises(SuiteError, match="no such file"):
        load_suite(tmp_path / "nope.toml")
    with pytest.raises(SuiteError, match="is a folder"):
        load_suite(tmp_path)


def test_the_composers_draft_as_the_prompt():
    from workbench.services.composer import ComposerSession
    from workbench.services.draft import Draft, Turn
    from workbench.services.drafts import save_draft_and_set_aside

    draft = Draft(model="claude-haiku-5-5", turns=[Turn("user", "Define {{word}}")])
    save_draft_and_set_aside("default", draft.to_dict(), None)
    assert ComposerSession("default", default_model="", api_version="2023-06-01").load_saved()
    suite = parse_suite('[prompt]\ndraft = "default"\n[[cases]]\nvars = {word = "entropy"}\n',
                        "s.toml")
    assert plan_cells(suite)[0].request["messages"][0]["content"] == "Define entropy"
    other = parse_suite('[prompt]\ndraft = "nobody"\n[[cases]]\nvars = {}\n', "s.toml")
    with pytest.raises(SuiteError, match="no saved composer draft"):
        plan_cells(other)
