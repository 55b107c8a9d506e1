"""The command line: help, version, clear errors, and no heavy imports before the TUI."""

from __future__ import annotations

import subprocess
import sys

from workbench import __version__


def run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True,
                          text=True, timeout=60, **kwargs)


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"workbench {__version__}"


def test_help_lists_the_subcommands() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "--demo" in result.stdout
    assert "emulator" in result.stdout


def test_unknown_option_is_a_usage_error() -> None:
    result = run("--no-such-option")
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_settings_file_is_reported_not_a_traceback(isolated_home) -> None:
    (isolated_home / "config").mkdir()
    (isolated_home / "config" / "config.toml").write_text("theme = [unclosed")
    result = run()
    assert result.returncode == 2
    assert "cannot read settings file" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_import_is_light() -> None:
    code = ("import sys, workbench.cli, workbench.ui.app; "
            "heavy = [m for m in ('httpx', 'pydantic', 'uvicorn', 'starlette', 'keyring', 'anthropic') "
            "if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_plain_tui_start_skips_the_subcommand_modules():
    from workbench.cli import wants_commands

    assert not wants_commands([])
    assert not wants_commands(["--demo", "--profile", "work", "--theme", "workbench-dark"])
    assert wants_commands(["batch", "list"]) and wants_commands(["--demo", "count", "hi"])
    assert wants_commands(["--help"]) and wants_commands(["--base-url", "http://x", "files"])


def test_bindings_lists_every_id_with_keys_and_the_users_remaps(isolated_home) -> None:
    (isolated_home / "config").mkdir()
    (isolated_home / "config" / "config.toml").write_text(
        '[keys]\n"compose.run" = "ctrl+r,f5"\n"no.such" = "f10"\n')
    result = run("bindings")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    run_line = next(line for line in lines if line.startswith("compose.run "))
    assert "ctrl+r" in run_line and "Run" in run_line and "[yours: ctrl+r,f5]" in run_line
    assert any(line.startswith("pane.files ") and "f7" in line for line in lines)
    assert "no binding has the id no.such" in result.stdout

    toml = run("bindings", "--toml")
    assert '"compose.run" = "ctrl+r,f5"  # Run' in toml.stdout
    assert '# "app.help" = "f1"  # Help' in toml.stdout
    import tomllib

    table = tomllib.loads(toml.stdout)["keys"]  # ready to paste: valid TOML
    assert table == {"compose.run": "ctrl+r,f5"}
