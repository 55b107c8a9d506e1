"""`workbench skills`: list, create from a folder, versions, new versions, delete.

A skill folder is checked locally before upload (SKILL.md at its top with `name` and
`description` in its front matter, total size), so a bad folder is a usage error (exit 2)
and never a half-made skill.
"""

from __future__ import annotations

import argparse

from workbench.commands._shared import (
    EXIT_API,
    CommandError,
    add_common,
    open_client,
    print_json,
    print_table,
    run_command,
    say,
    short_time,
)

CMD = "skills"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("skills", help="list, create and delete Agent Skills",
                       description="Manage skills of the Skills API. Exit codes: 0 ok, 1 API "
                       "error, 2 usage error or bad input.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = actions.add_parser("list", help="list skills (custom and Anthropic-provided)")
    a.add_argument("--source", choices=("custom", "anthropic"), help="only this source")
    a.add_argument("--limit", type=int, default=20, metavar="N", help="skills per page (1-1000)")
    a.add_argument("--all", action="store_true", help="every page, not just the first")
    add_common(a)

    a = actions.add_parser("show", help="a skill and its versions")
    a.add_argument("id", help="skill id")
    add_common(a)

    a = actions.add_parser("create", help="create a skill from a folder holding SKILL.md")
    a.add_argument("dir", help="skill folder (SKILL.md at its top)")
    a.add_argument("--title", help="display title (default: the front matter's name)")
    add_common(a)

    a = actions.add_parser("versions", help="a skill's versions, newest first")
    a.add_argument("id", help="skill id")
    add_common(a)

    a = actions.add_parser("new-version", help="upload a folder as a new version of a skill")
    a.add_argument("id", help="skill id")
    a.add_argument("dir", help="skill folder (SKILL.md at its top)")
    add_common(a)

    a = actions.add_parser(
        "delete", help="delete a skill (or one version with --version)",
        description="The API deletes a skill only once it has no versions left: delete them "
        "one by one with --version, or all at once with --all-versions.")
    a.add_argument("id", help="skill id")
    target = a.add_mutually_exclusive_group()
    target.add_argument("--version", metavar="V", help="delete only this version")
    target.add_argument("--all-versions", action="store_true",
                        help="delete every version first, then the skill")
    add_common(a)


def run(args: argparse.Namespace) -> int:
    action = {"list": _list, "show": _show, "create": _create, "versions": _versions,
              "new-version": _new_version, "delete": _delete}[args.action]
    return run_command(CMD, lambda: action(args))


def _source(skill) -> str:
    src = skill.source
    return getattr(src, "type", None) or (src if isinstance(src, str) else "") or ""


async def _list(args: argparse.Namespace) -> int:
    if not 1 <= args.limit <= 1000:
        raise CommandError("--limit must be between 1 and 1000")
    async with open_client(args) as client:
        more = False
        if args.all:
            items = [s async for s in client.skills.iter_all(limit=args.limit,
                                                             source=args.source)]
        else:
            page = await client.skills.list(limit=args.limit, source=args.source)
            items, more = page.data, page.next_page is not None
    if args.json:
        print_json(items)
    elif not items:
        say("no skills")
    else:
        print_table(("id", "title", "source", "latest version", "updated"),
                    [(s.id, s.display_name, _source(s), s.latest_version_id,
                      short_time(s.updated_at)) for s in items])
    if more and not args.json:
        say("(more skills: use --all or a larger --limit)")
    return 0


async def _all_versions(client, skill_id: str) -> list:
    from workbench.services.skill_versions import all_versions

    return await all_versions(client, skill_id)


def _version_rows(versions) -> list[tuple]:
    return [(v.id, v.name, v.description, short_time(v.created_at)) for v in versions]


VERSION_HEADERS = ("version", "name", "description", "created")


async def _show(args: argparse.Namespace) -> int:
    async with open_client(args) as client:
        skill = await client.skills.get(args.id)
        versions = await _all_versions(client, args.id)
    if args.json:
        print_json({**skill.model_dump(mode="json"),
                    "versions": [v.model_dump(mode="json") for v in versions]})
        return 0
    for key, value in (("id", skill.id), ("title", skill.display_name),
                       ("source", _source(skill)), ("latest", skill.latest_version_id),
                       ("created", skill.created_at), ("updated", skill.updated_at)):
        if value:
            print(f"{key + ':':10}{value}")
    if versions:
        print()
        print_table(VERSION_HEADERS, _version_rows(versions))
    return 0


async def _create(args: argparse.Namespace) -> int:
    from workbench.api.skills import skill_parts

    _, meta = skill_parts(args.dir)  # checked before any request (SkillFolderError -> exit 2)
    async with open_client(args) as client:
        skill = await client.skills.create(args.dir, display_name=args.title)
    if args.json:
        print_json(skill)
    else:
        print(skill.id)
        say(f"created skill {meta['name']!r} ({skill.display_name}), version "
            f"{skill.latest_version_id}")
    return 0


async def _versions(args: argparse.Namespace) -> int:
    async with open_client(args) as client:
        versions = await _all_versions(client, args.id)
    if args.json:
        print_json(versions)
    elif not versions:
        say(f"skill {args.id} has no versions")
    else:
        print_table(VERSION_HEADERS, _version_rows(versions))
    return 0


async def _new_version(args: argparse.Namespace) -> int:
    from workbench.api.skills import skill_parts

    skill_parts(args.dir)
    async with open_client(args) as client:
        version = await client.skills.create_version(args.id, args.dir)
    if args.json:
        print_json(version)
    else:
        print(version.id)
        say(f"new version of {args.id}: {version.id} ({version.name})")
    return 0


async def _delete(args: argparse.Namespace) -> int:
    from workbench.api.errors import InvalidRequestError

    deleted_versions: list[str] = []
    async with open_client(args) as client:
        if args.version:
            deleted = await client.skills.delete_version(args.id, args.version)
            if args.json:
                print_json(deleted)
            else:
                print(f"deleted version {deleted.id} of {args.id}")
            return 0
        if args.all_versions:
            for v in await _all_versions(client, args.id):
                await client.skills.delete_version(args.id, v.id)
                deleted_versions.append(v.id)
                if not args.json:
                    say(f"deleted version {v.id}")
        try:
            deleted = await client.skills.delete(args.id)
        except InvalidRequestError as exc:
            if "version" not in exc.message:
                raise
            raise CommandError(
                f"{exc}\n  the API deletes a skill only once its versions are gone: "
                f"`workbench skills delete {args.id} --all-versions` deletes them first "
                f"(see `workbench skills versions {args.id}`)", EXIT_API) from None
    if args.json:
        print_json({**deleted.model_dump(mode="json"), "deleted_versions": deleted_versions})
    else:
        print(f"deleted {deleted.id}")
    return 0
