"""Every assertion type on good, bad and tricky replies; parameter problems are suite errors."""

from __future__ import annotations

import json

import pytest

from workbench.services.evals.assertions import Reply, evaluate, extract_json, parse_path
from workbench.services.evals.grading import grade_outcome, grading_request
from workbench.services.evals.scoring import weigh
from workbench.services.evals.suite import GRADED_THRESHOLD, SuiteError, parse_suite

HEAD = """name = "t"
[prompt]
model = "claude-haiku-5-5"
max_tokens = 100
user = "Say {{x}}"
[grader]
model = "claude-haiku-5-5"
"""


def check_of(**params):
    """The first assertion of a one-case suite with `params` as its only assertion."""
    lines = [f"{k} = {json.dumps(v) if not isinstance(v, dict) else _inline(v)}"
             for k, v in params.items()]
    suite = parse_suite(HEAD + '[[cases]]\nid = "a"\nvars = { x = "hi" }\n[[cases.assert]]\n'
                        + "\n".join(lines) + "\n")
    return suite.cases[0].checks[0]


def _inline(value: dict) -> str:
    """A TOML inline table (JSON scalars and lists are TOML too)."""
    return "{ " + ", ".join(f"{k} = {json.dumps(v) if not isinstance(v, dict) else _inline(v)}"
                            for k, v in value.items()) + " }"


def run(reply: Reply, **params):
    return evaluate(check_of(**params), reply, {"x": "hi"})


def text(t: str) -> Reply:
    return Reply(text=t)


@pytest.mark.parametrize(("params", "reply", "ok"), [
    ({"type": "equals", "value": "Paris"}, " Paris\n", True),
    ({"type": "equals", "value": "Paris"}, "paris", False),
    ({"type": "contains", "value": "Par"}, "Paris", True),
    ({"type": "contains", "value": "par"}, "Paris", False),
    ({"type": "icontains", "value": "par"}, "Paris", True),
    ({"type": "contains", "values": ["a", "b"], "mode": "any"}, "xbx", True),
    ({"type": "contains", "values": ["a", "b"]}, "xbx", False),
    ({"type": "contains-all", "values": ["a", "b"]}, "ab", True),
    ({"type": "contains-any", "values": ["q", "b"]}, "ab", True),
    ({"type": "icontains-all", "values": ["A", "B"]}, "ab", True),
    ({"type": "icontains-any", "values": ["Q", "Z"]}, "ab", False),
    ({"type": "not-contains", "value": "sorry"}, "Sure!", True),
    ({"type": "not-contains", "values": ["x", "sorry"]}, "sorry", False),
    ({"type": "not-icontains", "value": "SORRY"}, "sorry", False),
    ({"type": "starts-with", "value": "Yes"}, "  Yes, it is", True),
    ({"type": "starts-with", "value": "Yes"}, "No", False),
    ({"type": "regex", "value": r"\d{3}"}, "call 555 now", True),
    ({"type": "regex", "value": "^paris$", "flags": "im"}, "x\nPARIS\ny", True),
    ({"type": "regex", "value": "{{x}}!"}, "hi!", True),  # variables fill the pattern
    ({"type": "contains", "value": "{{x}}"}, "oh hi", True),
    ({"type": "is-json"}, '{"a": 1}', True),
    ({"type": "is-json"}, '```json\n{"a": 1}\n```', True),
    ({"type": "is-json"}, "{'a': 1}", False),
    ({"type": "json-schema", "schema": {"type": "object", "required": ["a"]}}, '{"a": 1}', True),
    ({"type": "json-schema", "schema": {"type": "object", "required": ["b"]}}, '{"a": 1}', False),
    ({"type": "json-path", "path": "$.a[1].b", "value": "x"}, '{"a": [0, {"b": "x"}]}', True),
    ({"type": "json-path", "path": "a[5]", "value": 1}, '{"a": [1]}', False),
    ({"type": "json-path", "path": "$['k y']", "value": True}, '{"k y": true}', True),
])
def test_text_assertions(params, reply, ok):
    outcome = run(text(reply), **params)
    assert outcome.passed is ok, outcome.reason
    assert outcome.score == (1.0 if ok else 0.0)
    assert outcome.reason


def test_reasons_say_what_was_wrong():
    assert "missing 'b'" in run(text("a"), type="contains-all", values=["a", "b"]).reason
    assert run(text("nope"), type="is-json").reason.startswith("not JSON: Expecting value")
    reason = run(text('{"a": "x"}'), type="json-schema",
                 schema={"properties": {"a": {"type": "integer"}}}).reason
    assert reason.startswith("at a:")
    assert "no 'z'" in run(text('{"a": 1}'), type="json-path", path="$.z", value=1).reason


def test_tool_stop_and_limits():
    reply = Reply(text="", tool_uses=[{"name": "get_weather", "input": {"city": "Paris",
                                                                         "unit": "c"}}],
                  stop_reason="tool_use", output_tokens=50, cost=0.002, latency=1.5, ttft=0.3)
    assert run(reply, type="tool-called", name="get_weather").passed
    assert run(reply, type="tool-called", name="get_weather", input={"city": "Paris"}).passed
    assert not run(reply, type="tool-called", name="get_weather", input={"city": "Rome"}).passed
    assert "called get_weather" in run(reply, type="tool-called", name="search").reason
    assert run(reply, type="stop-reason", value="tool_use").passed
    assert not run(reply, type="stop-reason", value="end_turn").passed
    assert run(reply, type="max-cost", value=0.01).passed
    assert not run(reply, type="max-cost", value=0.001).passed
    assert not run(reply, type="max-latency", value=1.0).passed
    assert run(reply, type="max-ttft", value=0.5).passed
    assert run(reply, type="max-output-tokens", value=50).passed
    assert not run(reply, type="max-output-tokens", value=49).passed


def test_unmeasured_limits_are_skipped_not_failed():
    outcome = run(Reply(text="x"), type="max-latency", value=1)  # e.g. a batch result
    assert outcome.skipped and outcome.passed
    score, passed = weigh([outcome, run(text("x"), type="contains", value="y")], 0.5)
    assert (score, passed) == (0.0, False)  # the skipped one weighs nothing


def test_tricky_replies_never_raise():
    huge = "a" * 5_000_000 + "needle"
    outcome = run(text(huge), type="regex", value="needle")
    assert not outcome.passed and "first 1,000,000 characters" in outcome.reason
    assert run(text(huge), type="contains", value="needle").passed
    assert not run(text(huge), type="is-json").passed
    deep = "[" * 100_000 + "]" * 100_000
    assert not run(text(deep), type="is-json").passed
    assert not run(text(""), type="json-path", path="$.a", value=1).passed
    assert not run(text("\x00\x1b[31m"), type="equals", value="x").passed
    catastrophic = run(text("a" * 30), type="regex", value="^(a|aa)+$")
    assert catastrophic.passed


@pytest.mark.parametrize(("params", "key", "words"), [
    ({"type": "regex", "value": "(unclosed"}, "value", "invalid regular expression"),
    ({"type": "regex", "value": "a", "flags": "q"}, "value", "unknown regex flag"),
    ({"type": "json-schema", "schema": {"type": "nonsense"}}, "schema", "invalid JSON schema"),
    ({"type": "json-path", "path": "$.a[", "value": 1}, "path", "cannot read the JSON path"),
    ({"type": "max-cost", "value": "cheap"}, "value", "a number"),
    ({"type": "contains-all", "values": []}, "values", "non-empty list"),
    ({"type": "contains", "value": "a", "mode": "most"}, "mode", "all"),
    ({"type": "contain", "value": "a"}, "type", "unknown assertion type 'contain'"),
    ({"type": "equals"}, "type", "needs value"),
    ({"type": "equals", "value": "a", "wieght": 2}, "wieght", "unknown key 'wieght'"),
    ({"type": "equals", "value": "a", "threshold": 2}, "threshold", "from 0 to 1"),
])
def test_bad_parameters_are_suite_errors_naming_the_line(params, key, words):
    with pytest.raises(SuiteError) as info:
        check_of(**params)
    lines = (HEAD + '[[cases]]\nid = "a"\nvars = { x = "hi" }\n[[cases.assert]]\n').count("\n")
    expected = lines + 1 + list(params).index(key)
    assert info.value.line == expected, str(info.value)
    assert words in info.value.reason


def test_inline_assertions_are_located_by_their_type_key():
    text_ = HEAD + ('[[cases]]\nid = "a"\nvars = { x = "hi" }\nassert = [\n'
                    '  { type = "contains", value = "a" },\n'
                    '  { type = "regex", value = "[" },\n]\n')
    with pytest.raises(SuiteError) as info:
        parse_suite(text_)
    assert info.value.line == text_.splitlines().index('  { type = "regex", value = "[" },') + 1


def test_weights_and_thresholds():
    a = run(text("x"), type="contains", value="x")
    b = run(text("x"), type="contains", value="y")
    a.weight, b.weight = 3, 1
    assert weigh([a, b], 0.75) == (0.75, True)
    assert weigh([a, b], 0.8) == (0.75, False)
    assert weigh([], 1.0) == (1.0, True)


def test_rubric_grade_is_structured_output_and_thresholded():
    check = check_of(type="rubric", value="Greets {{x}}", threshold=0.7)
    body = grading_request(check, request={"messages": [{"role": "user", "content": "Say hi"}]},
                           reply="hello", ideal=None, model="m", max_tokens=50,
                           variables={"x": "warmly"})
    assert body["output_config"]["format"]["type"] == "json_schema"
    assert "Greets warmly" in body["messages"][0]["content"]

    def msg(data):
        return {"content": [{"type": "text", "text": data}]}

    assert grade_outcome(check, msg('{"score": 0.9, "pass": true, "reason": "ok"}')).passed
    low = grade_outcome(check, msg('{"score": 0.6, "pass": true, "reason": "meh"}'))
    assert not low.passed and low.score == 0.6
    assert grade_outcome(check, msg('{"score": 7, "pass": true, "reason": ""}')).score == 1.0
    bad = grade_outcome(check, msg("I think it is fine"))
    assert not bad.passed and "did not answer JSON" in bad.reason
    assert "grading failed: boom" in grade_outcome(check, None, "boom").reason
    assert check_of(type="rubric", value="x").threshold == GRADED_THRESHOLD


def test_closer_to_ideal_needs_an_ideal():
    with pytest.raises(SuiteError, match="no ideal output"):
        check_of(type="closer-to-ideal")


def test_json_helpers():
    assert parse_path("$.a.b[2]['c']") == ["a", "b", 2, "c"]
    assert parse_path("a") == ["a"]
    with pytest.raises(ValueError):
        extract_json("nope")
