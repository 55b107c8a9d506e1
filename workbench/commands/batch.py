"""`workbench batch`: Message Batches from scripts: list, show, results, cancel, delete,
create from a dataset, and re-run a finished batch's failures.

Results stream line by line (to stdout or to a file with progress on stderr), so a batch of
100,000 results never sits in memory. Creating and re-running live in `_batch_create`.
"""

from __future__ import annotations

import argparse
import os
import sys

from workbench.commands._shared import (
    EXIT_API,
    CommandError,
    Progress,
    add_common,
    open_client,
    print_json,
    print_table,
    run_command,
    say,
    short_time,
)

CMD = "batch"
RESULT_TYPES = ("succeeded", "errored", "canceled", "expired")
COUNT_NAMES = ("processing", "succeeded", "errored", "canceled", "expired")


def add_parser(sub: argparse._SubParsersAction) -> None:
    from workbench.commands import _batch_create

    p = sub.add_parser("batch", help="Message Batches: list, results, create from a dataset, ...",
                       description="Message Batches from the command line. Exit codes: 0 ok, "
                       "1 API error, 2 usage error or bad input.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = actions.add_parser("list", help="list batches, newest first")
    a.add_argument("--limit", type=int, default=20, metavar="N", help="batches per page (1-1000)")
    a.add_argument("--all", action="store_true", help="every page, not just the first")
    add_common(a)

    a = actions.add_parser("show", help="a batch's status, counts and times")
    a.add_argument("id", help="batch id (msgbatch_...)")
    add_common(a)

    a = actions.add_parser(
        "results", help="a finished batch's results (stdout, or -o FILE streamed to disk)",
        description="Without -o: a table (custom_id, type, stop_reason, tokens, first line of "
        "text), or with --json one JSON object per line. With -o: the raw JSONL written to the "
        "file as it downloads, progress on stderr.")
    a.add_argument("id", help="batch id")
    a.add_argument("-o", "--output", metavar="FILE", help="save the results JSONL to FILE")
    a.add_argument("--type", choices=RESULT_TYPES, help="only results of this type")
    add_common(a, json_help="one JSON object per result line on stdout (JSONL)")

    a = actions.add_parser("cancel", help="cancel a batch in progress")
    a.add_argument("id", help="batch id")
    add_common(a)

    a = actions.add_parser("delete", help="delete an ended batch")
    a.add_argument("id", help="batch id")
    add_common(a)

    _batch_create.add_parsers(actions)


def run(args: argparse.Namespace) -> int:
    if args.action in ("create", "rerun"):
        from workbench.commands import _batch_create

        action = getattr(_batch_create, args.action)
    else:
        action = {"list": _list, "show": _show, "results": _results, "cancel": _cancel,
                  "delete": _delete}[args.action]
    return run_command(CMD, lambda: action(args))


def counts_text(batch) -> str:
    """'3 processing, 5 succeeded, 1 errored' (zero counts left out; 'no requests' if none)."""
    c = batch.request_counts
    parts = [f"{getattr(c, n)} {n}" for n in COUNT_NAMES if getattr(c, n)]
    return ", ".join(parts) or "no requests"


def total_requests(batch) -> int:
    c = batch.request_counts
    return sum(getattr(c, n) for n in COUNT_NAMES)


async def _list(args: argparse.Namespace) -> int:
    if not 1 <= args.limit <= 1000:
        raise CommandError("--limit must be between 1 and 1000")
    async with open_client(args) as client:
        more = False
        if args.all:
            items = [b async for b in client.batches.iter_all(limit=args.limit)]
        else:
            page = await client.batches.list(limit=args.limit)
            items, more = page.data, page.has_more
    if args.json:
        print_json(items)
    elif not items:
        say("no batches")
    else:
        print_table(("id", "status", "requests", "counts", "created", "ended"),
                    [(b.id, b.processing_status, total_requests(b), counts_text(b),
                      short_time(b.created_at), short_time(b.ended_at)) for b in items],
                    max_width=70)
    if more and not args.json:
        say("(more batches: use --all or a larger --limit)")
    return 0


async def _show(args: argparse.Namespace) -> int:
    async with open_client(args) as client:
        batch = await client.batches.get(args.id)
    if args.json:
        print_json(batch)
        return 0
    run_id = _local_run(batch.id)
    for key, value in (("id", batch.id), ("status", batch.processing_status),
                       ("requests", f"{total_requests(batch)} ({counts_text(batch)})"),
                       ("created", batch.created_at), ("expires", batch.expires_at),
                       ("cancel asked", batch.cancel_initiated_at), ("ended", batch.ended_at),
                       ("results", batch.results_url), ("local run", run_id)):
        if value:
            print(f"{key + ':':14}{value}")
    return 0


def _local_run(batch_id: str) -> str | None:
    """The id of the dataset run this batch belongs to, when it was created here."""
    try:
        from workbench.services.batch_runs import run_of_batch
    except ImportError:
        return None
    run = run_of_batch(batch_id)
    return run.id if run else None


async def _results(args: argparse.Namespace) -> int:
    async with open_client(args) as client:
        batch = await client.batches.get(args.id)
        if batch.processing_status != "ended":
            raise CommandError(
                f"batch {batch.id} is {batch.processing_status} ({counts_text(batch)}); results "
                "are available once it has ended (see `workbench batch show`)", EXIT_API)
        if args.output:
            return await _results_to_file(client, args)
        return await _results_to_stdout(client, args)


async def _results_to_file(client, args: argparse.Namespace) -> int:
    from pathlib import Path

    dest = Path(os.path.expanduser(args.output))
    if dest.is_dir():
        raise CommandError(f"{dest} is a folder; give a file name")
    progress = Progress(f"results {args.id}")
    ok = False
    try:
        if args.type:
            lines = await _write_filtered(client, args.id, dest, args.type, progress)
        else:
            await client.batches.results_to_file(args.id, dest, progress=progress)
            lines = None
        ok = True
    finally:
        progress.finish(ok=ok)
    if args.json:
        print_json({"id": args.id, "path": str(dest), "bytes": dest.stat().st_size,
                    "lines": lines})
    else:
        print(dest)
    return 0


async def _write_filtered(client, batch_id: str, dest, rtype: str, progress) -> int:
    """Only one result type, line by line into a temp file renamed at the end."""
    import contextlib
    import os
    import tempfile

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    written = kept = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            async for line in client.batches.results_lines(batch_id):
                if _line_type(line) == rtype:
                    out.write(line + "\n")
                    kept += 1
                written += len(line) + 1
                progress(written, None)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return kept


def _line_type(line: str) -> str | None:
    import json

    try:
        return (json.loads(line).get("result") or {}).get("type")
    except (ValueError, AttributeError):
        return None


ROW_WIDTHS = (24, 9, 13, 13)


async def _results_to_stdout(client, args: argparse.Namespace) -> int:
    """Rows printed as they arrive (fixed widths: the table never waits for the last line)."""
    import json

    from workbench.services.batch_results import summarize

    out = sys.stdout
    if not args.json:
        out.write(_fixed(("CUSTOM_ID", "TYPE", "STOP_REASON", "TOKENS IN→OUT", "TEXT")) + "\n")
    shown = 0
    async for line in client.batches.results_lines(args.id):
        item = json.loads(line)
        rtype = (item.get("result") or {}).get("type")
        if args.type and rtype != args.type:
            continue
        shown += 1
        if args.json:
            out.write(line + "\n")
        else:
            out.write(_fixed(summarize(item)) + "\n")
    if not args.json:
        say(f"{shown} result(s)" + (f" of type {args.type}" if args.type else ""))
    return 0


def _fixed(cells) -> str:
    parts = []
    for cell, width in zip(cells[:-1], ROW_WIDTHS, strict=True):
        text = str(cell)
        parts.append(text.ljust(width) if len(text) <= width else text[: width - 1] + "…")
    return "  ".join([*parts, str(cells[-1])]).rstrip()


async def _cancel(args: argparse.Namespace) -> int:
    async with open_client(args) as client:
        batch = await client.batches.cancel(args.id)
    if args.json:
        print_json(batch)
    else:
        print(f"{batch.id}: {batch.processing_status} ({counts_text(batch)})")
        if batch.processing_status == "canceling":
            say("requests already being processed finish; the rest are canceled")
    return 0


async def _delete(args: argparse.Namespace) -> int:
    from workbench.api.errors import InvalidRequestError

    async with open_client(args) as client:
        try:
            deleted = await client.batches.delete(args.id)
        except InvalidRequestError as exc:
            if "process" in exc.message or "ended" in exc.message:
                raise CommandError(f"{exc}\n  a batch can be deleted only once it has ended: "
                                   f"`workbench batch cancel {args.id}`, then wait for "
                                   "`workbench batch show` to say ended", EXIT_API) from None
            raise
    if args.json:
        print_json(deleted)
    else:
        print(f"deleted {deleted.id}")
    return 0
