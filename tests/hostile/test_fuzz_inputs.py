"""Fuzzers: whatever a person pastes or points at, curl import, prompt files and datasets give a
result or our own error type (which the UI and CLI word), never another exception.

Fast and stable for CI: 200 examples each, no deadline, derandomized."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

CURL_WORDS = st.sampled_from([
    "curl", "https://api.anthropic.com/v1/messages", "-H", "--header", "-d", "--data",
    "--data-raw", "--json", "-X", "POST", "'", '"', "\\\n", "x-api-key: $K",
    "content-type: application/json", '{"model":"m","max_tokens":5,"messages":[]}',
    '{"model":', "[/]", "\x1b]0;t\x07", "--", "-", "{", "}", "[", "]", "9" * 5000,
    "[" * 2000, '{"messages":[{"role":"user","content":[{"type":"text"}]}]}'])
CURL = st.one_of(st.text(max_size=300), st.lists(CURL_WORDS, max_size=12).map(" ".join))

TOML_BITS = st.sampled_from([
    'name = "p"\n', "name = 5\n", "[draft]\n", 'model = "m"\n', "model = 5\n", "turns = 5\n",
    "format = 99\n", 'format = "x"\n', "variables = [1]\n", "[[draft.turns]]\n",
    'role = "user"\n', 'text = "[/]"\n', "v = " + "9" * 5000 + "\n", "v = " + "[" * 800 + "\n",
    "system = 1\n", "tools = 1\n", "[draft.params]\n", "temperature = \"hot\"\n", "\x00", "="])
TOML = st.one_of(st.text(max_size=300), st.lists(TOML_BITS, max_size=10).map("".join))

LINE_BITS = st.sampled_from([
    '{"a": 1}', "[1]", "1", "null", '"s"', "{", "a,b", "1,2", '"x', "\x00", "\ufeff",
    '{"a": ' + "9" * 5000 + "}", "[" * 5000, '{"custom_id": 5}', "", ",,,"])
DATA = st.one_of(st.binary(max_size=300),
                 st.lists(LINE_BITS, max_size=8).map(lambda lines: "\n".join(lines).encode()))


@FUZZ
@given(CURL)
def test_curl_import_gives_a_request_or_curl_import_error(command: str) -> None:
    from workbench.services.curl_import import CurlImportError, parse_curl
    from workbench.services.draft import Draft, DraftError

    try:
        parsed = parse_curl(command)
    except CurlImportError:
        return
    with contextlib.suppress(CurlImportError, DraftError):
        Draft.from_request(parsed.body)  # what the import dialog does next


@FUZZ
@given(TOML)
def test_prompt_file_gives_a_prompt_or_prompt_file_error(text: str) -> None:
    from workbench.services.promptfile import PromptFileError, loads

    with contextlib.suppress(PromptFileError):
        loads(text, "fuzz.toml")


@FUZZ
@given(DATA, st.sampled_from([".jsonl", ".csv", ".json"]))
def test_dataset_gives_rows_or_dataset_error(data: bytes, suffix: str) -> None:
    from workbench.services.datasets import DatasetError, build_requests, read_rows

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data{suffix}"
        path.write_bytes(data)
        try:
            rows = list(read_rows(path))
            list(build_requests({"model": "m", "max_tokens": 5,
                                 "messages": [{"role": "user", "content": "{{a}}"}]}, rows))
        except DatasetError:
            pass
