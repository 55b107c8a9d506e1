"""CLI fixtures: run `workbench ARGS` in-process against an emulator and capture its output."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Runner = Callable[..., tuple[int, str, str]]


def _runner(default_url: str, capsys) -> Runner:
    def run(*args: str, url: str | None = None) -> tuple[int, str, str]:
        from workbench.cli import main

        capsys.readouterr()
        try:
            code = main(["--base-url", url or default_url, *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return run


@pytest.fixture
def wb(emulator_url, memory_keyring, monkeypatch, capsys) -> Runner:
    """(exit code, stdout, stderr) of `workbench --base-url <session emulator> ARGS`."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key-0000")
    return _runner(emulator_url, capsys)


@pytest.fixture
def wb_fresh(make_emulator, memory_keyring, monkeypatch, capsys) -> Runner:
    """The same against an emulator of its own (nothing left by other tests)."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key-0000")
    return _runner(make_emulator(tokens_per_second=None), capsys)
