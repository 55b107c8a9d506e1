"""Model ids in each platform's naming, both ways. Stdlib only.

Bedrock `anthropic.<id>-v1:0`, with an optional cross-region prefix (`us.`, `eu.`, `global.`,
...); Vertex `<id>@<date>` for dated ids, else `<id>`; Foundry `<id>`. An id that already has
the platform's shape (or an ARN) is sent as typed.
"""

from __future__ import annotations

import re

REGION_PREFIXES = ("us.", "eu.", "apac.", "jp.", "au.", "global.", "us-gov.")
_DATED = re.compile(r"^(?P<name>.+)-(?P<date>20\d{6})$")


def is_platform_id(platform: str, model: str) -> bool:
    if platform == "bedrock":
        bare = strip_region(model)
        return model.startswith("arn:") or bare.startswith("anthropic.")
    if platform == "vertex":
        return "@" in model
    return True


def strip_region(model: str) -> str:
    for prefix in REGION_PREFIXES:
        if model.startswith(prefix):
            return model[len(prefix):]
    return model


def to_platform(platform: str, model: str, region_prefix: str = "") -> str:
    """The id to send for `model` (a Claude API id, or already the platform's)."""
    model = model.strip()
    if not model or platform in ("anthropic", "foundry") or is_platform_id(platform, model):
        return model
    if platform == "bedrock":
        prefix = region_prefix if not region_prefix or region_prefix.endswith(".") \
            else region_prefix + "."
        return f"{prefix}anthropic.{model}-v1:0"
    if platform == "vertex":
        dated = _DATED.match(model)
        return f"{dated['name']}@{dated['date']}" if dated else model
    return model


def to_claude(platform: str, model: str) -> str:
    """The Claude API id behind a platform id (for pricing, history and the picker)."""
    if platform == "bedrock":
        bare = strip_region(model)
        if bare.startswith("anthropic."):
            bare = re.sub(r"-v\d+(:\d+)?$", "", bare[len("anthropic."):])
        return bare
    if platform == "vertex" and "@" in model:
        name, _, date = model.partition("@")
        return f"{name}-{date}"
    return model
