"""Exported code per cloud platform runs against the emulator's platform wires: the Python
(SDK platform clients) and curl snippets give the reply our client gets; the TypeScript
type-checks against each platform's SDK package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.emulator.platforms.bedrock import ACCESS_KEY, SECRET_KEY
from workbench.services.export import export_code
from workbench.services.export_platforms import Target

pytest.importorskip("boto3")  # AnthropicBedrock signs with boto3

BODY = {"model": "claude-haiku-4-5", "max_tokens": 200, "system": "Be brief.",
        "temperature": 0.2,
        "messages": [{"role": "user", "content": "Name three rivers and say why they matter"}]}
SECRETS = (SECRET_KEY, "ABSKZXhwb3J0LXRlc3Q=", "foundry-export-key-0000")


def targets(url: str) -> dict[str, Target]:
    return {
        "bedrock": Target("bedrock", region="us-east-1", base_url=url + "/bedrock", auth="aws",
                          model_prefix="us."),
        "bedrock-key": Target("bedrock", region="us-east-1", base_url=url + "/bedrock",
                              auth="api-key"),
        "vertex": Target("vertex", region="us-east5", project="demo-proj",
                         base_url=url + "/vertex/v1", auth="command",
                         token_command="echo ya29.export-test"),
        "foundry": Target("foundry", base_url=url + "/foundry/anthropic", auth="api-key"),
    }


def env(tmp_path: Path) -> dict[str, str]:
    """Only the platforms' own variables carry credentials (no ~/.aws of the machine)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANTHROPIC_"))}
    return {**clean, "HOME": str(tmp_path), "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_CONFIG_FILE": str(tmp_path / "none"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
            "AWS_BEARER_TOKEN_BEDROCK_FOR_TEST": SECRETS[1],
            "ANTHROPIC_FOUNDRY_API_KEY": SECRETS[2]}


async def direct_reply(url: str, body: dict = BODY) -> str:
    from workbench.api.client import ClaudeClient

    async with ClaudeClient(api_key="sk-ant-direct-0000", base_url=url) as client:
        message = await client.messages.create(body)
    return "".join(b.text for b in message.content if b.type == "text")


def run_env(name: str, tmp_path: Path) -> dict[str, str]:
    out = env(tmp_path)
    if name == "bedrock-key":  # a bearer key instead of the AWS chain
        out["AWS_BEARER_TOKEN_BEDROCK"] = out.pop("AWS_BEARER_TOKEN_BEDROCK_FOR_TEST")
        del out["AWS_ACCESS_KEY_ID"], out["AWS_SECRET_ACCESS_KEY"]
    return out


@pytest.mark.parametrize("name", ["bedrock", "bedrock-key", "vertex", "foundry"])
@pytest.mark.parametrize("stream", [False, True])
async def test_python_snippet_runs_on_the_platform_wire(emulator_url, tmp_path, name, stream):
    target = targets(emulator_url)[name]
    code = export_code(BODY, "python", stream=stream, platform=target)
    assert not any(secret in code for secret in SECRETS)
    assert {"bedrock": "AnthropicBedrock", "vertex": "AnthropicVertex",
            "foundry": "AnthropicFoundry"}[target.platform] in code
    script = tmp_path / "run.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], env=run_env(name, tmp_path),
                         capture_output=True, text=True, timeout=90)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.rstrip("\n") == await direct_reply(emulator_url)


def curl_text(stdout: str, stream: bool) -> str:
    if stream:
        return "".join(json.loads(line[5:])["delta"].get("text", "")
                       for line in stdout.splitlines()
                       if line.startswith("data:") and '"content_block_delta"' in line)
    return "".join(b["text"] for b in json.loads(stdout)["content"] if b["type"] == "text")


needs_curl = pytest.mark.skipif(not shutil.which("curl"), reason="curl is not installed")


@needs_curl
@pytest.mark.parametrize("name", ["bedrock-key", "vertex", "foundry"])
@pytest.mark.parametrize("stream", [False, True])
async def test_curl_snippet_runs_on_the_platform_wire(emulator_url, tmp_path, name, stream):
    from workbench.api.eventstream import EventStreamDecoder

    code = export_code(BODY, "curl", stream=stream, platform=targets(emulator_url)[name])
    assert not any(secret in code for secret in SECRETS)
    out = subprocess.run(["bash", "-c", code], env=run_env(name, tmp_path), cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    if name.startswith("bedrock") and stream:  # event-stream frames, saved by the snippet
        events = EventStreamDecoder().feed((tmp_path / "reply.eventstream").read_bytes())
        text = "".join(json.loads(e.data)["delta"].get("text", "") for e in events
                       if e.event == "content_block_delta")
    else:
        text = curl_text(out.stdout, stream)
    assert text == await direct_reply(emulator_url)


@needs_curl
async def test_curl_aws_sigv4_snippet(emulator_url, tmp_path):
    """curl's own SigV4 (`--aws-sigv4`) is accepted by the emulator's checker (botocore's
    rules) for a model id without ':'; with ':' the snippet carries curl's known limit."""
    target = targets(emulator_url)["bedrock"]
    body = {**BODY, "model": "us.anthropic.claude-haiku-4-5-v1"}
    code = export_code(body, "curl", platform=target)
    assert "--aws-sigv4 aws:amz:us-east-1:bedrock" in code and SECRET_KEY not in code
    out = subprocess.run(["bash", "-c", code], env=env(tmp_path), capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert curl_text(out.stdout, False) == await direct_reply(emulator_url)
    assert "curl issue #18423" in export_code(BODY, "curl", platform=target)  # v1:0 ids


@pytest.mark.xdist_group("typescript")
def test_typescript_snippets_typecheck_with_the_platform_sdks(typescript_sdks, tmp_path):
    from tests.typescript import typecheck

    sources = {}
    for name, target in targets("http://127.0.0.1:9").items():
        for stream in (False, True):
            sources[f"{name.replace('-', '_')}_{int(stream)}.ts"] = export_code(
                BODY, "typescript", stream=stream, platform=target)
    broken = sources["foundry_0.ts"].replace("max_tokens", "max_tokenz")
    sources["broken.ts"] = broken
    out = typecheck(typescript_sdks, sources, tmp_path / "ts")
    errors = [line for line in out.stdout.splitlines() if line and not line.startswith(" ")]
    assert all(line.startswith("broken.ts") for line in errors), out.stdout
    assert any("max_tokenz" in line for line in out.stdout.splitlines())  # the check can fail
