"""Prompt caching, rate limits, parameter rules, image tokens and stop sequences in the
emulator, through the official SDK (its own types and exception classes)."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Iterator
from datetime import datetime

import anthropic
import pytest

KEY = "sk-ant-conformance-cache"
MODEL = "claude-sonnet-5-5"
LONG = " ".join(f"Rule {i}: answer politely and cite the handbook section." for i in range(400))


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def emu() -> Iterator:
    from workbench.emulator.cache import prompt_cache
    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.ratelimit import rate_limiter
    from workbench.emulator.server import EmulatorThread

    thread = EmulatorThread(EmulatorConfig(tokens_per_second=None))
    thread.start()
    clock = Clock()
    prompt_cache(thread.state).clock = clock
    rate_limiter(thread.state, thread.config).clock = clock
    thread.clock = clock
    yield thread
    thread.stop()


def sdk_for(url: str, version: str | None = None, key: str = KEY) -> anthropic.Anthropic:
    headers = {"anthropic-version": version} if version else None
    return anthropic.Anthropic(api_key=key, base_url=url, default_headers=headers,
                               max_retries=0)


@pytest.fixture
def sdk(emu) -> anthropic.Anthropic:
    return sdk_for(emu.base_url)


def cached_system(ttl: str = "5m", text: str = LONG) -> list[dict]:
    return [{"type": "text", "text": text, "cache_control": {"type": "ephemeral", "ttl": ttl}}]


def ask(question: str = "Which rule is first?", **extra) -> dict:
    return {"model": MODEL, "max_tokens": 200,
            "messages": [{"role": "user", "content": question}], **extra}


# --- prompt caching ------------------------------------------------------------------------------
def test_write_then_read_then_expire(sdk, emu) -> None:
    first = sdk.messages.create(**ask(system=cached_system()))
    u = first.usage
    assert u.cache_creation_input_tokens > 1024 and u.cache_read_input_tokens == 0
    assert u.cache_creation.ephemeral_5m_input_tokens == u.cache_creation_input_tokens
    assert u.cache_creation.ephemeral_1h_input_tokens == 0
    total = sdk.messages.count_tokens(model=MODEL, system=cached_system(),
                                      messages=ask()["messages"]).input_tokens
    assert u.input_tokens + u.cache_creation_input_tokens == total
    assert u.input_tokens < 20  # only what comes after the breakpoint

    second = sdk.messages.create(**ask("Another question about it", system=cached_system()))
    assert second.usage.cache_read_input_tokens == u.cache_creation_input_tokens
    assert second.usage.cache_creation_input_tokens == 0

    emu.clock.now += 301  # past the 5-minute TTL (the read refreshed it at the same time)
    third = sdk.messages.create(**ask(system=cached_system()))
    assert third.usage.cache_read_input_tokens == 0
    assert third.usage.cache_creation_input_tokens == u.cache_creation_input_tokens


def test_one_hour_ttl_outlives_five_minutes(sdk, emu) -> None:
    first = sdk.messages.create(**ask(system=cached_system("1h")))
    assert first.usage.cache_creation.ephemeral_1h_input_tokens > 1024
    emu.clock.now += 1800
    again = sdk.messages.create(**ask(system=cached_system("1h")))
    assert again.usage.cache_read_input_tokens == first.usage.cache_creation_input_tokens


def test_changed_prefix_writes_anew_and_short_prefix_is_not_cached(sdk) -> None:
    sdk.messages.create(**ask(system=cached_system()))
    changed = sdk.messages.create(**ask(system=cached_system(text=LONG + " One more rule.")))
    assert changed.usage.cache_read_input_tokens == 0
    assert changed.usage.cache_creation_input_tokens > 1024
    short = sdk.messages.create(**ask(system=cached_system(text="Be brief.")))
    assert short.usage.cache_creation_input_tokens == 0 and short.usage.input_tokens > 0


def test_minimum_is_per_model(sdk) -> None:
    from workbench.api.request_rules import min_cacheable_tokens

    assert min_cacheable_tokens("claude-haiku-4-5") == 4096
    assert min_cacheable_tokens("claude-opus-4-5-20251101") == 4096
    assert min_cacheable_tokens(MODEL) == 1024
    # ~2,800 tokens: enough for Sonnet 5.5, not for Haiku 4.5
    medium = cached_system(text=LONG[:6000])
    sonnet = sdk.messages.create(**ask(system=medium))
    assert 2000 < sonnet.usage.cache_creation_input_tokens < 4096
    haiku = sdk.messages.create(**dict(ask(system=medium), model="claude-haiku-4-5"))
    assert haiku.usage.cache_creation_input_tokens == 0


def test_two_breakpoints_read_the_first_and_write_the_rest(sdk) -> None:
    turn = [{"type": "text", "text": LONG[:3000] + " question one",
             "cache_control": {"type": "ephemeral"}}]
    sdk.messages.create(**ask(system=cached_system()))
    both = sdk.messages.create(model=MODEL, max_tokens=100, system=cached_system(),
                               messages=[{"role": "user", "content": turn}])
    assert both.usage.cache_read_input_tokens > 1024
    assert both.usage.cache_creation_input_tokens > 500
    assert both.usage.input_tokens == 0


def test_stream_reports_cache_usage(sdk) -> None:
    sdk.messages.create(**ask(system=cached_system()))
    with sdk.messages.stream(**ask(system=cached_system())) as stream:
        final = stream.get_final_message()
    assert final.usage.cache_read_input_tokens > 1024


def test_more_than_four_breakpoints_is_refused(sdk) -> None:
    marker = {"type": "ephemeral"}
    system = [{"type": "text", "text": f"part {i}", "cache_control": marker} for i in range(5)]
    with pytest.raises(anthropic.BadRequestError, match="maximum of 4"):
        sdk.messages.create(**ask(system=system))


def test_one_hour_after_five_minutes_is_refused(sdk) -> None:
    system = cached_system("5m", "a") + cached_system("1h", "b")
    with pytest.raises(anthropic.BadRequestError, match="1h"):
        sdk.messages.create(**ask(system=system))


# --- rate limits -------------------------------------------------------------------------------
def test_rate_limit_headers_move_and_reset_in_the_future(emu) -> None:
    client = sdk_for(emu.base_url, key="sk-ant-moving")
    first = client.messages.with_raw_response.create(**ask())
    second = client.messages.with_raw_response.create(**ask())
    a = int(first.headers["anthropic-ratelimit-requests-remaining"])
    b = int(second.headers["anthropic-ratelimit-requests-remaining"])
    assert b < a
    assert int(second.headers["anthropic-ratelimit-input-tokens-remaining"]) < \
        int(second.headers["anthropic-ratelimit-input-tokens-limit"])
    reset = datetime.fromisoformat(second.headers["anthropic-ratelimit-requests-reset"])
    assert reset.timestamp() > emu.clock.now  # the emulator's clock


def test_tier_one_answers_429_with_a_matching_retry_after() -> None:
    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import EmulatorThread

    thread = EmulatorThread(EmulatorConfig(tokens_per_second=None, rate_limits=(3, 1_000_000,
                                                                                 1_000_000)))
    url = thread.start()
    try:
        client = sdk_for(url)
        for _ in range(3):
            client.messages.create(**ask())
        with pytest.raises(anthropic.RateLimitError) as caught:
            client.messages.create(**ask())
        after = float(caught.value.response.headers["retry-after"])
        assert 1 <= after <= 20  # 3 per minute: one more request every 20 s
        assert caught.value.response.headers["anthropic-ratelimit-requests-remaining"] == "0"
        other = sdk_for(url, key="sk-ant-other-key")  # buckets are per key
        other.messages.create(**ask())
    finally:
        thread.stop()


def test_tiers_are_known() -> None:
    from workbench.emulator.ratelimit import TIERS, limits_for

    assert limits_for(1) == TIERS[1] and limits_for(4)[0] == 4000
    with pytest.raises(ValueError):
        limits_for(9)


# --- parameter rules ---------------------------------------------------------------------------
THINK = {"type": "enabled", "budget_tokens": 2048}


@pytest.mark.parametrize("extra, match", [
    ({"thinking": THINK, "temperature": 0.5}, "temperature"),
    ({"thinking": THINK, "top_k": 5}, "top_k"),
    ({"thinking": THINK, "top_p": 0.5}, "top_p"),
    ({"thinking": THINK, "tool_choice": {"type": "any"}}, "tool_choice"),
    ({"thinking": {"type": "enabled", "budget_tokens": 512}}, "1024"),
    ({"thinking": {"type": "enabled", "budget_tokens": 4096}}, "budget_tokens"),
    ({"temperature": 0.5, "top_p": 0.9}, "both"),
])
def test_parameter_rules_are_refused(emu, extra, match) -> None:
    client = sdk_for(emu.base_url, "2023-06-01")
    body = ask(**{k: v for k, v in extra.items() if k == "thinking"})
    body["max_tokens"] = 3000
    rest = {k: v for k, v in extra.items() if k != "thinking"}
    if "tool_choice" in rest:
        rest["tools"] = [{"name": "t", "input_schema": {"type": "object"}}]
    with pytest.raises(anthropic.BadRequestError, match=match):
        client.messages.create(**body, extra_body=rest)


def test_parameter_rules_allow_what_the_api_allows(emu) -> None:
    client = sdk_for(emu.base_url, "2023-06-01")
    client.messages.create(**dict(ask(), max_tokens=3000), thinking=THINK,
                           extra_body={"top_p": 0.97})
    client.messages.create(**dict(ask(), max_tokens=3000), thinking=THINK,
                           extra_body={"temperature": 1})
    client.messages.create(**ask(), extra_body={"temperature": 0.3})


# --- images ------------------------------------------------------------------------------------
def png(width: int, height: int) -> str:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + b"\0\0\0" * width for _ in range(height))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return base64.b64encode(data).decode()


def test_image_tokens_follow_the_size(sdk) -> None:
    def count(width: int, height: int) -> int:
        block = {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                             "data": png(width, height)}}
        return sdk.messages.count_tokens(model=MODEL, messages=[
            {"role": "user", "content": [block, {"type": "text", "text": "hi"}]}]).input_tokens

    small, big = count(64, 64), count(2000, 1500)
    assert small < 20  # 64*64/750 = 6 tokens, not a flat 1,600
    assert 1400 < big - small < 1600  # resized to ~1.15 MP first


# --- stop sequences and max_tokens ----------------------------------------------------------------
def test_same_reply_cut_by_stop_sequence_and_max_tokens(sdk) -> None:
    whole = sdk.messages.create(**ask("Explain rivers and lakes")).content[0].text
    word = whole.split()[6]
    cut = sdk.messages.create(**ask("Explain rivers and lakes"), stop_sequences=[word])
    assert cut.stop_reason == "stop_sequence" and cut.stop_sequence == word
    assert cut.content[0].text == whole[: whole.find(word)]
    short = sdk.messages.create(**dict(ask("Explain rivers and lakes"), max_tokens=5))
    assert short.stop_reason == "max_tokens" and whole.startswith(short.content[0].text)
