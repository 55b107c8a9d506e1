"""CPU per event of our SSE decoder + accumulator, in process (no HTTP, no emulator), and the
decoder's time for one very long line (it must stay linear).

    python benchmarks/bench_accumulate.py [--long 10,40]

Figures are CPU time (`process_time`), the best of several runs: stable on a loaded machine.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from workbench.api.accumulate import accumulate, parse_event
from workbench.api.sse import SSEDecoder

CORPUS = Path(__file__).parent.parent / "tests" / "data" / "recorded-api"


def synthetic(n: int) -> bytes:
    """A reply of `n` text deltas, framed as the API frames it."""
    start = {"type": "message_start", "message": {
        "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
        "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": 5, "output_tokens": 1}}}
    out = [f"event: message_start\ndata: {json.dumps(start)}\n\n",
           'event: content_block_start\ndata: {"type":"content_block_start","index":0,'
           '"content_block":{"type":"text","text":""}}\n\n']
    out += ['event: content_block_delta\ndata: {"type":"content_block_delta","index":0,'
            f'"delta":{{"type":"text_delta","text":" word{i}"}}}}\n\n' for i in range(n)]
    out.append('event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n')
    out.append('event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":'
               f'"end_turn","stop_sequence":null}},"usage":{{"output_tokens":{n}}}}}\n\n')
    out.append('event: message_stop\ndata: {"type":"message_stop"}\n\n')
    return "".join(out).encode()


def run(raw: bytes, chunk: int = 1024) -> int:
    decoder = SSEDecoder()
    snapshot = None
    events = 0
    pieces = [raw[i:i + chunk] for i in range(0, len(raw), chunk)]
    for piece in [*pieces, None]:
        for sse in decoder.flush() if piece is None else decoder.feed(piece):
            if sse.event:
                snapshot = accumulate(parse_event(sse.event, sse.data), snapshot)
                events += 1
    return events


def best(raw: bytes, runs: int) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        started = time.process_time()
        events = run(raw)
        times.append(time.process_time() - started)
    return min(times), events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--long", default="10,40", help="MB sizes of the long-line test ('' for none)")
    args = ap.parse_args()
    cpu, n = best(synthetic(args.events), args.runs)
    print(f"synthetic text reply: {n} events, {cpu * 1000:.1f} ms CPU, {cpu / n * 1e6:.2f} us/event")
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    total, count = 0.0, 0
    for rec in manifest:
        if rec["kind"] == "stream":
            cpu, n = best((CORPUS / rec["body_file"]).read_bytes(), args.runs)
            total, count = total + cpu, count + n
    print(f"recorded streams: {count} events, {total * 1000:.1f} ms CPU, "
          f"{total / count * 1e6:.2f} us/event")
    for mb in [int(x) for x in args.long.split(",") if x]:
        line = b'event: x\ndata: "' + b"a" * (mb << 20) + b'"\n\n'
        decoder = SSEDecoder()
        started = time.process_time()
        for i in range(0, len(line), 1 << 16):
            decoder.feed(line[i:i + (1 << 16)])
        print(f"one {mb} MB line in 64 KB chunks: {time.process_time() - started:.2f} s CPU")


if __name__ == "__main__":
    main()
