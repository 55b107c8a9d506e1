"""anthropic-beta per profile: saved with the profile, sent by the client made from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import ConfigError, Profile, Settings, load, save


def test_profile_betas_round_trip(tmp_path: Path) -> None:
    settings = Settings()
    settings.profiles["default"] = Profile("default", betas=["extended-cache-ttl-2025-04-11"])
    path = tmp_path / "config.toml"
    save(settings, path)
    assert load(path).profile.betas == ["extended-cache-ttl-2025-04-11"]
    save(Settings(), path)  # none: nothing written
    assert "betas" not in path.read_text()
    path.write_text('[profiles.default]\nbetas = "x"\n')
    with pytest.raises(ConfigError, match="betas"):
        load(path)


async def test_the_client_sends_the_profile_betas(emulator_url: str) -> None:
    from workbench.api.client import ClaudeClient

    client = ClaudeClient(api_key="sk-ant-x", base_url=emulator_url,
                          betas=Settings(profiles={"default": Profile(
                              "default", betas=["a-beta"])}).profile.betas)
    try:
        await client.messages.create({"model": "claude-sonnet-5-5", "max_tokens": 5,
                                      "messages": [{"role": "user", "content": "hi"}]},
                                     betas=["b-beta"])
        sent = client.recorder.exchanges[-1].request_headers["anthropic-beta"]
        assert sent == "a-beta,b-beta"
    finally:
        await client.aclose()
