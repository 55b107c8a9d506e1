"""Adding a key: the form shared by the Keys pane and the first-run screen.

The key is checked with GET /v1/models before it is stored, and only ever shown masked.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from workbench.api.versions import API_VERSIONS
from workbench.config import DEFAULT_BASE_URL, Profile
from workbench.ui.plain import plain
from workbench.ui.widgets.ordered_keys import OrderedInput
from workbench.ui.widgets.platform_fields import PlatformFields


class KeyForm(Vertical):
    """Profile name, base URL, API version and a password input; posts Saved when stored."""

    DEFAULT_CSS = """
    KeyForm { height: auto; }
    KeyForm Label { margin-top: 1; color: $text-muted; }
    KeyForm #key-form-status { margin-top: 1; height: auto; }
    KeyForm .buttons { height: auto; margin-top: 1; }
    KeyForm .buttons Button { margin-right: 1; }
    """

    class Saved(Message):
        def __init__(self, profile: str, key: str) -> None:
            super().__init__()
            self.profile = profile
            self.key = key

    def __init__(self, profile: Profile | None = None, *, platforms: bool = True,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.profile = profile or Profile("default")
        self.platforms = platforms  # the cloud platforms' part (the Keys pane has it)

    def compose(self) -> ComposeResult:
        yield Label("Profile name")
        yield OrderedInput(self.profile.name, id="kf-name")
        fields = PlatformFields(self.profile, id="kf-platform-fields")
        fields.display = self.platforms
        yield fields
        yield Label("Base URL")
        yield OrderedInput(self.profile.base_url or DEFAULT_BASE_URL, id="kf-url")
        yield Label("API version (2026-10-21 rejects temperature / top_p / top_k)")
        yield Select([(v, v) for v in API_VERSIONS], value=self.profile.api_version,
                     allow_blank=False, id="kf-version")
        yield Label("API key (hidden; checked with the API before it is stored)", id="kf-key-label")
        yield OrderedInput(password=True, placeholder="sk-ant-…", id="kf-key")
        yield Static("", id="kf-status")
        with Horizontal(classes="buttons"):
            yield Button("Check and save", id="kf-save", variant="primary")

    def on_mount(self) -> None:
        self._key_shown()

    @on(Select.Changed)
    def _key_shown(self) -> None:
        """The key field is there when the profile's auth keeps a secret in the keyring."""
        from workbench.services.platforms import needs_secret

        fields = self.query_one(PlatformFields)
        profile = Profile("", platform=fields.platform, auth=fields.auth)
        shown = needs_secret(profile)
        for widget in (self.query_one("#kf-key-label"), self.query_one("#kf-key")):
            widget.display = shown
        label = {"bedrock": "Bedrock API key (hidden; checked before it is stored)",
                 "foundry": "Foundry API key (hidden; checked before it is stored)"}.get(
            profile.platform, "API key (hidden; checked with the API before it is stored)")
        self.query_one("#kf-key-label", Label).update(label)

    @on(Select.Changed, "#kf-platform")
    def _platform_url(self, event: Select.Changed) -> None:
        """A cloud's URL is derived from its settings: the field starts blank (a URL typed
        there, e.g. a proxy or the emulator, overrides it)."""
        url = self.query_one("#kf-url", Input)
        cloud = event.value != "anthropic"
        if cloud and url.value.strip() in ("", DEFAULT_BASE_URL, self.profile.base_url):
            url.value = ""
        elif not cloud and not url.value.strip():
            url.value = DEFAULT_BASE_URL
        url.placeholder = "blank: from the platform's settings" if cloud else DEFAULT_BASE_URL

    @on(Input.Submitted, "#kf-key")
    @on(Button.Pressed, "#kf-save")
    def _save(self) -> None:
        name = self.query_one("#kf-name", Input).value.strip()
        key = self.query_one("#kf-key", Input).value.strip()
        status = self.query_one("#kf-status", Static)
        fields = self.query_one(PlatformFields)
        if name and fields.platform != "anthropic":  # a cloud profile: its own check
            self.save_cloud(fields.profile_for(
                name, self.query_one("#kf-url", Input).value.strip() or DEFAULT_BASE_URL,
                str(self.query_one("#kf-version", Select).value)), key)
            return
        if not name or not key:
            status.update("[red]a profile name and a key are needed[/]")
            return
        status.update("checking the key…")
        self.save_key(name, self.query_one("#kf-url", Input).value.strip() or DEFAULT_BASE_URL,
                      str(self.query_one("#kf-version", Select).value), key)

    @work(exclusive=True, group="key-save", exit_on_error=False)
    async def save_key(self, name: str, base_url: str, version: str, key: str) -> None:
        import asyncio

        from workbench import config
        from workbench.services.keys import KeyringUnavailable, KeyStore, check_key, mask_key

        status = self.query_one("#kf-status", Static)
        problem = await check_key(base_url, key, version)
        if problem:
            status.update(plain(f"not stored: {problem}").stylize("red"))
            return
        try:
            await asyncio.to_thread(KeyStore().set, name, key)
        except KeyringUnavailable as exc:
            status.update(plain(exc).stylize("yellow"))
            return
        settings = self.app.settings  # type: ignore[attr-defined]
        settings.profiles[name] = Profile(name, base_url, version)
        settings.active_profile = name
        await asyncio.to_thread(config.save, settings)
        self.query_one("#kf-key", Input).value = ""
        status.update(plain(f"stored {mask_key(key)} for {name}").stylize("green"))
        self.post_message(self.Saved(name, key))

    @work(exclusive=True, group="key-save", exit_on_error=False)
    async def save_cloud(self, profile: Profile, key: str) -> None:
        """Check a cloud profile (its credentials resolve; nothing is sent), then keep its
        settings in the file and its secret, if it has one, in the keyring."""
        import asyncio

        from textual.content import Content

        from workbench import config
        from workbench.services import platforms
        from workbench.services.keys import KeyringUnavailable, KeyStore, mask_key

        status = self.query_one("#kf-status", Static)
        missing = platforms.problems(profile)
        secret = key if platforms.needs_secret(profile) else None
        if platforms.needs_secret(profile) and not key:
            missing.append("the API key is needed")
        if missing:
            status.update(Content.styled("; ".join(missing), "red"))
            return
        status.update("checking the credentials…")
        problem = await platforms.check(profile, secret)
        if problem:
            status.update(Content.styled(f"not saved: {problem}", "red"))
            return
        try:
            if secret:
                await asyncio.to_thread(KeyStore().set, profile.name, secret)
        except KeyringUnavailable as exc:
            status.update(Content.styled(str(exc), "yellow"))
            return
        settings = self.app.settings  # type: ignore[attr-defined]
        settings.profiles[profile.name] = profile
        settings.active_profile = profile.name
        await asyncio.to_thread(config.save, settings)
        self.query_one("#kf-key", Input).value = ""
        stored = f"; stored {mask_key(secret)}" if secret else ""
        status.update(Content.styled(
            f"saved {profile.platform} profile {profile.name}{stored}", "green"))
        self.post_message(self.Saved(profile.name, secret or ""))
