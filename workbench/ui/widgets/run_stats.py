"""The line under a finished run: stop reason, usage, cost, time to first token, speed, request-id."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from workbench.format import usd
from workbench.services.runner import USAGE_FIELDS, RunResult


def usage_numbers(usage: dict[str, Any] | None) -> dict[str, int]:
    return {n: int((usage or {}).get(n) or 0) for n in USAGE_FIELDS}


def stats_text(result: RunResult, cost: float | None) -> Text:
    text = Text()
    message = result.message
    stop = getattr(message, "stop_reason", None)
    status_style = {"complete": "green", "cancelled": "yellow", "failed": "red"}.get(
        result.status, "")
    text.append(result.status, style=f"bold {status_style}")
    if stop:
        text.append(f" · stop_reason {stop}")
    u = usage_numbers(result.usage())
    # "~": the final count never arrived (a cut-short run); counted from what did arrive
    out = (f"~{u['output_tokens']:,} (estimated)" if result.output_estimated
           else f"{u['output_tokens']:,}")
    text.append(f"\nin {u['input_tokens']:,} · out {out} · "
                f"cache write {u['cache_creation_input_tokens']:,} · "
                f"cache read {u['cache_read_input_tokens']:,}")
    text.append_text(cache_cost_text(result, u))
    text.append_text(structured_text(result))
    parts = []
    if cost is not None:
        parts.append(f"≈ {usd(cost)}")
    if result.ttft is not None:
        parts.append(f"TTFT {result.ttft * 1000:,.0f} ms")
    if result.tokens_per_second is not None:
        approx = "~" if result.output_estimated else ""
        parts.append(f"{approx}{result.tokens_per_second:,.0f} tok/s")
    if result.duration is not None:
        parts.append(f"{result.duration:.2f} s")
    if parts:
        text.append("\n" + " · ".join(parts))
    if result.request_id:
        text.append(f"\nrequest-id {result.request_id}", style="dim")
    if result.error is not None:
        text.append(f"\n{result.error}", style="red")
    return text


def structured_text(result: RunResult) -> Text:
    """With a reply schema (structured output): whether the finished reply matches it."""
    from workbench.services.request_options import reply_problem, reply_schema

    schema = reply_schema(result.body)
    if schema is None or result.status != "complete":
        return Text()
    problem = reply_problem(result.text, schema)
    if problem:
        return Text(f"\n✗ structured output: {problem}", style="red")
    return Text("\n✓ structured output: JSON matching the schema", style="green")


def cache_cost_text(result: RunResult, u: dict[str, int]) -> Text:
    """What the cache did to the price: the writes' and reads' cost, and what the reads saved
    against sending those tokens uncached (a read is 0.1x the input price)."""
    from workbench.services.pricing import cost_parts, prices_for

    if not (u["cache_creation_input_tokens"] or u["cache_read_input_tokens"]):
        return Text()
    model = str(result.body.get("model", ""))
    parts, prices = cost_parts(model, result.usage()), prices_for(model)
    if parts is None or prices is None:
        return Text()
    line = Text("\n⚑ ", style="cyan")
    if u["cache_creation_input_tokens"]:
        line.append(f"cache write ≈ {usd(parts['cache_write'])}", style="cyan")
    if u["cache_read_input_tokens"]:
        saved = u["cache_read_input_tokens"] * prices["input"] / 1e6 - parts["cache_read"]
        line.append(("" if not u["cache_creation_input_tokens"] else " · ")
                    + f"cache read ≈ {usd(parts['cache_read'])} (saved ≈ {usd(saved)})",
                    style="cyan")
    return line


def error_notice(error: Exception, *, demo: bool) -> tuple[str, str]:
    """(title, message) of the notice for a failed run: what the API said, and what to do."""
    from workbench.api.errors import APIStatusError, NotFoundError, RateLimitError

    title = type(error).__name__
    if isinstance(error, APIStatusError):
        title = f"{error.status} {error.error_type}"
    message = str(error)
    if isinstance(error, RateLimitError) and error.retry_after:
        message += f"\nThe API asks to wait {error.retry_after:.0f} s before retrying."
    if isinstance(error, NotFoundError) and ("file_" in message or "skill" in message):
        message += "\nalt+u removes an attachment from a turn, alt+s a skill."
        if demo:
            message += ("\nThe demo emulator starts empty: files and skills from an earlier "
                        "demo session are gone.")
    return title, message + "\nYour draft is unchanged."
