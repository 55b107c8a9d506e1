"""Cost estimates from the price table (reference section 8)."""

from __future__ import annotations

import pytest

from workbench.format import usd
from workbench.services.pricing import cost_usd, price_table, prices_for


def test_every_row_has_all_prices_and_a_source():
    for model, row in price_table().items():
        for key in ("input", "cache_write_5m", "cache_write_1h", "cache_read", "output", "source"):
            assert key in row, (model, key)


def test_plain_usage_haiku_4_5():
    usage = {"input_tokens": 1_000_000, "output_tokens": 1_000_000}
    assert cost_usd("claude-haiku-4-5", usage) == pytest.approx(6.0)
    assert cost_usd("claude-haiku-4-5", usage, batch=True) == pytest.approx(3.0)


def test_dated_id_and_unknown():
    assert prices_for("claude-haiku-4-5-20251001") == prices_for("claude-haiku-4-5")
    assert cost_usd("gpt-nope", {"input_tokens": 5}) is None


def test_cache_write_split_and_read():
    usage = {"input_tokens": 0, "output_tokens": 0, "cache_read_input_tokens": 1_000_000,
             "cache_creation_input_tokens": 3_000_000,
             "cache_creation": {"ephemeral_5m_input_tokens": 1_000_000,
                                "ephemeral_1h_input_tokens": 2_000_000}}
    # opus-5: read 0.50, 5m 6.25, 1h 10
    assert cost_usd("claude-opus-5", usage) == pytest.approx(0.5 + 6.25 + 20)
    no_split = {"cache_creation_input_tokens": 1_000_000}
    assert cost_usd("claude-opus-5", no_split) == pytest.approx(6.25)


def test_object_usage():
    class U:
        input_tokens = 1_000_000
        output_tokens = 0
        cache_creation_input_tokens = None
        cache_read_input_tokens = None
        cache_creation = None
    assert cost_usd("claude-sonnet-4-6", U()) == pytest.approx(3.0)


def test_haiku_5_5_tiers():
    small = {"input_tokens": 100_000, "output_tokens": 1_000_000}
    big = {"input_tokens": 200_000, "output_tokens": 1_000_000}
    assert cost_usd("claude-haiku-5-5", small) == pytest.approx(0.01 + 0.5)
    assert cost_usd("claude-haiku-5-5", big) == pytest.approx(0.1 + 2.5)


def test_usd():
    assert usd(None, missing="n/a") == "n/a"
    assert usd(0.00123) == "$0.0012"
    assert usd(1234.5) == "$1,234.50"
    assert usd(1500) == "$1,500.00"
    assert usd(0.000012) == "$0.000012"
