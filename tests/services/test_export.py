"""Exported code runs: the Python and curl snippets executed against the emulator give the same
reply as our client; the TypeScript type-checks against the official SDK's types."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from workbench.services.export import FORMATS, export_code

KEY = "sk-ant-export-test-0000"
BODY = {"model": "claude-haiku-4-5", "max_tokens": 200, "system": "Be brief.",
        "temperature": 0.2, "stop_sequences": ["END"],
        "messages": [{"role": "user", "content": "Name three rivers and say why they matter"}]}


async def _our_reply(url: str) -> str:
    from workbench.api.client import ClaudeClient

    client = ClaudeClient(api_key=KEY, base_url=url)
    try:
        message = await client.messages.create(BODY)
    finally:
        await client.aclose()
    return "".join(b.text for b in message.content if b.type == "text")


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": url}


@pytest.mark.parametrize("stream", [False, True])
async def test_python_snippet_gives_the_same_reply(emulator_url, tmp_path, stream):
    code = export_code(BODY, "python", stream=stream)
    assert KEY not in code and 'os.environ["ANTHROPIC_API_KEY"]' in code
    script = tmp_path / "run.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], env=_env(emulator_url),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.rstrip("\n") == await _our_reply(emulator_url)


@pytest.mark.skipif(not shutil.which("curl"), reason="curl is not installed")
@pytest.mark.parametrize("stream", [False, True])
async def test_curl_snippet_gives_the_same_reply(emulator_url, stream):
    # the base URL of a profile that is not the default is written into the snippet
    code = export_code(BODY, "curl", stream=stream, base_url=emulator_url)
    assert emulator_url in code and "$ANTHROPIC_API_KEY" in code and KEY not in code
    out = subprocess.run(["bash", "-c", code],
                         env=_env(emulator_url), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    if stream:
        text = "".join(json.loads(line[5:])["delta"].get("text", "")
                       for line in out.stdout.splitlines()
                       if line.startswith("data:") and '"content_block_delta"' in line)
    else:
        text = "".join(b["text"] for b in json.loads(out.stdout)["content"] if b["type"] == "text")
    assert text == await _our_reply(emulator_url)


TS_CASES = [(stream, betas) for betas in ([], ["files-api-2025-04-14"]) for stream in (False, True)]
BROKEN = "broken.ts"


def _ts_snippet(stream: bool, betas: list[str]) -> tuple[str, str]:
    """(file name, code) of the TypeScript export for one case."""
    code = export_code(BODY, "typescript", stream=stream, betas=betas,
                       base_url="http://127.0.0.1:9")
    return f"snippet_{int(stream)}_{len(betas)}.ts", code


@pytest.fixture(scope="session")
def tsc_errors(typescript_sdks, tmp_path_factory) -> dict[str, str]:
    """tsc's errors per file, from one run over every snippet and a broken one."""
    from tests.typescript import typecheck

    sources = dict(_ts_snippet(stream, betas) for stream, betas in TS_CASES)
    sources[BROKEN] = _ts_snippet(False, [])[1].replace("max_tokens", "max_tokenz")
    out = typecheck(typescript_sdks, sources, tmp_path_factory.mktemp("ts"))
    errors = dict.fromkeys(sources, "")
    current = None
    for line in out.stdout.splitlines():
        current = next((name for name in sources if line.startswith(name + "(")),
                       current if line.startswith(" ") else None)
        if current is None:  # an error that names no snippet: blame them all
            errors = {name: text + line + "\n" for name, text in errors.items()}
        else:
            errors[current] += line + "\n"
    assert out.returncode != 0 and out.stderr == "", out.stderr  # the broken one, at least
    return errors


# One worker runs them (with test_export_platforms' check): one install of the SDKs.
@pytest.mark.xdist_group("typescript")
@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("betas", [[], ["files-api-2025-04-14"]])
def test_typescript_snippet_typechecks_with_the_sdk(tsc_errors, stream, betas):
    name, code = _ts_snippet(stream, betas)
    assert "process.env.ANTHROPIC_API_KEY" in code and KEY not in code
    assert tsc_errors[name] == ""


@pytest.mark.xdist_group("typescript")
def test_typescript_checker_catches_a_broken_snippet(tsc_errors):
    """The check above can fail: a misspelt parameter is a type error."""
    assert "max_tokenz" in tsc_errors[BROKEN]


def test_default_base_url_is_left_out_and_formats_are_checked():
    for fmt in FORMATS:
        code = export_code(BODY, fmt, base_url="https://api.anthropic.com/")
        assert ("base_url" not in code and "baseURL" not in code) or fmt == "curl"
    with pytest.raises(ValueError, match="unknown format"):
        export_code(BODY, "ruby")


def test_python_literals_are_exact_values():
    """`true` inside a string stays text; booleans and null inside lists are Python's."""
    import ast

    body = {**BODY, "system": "Reply with: true or false, null if unsure",
            "tools": [{"name": "pick", "input_schema": {"type": "object", "properties": {
                "ok": {"type": "boolean", "enum": [True, False, None]}}}}]}
    tree = ast.parse(export_code(body, "python"))
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call)
                and getattr(n.func, "attr", "") == "create")
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    assert kwargs["system"] == body["system"] and kwargs["tools"] == body["tools"]
    assert kwargs["extra_body"] == {"temperature": 0.2}
