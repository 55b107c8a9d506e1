"""Batch runs: a dataset sent as one or more Message Batches, remembered locally.

The API keeps no copy of the requests we can read back, so a run keeps its requests as JSONL
on disk (streamed, never whole in memory). That is what lets a run's failures be resubmitted
and a dataset split over the per-batch limits be watched as one run.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.paths import data_dir
from workbench.services import datasets
from workbench.services.datasets import (
    CostEstimate,
    DatasetError,
    build_requests,
    check_dataset_file,
    estimate_cost,
    read_rows,
)

if TYPE_CHECKING:
    from workbench.api.client import ClaudeClient

PREVIEW = 3


def runs_dir() -> Path:
    return data_dir() / "batch_runs"


@dataclass
class BatchRun:
    """A run: its batches (in creation order) and where its requests are kept."""

    id: str
    created: float
    requests: int
    batch_ids: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def folder(self) -> Path:
        return runs_dir() / self.id

    @property
    def requests_file(self) -> Path:
        return self.folder / "requests.jsonl"

    def save(self) -> None:
        """Atomically (temp + rename): a crash mid-submit keeps the ids created so far."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".run.", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(self), fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.folder / "run.json")

    def iter_requests(self) -> Iterator[dict[str, Any]]:
        with self.requests_file.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


class NoMatchingRequests(DatasetError):
    """Results failed, but none of their custom_ids is among the original requests (a rerun
    from another dataset, or another id column, than the batch was made from)."""


@dataclass
class Plan:
    """A run checked and written to disk but not sent yet: what the preview shows."""

    run: BatchRun
    preview: list[dict[str, Any]]
    cost: CostEstimate
    batch_sizes: list[int]


def _split(requests: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The per-batch limits, read when called (a test can lower them)."""
    return datasets.split_batches(requests, max_requests=datasets.MAX_REQUESTS,
                                  max_bytes=datasets.MAX_BYTES)


def new_run_id() -> str:
    return time.strftime("run-%Y%m%d-%H%M%S-") + secrets.token_hex(2)


def load_run(run_id: str) -> BatchRun | None:
    try:
        data = json.loads((runs_dir() / run_id / "run.json").read_text(encoding="utf-8"))
        return BatchRun(**data)
    except (OSError, ValueError, TypeError):
        return None


def all_runs() -> list[BatchRun]:
    """Every submitted run, newest first (runs never sent are left out)."""
    root = runs_dir()
    if not root.is_dir():
        return []
    runs = [r for d in root.iterdir() if (r := load_run(d.name)) is not None and r.batch_ids]
    return sorted(runs, key=lambda r: r.created, reverse=True)


def run_of_batch(batch_id: str) -> BatchRun | None:
    return next((r for r in all_runs() if batch_id in r.batch_ids), None)


def _write_plan(requests: Iterable[dict[str, Any]], source: str,
                empty: DatasetError | None = None) -> Plan:
    run = BatchRun(id=new_run_id(), created=time.time(), requests=0, source=source)
    run.folder.mkdir(parents=True, exist_ok=True)
    shown: list[dict[str, Any]] = []

    def written() -> Iterator[dict[str, Any]]:
        with run.requests_file.open("w", encoding="utf-8") as out:
            for req in requests:
                out.write(json.dumps(req, ensure_ascii=False) + "\n")
                run.requests += 1
                if len(shown) < PREVIEW:
                    shown.append(req)
                yield req

    try:
        cost = estimate_cost(written())
        if run.requests == 0:
            raise empty or DatasetError(f"{source}: no rows" if source else "no requests")
        sizes = [len(chunk) for chunk in _split(run.iter_requests())]
    except BaseException:
        discard(run)
        raise
    run.save()
    return Plan(run=run, preview=shown, cost=cost, batch_sizes=sizes)


def plan_from_dataset(body: dict[str, Any], dataset: str | os.PathLike,
                      id_column: str | None = None) -> Plan:
    """Check every row and write the requests; raises DatasetError naming the bad row."""
    path = Path(os.path.expanduser(dataset))
    return _write_plan(build_requests(body, read_rows(path), id_column=_column(id_column)),
                       str(path))


def _column(id_column: str | None) -> str | None:
    return id_column.strip() if id_column and id_column.strip() else None


def plan_from_requests(requests: Iterable[dict[str, Any]], source: str) -> Plan:
    return _write_plan(requests, source)


def discard(run: BatchRun) -> None:
    """Forget a plan that was not sent (its folder and requests)."""
    import shutil

    shutil.rmtree(run.folder, ignore_errors=True)


async def submit(client: ClaudeClient, plan: Plan,
                 on_batch: Callable[[int, int, str], None] | None = None) -> BatchRun:
    """Create the plan's batches one after another; the run is saved after each one."""
    import asyncio

    run = plan.run
    total = len(plan.batch_sizes)
    chunks = _split(run.iter_requests())  # advanced in a thread: it reads the disk
    while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
        batch = await client.batches.create(chunk)
        run.batch_ids.append(batch.id)
        await asyncio.to_thread(run.save)
        if on_batch:
            on_batch(len(run.batch_ids), total, batch.id)
    return run


async def failed_ids(client: ClaudeClient, batch_ids: Iterable[str]) -> set[str]:
    """custom_ids whose result was errored or expired (the results are streamed)."""
    failed: set[str] = set()
    for batch_id in batch_ids:
        async for line in client.batches.results_lines(batch_id):
            if '"errored"' not in line and '"expired"' not in line:
                continue  # cheap pre-check; most lines succeeded
            item = json.loads(line)
            if (item.get("result") or {}).get("type") in ("errored", "expired"):
                failed.add(item["custom_id"])
    return failed


async def plan_failures(client: ClaudeClient, batch_ids: Iterable[str],
                        originals: Callable[[], Iterable[dict[str, Any]]],
                        source: str) -> Plan | None:
    """A plan holding those of `originals()` whose result in `batch_ids` was errored or
    expired; None when nothing failed.

    The API never returns a batch's requests, so the caller says where they come from.
    `originals` is only called (in a thread: it reads the disk) once something failed;
    NoMatchingRequests when none of the failed custom_ids is among them.
    """
    import asyncio

    batch_ids = list(batch_ids)
    failed = await failed_ids(client, batch_ids)
    if not failed:
        return None
    sample = ", ".join(sorted(failed)[:3]) + (", …" if len(failed) > 3 else "")
    empty = NoMatchingRequests(
        f"none of the {len(failed):,} failed custom_ids of {', '.join(batch_ids)} ({sample}) "
        "are among the original requests")
    return await asyncio.to_thread(
        _write_plan, (r for r in originals() if r["custom_id"] in failed), source, empty)


async def plan_rerun(client: ClaudeClient, run: BatchRun,
                     batch_ids: Iterable[str] | None = None) -> Plan | None:
    """A plan holding the run's errored/expired requests (of all its batches, or only of
    `batch_ids`), or None when nothing failed."""
    if batch_ids is None:
        return await plan_failures(client, run.batch_ids, run.iter_requests,
                                   f"failures of {run.id}")
    ids = list(batch_ids)
    return await plan_failures(client, ids, run.iter_requests, f"failures of {', '.join(ids)}")


async def plan_rerun_from_dataset(client: ClaudeClient, batch_id: str, body: dict[str, Any],
                                  dataset: str | os.PathLike,
                                  id_column: str | None = None) -> Plan | None:
    """Like `plan_rerun` for a batch made elsewhere (no local run): its requests rebuilt from
    the dataset and template it was made from. The dataset path is checked before any
    request is sent."""
    path = check_dataset_file(Path(os.path.expanduser(dataset)))
    column = _column(id_column)
    return await plan_failures(
        client, [batch_id], lambda: build_requests(body, read_rows(path), id_column=column),
        f"failures of {batch_id}")
