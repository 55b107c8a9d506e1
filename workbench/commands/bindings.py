"""`workbench bindings`: every binding id with its keys and what it does, for the [keys] table.

Imports the panes' modules to read their BINDINGS, but starts no TUI.
"""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bindings", help="list every key binding id (to remap keys in the settings file)",
        description='Remap a key with a [keys] table in the settings file, e.g. '
                    '"compose.run" = "ctrl+r,f5" (keys comma-separated).')
    p.add_argument("--toml", action="store_true",
                   help="print a [keys] table of the current keys, ready to edit")


def run(args: argparse.Namespace) -> int:
    from workbench import paths
    from workbench.commands._shared import load_settings
    from workbench.ui.binding_list import all_bindings
    from workbench.ui.keymap import checked_keymap

    settings = load_settings(args)
    mine, problems = checked_keymap(settings.keys)
    rows = all_bindings()
    if args.toml:
        print(f"# in {paths.config_file()}")
        print("[keys]")
        for row in rows:
            keys = mine.get(row.id, ",".join(row.keys))
            print(f'{"" if row.id in mine else "# "}"{row.id}" = "{keys}"  # {row.description}')
        return 0
    width = max(len(row.id) for row in rows)
    kwidth = max(len(",".join(row.keys)) for row in rows)
    print(f"{'ID':<{width}}  {'KEYS':<{kwidth}}  DESCRIPTION (WHERE)")
    for row in rows:
        keys = ",".join(row.keys)
        note = f"  [yours: {mine[row.id]}]" if row.id in mine else ""
        print(f"{row.id:<{width}}  {keys:<{kwidth}}  {row.description} "
              f"({', '.join(row.where)}){note}")
    unknown = sorted(set(settings.keys) - {row.id for row in rows})
    if unknown:
        problems.append(f"no binding has the id {', '.join(unknown)}")
    if problems:
        print(f"\n[keys] in {paths.config_file()}: " + "; ".join(problems))
    print(f"\nRemap in {paths.config_file()}:  [keys]  \"compose.run\" = \"ctrl+r,f5\"")
    return 0
