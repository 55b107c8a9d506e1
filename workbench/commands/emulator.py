"""`workbench emulator`: the built-in Claude API emulator as a standalone server."""

from __future__ import annotations

import argparse
import contextlib


def port_number(text: str) -> int:
    """A TCP port, 0-65535 (0 = a free one): argparse says so, not a bind() traceback."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port (0-65535)")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "emulator", help="run the built-in Claude API emulator",
        description="Serve an emulator of the Claude API (messages, streaming, count_tokens, "
        "models, batches, files, skills). It binds to 127.0.0.1 unless --host is given.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=port_number, default=8765, help="port (0 = a free one; default 8765)")
    p.add_argument("--tokens-per-second", type=float, default=75.0, metavar="N",
                   help="streaming pace (default 75)")
    p.add_argument("--full-speed", action="store_true", help="stream as fast as possible")
    p.add_argument("--batch-seconds", type=float, default=1.0, metavar="S",
                   help="seconds of batch processing per request (default 1, capped at 30 s)")
    for code in ("429", "500", "529"):
        p.add_argument(f"--fault-{code}", type=float, default=0.0, metavar="RATE",
                       help=f"share of message requests answered with {code} (0-1)")
    p.add_argument("--slow-first-byte", type=float, default=0.0, metavar="S",
                   help="delay before answering message requests")
    p.add_argument("--cut-stream", type=float, default=0.0, metavar="RATE",
                   help="share of streams cut off mid-way")
    p.add_argument("--seed", type=int, default=0, help="seed for injected faults")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also answer requests whose Host header is NAME (besides the loopback "
                   "names and the --host address); repeatable")
    p.add_argument("--tier", type=int, choices=(1, 2, 3, 4), default=None,
                   help="rate limits of API usage tier 1-4 (default: limits too high to meet)")
    p.add_argument("--rate-limits", default=None, metavar="RPM,ITPM,OTPM",
                   help="explicit per-minute limits: requests, input tokens, output tokens")


def run(args: argparse.Namespace) -> int:
    import sys

    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import bind_socket, serve_forever

    for name in ("fault_429", "fault_500", "fault_529", "cut_stream"):
        if not 0.0 <= getattr(args, name) <= 1.0:
            print(f"workbench emulator: --{name.replace('_', '-')} must be between 0 and 1",
                  file=sys.stderr)
            return 2
    limits = None
    if args.rate_limits:
        try:
            rpm, itpm, otpm = (int(part) for part in args.rate_limits.split(","))
        except ValueError:
            print("workbench emulator: --rate-limits takes three whole numbers, e.g. "
                  "50,30000,8000", file=sys.stderr)
            return 2
        if min(rpm, itpm, otpm) < 1:
            print("workbench emulator: --rate-limits must all be at least 1", file=sys.stderr)
            return 2
        limits = (rpm, itpm, otpm)
    wildcard = args.host in ("0.0.0.0", "::", "[::]", "")
    config = EmulatorConfig(
        tokens_per_second=None if args.full_speed else args.tokens_per_second,
        batch_seconds_per_request=args.batch_seconds, fault_rate_429=args.fault_429,
        fault_rate_500=args.fault_500, fault_rate_529=args.fault_529,
        slow_first_byte=args.slow_first_byte, cut_stream_rate=args.cut_stream, seed=args.seed,
        allowed_hosts=(*(() if wildcard else (args.host,)), *args.allow_host),
        tier=args.tier, rate_limits=limits,
    )
    try:  # bound before anything is printed: a port clash is the only message
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"workbench emulator: cannot listen on {args.host}:{args.port}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown}:{port}"
    print(f"Claude API emulator listening on {url}", flush=True)
    print("Try:\n"
          f"  curl {url}/v1/messages -H 'x-api-key: any' -H 'anthropic-version: 2023-06-01' "
          "-H 'content-type: application/json' \\\n"
          "    -d '{\"model\":\"claude-opus-5\",\"max_tokens\":1024,"
          "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world\"}]}'", flush=True)
    if wildcard:
        print("Requests are answered only when their Host header is a loopback name or one "
              "given with --allow-host.", flush=True)
    with contextlib.suppress(KeyboardInterrupt, SystemExit):  # ctrl+c, SIGTERM: a clean stop
        serve_forever(config, sock)
    return 0
