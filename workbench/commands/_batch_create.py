"""`workbench batch create` and `workbench batch rerun`: datasets in, batch ids out.

A request template (a JSON body file, a plain prompt file, or the composer's saved draft) with
`{{variables}}` is filled from every dataset row (`services.datasets`); the requests are kept on
disk as a local run (`services.batch_runs`) so a batch's failures can be resubmitted later, and
a dataset over the per-batch limits becomes several batches.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from workbench.commands._shared import (
    EXIT_API,
    EXIT_USAGE,
    CommandError,
    add_common,
    open_client,
    print_json,
    read_text,
    say,
)
from workbench.format import usd
from workbench.services.param_rules import Context, field_problem

PREVIEW_CHARS = 240


def add_parsers(actions: argparse._SubParsersAction) -> None:
    a = actions.add_parser(
        "create", help="one request per dataset row (CSV with a header, or JSONL of objects)",
        description="Fill a request template's {{variables}} from every row of a dataset and "
        "submit the requests as one batch (several when over 100,000 requests or 256 MB). "
        "Prints a preview, the request count and an upper-bound cost estimate (batch "
        "discount included) on stderr, then the batch ids on stdout, one per line.")
    a.add_argument("--dataset", required=True, metavar="FILE",
                   help="CSV (header row = variable names) or .jsonl of objects")
    _template_args(a)
    a.add_argument("--id-column", metavar="COL",
                   help="column holding each request's custom_id (default: row-N)")
    a.add_argument("--dry-run", action="store_true",
                   help="check every row and show preview, count and cost; send nothing")
    add_common(a)

    a = actions.add_parser(
        "rerun", help="resubmit the errored/expired requests of an ended batch as a new batch",
        description="The API does not return a batch's requests, so they come from the local "
        "run kept by `workbench batch create` (or the TUI); for a batch created elsewhere, "
        "give the same --dataset and template it was made from.")
    a.add_argument("id", help="batch id (must have ended)")
    a.add_argument("--dataset", metavar="FILE", help="rebuild the original requests from this "
                   "dataset (with --request, --prompt or --from-draft)")
    _template_args(a, required=False)
    a.add_argument("--id-column", metavar="COL", help="as given to create")
    a.add_argument("--dry-run", action="store_true", help="show what would be resubmitted")
    add_common(a)


def _template_args(a: argparse.ArgumentParser, required: bool = True) -> None:
    src = a.add_mutually_exclusive_group(required=required)
    src.add_argument("--request", metavar="FILE",
                     help="JSON request body (model, max_tokens, messages, ...) with "
                     "{{variables}}")
    src.add_argument("--prompt", metavar="FILE",
                     help="plain-text user prompt with {{variables}} (see --model, "
                     "--max-tokens, --system)")
    src.add_argument("--from-draft", nargs="?", const="", metavar="SLOT",
                     help="the composer's saved draft (default: the active profile's)")
    a.add_argument("--model", help="model for every request (default: template's/settings')")
    a.add_argument("--max-tokens", type=int, metavar="N", help="max_tokens for every request")
    a.add_argument("--system", help="system prompt (with --prompt)")


# template ---------------------------------------------------------------------------------
def load_template(args: argparse.Namespace) -> dict[str, Any]:
    """The request body with its {{variables}} still in place; CommandError on bad input."""
    from workbench.commands._shared import load_settings

    settings = load_settings(args)
    if args.request:
        text = read_text(args.request)
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{args.request}: not valid JSON: {exc.msg} at line "
                               f"{exc.lineno}, column {exc.colno}") from None
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, [[[[… 100,000 deep
            why = "nested too deeply" if isinstance(exc, RecursionError) else (
                "a number has too many digits" if "digits" in str(exc) else str(exc))
            raise CommandError(f"{args.request}: not a JSON this reads: {why}") from None
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            raise CommandError(f"{args.request}: expected a request body object with "
                               "\"messages\" (and model, max_tokens)")
    elif args.prompt:
        text = read_text(args.prompt).rstrip("\n")
        if not text.strip():
            raise CommandError(f"{args.prompt}: the prompt is empty")
        body = {"model": settings.default_model, "max_tokens": 1024,
                "messages": [{"role": "user", "content": text}]}
        if args.system:
            body["system"] = args.system
    else:
        body = _draft_body(args.from_draft or settings.active_profile, settings.api_version)
    body = dict(body)
    body.pop("stream", None)
    if args.model:
        body["model"] = args.model
    if args.max_tokens is not None:
        problem = field_problem("max-tokens", str(args.max_tokens), Context())
        if problem:
            raise CommandError(f"--max-tokens: {problem}")
        body["max_tokens"] = args.max_tokens
    body.setdefault("model", settings.default_model)
    body.setdefault("max_tokens", 1024)
    return body


def _draft_body(slot: str, api_version: str) -> dict[str, Any]:
    """The composer's saved draft of `slot`, checked and built by its session as a run is."""
    from workbench.services.composer import ComposerSession
    from workbench.services.draft import DraftError

    session = ComposerSession(slot, default_model="", api_version=api_version)
    try:
        if not session.load_saved():
            raise CommandError(f"no saved composer draft for {slot!r} (open the TUI's composer "
                               "first, or use --request FILE)")
        session.check()
        body = session.request()
    except (DraftError, TypeError, ValueError, AttributeError) as exc:
        raise CommandError(f"the saved draft cannot be used: {exc}") from None
    if session.draft.betas:
        say(f"note: the draft's beta headers ({', '.join(session.draft.betas)}) are not sent "
            "with batch requests")
    return body


# create -----------------------------------------------------------------------------------
async def create(args: argparse.Namespace) -> int:
    import asyncio

    from workbench.services import batch_runs
    from workbench.services.templates import body_variables

    body = load_template(args)
    variables = body_variables(body)
    if not variables and not args.json:
        say("note: the template has no {{variables}}: every request will be the same")
    dataset = Path(os.path.expanduser(args.dataset))
    from workbench.services.datasets import DatasetError, check_dataset_file

    try:
        check_dataset_file(dataset)
        plan = await asyncio.to_thread(batch_runs.plan_from_dataset, body, dataset,
                                       args.id_column)
    except DatasetError as exc:
        text = str(exc)
        raise CommandError(text if text.startswith(str(dataset)) else f"{args.dataset}: {text}"
                           ) from None
    fixed_model = "{{" not in str(body.get("model", ""))  # else each row names its model
    return await _send(args, plan, variables, check_model=fixed_model)


async def _send(args: argparse.Namespace, plan, variables: list[str] | None = None, *,
                check_model: bool = False) -> int:
    """Show the plan; unless --dry-run, create its batches and print their ids (first checking
    the one model that every request uses, when there is one)."""
    from workbench.services import batch_runs

    summary = _summary(plan, variables)
    if not args.json:
        _print_plan(summary)
    if args.dry_run:
        batch_runs.discard(plan.run)
        if check_model and not args.json:
            say("dry run: nothing sent (the model and max_tokens are checked against the API "
                "when the batch is created)")
        if args.json:
            print_json({**summary, "dry_run": True, "batch_ids": []})
        return 0
    created: list[str] = []

    def on_batch(n: int, total: int, batch_id: str) -> None:
        created.append(batch_id)
        if not args.json:
            print(batch_id, flush=True)
            say(f"batch {n}/{total} created: {batch_id}")

    try:
        async with open_client(args) as client:
            if check_model:
                await _check_model(client, plan)
            run = await batch_runs.submit(client, plan, on_batch=on_batch)
    except BaseException:
        if not created:
            batch_runs.discard(plan.run)
        elif args.json:
            print_json({**summary, "dry_run": False, "batch_ids": created, "complete": False})
        else:
            say(f"only {len(created)} of {len(plan.batch_sizes)} batches were created")
        raise
    if args.json:
        print_json({**summary, "dry_run": False, "batch_ids": run.batch_ids, "complete": True})
    return 0


async def _check_model(client: Any, plan) -> None:
    """Refuse before sending what every request would fail on (the TUI bounds max_tokens by
    the model; a script should learn it here, not from N errored results an hour later)."""
    from workbench.api.errors import APIError, NotFoundError

    params = plan.preview[0]["params"] if plan.preview else {}
    model, max_tokens = params.get("model"), params.get("max_tokens")
    if not isinstance(model, str):
        return
    try:
        info = await client.models.get(model)
    except NotFoundError:
        raise CommandError(f"unknown model {model!r} (the TUI's Models pane, F3, lists the "
                           "ids this key can use)") from None
    except APIError:
        return  # the batch itself will say what is wrong
    problem = field_problem("max-tokens", str(max_tokens),
                            Context(model=model, model_max=info.max_tokens))
    if isinstance(max_tokens, int) and problem:
        raise CommandError(f"{problem} (its maximum output): use --max-tokens "
                           f"{info.max_tokens} or less")


def _summary(plan, variables: list[str] | None) -> dict[str, Any]:
    cost = plan.cost
    return {"run_id": plan.run.id, "requests": plan.run.requests,
            "batches": len(plan.batch_sizes), "batch_sizes": plan.batch_sizes,
            "variables": variables or [],
            "estimate": {"input_tokens": cost.input_tokens,
                         "max_output_tokens": cost.max_output_tokens,
                         "usd_upper_bound": cost.usd, "assumption": cost.assumption},
            "preview": plan.preview}


def _print_plan(s: dict[str, Any]) -> None:
    for req in s["preview"]:
        text = json.dumps(req["params"], ensure_ascii=False)
        if len(text) > PREVIEW_CHARS:
            text = text[: PREVIEW_CHARS - 1] + "…"
        say(f"  {req['custom_id']}: {text}")
    if s["requests"] > len(s["preview"]):
        say(f"  … and {s['requests'] - len(s['preview']):,} more")
    est = s["estimate"]
    upper = est["usd_upper_bound"]
    cost = f"up to {usd(upper)}" if upper is not None else "unknown (model not in the price table)"
    split = (f" in {s['batches']} batches ({', '.join(f'{n:,}' for n in s['batch_sizes'])})"
             if s["batches"] > 1 else "")
    say(f"{s['requests']:,} requests{split}; estimated cost {cost} "
        f"(~{est['input_tokens']:,} input tokens, at most {est['max_output_tokens']:,} output "
        "tokens; batch discount 50%)")


# rerun ------------------------------------------------------------------------------------
async def rerun(args: argparse.Namespace) -> int:
    """Resubmit an ended batch's errored/expired requests: `services.batch_runs` finds them
    (in the local run, or rebuilt from --dataset and the template); this adds the checks and
    messages of the command line."""
    from workbench.services import batch_runs
    from workbench.services.datasets import DatasetError, check_dataset_file

    if args.dataset is None and (args.request or args.prompt or args.from_draft is not None):
        raise CommandError("a template (--request/--prompt/--from-draft) needs --dataset")
    run = None
    if args.dataset is None:
        run = batch_runs.run_of_batch(args.id)
    else:
        body = load_template(args)
        dataset = Path(os.path.expanduser(args.dataset))
        try:
            check_dataset_file(dataset)  # before anything is sent
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
    async with open_client(args) as client:
        batch = await client.batches.get(args.id)
        if batch.processing_status != "ended":
            raise CommandError(f"batch {batch.id} is {batch.processing_status}; only an ended "
                               "batch can be re-run", EXIT_API)
        counts = batch.request_counts
        plan = None
        if counts.errored + counts.expired:
            if run is None and args.dataset is None:
                raise CommandError(
                    f"batch {batch.id} was not created by workbench here, so its requests are "
                    "not known (the API does not return them): give --dataset FILE and the "
                    "template (--request/--prompt/--from-draft) it was made from", EXIT_USAGE)
            try:
                if run is not None:
                    plan = await batch_runs.plan_rerun(client, run, [batch.id])
                else:
                    plan = await batch_runs.plan_rerun_from_dataset(
                        client, batch.id, body, dataset, args.id_column)
            except batch_runs.NoMatchingRequests as exc:
                raise CommandError(f"{exc} (a different dataset or --id-column?)") from None
            except DatasetError as exc:
                text = str(exc)
                raise CommandError(text if args.dataset is None or text.startswith(str(dataset))
                                   else f"{args.dataset}: {text}") from None
    if plan is None:
        if args.json:
            print_json({"id": batch.id, "requests": 0, "batch_ids": []})
        else:
            say(f"nothing to re-run: batch {batch.id} has no errored or expired requests")
        return 0
    if not args.json:
        say(f"re-running {plan.run.requests:,} errored/expired request(s) of {batch.id}")
    return await _send(args, plan)
