"""What each platform offers, as data: the panes grey out what is missing and say why, and the
client refuses such a call before sending it. Stdlib only (the UI reads it at start-up).

From the official SDK's platform clients (what each leaves out) and the platforms' docs.
"""

from __future__ import annotations

PLATFORMS = ("anthropic", "bedrock", "vertex", "foundry")
LABELS = {"anthropic": "Claude API", "bedrock": "Amazon Bedrock", "vertex": "Google Vertex AI",
          "foundry": "Microsoft Foundry"}
FEATURES = {"messages": "Messages", "count_tokens": "token counting", "models": "the model list",
            "batches": "Message Batches", "files": "the Files API", "skills": "Skills"}

OFFERED: dict[str, frozenset[str]] = {
    "anthropic": frozenset(FEATURES),
    "bedrock": frozenset({"messages"}),
    "vertex": frozenset({"messages", "count_tokens"}),
    "foundry": frozenset({"messages", "count_tokens", "files", "skills"}),
}
# path prefix -> feature; the longest prefix wins (batches before messages)
PATHS = (("/v1/messages/batches", "batches"), ("/v1/messages/count_tokens", "count_tokens"),
         ("/v1/messages", "messages"), ("/v1/models", "models"), ("/v1/files", "files"),
         ("/v1/skills", "skills"))
HINTS = {"models": "type the model id in the composer (the platform's own id, or the Claude API "
                   "id, which is mapped)"}


def offers(platform: str, feature: str) -> bool:
    return feature in OFFERED.get(platform, OFFERED["anthropic"])


def reason(platform: str, feature: str) -> str | None:
    """None when offered; else one sentence for a greyed pane or a refused call."""
    if offers(platform, feature):
        return None
    text = f"{LABELS.get(platform, platform)} does not offer {FEATURES.get(feature, feature)}"
    hint = HINTS.get(feature)
    return f"{text}: {hint}." if hint else f"{text}; switch to a Claude API profile to use it."


def feature_of(path: str) -> str | None:
    path = path.split("?", 1)[0]
    for prefix, feature in PATHS:
        if path == prefix or path.startswith(prefix + "/"):
            return feature
    return None


def reason_unsupported(platform: str, path: str, method: str = "GET") -> str | None:
    feature = feature_of(path)
    if feature is None:
        return f"{LABELS.get(platform, platform)}: {method} {path} is not part of its API"
    return reason(platform, feature)
