"""Per-platform request adapters (Amazon Bedrock, Google Vertex AI, Microsoft Foundry) for the
one client: the transport hands each request to the profile's adapter, which rewrites it into
the platform's wire and authenticates it. The direct API needs none (`adapter_for` -> None).

Cloud libraries (botocore, google-auth, azure-identity) are imported only when an adapter
needs them; a missing one raises `MissingExtra`, naming the extra to install.
"""

from __future__ import annotations

from typing import Any

from workbench.api.platforms.base import (
    MissingExtra,
    PlatformAdapter,
    PlatformSetupError,
    PlatformUnsupported,
)
from workbench.api.platforms.capabilities import LABELS, PLATFORMS

__all__ = ["LABELS", "PLATFORMS", "MissingExtra", "PlatformAdapter", "PlatformSetupError",
           "PlatformUnsupported", "adapter_for"]


def adapter_for(platform: str, api_version: str, **settings: Any) -> PlatformAdapter | None:
    """The adapter for `platform` with its settings (None values are left out), or None for
    the direct Claude API."""
    settings = {k: v for k, v in settings.items() if v not in (None, "")}
    if platform in ("", "anthropic"):
        return None
    if platform == "bedrock":
        from workbench.api.platforms.bedrock import BedrockAdapter

        return BedrockAdapter(api_version=api_version, **settings)
    if platform == "vertex":
        from workbench.api.platforms.vertex import VertexAdapter

        return VertexAdapter(api_version=api_version, **settings)
    if platform == "foundry":
        from workbench.api.platforms.foundry import FoundryAdapter

        return FoundryAdapter(api_version=api_version, **settings)
    raise PlatformSetupError(f"unknown platform {platform!r} (one of {', '.join(PLATFORMS)})")
