"""The hostile server through the CLI: a short message (request-id when sent), exit code 1, no
traceback, within the deadline; endless or cyclic lists stop with a message."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.reliability.hostile import HostileServer, bomb
from tests.reliability.test_hostile_client import IDLE, NON_STREAM, deadline_for


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    bomb()
    with HostileServer() as s:
        yield s


@pytest.fixture
def cli(memory_keyring, monkeypatch, capsys):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-hostile-cli-0000")
    monkeypatch.setenv("WORKBENCH_STREAM_IDLE", str(IDLE))

    def run(url: str, *args: str) -> tuple[int, str, str, float]:
        from workbench.cli import main

        case = url.rsplit("/", 1)[1]
        monkeypatch.setenv("WORKBENCH_DEADLINE", str(deadline_for(case)))
        capsys.readouterr()
        start = time.monotonic()
        try:
            code = main(["--base-url", url, *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err, time.monotonic() - start

    return run


@pytest.mark.parametrize("case", sorted(NON_STREAM))
def test_count(server: HostileServer, cli, case: str) -> None:
    code, out, err, elapsed = cli(server.url(case), "count", "hello")
    assert code == 1, (out, err)
    assert "Traceback" not in err and err.strip()
    assert len(err.strip().splitlines()) <= 3, err  # a message, not a dump
    if NON_STREAM[case][1]:
        assert "req_" in err, err
    assert elapsed < deadline_for(case) + 4


@pytest.mark.parametrize("case", ["pages-endless", "pages-cycle", "html", "truncated"])
@pytest.mark.parametrize("what", ["batch", "files", "skills"])
def test_lists(server: HostileServer, cli, case: str, what: str) -> None:
    code, out, err, elapsed = cli(server.url(case), what, "list", "--all")
    assert code == 1, (out, err)
    assert "Traceback" not in err
    if case == "pages-cycle":
        assert "twice" in err
    elif case == "pages-endless":
        assert "stopped there" in err
    else:
        assert "req_" in err
    assert elapsed < 30
