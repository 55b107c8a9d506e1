"""curl import, prompt TOML files (round trips) and the section diff of prompt versions."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.services.curl_import import CurlImportError, parse_curl
from workbench.services.diff import diff_sections
from workbench.services.draft import Draft, Turn
from workbench.services.promptfile import PromptFile, PromptFileError, dumps, loads

DOCS_EXAMPLE = """curl https://api.anthropic.com/v1/messages \\
     --header "x-api-key: $ANTHROPIC_API_KEY" \\
     --header "anthropic-version: 2023-06-01" \\
     --header "content-type: application/json" \\
     --data \\
'{
    "model": "claude-opus-4-1",
    "max_tokens": 1024,
    "messages": [
        {"role": "user", "content": "Hello, world"}
    ]
}'"""


def test_the_api_docs_example():
    parsed = parse_curl(DOCS_EXAMPLE)
    assert parsed.url == "https://api.anthropic.com/v1/messages"
    assert parsed.body["messages"][0]["content"] == "Hello, world"
    assert parsed.headers["anthropic-version"] == "2023-06-01"


def test_short_flags_double_quotes_and_data_raw():
    body = json.dumps({"model": "m", "max_tokens": 5, "system": "it's",
                       "messages": [{"role": "user", "content": "say \"hi\""}]})
    escaped = body.replace("\\", "\\\\").replace('"', '\\"')
    command = (f'curl -sS -X POST "http://127.0.0.1:8765/v1/messages" -H "x-api-key: k" '
               f'-H "anthropic-beta: files-api-2025-04-14" --data-raw "{escaped}"')
    parsed = parse_curl(command)
    assert parsed.body["system"] == "it's" and parsed.body["messages"][0]["content"] == 'say "hi"'
    assert parsed.headers["anthropic-beta"] == "files-api-2025-04-14"


@pytest.mark.parametrize("command, message", [
    ("wget https://api.anthropic.com/v1/messages", "must start with curl"),
    ("curl https://api.anthropic.com/v1/models -d '{}'", "/v1/messages"),
    ("curl https://api.anthropic.com/v1/messages", "no request body"),
    ("curl https://api.anthropic.com/v1/messages -d '{\"model\": }'", "line 1, column 11"),
    ("curl https://api.anthropic.com/v1/messages -d '{\"model\": \"m\"", "unclosed quote"),
    ("curl https://api.anthropic.com/v1/messages --frobnicate -d '{}'", "--frobnicate"),
    ("curl https://api.anthropic.com/v1/messages -d @body.json", "from a file"),
    ("curl https://api.anthropic.com/v1/messages -d '[1]'", "JSON object with messages"),
    ("curl https://api.anthropic.com/v1/messages -H", "needs a value"),
])
def test_what_is_not_understood_is_named(command, message):
    with pytest.raises(CurlImportError, match=message):
        parse_curl(command)


def _draft() -> Draft:
    return Draft(model="claude-haiku-4-5", system="You are terse.\nAnswer in {{language}}.",
                 turns=[Turn("user", "Summarise:\n{{text}}"), Turn("assistant", "Summary:")],
                 max_tokens=300, temperature=0.3, stop_sequences=["\n\n"],
                 tools_json='[{"name": "get_time", "input_schema": {"type": "object"}}]')


def test_prompt_file_round_trip_is_exact_and_readable():
    prompt = PromptFile(name="summary", draft=_draft().to_dict(), note="shorter",
                        version=3, variables=["language", "text"])
    text = dumps(prompt)
    assert 'name = "summary"' in text and "Answer in {{language}}." in text  # readable in git
    back = loads(text)
    assert back == prompt
    assert Draft.from_dict(back.draft) == _draft()


@settings(max_examples=60, deadline=None)
@given(system=st.text(max_size=200), user=st.text(min_size=1, max_size=200),
       temperature=st.none() | st.floats(0, 1), max_tokens=st.integers(1, 64000),
       stops=st.lists(st.text(min_size=1, max_size=10), max_size=3))
def test_prompt_file_round_trip_property(system, user, temperature, max_tokens, stops):
    draft = Draft(system=system, turns=[Turn("user", user)], temperature=temperature,
                  max_tokens=max_tokens, stop_sequences=stops)
    back = loads(dumps(PromptFile(name="p", draft=draft.to_dict())))
    assert Draft.from_dict(back.draft) == draft


def test_prompt_file_keeps_carriage_returns():
    draft = Draft(system="a\r\nb", turns=[Turn("user", "\r\n"), Turn("assistant", "x\ry")])
    back = loads(dumps(PromptFile(name="p", draft=draft.to_dict())))
    assert Draft.from_dict(back.draft) == draft


@pytest.mark.parametrize("text, message", [
    ("name = ", "not valid TOML"),
    ('name = "x"', "needs a \\[draft\\] table"),
    ("[draft]\nsystem = 'x'", "needs a name"),
    ('format = 99\nname = "x"\n[draft]\nsystem = "y"', "newer workbench"),
    ('name = "x"\nvariables = [1]\n[draft]\nsystem = "y"', "list of names"),
])
def test_bad_prompt_files_say_why(text, message):
    with pytest.raises(PromptFileError, match=message):
        loads(text)


def test_import_and_export_through_the_store(tmp_path):
    from workbench.services import promptfile
    from workbench.services.store import Store

    store = Store(tmp_path / "w.db")
    store.save_prompt("summary", _draft().to_dict(), variables=["language", "text"])
    pid = store.find_prompt("summary")["id"]
    path = promptfile.export_prompt(store, pid, tmp_path / "summary.toml")
    other = Store(tmp_path / "other.db")
    assert promptfile.import_prompt(other, path) == "summary"
    version = other.list_versions(other.find_prompt("summary")["id"])[0]
    assert version["variables"] == ["language", "text"]
    assert Draft.from_dict(version["draft"]) == _draft()
    with pytest.raises(PromptFileError, match="cannot read"):
        promptfile.import_prompt(other, tmp_path / "missing.toml")


def test_diff_names_the_changed_sections_only():
    a = _draft()
    b = _draft()
    b.system = "You are terse.\nAnswer in {{language}}, politely."
    b.temperature = 0.7
    diffs = diff_sections(a, b, "v1", "v2")
    assert diffs["turns"] == [] and diffs["tools"] == []
    assert "-Answer in {{language}}." in diffs["system"]
    assert "+Answer in {{language}}, politely." in diffs["system"]
    assert "-temperature = 0.3" in diffs["parameters"] and "+temperature = 0.7" in diffs["parameters"]
    assert diffs["system"][0].startswith("--- v1 system")
