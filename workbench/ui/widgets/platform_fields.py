"""The key form's platform part: which cloud a profile talks to and that cloud's settings.

Only the fields of the chosen platform (and auth method) are shown; what they mean and what a
complete profile needs is decided headlessly in `workbench.services.platforms`.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select

from workbench.api.platforms.capabilities import LABELS, PLATFORMS
from workbench.config import Profile
from workbench.services.platforms import AUTH_CHOICES, auth_of
from workbench.ui.widgets.ordered_keys import OrderedInput

# field id -> (label, Profile attribute, platforms it belongs to, auth methods it needs)
FIELDS: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("kf-region", "Region (e.g. us-east-1 on AWS, us-east5 or global on Google Cloud)",
     "region", ("bedrock", "vertex"), ()),
    ("kf-project", "Google Cloud project id", "project", ("vertex",), ()),
    ("kf-aws-profile", "AWS profile of ~/.aws/config (blank: the default chain)",
     "aws_profile", ("bedrock",), ("aws",)),
    ("kf-prefix", "Model id prefix for cross-region inference (us., eu., global.; optional)",
     "model_prefix", ("bedrock",), ()),
    ("kf-resource", "Foundry resource name (<resource>.services.ai.azure.com)", "resource",
     ("foundry",), ()),
    ("kf-token-command", "Token command (prints a bearer token; blank with Entra ID: "
     "azure-identity)", "token_command", ("vertex", "foundry"), ("command", "entra")),
)


class PlatformFields(Vertical):
    """Platform select, auth select and the platform's fields; `profile_for(name)` reads them."""

    DEFAULT_CSS = """
    PlatformFields { height: auto; }
    PlatformFields Vertical { height: auto; }
    """

    def __init__(self, profile: Profile, **kwargs) -> None:
        super().__init__(**kwargs)
        self.profile = profile

    def compose(self) -> ComposeResult:
        yield Label("Platform")
        yield Select([(LABELS[p], p) for p in PLATFORMS], value=self.profile.platform,
                     allow_blank=False, id="kf-platform")
        with Vertical(id="kf-auth-box"):
            yield Label("Authentication")
            yield Select(self._auth_options(self.profile.platform), allow_blank=True,
                         id="kf-auth")
        for field_id, label, attr, _, _ in FIELDS:
            with Vertical(id=f"{field_id}-box"):
                yield Label(label)
                yield OrderedInput(getattr(self.profile, attr), id=field_id)

    def on_mount(self) -> None:
        auth = auth_of(self.profile)
        if auth:
            self.query_one("#kf-auth", Select).value = auth
        self._show()

    @staticmethod
    def _auth_options(platform: str) -> list[tuple[str, str]]:
        return [(text, name) for name, text in AUTH_CHOICES.get(platform, ())]

    @property
    def platform(self) -> str:
        return str(self.query_one("#kf-platform", Select).value)

    @property
    def auth(self) -> str:
        value = self.query_one("#kf-auth", Select).value
        return "" if value is Select.BLANK else str(value)

    @on(Select.Changed, "#kf-platform")
    def _platform_changed(self) -> None:
        auth = self.query_one("#kf-auth", Select)
        options = self._auth_options(self.platform)
        auth.set_options(options)
        if options:
            auth.value = options[0][1]
        self._show()

    @on(Select.Changed, "#kf-auth")
    def _auth_changed(self) -> None:
        self._show()

    def _show(self) -> None:
        platform, auth = self.platform, self.auth
        self.query_one("#kf-auth-box").display = platform != "anthropic"
        for field_id, _, _, platforms, auths in FIELDS:
            shown = platform in platforms and (not auths or auth in auths)
            self.query_one(f"#{field_id}-box").display = shown

    def profile_for(self, name: str, base_url: str, api_version: str) -> Profile:
        """A Profile of what the fields hold (fields of other platforms are left empty)."""
        profile = Profile(name, base_url, api_version, platform=self.platform,
                          auth=self.auth if self.platform != "anthropic" else "")
        for field_id, _, attr, platforms, auths in FIELDS:
            if self.platform in platforms and (not auths or profile.auth in auths):
                setattr(profile, attr, self.query_one(f"#{field_id}", Input).value.strip())
        return profile
