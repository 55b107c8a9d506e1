"""The commented suite `workbench eval init` writes (also shipped as examples/evals/explain.toml,
which a test keeps identical). Its assertions are chosen so that the built-in emulator's
deterministic replies make some cases pass and some fail: `--demo` shows a meaningful grid."""

EXAMPLE = '''\
# A workbench eval suite. Run it:  workbench eval run explain.toml --demo
# (--demo uses the built-in emulator; drop it to use your key). Exit code: 0 when every case
# passes, 1 when one fails, 2 when this file has a problem (the message names the line).

name = "explain-for-beginners"
description = "Does the prompt explain a topic in short points a new programmer can follow?"
# A case passes when the weighted mean of its assertions' scores reaches this (0 to 1).
# An assertion below its own threshold scores 0.
threshold = 0.75

# The prompt: inline as here, or a library prompt (library = "name", version = 2), or a
# request body file (request = "request.json"). {{variables}} are filled from each case.
[prompt]
model = "claude-haiku-5-5"
max_tokens = 400
system = "You teach programming. Be brief and concrete."
user = "Explain {{topic}} to a new programmer in three short points."

# What to compare: the grid's columns. Each may set model, version (library prompts),
# system, max_tokens and params (any other request field). Without [[compare]]: one column.
[[compare]]
label = "haiku"
model = "claude-haiku-5-5"

[[compare]]
label = "sonnet"
model = "claude-sonnet-5-5"

# The model that grades rubric and closer-to-ideal assertions (structured output).
[grader]
model = "claude-haiku-5-5"

[run]
concurrency = 4      # at most this many requests at once (the rate-limit headers may allow fewer)

# Assertions for every case. Types: equals, contains, icontains, not-contains, not-icontains,
# contains-all/-any, icontains-all/-any (values = [...]), starts-with, regex (flags = "i"),
# is-json, json-schema (schema = {...}), json-path (path = "$.a[0]", value = ...),
# tool-called (name, input = {...}), stop-reason, max-cost (USD), max-latency, max-ttft (s),
# max-output-tokens, rubric (value = "what a good reply does"), closer-to-ideal.
# Each takes weight (default 1) and threshold (default 1; 0.5 for graded ones).
[[assert]]
type = "icontains"
value = "{{topic}}"          # values may use the case's variables

[[assert]]
type = "max-output-tokens"
value = 300

[[assert]]
type = "rubric"
value = "Explains {{topic}} in plain words, in at most three points."
weight = 0.5

[[cases]]
id = "recursion"
vars = { topic = "recursion" }

[[cases]]
id = "closures"
vars = { topic = "closures" }
[[cases.assert]]
type = "regex"
value = "^(Good question|Here is)"
weight = 2

[[cases]]
id = "sql-joins"
vars = { topic = "SQL joins" }
[[cases.assert]]
type = "contains"
value = "```python"          # a reply with a code example passes

[[cases]]
id = "git-rebase"
vars = { topic = "rebasing" }
[[cases.assert]]
type = "contains-all"
values = ["branch", "commit"]
'''
