"""`workbench eval run` and `eval generate`: load and check every suite first (a bad one exits 2
before anything is sent), show the cost estimate, run, store, and print the summary."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from workbench.commands._shared import (
    EXIT_API,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    load_settings,
    open_client,
    print_json,
    print_table,
    say,
)


class CellProgress:
    """`cb(result)` per finished cell: a bar on stderr when it is a terminal, else one line at
    the end (CI logs stay short)."""

    def __init__(self, label: str, total: int) -> None:
        from workbench.safe_text import clean

        self.label, self.total = clean(label), total  # a suite's name: data
        self.done = self.passed = self.failed = self.errors = 0
        # our own \r and erase go to the raw stream (the CLI's stderr strips controls)
        self.stream = getattr(sys.stderr, "unfiltered", sys.stderr)
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self._drawn = 0.0

    def __call__(self, result: Any) -> None:
        self.done += 1
        if result.status == "pass":
            self.passed += 1
        elif result.status == "fail":
            self.failed += 1
        else:
            self.errors += 1
        now = time.monotonic()
        if self.tty and (now - self._drawn >= 0.1 or self.done == self.total):
            self._drawn = now
            width = 24
            filled = width * self.done // max(self.total, 1)
            self.stream.write(f"\r{self.label} {'█' * filled}{'░' * (width - filled)} "
                              f"{self.done}/{self.total}  pass {self.passed}  fail "
                              f"{self.failed}  error {self.errors}\x1b[K")
            self.stream.flush()

    def note(self, text: str) -> None:
        """A line of its own (a rate-limit warning) while the bar is drawn."""
        if self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        say(f"note: {text}")

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K")
        say(f"{self.label}: {self.done} cells in {time.monotonic() - self.started:.1f} s, "
            f"{self.passed} passed, {self.failed} failed, {self.errors} errors")


def _load(paths: list[str]) -> list[Any]:
    from workbench.services.evals.suite import SuiteError, load_suite

    suites = []
    for path in paths:
        try:
            suites.append(load_suite(path))
        except SuiteError as exc:
            raise CommandError(f"bad suite: {exc}") from None
    return suites


def _library(suites: list[Any]) -> Any:
    if not any(s.prompt.library for s in suites):
        return None
    from workbench import paths
    from workbench.services.store import Store

    return Store(paths.database_file())


async def run_suites(args: argparse.Namespace) -> int:
    from workbench.commands.eval import open_eval_store
    from workbench.services.evals import report
    from workbench.services.evals.plan import plan_cells
    from workbench.services.evals.runner import Runner
    from workbench.services.evals.suite import SuiteError

    suites = _load(args.suites)
    settings = load_settings(args)
    library = _library(suites)
    store = open_eval_store()
    docs, runs, failed = [], [], False
    try:
        async with open_client(args) as client:
            plans = []
            for suite in suites:
                try:
                    plans.append(plan_cells(suite, library, api_version=settings.api_version,
                                            base_url=client.base_url))
                except SuiteError as exc:
                    raise CommandError(f"bad suite: {exc}") from None
            for suite, cells in zip(suites, plans, strict=True):
                todo = cells if args.force else [c for c in cells if store.cached(c.key) is None]
                est = report.estimate(todo, batch=args.batch)
                say(f"{suite.name}: {len(cells)} cells ({len(cells) - len(todo)} cached), "
                    f"estimate up to ${est['usd_upper_bound']:.4f}"
                    f"{' at the batch discount' if args.batch else ''}")
            if args.estimate:
                return EXIT_OK
            for suite, cells in zip(suites, plans, strict=True):
                doc, results = await _run_one(args, client, store, suite, cells, Runner)
                docs.append(doc)
                runs.append((suite, results))
                failed = failed or any(not r.passed for r in results)
    finally:
        store.close()
        if library is not None:
            library.close()
    if args.junit:
        try:
            Path(args.junit).write_text(report.junit(runs), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {args.junit}: {exc.strerror or exc}") from None
    code = EXIT_API if failed else EXIT_OK
    if args.json:
        print_json({"exit_code": code, "passed": not failed, "suites": docs})
    return code


async def _run_one(args: argparse.Namespace, client: Any, store: Any, suite: Any,
                   cells: list[Any], runner_cls: Any) -> tuple[dict[str, Any], list[Any]]:
    from workbench.services.evals import report

    mode = "batch" if args.batch else "live"
    store.save_suite(suite.name, str(suite.path), suite.version, suite.text)
    run_id = store.start_run(suite=suite.name, suite_path=str(suite.path),
                             suite_version=suite.version, suite_text=suite.text, mode=mode,
                             base_url=client.base_url)
    progress = CellProgress(suite.name, len(cells))
    runner = runner_cls(client, suite, store=store, force=args.force,
                        concurrency=args.concurrency, on_result=progress)
    if args.batch:
        results = await runner.run_batch(cells, on_status=say)
    else:
        results = await runner.run_live(cells, on_warning=progress.note)
    progress.finish()
    store.put_cells(run_id, results)
    store.finish_run(run_id, report.summary(suite, results))
    rows = report.table_rows(report.column_totals(suite, results))
    if args.json:
        for line in _table_text(rows):
            say(line)
    else:
        print_table(report.TABLE_HEADERS, rows)
        for r in results:
            if not r.passed:
                why = r.error or "; ".join(f"{o.label}: {o.reason}" for o in r.outcomes
                                           if not o.passed)
                print(f"  {r.status.upper():5} {r.case_id} [{r.variant}] {r.score:.2f}  {why}")
        print(f"run {run_id}: `workbench eval export {run_id}` for every cell")
    return report.document(suite, results, run_id=run_id, mode=mode), results


def _table_text(rows: list[list[str]]) -> list[str]:
    from workbench.services.evals.report import TABLE_HEADERS

    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(TABLE_HEADERS)]
    lines = ["  ".join(h.upper().ljust(w) for h, w in zip(TABLE_HEADERS, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return [line.rstrip() for line in lines]


async def generate(args: argparse.Namespace) -> int:
    from workbench.services.evals.generate import cases_toml, generation_request, read_cases
    from workbench.services.evals.plan import base_request
    from workbench.services.templates import body_variables

    suite = _load([args.suite])[0]
    if not 1 <= args.count <= 50:
        raise CommandError("--count: 1 to 50")
    settings = load_settings(args)
    library = _library([suite])
    try:
        from workbench.services.evals.suite import SuiteError

        try:
            body = base_request(suite, suite.variants[0], library, settings.api_version)
        except SuiteError as exc:
            raise CommandError(f"bad suite: {exc}") from None
    finally:
        if library is not None:
            library.close()
    variables = body_variables(body)
    if not variables:
        raise CommandError(f"{args.suite}: the prompt has no {{{{variables}}}} to fill")
    async with open_client(args) as client:
        message = await client.messages.create(generation_request(
            body, variables, count=args.count, model=args.model))
    try:
        cases = read_cases(message.model_dump(mode="json"), variables)
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_API) from None
    if args.json:
        print_json(cases)
    else:
        sys.stdout.write(cases_toml(cases))
        say("review these, then append them to the suite")
    return EXIT_OK if cases else EXIT_USAGE
