"""Cloud profiles as a use-case the TUI and the CLI share: which secret a profile needs, how its
one client is built (its platform adapter), how it is checked, and the demo clients that talk
to the emulator's platform wires (`workbench --demo --platform bedrock`).

Secrets (a Bedrock API key, a Foundry key) live in the keyring under the profile's name, like
a Claude API key; AWS, Google and Entra credentials stay in their own tools' stores.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.api.platforms.capabilities import LABELS, PLATFORMS

if TYPE_CHECKING:
    from workbench.api.client import ClaudeClient
    from workbench.config import Profile, Settings
    from workbench.services.keys import KeyStore

AUTH_CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "bedrock": (("aws", "AWS credential chain (env, ~/.aws, named profile, SSO)"),
                ("api-key", "Bedrock API key (kept in the keyring)")),
    "vertex": (("adc", "Application Default Credentials (gcloud auth application-default "
                       "login)"),
               ("command", "a token command (e.g. gcloud auth print-access-token)")),
    "foundry": (("api-key", "Foundry API key (kept in the keyring)"),
                ("entra", "Microsoft Entra ID (az login, or a token command)")),
}
DEMO_VERTEX_TOKEN = "ya29.workbench-demo"
DEMO_FOUNDRY_KEY = "workbench-demo-foundry-key"
DEMO_BEDROCK_KEY = "ABSKd29ya2JlbmNoLWRlbW8="  # a Bedrock API key's shape; the emulator's


def auth_of(profile: Profile) -> str:
    """The profile's auth method, or its platform's first (the usual one)."""
    choices = AUTH_CHOICES.get(profile.platform)
    if not choices:
        return ""
    names = [name for name, _ in choices]
    return profile.auth if profile.auth in names else names[0]


def needs_secret(profile: Profile) -> bool:
    """Whether the keyring must hold a secret for this profile."""
    return profile.platform == "anthropic" or auth_of(profile) == "api-key"


def problems(profile: Profile) -> list[str]:
    """What is missing from a profile's settings, as sentences (empty: complete)."""
    out = []
    if profile.platform not in PLATFORMS:
        out.append(f"unknown platform {profile.platform!r}")
    if profile.platform in ("bedrock", "vertex") and not profile.region.strip():
        out.append(f"{LABELS[profile.platform]} needs a region")
    if profile.platform == "vertex" and not profile.project.strip():
        out.append("Vertex AI needs a project id")
    if profile.platform == "foundry" and not (profile.resource.strip() or _custom_url(profile)):
        out.append("Foundry needs a resource name or a base URL")
    if auth_of(profile) == "command" and not profile.token_command.strip():
        out.append("a token command is needed (e.g. gcloud auth print-access-token)")
    return out


def cloud_where(profile: Profile) -> str:
    """`Amazon Bedrock us-east-1`, `Google Vertex AI my-project/us-east5`, ...: for lists."""
    where = _custom_url(profile) or {
        "bedrock": profile.region, "vertex": f"{profile.project}/{profile.region}",
        "foundry": profile.resource}.get(profile.platform, "")
    return f"{LABELS.get(profile.platform, profile.platform)} {where}".strip()


def _custom_url(profile: Profile) -> str | None:
    from workbench.config import DEFAULT_BASE_URL

    url = profile.base_url.strip()
    return url if url and url != DEFAULT_BASE_URL else None


def adapter(profile: Profile, secret: str | None) -> Any:
    """The platform adapter for a cloud profile (PlatformSetupError when incomplete)."""
    from workbench.api.platforms import PlatformSetupError, adapter_for

    missing = problems(profile)
    if missing:
        raise PlatformSetupError(f"profile {profile.name!r}: " + "; ".join(missing))
    auth = auth_of(profile)
    url = _custom_url(profile)
    version = profile.api_version
    if profile.platform == "bedrock":
        return adapter_for("bedrock", version, region=profile.region.strip(), base_url=url,
                           aws_profile=profile.aws_profile.strip() or None,
                           api_key=secret if auth == "api-key" else None,
                           model_prefix=profile.model_prefix.strip())
    if profile.platform == "vertex":
        return adapter_for("vertex", version, project=profile.project.strip(),
                           region=profile.region.strip(), base_url=url,
                           token_command=profile.token_command.strip()
                           if auth == "command" else None)
    return adapter_for("foundry", version, resource=profile.resource.strip() or None,
                       base_url=url, api_key=secret if auth == "api-key" else None,
                       token_command=profile.token_command.strip() if auth == "entra" else None,
                       entra=auth == "entra")


@dataclass(frozen=True)
class ProfileSecret:
    secret: str | None
    problem: str | None = None


def read_secret(profile: Profile, store: KeyStore | None = None) -> ProfileSecret:
    """The profile's keyring secret when it needs one (blocking: call it in a thread)."""
    from workbench.services.keys import KeyringUnavailable, KeyStore

    if not needs_secret(profile):
        return ProfileSecret(None)
    try:
        secret = (store or KeyStore()).get(profile.name)
    except KeyringUnavailable as exc:
        return ProfileSecret(None, str(exc))
    if not secret:
        what = "Bedrock API key" if profile.platform == "bedrock" else "Foundry API key"
        return ProfileSecret(None, f"no {what} in the keyring for profile {profile.name!r}: "
                             f"run `workbench keys set {profile.name}` or use the Keys pane")
    return ProfileSecret(secret)


async def profile_client(settings: Settings, store: KeyStore | None = None) -> ClaudeClient:
    """The one client for the active cloud profile; PlatformSetupError says what is missing."""
    from workbench.api.client import ClaudeClient
    from workbench.api.platforms import PlatformSetupError

    profile = settings.profile
    found = await asyncio.to_thread(read_secret, profile, store)
    if found.problem:
        raise PlatformSetupError(found.problem)
    return ClaudeClient(platform=adapter(profile, found.secret), api_version=profile.api_version)


async def check(profile: Profile, secret: str | None) -> str | None:
    """None when the profile can authenticate; else a readable problem. Credentials are
    resolved and a request is prepared (signed, or a token fetched) without being sent: a
    platform offers no free call to try, and a Messages call would be billed."""
    from workbench.api.errors import APIError

    try:
        platform = adapter(profile, secret)
        await platform.prepare("POST", "/v1/messages", {}, b'{"model":"claude-haiku-4-5",'
                               b'"max_tokens":1,"messages":[]}', False)
    except APIError as exc:
        return str(exc)
    return None


def demo_client(platform: str, emulator_url: str, api_version: str) -> ClaudeClient:
    """A client for the emulator's `platform` wire, with the credentials it accepts: Bedrock
    signs with SigV4 when botocore is installed (else the emulator's Bedrock API key)."""
    from workbench.api.client import ClaudeClient
    from workbench.api.platforms import adapter_for

    if platform == "bedrock":
        from workbench.api.platforms import MissingExtra
        from workbench.api.sigv4 import static_credentials
        from workbench.emulator.platforms.bedrock import ACCESS_KEY, SECRET_KEY

        try:
            credentials, key = static_credentials(ACCESS_KEY, SECRET_KEY), None
        except MissingExtra:  # no botocore here: the emulator's Bedrock API key instead
            credentials, key = None, DEMO_BEDROCK_KEY
        made = adapter_for("bedrock", api_version, region="us-east-1",
                           base_url=emulator_url + "/bedrock", credentials=credentials,
                           api_key=key, model_prefix="us.")
    elif platform == "vertex":
        made = adapter_for("vertex", api_version, project="workbench-demo", region="us-east5",
                           base_url=emulator_url + "/vertex/v1", access_token=DEMO_VERTEX_TOKEN)
    elif platform == "foundry":
        made = adapter_for("foundry", api_version, base_url=emulator_url + "/foundry/anthropic",
                           api_key=DEMO_FOUNDRY_KEY)
    else:
        raise ValueError(f"no demo for platform {platform!r}")
    return ClaudeClient(platform=made, api_version=api_version)


def platform_models(settings: Settings, platform: str) -> tuple[list[dict[str, Any]], str]:
    """The model picker on a platform that lists no models: the models the Claude API listed
    for this user's other profiles (their caches), each with the id the platform is sent;
    and a status line saying so. Blocking (reads files): call it in a thread."""
    from workbench.api.platforms.capabilities import reason
    from workbench.api.platforms.models import to_platform
    from workbench.services import model_cache

    prefix = settings.profile.model_prefix if settings.profile.platform == platform else ""
    seen: dict[str, dict[str, Any]] = {}
    for name, profile in settings.profiles.items():
        if profile.platform == "anthropic":
            for model in model_cache.load(name) or []:
                if isinstance(model, dict) and isinstance(model.get("id"), str):
                    seen.setdefault(model["id"], model)
    models = []
    for model in seen.values():
        sent = to_platform(platform, model["id"], prefix)
        label = model.get("display_name") or model["id"]
        models.append({**model, "display_name": f"{label} (sent as {sent})"})
    why = (reason(platform, "models") or "").split(":")[0]
    found = (f"{len(models)} models the Claude API listed, mapped to {LABELS[platform]} ids; "
             if models else "")
    return models, f"{why}. {found}or type a model id and press enter."
