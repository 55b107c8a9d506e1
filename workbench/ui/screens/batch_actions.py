"""Cancel, delete and re-run failures: shared by the batches list and a batch's detail.

Each asks first, checks locally what the API would refuse (so the user reads why, not a
400), and reports the outcome as a notice. Called from workers: they await the network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.ui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from workbench.ui.screens.base import WorkbenchScreen

POLL_MIN = 1.0
POLL_MAX = 30.0
POLL_GROWTH = 1.6


def next_delay(delay: float) -> float:
    """Polling backs off while nothing changes: 1 s, 1.6 s, 2.6 s, ... up to 30 s."""
    return min(POLL_MAX, max(POLL_MIN, delay * POLL_GROWTH))


def status_of(batch: dict[str, Any]) -> str:
    return str(batch.get("processing_status") or "")


async def _ask(screen: Any, question: str) -> bool:
    return bool(await screen.app.push_screen_wait(ConfirmScreen(question)))


async def cancel(screen: WorkbenchScreen | Any, batches: list[dict[str, Any]]) -> list[Any]:
    """Cancel those still in progress, after a confirm; returns the updated batches."""
    from workbench.api.errors import APIError

    live = [b for b in batches if status_of(b) == "in_progress"]
    if not live:
        states = ", ".join(sorted({status_of(b) for b in batches})) or "none"
        screen.notify(f"nothing to cancel: only a batch in progress can be canceled "
                      f"(status: {states})", severity="warning")
        return []
    names = live[0]["id"] if len(live) == 1 else f"{len(live)} batches"
    if not await _ask(screen, f"Cancel {names}? Requests not yet processed end as canceled; "
                              "results that are done stay available."):
        return []
    client = await screen.wb.wait_client()
    done = []
    for batch in live:
        try:
            done.append(await client.batches.cancel(batch["id"]))
        except APIError as exc:
            screen.notify(f"could not cancel {batch['id']}: {exc}", severity="error", timeout=10)
    if done:
        screen.notify(f"canceling {len(done)} batch{'es' if len(done) > 1 else ''}…")
    return done


async def delete(screen: WorkbenchScreen | Any, batches: list[dict[str, Any]]) -> list[str]:
    """Delete ended batches after a confirm; returns the ids deleted."""
    from workbench.api.errors import APIError

    not_ended = [b["id"] for b in batches if status_of(b) != "ended"]
    if not_ended:
        screen.notify(f"{not_ended[0]} has not ended yet: a batch can be deleted only after it "
                      "ends (cancel it first and wait)", severity="warning", timeout=8)
        return []
    names = batches[0]["id"] if len(batches) == 1 else f"{len(batches)} batches"
    if not await _ask(screen, f"Delete {names} and its results? This cannot be undone."):
        return []
    client = await screen.wb.wait_client()
    deleted = []
    for batch in batches:
        try:
            await client.batches.delete(batch["id"])
            deleted.append(batch["id"])
        except APIError as exc:
            screen.notify(f"could not delete {batch['id']}: {exc}", severity="error", timeout=10)
    if deleted:
        screen.notify(f"deleted {', '.join(deleted)}")
    return deleted


async def rerun_failures(screen: WorkbenchScreen | Any, batches: list[dict[str, Any]]) -> Any:
    """Resubmit the errored/expired requests of a finished run as a new run; returns it."""
    import asyncio

    from workbench.api.errors import APIError
    from workbench.services import batch_runs

    if any(status_of(b) != "ended" for b in batches):
        screen.notify("the batch has not ended yet: failures can be re-run once it ends",
                      severity="warning")
        return None
    run = await asyncio.to_thread(batch_runs.run_of_batch, batches[0]["id"])
    if run is None:
        screen.notify("the requests of this batch are not stored here (it was not created by "
                      "this workbench), so its failures cannot be resubmitted",
                      severity="warning", timeout=10)
        return None
    from workbench.services.datasets import DatasetError

    client = await screen.wb.wait_client()
    try:
        screen.notify("reading the results for failures…")
        plan = await batch_runs.plan_rerun(client, run)
    except (APIError, DatasetError, OSError) as exc:
        screen.notify(f"could not prepare the re-run: {exc}", severity="error", timeout=10)
        return None
    if plan is None:
        screen.notify("no errored or expired requests: nothing to re-run")
        return None
    if not await _ask(screen, f"Resubmit {plan.run.requests:,} failed request"
                              f"{'s' if plan.run.requests > 1 else ''} of {run.id} as a new "
                              "batch run?"):
        await asyncio.to_thread(batch_runs.discard, plan.run)
        return None
    try:
        new_run = await batch_runs.submit(client, plan)
    except APIError as exc:
        created = plan.run.batch_ids
        if not created:
            await asyncio.to_thread(batch_runs.discard, plan.run)
        screen.notify(f"could not create the batch: {exc}" + (
            f" (already created: {', '.join(created)})" if created else ""),
            severity="error", timeout=12)
        return None
    screen.notify(f"re-running {plan.run.requests:,} requests as {', '.join(new_run.batch_ids)}")
    return new_run
