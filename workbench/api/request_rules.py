"""The API's rules between request fields, stated once for the emulator and the composer.

`emulator/validate.py` refuses a request with the first problem found here (as the API's 400),
and `services/param_rules.py` shows the same problems under the composer's fields before a
run, so the two cannot drift apart (tests/services/test_request_rules.py runs every case
through both). Rules: extended thinking and sampling, the thinking budget, temperature with
top_p on the models that take only one, and prompt-cache breakpoints (at most 4, a known TTL,
1-hour entries before 5-minute ones). Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

MAX_CACHE_BREAKPOINTS = 4
CACHE_TTLS = ("5m", "1h")
TTL_SECONDS = {"5m": 300, "1h": 3600}
THINKING_MIN_BUDGET = 1024
THINKING_TOP_P_MIN = 0.95
EFFORTS = ("low", "medium", "high", "xhigh", "max")
SERVICE_TIERS = ("auto", "standard_only")

# Models before Claude 4.5 (Sonnet 3.7, here) may set both temperature and top_p; the 4.5
# migration guide says later models take one or the other.
_BOTH_SAMPLING_OK = re.compile(r"^claude-3-")

# The smallest prefix a breakpoint caches, by model (third-party tables of the prompt-caching
# page; models not listed cache from 1,024 tokens).
_MIN_CACHEABLE = (
    (re.compile(r"^claude-(opus-4-[56]|haiku-4-5)"), 4096),
    (re.compile(r"^claude-(sonnet-4-6|3-5-haiku|3-haiku|haiku-3)"), 2048),
)
DEFAULT_MIN_CACHEABLE = 1024


@dataclass(frozen=True)
class Problem:
    """Where in the body (a dotted path) and what the API says about it."""

    where: str
    message: str

    def __str__(self) -> str:
        return self.message


def min_cacheable_tokens(model: str) -> int:
    for pattern, tokens in _MIN_CACHEABLE:
        if pattern.match(model):
            return tokens
    return DEFAULT_MIN_CACHEABLE


def refuses_both_sampling(model: str) -> bool:
    """True for a model that takes temperature or top_p, not both."""
    return not _BOTH_SAMPLING_OK.match(model)


def cache_markers(body: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """(where, cache_control) of every breakpoint, in prompt order: tools, system, messages."""
    for i, tool in enumerate(_list(body.get("tools"))):
        if isinstance(tool, dict) and "cache_control" in tool:
            yield f"tools.{i}.cache_control", tool["cache_control"]
    for i, block in enumerate(_list(body.get("system"))):
        if isinstance(block, dict) and "cache_control" in block:
            yield f"system.{i}.cache_control", block["cache_control"]
    for i, message in enumerate(_list(body.get("messages"))):
        content = message.get("content") if isinstance(message, dict) else None
        for j, block in enumerate(_list(content)):
            if isinstance(block, dict) and "cache_control" in block:
                yield f"messages.{i}.content.{j}.cache_control", block["cache_control"]
    if "cache_control" in body:
        yield "cache_control", body["cache_control"]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def cache_ttl(marker: Any) -> str | None:
    """The TTL of a valid marker ("5m" when left out), None for an invalid one."""
    if not isinstance(marker, dict) or marker.get("type") != "ephemeral":
        return None
    ttl = marker.get("ttl", "5m")
    return ttl if ttl in CACHE_TTLS else None


def cache_problems(body: Mapping[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    markers = list(cache_markers(body))
    seen_5m = False
    for where, marker in markers:
        ttl = cache_ttl(marker)
        if ttl is None:
            found.append(Problem(where, f"{where}: Input should be {{\"type\": \"ephemeral\", "
                                        f"\"ttl\": \"5m\" | \"1h\"}}"))
        elif ttl == "1h" and seen_5m and where != "cache_control":
            found.append(Problem(where, "a ttl='1h' cache_control block must not come after a "
                                        "ttl='5m' cache_control block (longer TTLs come first)"))
        seen_5m = seen_5m or ttl == "5m"
    if len(markers) > MAX_CACHE_BREAKPOINTS:
        found.append(Problem("cache_control", f"A maximum of {MAX_CACHE_BREAKPOINTS} blocks "
                                              f"with cache_control may be provided. Found "
                                              f"{len(markers)}."))
    return found


def thinking_on(body: Mapping[str, Any]) -> bool:
    thinking = body.get("thinking")
    return isinstance(thinking, dict) and thinking.get("type") in ("enabled", "adaptive")


def _number(value: Any) -> float | None:
    return None if isinstance(value, bool) or not isinstance(value, int | float) else value


def sampling_problems(body: Mapping[str, Any]) -> list[Problem]:
    """Thinking against sampling and a forced tool, the budget, and temperature with top_p."""
    found: list[Problem] = []
    temperature, top_p = _number(body.get("temperature")), _number(body.get("top_p"))
    if thinking_on(body):
        if temperature is not None and temperature != 1:
            found.append(Problem("temperature", "temperature may only be set to 1 when "
                                                "thinking is enabled"))
        if body.get("top_k") is not None:
            found.append(Problem("top_k", "top_k cannot be set when thinking is enabled"))
        if top_p is not None and not THINKING_TOP_P_MIN <= top_p <= 1:
            found.append(Problem("top_p", "top_p must be between 0.95 and 1 when thinking is "
                                          "enabled"))
        choice = body.get("tool_choice")
        if isinstance(choice, dict) and choice.get("type") in ("any", "tool"):
            found.append(Problem("tool_choice", "Thinking may not be enabled when tool_choice "
                                                "forces tool use (type any or tool)"))
    thinking = body.get("thinking")
    if isinstance(thinking, dict) and thinking.get("type") == "enabled":
        budget, max_tokens = thinking.get("budget_tokens"), body.get("max_tokens")
        if isinstance(budget, int) and budget < THINKING_MIN_BUDGET:
            found.append(Problem("thinking.budget_tokens", "thinking.enabled.budget_tokens: "
                                 "Input should be greater than or equal to 1024"))
        elif isinstance(budget, int) and isinstance(max_tokens, int) and budget >= max_tokens:
            found.append(Problem("thinking.budget_tokens",
                                 "max_tokens must be greater than thinking.budget_tokens"))
    model = body.get("model")
    if temperature is not None and top_p is not None and isinstance(model, str) \
            and refuses_both_sampling(model):
        found.append(Problem("top_p", f"temperature and top_p cannot both be specified for "
                                      f"{model}: use only one"))
    return found


def output_config_problems(body: Mapping[str, Any]) -> list[Problem]:
    config = body.get("output_config")
    if config is None:
        return []
    if not isinstance(config, dict):
        return [Problem("output_config", "output_config: Input should be a valid object")]
    found = []
    effort = config.get("effort")
    if effort is not None and effort not in EFFORTS:
        found.append(Problem("output_config.effort", "output_config.effort: Input should be "
                                                     + ", ".join(repr(e) for e in EFFORTS)))
    fmt = config.get("format")
    if fmt is not None and (not isinstance(fmt, dict) or fmt.get("type") != "json_schema"
                            or not isinstance(fmt.get("schema"), dict)):
        found.append(Problem("output_config.format", "output_config.format: Input should be "
                                                     "{type: 'json_schema', schema: {...}}"))
    return found


def request_problems(body: Mapping[str, Any]) -> list[Problem]:
    """Every rule between fields the body breaks, in a stable order."""
    found = sampling_problems(body) + cache_problems(body) + output_config_problems(body)
    tier = body.get("service_tier")
    if tier is not None and tier not in SERVICE_TIERS:
        found.append(Problem("service_tier", "service_tier: Input should be 'auto' or "
                                             "'standard_only'"))
    return found
