"""The CLI shows times the way the TUI does: local, from the API's UTC stamps."""

from __future__ import annotations

import time

import pytest

from workbench.commands._shared import short_time


@pytest.fixture
def tokyo(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_short_time_is_local_time(tokyo):
    assert short_time("2026-11-25T10:00:00Z") == "2026-11-25 19:00"
    assert short_time(None) == "" and short_time("") == ""
