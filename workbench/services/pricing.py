"""Cost estimates from usage and the price table in `workbench/data/prices.json`."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

_DATED = re.compile(r"-\d{8}$")


@cache
def price_table() -> dict[str, dict[str, Any]]:
    text = resources.files("workbench.data").joinpath("prices.json").read_text(encoding="utf-8")
    return json.loads(text)["models"]


def prices_for(model: str) -> dict[str, Any] | None:
    """By id, dated id (`claude-haiku-4-5-20251001`) or alias."""
    table = price_table()
    return table.get(model) or table.get(_DATED.sub("", model))


def _get(usage: Any, name: str) -> int:
    value = usage.get(name) if isinstance(usage, dict) else getattr(usage, name, None)
    return int(value or 0)


def cost_parts(model: str, usage: Any, *, batch: bool = False) -> dict[str, float] | None:
    """USD by part (input, cache_write, cache_read, output) of one response's usage; a cache
    write costs 1.25x (5m) or 2x (1h) the input price and a read 0.1x, as the table says."""
    prices = prices_for(model)
    if prices is None or usage is None:
        return None
    inp, out = _get(usage, "input_tokens"), _get(usage, "output_tokens")
    read = _get(usage, "cache_read_input_tokens")
    write = _get(usage, "cache_creation_input_tokens")
    creation = usage.get("cache_creation") if isinstance(usage, dict) else getattr(
        usage, "cache_creation", None)
    if creation:  # the split by TTL, when the API gives it
        w5m = _get(creation, "ephemeral_5m_input_tokens")
        w1h = _get(creation, "ephemeral_1h_input_tokens")
        if w5m + w1h == 0:
            w5m = write
    else:
        w5m, w1h = write, 0
    long = prices.get("long_prompt")
    if long and inp + read + write > long["above"]:
        prices = {**prices, **long}
    share = 0.5 if batch else 1.0
    return {"input": inp * prices["input"] / 1e6 * share,
            "cache_write": (w5m * prices["cache_write_5m"] + w1h * prices["cache_write_1h"])
            / 1e6 * share,
            "cache_read": read * prices["cache_read"] / 1e6 * share,
            "output": out * prices["output"] / 1e6 * share}


def cost_usd(model: str, usage: Any, *, batch: bool = False) -> float | None:
    """USD for one response's usage; None for a model we have no prices for."""
    parts = cost_parts(model, usage, batch=batch)
    return None if parts is None else sum(parts.values())


def _dollars(value: float) -> str:
    return f"${value:g}" if value >= 1 else f"${value:.3g}"


def price_text(model: str) -> str:
    """Input / output USD per million tokens ("$3/$15"), or "?" for an unknown model."""
    prices = prices_for(model)
    if prices is None:
        return "?"
    return f"{_dollars(prices['input'])}/{_dollars(prices['output'])}"


def price_lines(model: str) -> list[str]:
    """The whole price table of a model, per million tokens, for the models detail."""
    prices = prices_for(model)
    if prices is None:
        return ["prices     unknown for this model"]
    lines = [f"input      {_dollars(prices['input'])} per MTok",
             f"output     {_dollars(prices['output'])} per MTok",
             f"cache read {_dollars(prices['cache_read'])}, write {_dollars(prices['cache_write_5m'])}"
             f" (5 min) / {_dollars(prices['cache_write_1h'])} (1 h)",
             "batch      half of input and output"]
    long = prices.get("long_prompt")
    if long:
        lines.append(f"above {long['above']:,} input tokens: {_dollars(long['input'])} / "
                     f"{_dollars(long['output'])}")
    return lines


def money(value: float | None) -> str:
    """A total for the top bar: cents below a dollar are worth showing to four places."""
    if value is None:
        return "$0"
    return f"${value:.2f}" if value >= 1 else f"${value:.4f}".rstrip("0").rstrip(".")
