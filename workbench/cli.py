"""Command line: no subcommand opens the TUI; subcommands serve scripts.

Only argparse and our light modules are imported here: each subcommand module in
`workbench.commands` defines `add_parser(subparsers)` and `run(args) -> int` and imports its
heavy dependencies inside `run`. Exit codes: 0 ok, 1 API error, 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Iterator, Sequence

from workbench import __version__

COMMANDS = ("emulator", "keys", "batch", "files", "skills", "count", "prompts", "export",
            "bindings", "eval")

EXIT_OK, EXIT_API, EXIT_USAGE = 0, 1, 2


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The parser; without `with_commands` the subcommand modules are not imported (the TUI's
    start-up is ~10 ms faster: a plain `workbench` never needs them)."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="A keyboard-first terminal workbench for the Claude API. "
        "With no subcommand it opens the TUI.",
        epilog="Run `workbench --demo` to try everything against the built-in API emulator.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against the built-in emulator on 127.0.0.1 (no key needed)",
    )
    parser.add_argument("--base-url", metavar="URL", help="API base URL (overrides the profile)")
    parser.add_argument(
        "--platform", choices=("bedrock", "vertex", "foundry"),
        help="with --demo: speak that cloud platform's wire to the emulator",
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="profile to use (see `workbench keys list`)"
    )
    parser.add_argument("--theme", metavar="NAME", help="theme for this run")
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"workbench.commands.{name}").add_parser(sub)
    return parser


OPTIONS_WITH_VALUE = ("--base-url", "--profile", "--theme", "--platform")


def wants_commands(words: Sequence[str]) -> bool:
    """Whether the command line names a subcommand (or asks for help): any positional word."""
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in OPTIONS_WITH_VALUE:
            skip = True
        elif word in ("-h", "--help", "--version") or not word.startswith("-"):
            return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    with clean_output():  # what a command prints quotes servers and files: data, no controls
        bad = next((w for w in words if any("\udc80" <= c <= "\udcff" for c in w)), None)
        if bad is not None:  # bytes that are not UTF-8 (Python keeps them as surrogates)
            print(f"workbench: an argument is not valid UTF-8 text: {bad!r}", file=sys.stderr)
            return EXIT_USAGE
        parser = build_parser(with_commands=wants_commands(words))
        args = parser.parse_args(words)
        if getattr(args, "platform", None) and not args.demo:
            parser.error("--platform goes with --demo (a cloud profile sets its own platform: "
                         "see `workbench keys set --platform`)")
        if args.command:
            module = importlib.import_module(f"workbench.commands.{args.command}")
            try:
                return int(module.run(args) or 0)
            except KeyboardInterrupt:
                print("interrupted", file=sys.stderr)
                return 130
    return run_tui(args)  # the TUI draws its own escape sequences


@contextlib.contextmanager
def clean_output() -> Iterator[None]:
    """stdout and stderr without terminal escape sequences (workbench.safe_text)."""
    from workbench.safe_text import CleanWriter

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = CleanWriter(sys.stdout), CleanWriter(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def run_tui(args: argparse.Namespace) -> int:
    from workbench.commands._shared import load_settings

    settings = load_settings(args)
    from workbench.ui.app import WorkbenchApp

    app = WorkbenchApp(settings=settings)
    app.run()
    return int(app.return_code or 0)


if __name__ == "__main__":
    raise SystemExit(main())
