"""`workbench files`: list, upload, download, show and delete files of the Files API.

Uploads stream from disk and downloads stream to disk (never whole in memory), with progress
on stderr. Path and size (the Files API limit) are checked before anything is sent.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from workbench.api.rules import guess_mime
from workbench.commands._shared import (
    EXIT_API,
    CommandError,
    Progress,
    add_common,
    human_size,
    open_client,
    print_json,
    print_table,
    run_command,
    say,
    short_time,
)
from workbench.services.files import (
    NOT_DOWNLOADABLE,
    NOT_DOWNLOADABLE_SHORT,
    block_kind,
    check_upload,
    is_not_downloadable,
)

CMD = "files"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("files", help="list, upload, download and delete files (Files API)",
                       description="Manage files of the Files API. Exit codes: 0 ok, 1 API "
                       "error, 2 usage error or bad input.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = actions.add_parser("list", help="list files, newest first")
    a.add_argument("--limit", type=int, default=20, metavar="N", help="files per page (1-1000)")
    a.add_argument("--all", action="store_true", help="every page, not just the first")
    add_common(a)

    a = actions.add_parser("upload", help="upload a local file (up to 500 MB), streamed")
    a.add_argument("path", help="file to upload")
    a.add_argument("--type", metavar="MIME", help="MIME type (default: guessed from the name)")
    add_common(a)

    a = actions.add_parser("download", help="download a file created by a tool or skill")
    a.add_argument("id", help="file id")
    a.add_argument("-o", "--output", metavar="PATH",
                   help="where to save (a folder keeps the file's name; default: ./FILENAME)")
    a.add_argument("--force", action="store_true", help="overwrite an existing file")
    add_common(a)

    a = actions.add_parser("show", help="a file's metadata")
    a.add_argument("id", help="file id")
    add_common(a)

    a = actions.add_parser("delete", help="delete a file")
    a.add_argument("id", help="file id")
    add_common(a)


def run(args: argparse.Namespace) -> int:
    action = {"list": _list, "upload": _upload, "download": _download, "show": _show,
              "delete": _delete}[args.action]
    return run_command(CMD, lambda: action(args))


def _row(f) -> list:
    return [f.id, f.filename, f.mime_type, human_size(f.size_bytes), short_time(f.created_at),
            "yes" if f.downloadable else "no"]


HEADERS = ("id", "filename", "type", "size", "created", "downloadable")


async def _list(args: argparse.Namespace) -> int:
    if not 1 <= args.limit <= 1000:
        raise CommandError("--limit must be between 1 and 1000")
    async with open_client(args) as client:
        more = False
        if args.all:
            items = [f async for f in client.files.iter_all(limit=args.limit)]
        else:
            page = await client.files.list(limit=args.limit)
            items, more = page.data, page.next_page is not None
    if args.json:
        print_json(items)
    elif not items:
        say("no files")
    else:
        print_table(HEADERS, [_row(f) for f in items])
    if more and not args.json:
        say("(more files: use --all or a larger --limit)")
    return 0


def check_upload_path(path_arg: str) -> Path:
    """Missing, not a file, unreadable or over the limit: a usage error before any request.
    Any type goes (`--type` names it; code execution reads what a block cannot)."""
    check = check_upload(path_arg, any_type=True)
    if not check.ok:
        raise CommandError(check.problem or path_arg)
    return check.path


def check_mime(path: Path, given: str | None) -> str:
    """The MIME type to send: `--type` must look like type/subtype."""
    if given is None:
        return guess_mime(path)
    kind = given.strip().lower()
    main, slash, sub = kind.partition("/")
    if not (main and slash and sub) or any(c.isspace() for c in kind):
        raise CommandError(f"--type {given!r} is not a MIME type (like text/csv)")
    return kind


async def _upload(args: argparse.Namespace) -> int:
    path = check_upload_path(args.path)
    mime = check_mime(path, args.type)
    if block_kind(mime) is None and not args.json:
        say(f"note: a {mime} file can be given to code execution (container_upload) but not "
            "used as a document (PDF, text/plain) or image (jpeg/png/gif/webp) block")
    async with open_client(args) as client:
        progress = Progress(f"upload {path.name}")
        try:
            meta = await client.files.upload(path, progress=progress, mime_type=mime)
        except BaseException:
            progress.finish(ok=False)
            raise
        progress.finish()
    if args.json:
        print_json(meta)
    else:
        print(meta.id)
        say(f"uploaded {meta.filename} ({human_size(meta.size_bytes)}, {meta.mime_type})")
    return 0


async def _download(args: argparse.Namespace) -> int:
    from workbench.api.errors import InvalidRequestError

    async with open_client(args) as client:
        meta = await client.files.get(args.id)
        if not meta.downloadable:
            raise CommandError(f"{args.id} ({meta.filename}): {NOT_DOWNLOADABLE}", EXIT_API)
        dest = _destination(args.output, meta.filename or args.id)
        if dest.exists() and not args.force:
            raise CommandError(f"{dest} already exists (use --force to overwrite)")
        progress = Progress(f"download {dest.name}")
        try:
            await client.files.download(args.id, dest, progress=progress)
        except InvalidRequestError as exc:
            progress.finish(ok=False)
            if is_not_downloadable(exc):
                raise CommandError(f"{args.id}: {NOT_DOWNLOADABLE}", EXIT_API) from None
            raise
        except BaseException:
            progress.finish(ok=False)
            raise
        progress.finish()
    if args.json:
        print_json({"id": meta.id, "filename": meta.filename, "path": str(dest),
                    "size_bytes": dest.stat().st_size})
    else:
        print(dest)
    return 0


def _destination(output: str | None, filename: str) -> Path:
    """-o as given; a folder (existing, or ending in /) gets the file's own name."""
    safe = Path(filename).name or "download.bin"
    if not output:
        return Path.cwd() / safe
    out = Path(os.path.expanduser(output))
    if out.is_dir() or output.endswith(("/", os.sep)):
        return out / safe
    if not out.parent.exists():
        raise CommandError(f"{out.parent}: no such folder")
    return out


async def _show(args: argparse.Namespace) -> int:
    async with open_client(args) as client:
        meta = await client.files.get(args.id)
    if args.json:
        print_json(meta)
        return 0
    for key, value in (("id", meta.id), ("filename", meta.filename),
                       ("type", meta.mime_type),
                       ("size", f"{human_size(meta.size_bytes)} ({meta.size_bytes:,} bytes)"),
                       ("created", meta.created_at), ("expires", meta.expires_at),
                       ("downloadable", "yes" if meta.downloadable else
                        f"no ({NOT_DOWNLOADABLE_SHORT})")):
        if value is not None:
            print(f"{key + ':':14}{value}")
    return 0


async def _delete(args: argparse.Namespace) -> int:
    async with open_client(args) as client:
        deleted = await client.files.delete(args.id)
    if args.json:
        print_json(deleted)
    else:
        print(f"deleted {deleted.id}")
    return 0
