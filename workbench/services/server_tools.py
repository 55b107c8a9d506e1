"""The composer's server tools: web search, web fetch and code execution, with their options.

Kept in the draft as plain data (`Draft.server_tools`, a dict of the fields below) and added to
the request's `tools` in the wire shapes of the SDK's `WebSearchTool20250305Param`,
`WebFetchTool20250910Param` and `CodeExecutionTool20250825Param` (GA, no beta header). An
option left empty is left out of the request: the API's own defaults apply, none invented here.
A tool the user also wrote in the tools JSON is not added twice (the JSON wins).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from workbench.services.draft import DraftError

SEARCH_TYPE = "web_search_20250305"
FETCH_TYPE = "web_fetch_20250910"
CODE_TYPE = "code_execution_20250825"
_TYPES = {SEARCH_TYPE: "web_search", FETCH_TYPE: "web_fetch", CODE_TYPE: "code_execution"}
LOCATION_KEYS = ("city", "region", "country", "timezone")
_DOMAIN = re.compile(r"^[A-Za-z0-9.-]+(/[^\s]*)?$")


class ServerToolsError(DraftError):
    """Options the API would reject (both allowed and blocked domains, max_uses < 1, ...)."""


@dataclass
class ServerTools:
    web_search: bool = False
    search_max_uses: int | None = None
    search_allowed: list[str] = field(default_factory=list)
    search_blocked: list[str] = field(default_factory=list)
    location: dict[str, str] = field(default_factory=dict)  # city, region, country, timezone
    web_fetch: bool = False
    fetch_max_uses: int | None = None
    fetch_allowed: list[str] = field(default_factory=list)
    fetch_blocked: list[str] = field(default_factory=list)
    fetch_citations: bool = False
    code_execution: bool = False
    cite_documents: bool = False  # not a tool: attached documents get citations enabled

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ServerTools:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def enabled(self) -> list[str]:
        return [n for n in ("web_search", "web_fetch", "code_execution") if getattr(self, n)]

    def problems(self) -> list[str]:
        out = []
        for name, allowed, blocked, uses in (
                ("web search", self.search_allowed, self.search_blocked, self.search_max_uses),
                ("web fetch", self.fetch_allowed, self.fetch_blocked, self.fetch_max_uses)):
            if allowed and blocked:
                out.append(f"{name}: give allowed domains or blocked domains, not both "
                           "(the API rejects both)")
            bad = [d for d in [*allowed, *blocked] if not _DOMAIN.match(d)]
            if bad:
                out.append(f"{name}: {bad[0]!r} is not a domain (e.g. example.com)")
            if uses is not None and uses < 1:
                out.append(f"{name}: max uses must be at least 1 (or empty: no limit)")
        country = self.location.get("country", "")
        if country and not re.fullmatch(r"[A-Za-z]{2}", country):
            out.append("user location: the country is a two-letter ISO code (e.g. FR)")
        return out

    def to_tools(self, existing: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """The tool definitions to add; raises ServerToolsError for options the API rejects."""
        problems = self.problems() if self.enabled else []
        if problems:
            raise ServerToolsError(f"server tools: {problems[0]}")
        taken = {t.get("name") for t in existing or [] if isinstance(t, dict)}
        tools: list[dict[str, Any]] = []
        if self.web_search and "web_search" not in taken:
            tool: dict[str, Any] = {"type": SEARCH_TYPE, "name": "web_search"}
            _options(tool, self.search_max_uses, self.search_allowed, self.search_blocked)
            location = {k: v for k in LOCATION_KEYS if (v := self.location.get(k, "").strip())}
            if location:
                tool["user_location"] = {"type": "approximate", **location}
            tools.append(tool)
        if self.web_fetch and "web_fetch" not in taken:
            tool = {"type": FETCH_TYPE, "name": "web_fetch"}
            _options(tool, self.fetch_max_uses, self.fetch_allowed, self.fetch_blocked)
            if self.fetch_citations:
                tool["citations"] = {"enabled": True}
            tools.append(tool)
        if self.code_execution and "code_execution" not in taken:
            tools.append({"type": CODE_TYPE, "name": "code_execution"})
        return tools

    def summary(self) -> str:
        names = [n.replace("_", " ") for n in self.enabled]
        if self.cite_documents:
            names.append("citations of documents")
        return ", ".join(names) or "none"


def request_tools(settings: dict[str, Any], tools: list[dict[str, Any]],
                  messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tools the draft's settings add to `tools` (citations go on `messages`' documents)."""
    if not settings:
        return []
    chosen = ServerTools.from_dict(settings)
    if chosen.cite_documents:
        cite_documents(messages)
    return chosen.to_tools(tools)


def cite_documents(messages: list[dict[str, Any]]) -> None:
    """Enable citations on every document of the user's turns (in place; a document that
    says otherwise keeps its setting)."""
    for message in messages:
        content = message.get("content")
        if message.get("role") != "user" or not isinstance(content, list):
            continue
        for i, block in enumerate(content):
            if isinstance(block, dict) and block.get("type") == "document" \
                    and "citations" not in block:
                content[i] = {**block, "citations": {"enabled": True}}


def cites(messages: list[dict[str, Any]]) -> bool:
    """Whether a request's documents have citations enabled (all of them, at least one)."""
    docs = [b for m in messages if isinstance(m.get("content"), list) for b in m["content"]
            if isinstance(b, dict) and b.get("type") == "document"]
    return bool(docs) and all((d.get("citations") or {}).get("enabled") for d in docs)


def _options(tool: dict[str, Any], uses: int | None, allowed: list[str],
             blocked: list[str]) -> None:
    if uses is not None:
        tool["max_uses"] = uses
    if allowed:
        tool["allowed_domains"] = list(allowed)
    if blocked:
        tool["blocked_domains"] = list(blocked)


def split(tools: list[dict[str, Any]] | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A request's tools as (server tool settings, the other tools): what the toggles can show
    whole moves to them; anything else (other versions, unknown options) stays in the JSON."""
    settings = ServerTools()
    rest: list[dict[str, Any]] = []
    for tool in tools or []:
        kind = tool.get("type") if isinstance(tool, dict) else None
        name = _TYPES.get(kind) if isinstance(kind, str) else None
        if name is None or tool.get("name") != name or getattr(settings, name) or not _fits(
                tool, name):
            rest.append(tool)
            continue
        setattr(settings, name, True)
        location = tool.get("user_location") or {}
        if name == "web_search":
            settings.search_max_uses = tool.get("max_uses")
            settings.search_allowed = list(tool.get("allowed_domains") or [])
            settings.search_blocked = list(tool.get("blocked_domains") or [])
            settings.location = {k: str(location[k]) for k in LOCATION_KEYS if location.get(k)}
        elif name == "web_fetch":
            settings.fetch_max_uses = tool.get("max_uses")
            settings.fetch_allowed = list(tool.get("allowed_domains") or [])
            settings.fetch_blocked = list(tool.get("blocked_domains") or [])
            settings.fetch_citations = bool((tool.get("citations") or {}).get("enabled"))
    return (settings.to_dict() if settings.enabled else {}), rest


def from_request(body: dict[str, Any], tools: list[dict[str, Any]] | None
                 ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """`split`, and whether the request cites its documents."""
    settings, rest = split(tools)
    if cites(body.get("messages") or []):
        settings = {**(settings or ServerTools().to_dict()), "cite_documents": True}
    return settings, rest


_KNOWN_KEYS = {"web_search": {"type", "name", "max_uses", "allowed_domains", "blocked_domains",
                              "user_location"},
               "web_fetch": {"type", "name", "max_uses", "allowed_domains", "blocked_domains",
                             "citations"},
               "code_execution": {"type", "name"}}


def _fits(tool: dict[str, Any], name: str) -> bool:
    """Whether the toggles can hold every option of `tool` (else it stays as JSON)."""
    if set(tool) - _KNOWN_KEYS[name]:
        return False
    location = tool.get("user_location")
    return location is None or (isinstance(location, dict) and set(location) <= {
        "type", *LOCATION_KEYS})
