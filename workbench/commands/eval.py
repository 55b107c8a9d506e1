"""`workbench eval`: run evaluation suites (for CI), write an example suite, list, compare and
export stored runs, and propose test cases for a suite.

Exit codes of `eval run`: 0 every case passed, 1 a case failed (or the API failed), 2 a bad
suite (the message names the file, the line and the reason).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.commands._shared import (
    EXIT_API,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_common,
    print_json,
    print_table,
    run_command,
    say,
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="evaluation suites: run, init, runs, compare, export",
                       description="Test a prompt on many cases, versions or models, scored by "
                       "assertions; exit codes for CI (0 all pass, 1 a failure, 2 bad suite).")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="run suites and print a summary table")
    run.add_argument("suites", nargs="+", metavar="SUITE.toml")
    run.add_argument("--batch", action="store_true",
                     help="send as Message Batches (half price, slower)")
    run.add_argument("--junit", metavar="FILE", help="also write JUnit XML for CI")
    run.add_argument("--force", action="store_true",
                     help="send every request again (ignore the reply cache)")
    run.add_argument("--concurrency", type=int, metavar="N",
                     help="at most N requests at once (default: the suite's run.concurrency)")
    run.add_argument("--estimate", action="store_true",
                     help="only print the cost estimate; send nothing")
    add_common(run, json_help="JSON on stdout: per-suite summary and per-case results")
    init = actions.add_parser("init", help="write a commented example suite")
    init.add_argument("path", nargs="?", default="eval-suite.toml")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    runs = actions.add_parser("runs", help="list stored eval runs")
    runs.add_argument("--suite", help="only this suite's runs")
    add_common(runs)
    cmp = actions.add_parser("compare", help="what got better or worse between two runs")
    cmp.add_argument("old", type=int, metavar="RUN")
    cmp.add_argument("new", type=int, metavar="RUN")
    add_common(cmp)
    exp = actions.add_parser("export", help="a stored run as JSONL or CSV")
    exp.add_argument("run_id", type=int, metavar="RUN")
    exp.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    exp.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    gen = actions.add_parser("generate", help="propose test cases for a suite's variables "
                             "(printed as TOML to review before you add them)")
    gen.add_argument("suite", metavar="SUITE.toml")
    gen.add_argument("--count", type=int, default=5, metavar="N")
    gen.add_argument("--model", required=True, help="the model that writes the cases")
    add_common(gen)


def run(args: argparse.Namespace) -> int:
    if args.action == "init":
        return init(args)
    if args.action == "run":
        from workbench.commands._eval_run import run_suites

        return run_command("eval", lambda: run_suites(args))
    return run_command("eval", lambda: _stored(args))


def init(args: argparse.Namespace) -> int:
    from workbench.services.evals.example import EXAMPLE

    target = Path(args.path)
    if target.exists() and not args.force:
        print(f"workbench eval: {target} exists (--force to overwrite)", file=sys.stderr)
        return EXIT_USAGE
    try:
        target.write_text(EXAMPLE, encoding="utf-8")
    except OSError as exc:
        print(f"workbench eval: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    say(f"wrote {target}: try `workbench eval run {target} --demo`")
    return EXIT_OK


def open_eval_store() -> Any:
    from workbench import paths
    from workbench.services.evals.runstore import EvalStore

    paths.ensure(paths.data_dir())
    return EvalStore(paths.database_file())


async def _stored(args: argparse.Namespace) -> int:
    from workbench.services.evals import report
    from workbench.services.evals.runstore import compare_runs

    if args.action == "generate":
        from workbench.commands._eval_run import generate

        return await generate(args)
    store = open_eval_store()
    try:
        if args.action == "runs":
            rows = store.list_runs(args.suite)
            if args.json:
                print_json(rows)
            else:
                print_table(["id", "suite", "version", "mode", "passed", "started"], [
                    [r["id"], r["suite"], r["suite_version"], r["mode"],
                     "" if not r["summary"] else f"{r['summary']['passed']}/"
                     f"{r['summary']['cells']}", _when(r["started_at"])] for r in rows])
            return EXIT_OK
        if args.action == "compare":
            for run_id in (args.old, args.new):
                if store.get_run(run_id) is None:
                    raise CommandError(f"no eval run {run_id} (see `workbench eval runs`)")
            diff = compare_runs(store.cells(args.old), store.cells(args.new))
            if args.json:
                print_json(diff)
                return EXIT_OK
            for kind in ("better", "worse"):
                for (case, variant), before, after in diff[kind]:
                    print(f"{kind:6}  {case} [{variant}]  {before:.2f} -> {after:.2f}")
            print(f"{len(diff['better'])} better, {len(diff['worse'])} worse, "
                  f"{len(diff['same'])} same, {len(diff['added'])} added, "
                  f"{len(diff['removed'])} removed")
            return EXIT_API if diff["worse"] else EXIT_OK
        if store.get_run(args.run_id) is None:
            raise CommandError(f"no eval run {args.run_id} (see `workbench eval runs`)")
        lines = (report.export_jsonl if args.format == "jsonl" else report.export_csv)(
            store.cells(args.run_id))
        if not args.output:
            sys.stdout.writelines(lines)
            return EXIT_OK
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            out.writelines(lines)
        return EXIT_OK
    finally:
        store.close()


def _when(stamp: float | None) -> str:
    import time

    return "" if not stamp else time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))
