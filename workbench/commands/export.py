"""`workbench export NAME --format curl|python|typescript`: code for a saved prompt.

The code reads the key from ANTHROPIC_API_KEY (it never contains one) and names the base URL
only when the profile's is not the default.
"""

from __future__ import annotations

import argparse
import sys

from workbench.commands._shared import CommandError, err

CMD = "export"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="code (curl, Python, TypeScript) for a saved prompt",
                       description="Code for a prompt saved in the library (ctrl+s in the "
                       "composer). The key is read from ANTHROPIC_API_KEY by the code.")
    p.add_argument("name", help="the saved prompt's name (see `workbench prompts list`)")
    p.add_argument("--format", "-f", choices=("curl", "python", "typescript"), default="python")
    p.add_argument("--version", type=int, help="which version (default: the latest)")
    p.add_argument("--stream", action="store_true", help="streaming code")
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                   help="fill a {{variable}} (repeatable); unfilled ones stay as placeholders")
    p.add_argument("-o", "--output", help="write to this file instead of stdout")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except CommandError as exc:
        err(CMD, exc.message)
        return exc.code


def _run(args: argparse.Namespace) -> int:
    from workbench.commands._shared import load_settings
    from workbench.commands.prompts import find, open_store
    from workbench.services.draft import Draft, DraftError
    from workbench.services.export import export_code
    from workbench.services.templates import body_variables, render

    settings = load_settings(args)
    store = open_store()
    prompt = find(store, args.name)
    versions = store.list_versions(prompt["id"])
    if args.version is not None:
        chosen = next((v for v in versions if v["version"] == args.version), None)
        if chosen is None:
            have = ", ".join(str(v["version"]) for v in reversed(versions))
            raise CommandError(f"{args.name} has versions {have}, not {args.version}")
    else:
        chosen = versions[0]
    values = {}
    for item in args.var:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise CommandError(f"--var {item!r}: use NAME=VALUE")
        values[name.strip()] = value
    draft = Draft.from_dict(chosen["draft"])
    try:
        body = draft.to_request(settings.api_version)
    except DraftError as exc:
        raise CommandError(f"{args.name} v{chosen['version']}: {exc}") from None
    if values:
        known = body_variables(body)
        unknown = [n for n in values if n not in known]
        if unknown:  # a typo would otherwise export the placeholder without a word
            have = ", ".join(known) if known else "none"
            raise CommandError(f"--var {', '.join(unknown)}: {args.name} has no such "
                               f"{{{{variable}}}} (its variables: {have})")
        keep = {n: f"{{{{{n}}}}}" for n in known if n not in values}
        body = render(body, {**keep, **values})
    unfilled = body_variables(body)
    if unfilled:  # as the TUI's export says: the code would send the placeholders as written
        names = ", ".join(f"{{{{{n}}}}}" for n in unfilled)
        print(f"workbench export: note: {names} not filled (--var NAME=VALUE): the code sends "
              "them as written", file=sys.stderr)
    from workbench.services.export_platforms import target_for_settings

    code = export_code(body, args.format, stream=args.stream, base_url=settings.base_url,
                       api_version=settings.api_version, betas=list(draft.betas),
                       platform=target_for_settings(settings))
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                out.write(code)
        except OSError as exc:
            raise CommandError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        print(args.output)
    else:
        sys.stdout.write(code)
    return 0
