"""`workbench count`: a prompt's tokens, local estimate and the API's exact count.

Handy in scripts before a long run: the estimate is instant, the exact count comes from
`POST /v1/messages/count_tokens` (free, no generation).
"""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("count", help="count a prompt's input tokens (estimate and exact)",
                       description="Prompt from the argument, -f FILE, or stdin.")
    p.add_argument("prompt", nargs="?", help="prompt text (default: -f FILE or stdin)")
    p.add_argument("-f", "--file", help="read the prompt from this file")
    p.add_argument("--model", help="model id (default: the settings' default model)")
    p.add_argument("--system", help="system prompt")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--local", action="store_true", help="only the local estimate (no request)")
    # SUPPRESS keeps `workbench --demo count ...` (top-level option) from being overwritten.
    p.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                   help="count against the built-in emulator")
    p.add_argument("--base-url", metavar="URL", default=argparse.SUPPRESS,
                   help="API base URL (overrides the profile)")


def _err(message: str) -> None:
    print(f"workbench count: {message}", file=sys.stderr)


def _read_prompt(args: argparse.Namespace) -> str | None:
    if args.prompt is not None and args.file:
        _err("give the prompt as an argument or with -f, not both")
        return None
    if args.file:
        from workbench.commands._shared import CommandError, read_text

        try:
            return read_text(args.file)
        except CommandError as exc:
            _err(exc.message)
            return None
    if args.prompt is not None:
        return args.prompt
    if sys.stdin.isatty():
        _err("no prompt: pass it as an argument, with -f FILE, or on stdin")
        return None
    return sys.stdin.read()


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from workbench.commands._shared import load_settings
    from workbench.services.tokens import estimate_request

    prompt = _read_prompt(args)
    if prompt is None:
        return 2
    if not prompt.strip():
        _err("the prompt is empty")
        return 2
    settings = load_settings(args)
    body: dict = {"model": args.model or settings.default_model,
                  "messages": [{"role": "user", "content": prompt}]}
    if args.system:
        body["system"] = args.system
    estimate = estimate_request(body)
    result: dict = {"model": body["model"], "estimate": estimate.total,
                    "breakdown": {"system": estimate.system, "tools": estimate.tools,
                                  "messages": estimate.messages,
                                  "attachments": estimate.attachments},
                    "exact": None}
    code = 0
    if not args.local:
        exact, problem = asyncio.run(_exact(args, body))
        if problem:
            _err(problem)
            code = 1
        result["exact"] = exact
    if args.json:
        print(json.dumps(result))
    else:
        print(f"~{estimate.total} tokens (local estimate)")
        if result["exact"] is not None:
            print(f"{result['exact']} tokens (count_tokens, {body['model']})")
    return code


async def _exact(args: argparse.Namespace, body: dict) -> tuple[int | None, str | None]:
    """The API's count, or a readable problem (no key, API error, connection)."""
    from workbench.api.errors import APIError
    from workbench.commands._shared import CommandError, open_client

    try:
        async with open_client(args) as client:
            return (await client.messages.count_tokens(body)).input_tokens, None
    except CommandError as exc:
        return None, exc.message
    except APIError as exc:
        return None, str(exc)
