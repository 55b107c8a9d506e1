"""`workbench prompts` and `workbench export`: the prompt library from the command line.

Prompts saved in the TUI (ctrl+s) can be listed, written to TOML files that live in git, read
back from such files, and turned into code: `workbench export NAME --format python`.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from workbench.commands._shared import EXIT_USAGE, CommandError, err, print_json, print_table
from workbench.format import epoch_day

if TYPE_CHECKING:
    from workbench.services.store import Store

CMD = "prompts"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("prompts", help="the prompt library: list, export to TOML, import",
                       description="Prompts saved in the workbench (ctrl+s in the composer). "
                       "TOML files hold one prompt (its latest version) and can live in git.")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    ls = actions.add_parser("list", help="every saved prompt with its number of versions")
    ls.add_argument("--json", action="store_true", help="machine-readable output (JSON)")
    ex = actions.add_parser("export", help="write a prompt to a TOML file")
    ex.add_argument("name", help="the prompt's name")
    ex.add_argument("-o", "--output", help="file to write (default: NAME.toml; - for stdout)")
    im = actions.add_parser("import", help="add a TOML prompt file to the library (new version)")
    im.add_argument("path", help="the .toml file")


def open_store() -> Store:
    """The history database (prompts live there); exit 1 when it cannot be opened."""
    from workbench import paths
    from workbench.services.store import Store, StoreError

    try:
        return Store(paths.database_file())
    except StoreError as exc:
        raise CommandError(str(exc), 1) from None


def find(store: Any, name: str) -> dict[str, Any]:
    prompt = store.find_prompt(name)
    if prompt is None:
        names = [p["name"] for p in store.list_prompts()]
        hint = f" (saved prompts: {', '.join(names[:10])})" if names else \
            " (none saved yet: ctrl+s in the composer saves one)"
        raise CommandError(f"no prompt named {name!r}{hint}", EXIT_USAGE)
    return prompt


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except CommandError as exc:
        err(CMD, exc.message)
        return exc.code


def _run(args: argparse.Namespace) -> int:
    from workbench.services import promptfile

    store = open_store()
    if args.action == "list":
        rows = store.list_prompts()
        if args.json:
            print_json(rows)
        elif not rows:
            print("no saved prompts (ctrl+s in the composer saves one)", file=sys.stderr)
        else:
            print_table(("name", "versions", "updated"),
                        [(r["name"], r["versions"], epoch_day(r["updated_at"])) for r in rows])
        return 0
    if args.action == "export":
        prompt = find(store, args.name)
        if args.output == "-":
            sys.stdout.write(promptfile.dumps(promptfile.latest(store, prompt["id"])))
            return 0
        dest = args.output or f"{_safe(args.name)}.toml"
        try:
            path = promptfile.export_prompt(store, prompt["id"], dest)
        except promptfile.PromptFileError as exc:
            raise CommandError(str(exc)) from None
        print(path)
        return 0
    try:
        name = promptfile.import_prompt(store, args.path)
    except promptfile.PromptFileError as exc:
        raise CommandError(str(exc)) from None
    versions = store.list_versions(store.find_prompt(name)["id"])
    print(f"{name}: version {versions[0]['version']}")
    return 0


def _safe(name: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "prompt"
