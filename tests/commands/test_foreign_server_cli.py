"""CLI against a base URL that is not the Claude API: one line on stderr, exit 1, no traceback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.foreign import foreign_server

COMMANDS = [("batch", "list"), ("batch", "list", "--all"), ("batch", "show", "msgbatch_1"),
            ("batch", "results", "msgbatch_1"), ("files", "list"), ("files", "show", "file_1"),
            ("skills", "list"), ("skills", "show", "xlsx"), ("count", "Say hi")]


@pytest.fixture(scope="module")
def foreign() -> Iterator[str]:
    with foreign_server() as url:
        yield url


@pytest.mark.parametrize("mode", ["html", "json"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_one_clear_line_and_exit_1(wb, foreign, mode, args):
    code, out, err = wb(*args, url=f"{foreign}/{mode}")
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(f"workbench {args[0]}: "), err
    assert "not a Claude API response" in err and "is the base URL right?" in err
    assert "<" not in err and "{" not in out
    if mode == "html":
        assert "404 with text/html" in err and "The requested URL was not found" in err
    else:
        assert "200 with application/json" in err and "(request-id req_foreign_01)" in err
