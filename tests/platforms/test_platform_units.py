"""Headless rules of cloud profiles: model id mapping, capabilities, settings files (old ones
load unchanged), what a profile lacks, missing extras named, and the CLI's profile commands."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.api.platforms import MissingExtra, PlatformSetupError, adapter_for
from workbench.api.platforms.capabilities import reason, reason_unsupported
from workbench.api.platforms.models import to_claude, to_platform
from workbench.config import Profile, Settings, load, save


@pytest.mark.parametrize(("platform", "model", "prefix", "sent"), [
    ("bedrock", "claude-sonnet-5-5", "", "anthropic.claude-sonnet-5-5-v1:0"),
    ("bedrock", "claude-haiku-4-5-20251001", "us.", "us.anthropic.claude-haiku-4-5-20251001-v1:0"),
    ("bedrock", "claude-opus-4-6", "global", "global.anthropic.claude-opus-4-6-v1:0"),
    ("bedrock", "eu.anthropic.claude-opus-4-6-v1", "us.", "eu.anthropic.claude-opus-4-6-v1"),
    ("bedrock", "arn:aws:bedrock:us-east-1:1:inference-profile/x", "", "arn:aws:bedrock:us-east-1:1:inference-profile/x"),
    ("vertex", "claude-sonnet-4-5-20250929", "", "claude-sonnet-4-5@20250929"),
    ("vertex", "claude-sonnet-5-5", "", "claude-sonnet-5-5"),
    ("vertex", "claude-haiku-4-5@20251001", "", "claude-haiku-4-5@20251001"),
    ("foundry", "claude-sonnet-5-5", "", "claude-sonnet-5-5"),
])
def test_model_ids_follow_each_platform(platform, model, prefix, sent) -> None:
    assert to_platform(platform, model, prefix) == sent


def test_to_claude_reverses_the_mapping() -> None:
    assert to_claude("bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0") == \
        "claude-haiku-4-5-20251001"
    assert to_claude("vertex", "claude-sonnet-4-5@20250929") == "claude-sonnet-4-5-20250929"


def test_capabilities_say_why() -> None:
    assert reason("anthropic", "files") is None and reason("foundry", "files") is None
    assert "Amazon Bedrock does not offer the Files API" in reason("bedrock", "files")
    assert reason("vertex", "count_tokens") is None
    assert "token counting" in reason_unsupported("bedrock", "/v1/messages/count_tokens")
    assert "Message Batches" in reason_unsupported("foundry", "/v1/messages/batches/x/results")
    assert "model list" in reason_unsupported("vertex", "/v1/models?limit=1")


def test_old_settings_files_load_and_cloud_profiles_round_trip(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('active_profile = "default"\n[profiles.default]\n'
                    'base_url = "https://api.anthropic.com"\napi_version = "2023-06-01"\n')
    old = load(path)
    assert old.profile.platform == "anthropic" and old.profile.region == ""
    save(old, path)
    assert "platform" not in path.read_text()  # an old file keeps its shape
    settings = Settings()
    settings.profiles["gcp"] = Profile("gcp", platform="vertex", auth="command",
                                       region="us-east5", project="p",
                                       token_command="gcloud auth print-access-token")
    save(settings, path)
    back = load(path).profiles["gcp"]
    assert back == settings.profiles["gcp"]
    assert "base_url" not in path.read_text().split("[profiles.gcp]")[1]
    path.write_text('[profiles.x]\nplatform = "azure"\n')
    from workbench.config import ConfigError

    with pytest.raises(ConfigError, match="platform 'azure' is not one of"):
        load(path)


def test_profiles_say_what_they_lack_and_which_need_a_secret() -> None:
    from workbench.services import platforms

    assert platforms.problems(Profile("v", platform="vertex")) == [
        "Google Vertex AI needs a region", "Vertex AI needs a project id"]
    assert platforms.problems(Profile("f", platform="foundry")) == [
        "Foundry needs a resource name or a base URL"]
    assert not platforms.needs_secret(Profile("b", platform="bedrock"))  # the AWS chain
    assert platforms.needs_secret(Profile("b", platform="bedrock", auth="api-key"))
    assert platforms.needs_secret(Profile("f", platform="foundry"))
    assert not platforms.needs_secret(Profile("f", platform="foundry", auth="entra"))


async def test_missing_extra_is_named(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "azure.identity", None)  # as if not installed
    foundry = adapter_for("foundry", "2023-06-01", resource="r", entra=True)
    with pytest.raises(MissingExtra, match=r'pip install "workbench\[foundry\]"'):
        await foundry.prepare("POST", "/v1/messages", {}, b"{}", False)
    monkeypatch.setitem(sys.modules, "botocore", None)
    monkeypatch.setitem(sys.modules, "botocore.auth", None)
    from workbench.api.sigv4 import load_credentials

    with pytest.raises(MissingExtra, match=r"workbench\[bedrock\]"):
        load_credentials(None)


async def test_no_aws_credentials_is_a_readable_problem(monkeypatch, tmp_path) -> None:
    pytest.importorskip("botocore")
    from workbench.services.platforms import check

    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    problem = await check(Profile("b", platform="bedrock", region="us-east-1"), None)
    assert problem and "no AWS credentials found" in problem
    problem = await check(Profile("b", platform="bedrock", region="us-east-1",
                                  aws_profile="nope"), None)
    assert problem and "nope" in problem
    with pytest.raises(PlatformSetupError, match="region"):
        adapter_for("bedrock", "2023-06-01", region="")


def test_cli_keys_set_cloud_profiles(isolated_home) -> None:
    def keys(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "workbench", "keys", *args],
                              input=stdin, capture_output=True, text=True, timeout=60)

    done = keys("set", "gcp", "--platform", "vertex", "--region", "us-east5", "--project",
                "p1", "--auth", "command", "--token-command", "echo ya29.cli")
    assert done.returncode == 0 and "saved vertex profile gcp (command)" in done.stdout
    missing = keys("set", "gcp2", "--platform", "vertex", "--region", "us-east5")
    assert missing.returncode == 2 and "needs a project id" in missing.stderr
    failing = keys("set", "gcp3", "--platform", "vertex", "--region", "us-east5", "--project",
                   "p", "--auth", "command", "--token-command", "false")
    assert failing.returncode == 1 and "not saved" in failing.stderr
    listed = keys("list")
    assert "gcp" in listed.stdout and "Google" not in listed.stderr
    assert "gcp3" not in load().profiles


def test_platform_needs_demo(isolated_home) -> None:
    done = subprocess.run([sys.executable, "-m", "workbench", "--platform", "bedrock"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--platform goes with --demo" in done.stderr
