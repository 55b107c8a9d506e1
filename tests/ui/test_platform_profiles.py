"""Cloud profiles in the Keys pane (Bedrock, Vertex AI, Foundry: settings in the file, secrets
only in the keyring, the one client rebuilt for the platform), and a pane greyed with the reason
when the platform lacks its feature."""

from __future__ import annotations

import pytest
from textual.widgets import Button, DataTable, Input, Select

from tests.ui.conftest import screen_text, wait_until
from workbench.config import Settings
from workbench.ui.app import WorkbenchApp

SECRET = "ABSK-bedrock-api-key-very-secret-77zz"


async def fill_form(app, pilot, name: str, platform: str, auth: str | None = None,
                    **fields: str) -> None:
    await app.switch_mode("keys")
    await wait_until(pilot, lambda: bool(app.screen.query("#kf-platform")))
    screen = app.screen
    screen.query_one("#kf-name", Input).value = name
    screen.query_one("#kf-platform", Select).value = platform
    await wait_until(pilot, lambda: screen.query_one("#kf-auth-box").display)
    if auth:
        screen.query_one("#kf-auth", Select).value = auth
        await pilot.pause(0.05)
    for field_id, value in fields.items():
        box = screen.query_one(f"#{field_id}-box")
        await wait_until(pilot, lambda box=box: box.display)
        screen.query_one(f"#{field_id}", Input).value = value
    await pilot.pause(0.05)


def no_secret_in_files(home, secret: str) -> None:
    for path in home.rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="replace")


pytest.importorskip("botocore")


async def test_bedrock_profile_with_the_aws_chain(make_app, memory_keyring, monkeypatch) -> None:
    from workbench import config

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTTEST0000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    app = make_app()
    async with app.run_test(size=(140, 60)) as pilot:
        await fill_form(app, pilot, "aws", "bedrock", "aws", **{"kf-region": "eu-west-1",
                                                               "kf-prefix": "eu."})
        assert not app.screen.query_one("#kf-key").display  # nothing for the keyring
        await pilot.click("#kf-save")
        await wait_until(pilot, lambda: "saved bedrock profile aws" in screen_text(app))
        await wait_until(pilot, lambda: app.client is not None and app.client.platform == "bedrock")
        saved = config.load().profiles["aws"]
        assert (saved.platform, saved.region, saved.model_prefix) == ("bedrock", "eu-west-1", "eu.")
        assert config.load().active_profile == "aws"
        assert "bedrock-runtime.eu-west-1.amazonaws.com" in app.client.base_url
        await wait_until(pilot, lambda: "Amazon Bedrock eu-west-1" in screen_text(app))
        assert not memory_keyring.store


async def test_bedrock_api_key_goes_to_the_keyring_only(make_app, memory_keyring,
                                                        isolated_home) -> None:
    app = make_app()
    async with app.run_test(size=(140, 60)) as pilot:
        await fill_form(app, pilot, "brk", "bedrock", "api-key", **{"kf-region": "us-east-1"})
        assert app.screen.query_one("#kf-key").display
        app.screen.query_one("#kf-key", Input).value = SECRET
        await pilot.click("#kf-save")
        await wait_until(pilot, lambda: ("workbench", "brk") in memory_keyring.store)
        assert memory_keyring.store[("workbench", "brk")] == SECRET
        await wait_until(pilot, lambda: app.client is not None and app.client.platform == "bedrock")
        assert SECRET not in app.export_screenshot()
    no_secret_in_files(isolated_home, SECRET)


async def test_vertex_profile_with_a_token_command(make_app, memory_keyring) -> None:
    from workbench import config

    app = make_app()
    async with app.run_test(size=(140, 60)) as pilot:
        await fill_form(app, pilot, "gcp", "vertex", "command",
                        **{"kf-region": "us-east5", "kf-project": "my-proj",
                           "kf-token-command": "echo ya29.from-the-command"})
        await pilot.click("#kf-save")
        await wait_until(pilot, lambda: "saved vertex profile gcp" in screen_text(app))
        saved = config.load().profiles["gcp"]
        assert (saved.project, saved.region, saved.auth) == ("my-proj", "us-east5", "command")
        await wait_until(pilot, lambda: app.client is not None and app.client.platform == "vertex")
        assert app.client.base_url == "https://us-east5-aiplatform.googleapis.com/v1"


async def test_foundry_profile_and_what_is_missing(make_app, memory_keyring) -> None:
    app = make_app()
    async with app.run_test(size=(140, 60)) as pilot:
        await fill_form(app, pilot, "az", "foundry", "api-key")
        app.screen.query_one("#kf-key", Input).value = "foundry-secret-key-123456"
        await pilot.click("#kf-save")
        await wait_until(pilot, lambda: "needs a resource name" in screen_text(app))
        assert not memory_keyring.store
        app.screen.query_one("#kf-resource", Input).value = "my-resource"
        app.screen.query_one("#kf-save", Button).press()
        await wait_until(pilot, lambda: ("workbench", "az") in memory_keyring.store)
        await wait_until(pilot, lambda: app.client is not None and app.client.platform == "foundry")
        assert app.client.base_url == "https://my-resource.services.ai.azure.com/anthropic"


async def test_files_pane_is_greyed_with_the_reason_on_bedrock(emulator_url) -> None:
    from workbench.services.platforms import demo_client

    app = WorkbenchApp(settings=Settings(), client=demo_client("bedrock", emulator_url,
                                                                "2023-06-01"))
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("files")
        await wait_until(pilot, lambda: "does not offer the Files API" in screen_text(app))
        assert "Amazon Bedrock" in screen_text(app)
        assert app.screen.query_one(DataTable).is_disabled  # drawn greyed, takes no input
        await app.switch_mode("batches")
        await wait_until(pilot, lambda: "does not offer Message Batches" in screen_text(app))
        assert not any(n.severity == "error" for n in app._notifications)


async def test_foundry_keeps_files_but_greys_batches(emulator_url) -> None:
    from workbench.services.platforms import demo_client

    app = WorkbenchApp(settings=Settings(), client=demo_client("foundry", emulator_url,
                                                                "2023-06-01"))
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("batches")
        await wait_until(pilot, lambda: "does not offer Message Batches" in screen_text(app))
        await app.switch_mode("files")
        await wait_until(pilot, lambda: "does not offer" not in screen_text(app)
                         and not app.screen.query_one(DataTable).is_disabled)
        assert not app.screen.query("#unoffered")


async def test_models_pane_on_bedrock_maps_cached_ids_and_takes_a_typed_one(emulator_url) -> None:
    from workbench.services import model_cache
    from workbench.services.platforms import demo_client

    model_cache.save("default", [{"id": "claude-haiku-4-5", "display_name": "Claude Haiku 4.5",
                                  "lifecycle": "active"}])
    settings = Settings()
    settings.profiles["default"].base_url = emulator_url
    app = WorkbenchApp(settings=settings, client=demo_client("bedrock", emulator_url,
                                                              "2023-06-01"))
    async with app.run_test(size=(140, 42)) as pilot:
        await app.switch_mode("models")
        await wait_until(pilot, lambda: [m["display_name"] for m in app.screen.models] == [
            "Claude Haiku 4.5 (sent as anthropic.claude-haiku-4-5-v1:0)"])
        assert "does not offer the model list" in screen_text(app)
        app.screen.query_one("#model-search", Input).value = "eu.anthropic.claude-opus-9-v1:0"
        await pilot.pause(0.1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.composer.draft.model
                         == "eu.anthropic.claude-opus-9-v1:0")
