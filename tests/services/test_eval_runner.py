"""Running suites on the emulator: live within a rate limit, through injected 429/529, from the
cache, and as a batch end to end. Real HTTP on loopback; nothing of ours is mocked."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from datetime import UTC, datetime

import pytest

from workbench.api.client import ClaudeClient
from workbench.services.evals.plan import plan_cells
from workbench.services.evals.runner import Runner
from workbench.services.evals.runstore import EvalStore, compare_runs
from workbench.services.evals.suite import parse_suite

SUITE = """name = "t"
threshold = 0.5
[prompt]
model = "claude-haiku-5-5"
max_tokens = 200
user = "Explain {{topic}} briefly."
[[compare]]
label = "haiku"
[[compare]]
label = "sonnet"
model = "claude-sonnet-5-5"
[grader]
model = "claude-haiku-5-5"
[run]
concurrency = 8
[[assert]]
type = "icontains"
value = "{{topic}}"
[[assert]]
type = "rubric"
value = "Clear for a beginner."
"""


def suite_of(n: int, extra: str = ""):
    cases = "".join(f'[[cases]]\nid = "c{i}"\nvars = {{ topic = "topic{i} recursion" }}\n'
                    for i in range(n))
    return parse_suite(SUITE + extra + cases, "t.toml")


@pytest.fixture
def store(tmp_path):
    s = EvalStore(tmp_path / "evals.db")
    yield s
    s.close()


async def test_live_run_scores_caches_and_forces(client, store):
    suite = suite_of(5)
    cells = plan_cells(suite, base_url=client.base_url)
    seen = []
    runner = Runner(client, suite, store=store, on_result=seen.append)
    results = await runner.run_live(cells)
    assert len(results) == len(seen) == 10
    assert [r.id for r in results] == [c.id for c in cells]  # in the grid's order
    assert all(r.status in ("pass", "fail") for r in results)
    assert all(len(r.outcomes) == 2 and r.outcomes[1].type == "rubric" for r in results)
    assert all(r.cost and r.cost > 0 and r.latency is not None for r in results)
    assert runner.sent == 20 and runner.cached == 0  # 10 replies + 10 grades

    again = Runner(client, suite, store=store)
    cached = await again.run_live(cells)
    assert again.sent == 0 and all(r.cached for r in cached)
    assert [(r.status, r.score) for r in cached] == [(r.status, r.score) for r in results]

    forced = Runner(client, suite, store=store, force=True)
    await forced.run_live(cells[:2])
    assert forced.sent == 4


async def test_runs_are_kept_graded_compared_and_exported(client, store):
    from workbench.services.evals import report

    suite = suite_of(2)
    cells = plan_cells(suite, base_url=client.base_url)
    results = await Runner(client, suite, store=store).run_live(cells)
    run_id = store.start_run(suite=suite.name, suite_path="t.toml", suite_version=suite.version,
                             suite_text=suite.text, mode="live", base_url=client.base_url)
    store.put_cells(run_id, results)
    store.finish_run(run_id, report.summary(suite, results))
    store.set_grade(run_id, "c0", "haiku", 4, "good enough")
    store.put_cells(run_id, results[:1])  # a re-run of the cell keeps its human grade
    kept = list(store.cells(run_id))
    assert (kept[0].grade, kept[0].note) == (4, "good enough")
    assert kept[0].request == cells[0].request and kept[0].message is not None
    assert store.list_runs("t")[0]["summary"]["cells"] == 4
    with pytest.raises(ValueError):
        store.set_grade(run_id, "c0", "haiku", 6, "")

    worse = [r for r in kept]
    worse[1] = type(worse[1]).from_dict({**worse[1].to_dict(), "status": "fail", "score": 0.1})
    diff = compare_runs(kept, worse)
    assert [k for k, *_ in diff["worse"]] == [kept[1].id] and len(diff["same"]) == 3
    lines = list(report.export_jsonl(kept))
    assert json.loads(lines[0])["grade"] == 4
    csv_text = "".join(report.export_csv(kept))
    assert csv_text.splitlines()[0].startswith("case,variant,status,score")
    assert len(csv_text.splitlines()) >= 5


async def test_recovers_from_injected_429_and_529(make_emulator, store):
    url = make_emulator(tokens_per_second=None, fault_rate_429=0.3, fault_rate_529=0.2,
                        retry_after=0.02)
    suite = suite_of(15)
    async with ClaudeClient(api_key="sk-ant-test", base_url=url) as c:
        runner = Runner(c, suite, store=store)
        results = await runner.run_live(plan_cells(suite, base_url=url))
    assert all(r.status != "error" for r in results), [r.error for r in results if r.error]
    assert all(o.reason and not o.reason.startswith("grading failed")
               for r in results for o in r.outcomes)
    assert runner.gate.throttled > 0  # it did hear them


class Bucket:
    """A rate limiter in front of the emulator, as the API states it: `limit` requests per
    `window` seconds, with the anthropic-ratelimit-requests-* headers on every answer and a 429
    (counted) for a request over the limit."""

    def __init__(self, app, limit: int, window: float) -> None:
        self.app, self.limit, self.window = app, limit, window
        self.start, self.used, self.rejected, self.in_flight, self.peak = time.time(), 0, 0, 0, 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/v1/messages":
            return await self.app(scope, receive, send)
        now = time.time()
        if now >= self.start + self.window:
            self.start, self.used = now, 0
        reset = datetime.fromtimestamp(self.start + self.window, UTC).isoformat()
        if self.used >= self.limit:
            self.rejected += 1
            body = json.dumps({"type": "error", "error": {"type": "rate_limit_error",
                                                          "message": "over"}}).encode()
            await send({"type": "http.response.start", "status": 429, "headers": [
                (b"content-type", b"application/json"), (b"retry-after", b"0.1")]})
            await send({"type": "http.response.body", "body": body})
            return None
        self.used += 1
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        headers = [(b"anthropic-ratelimit-requests-limit", str(self.limit).encode()),
                   (b"anthropic-ratelimit-requests-remaining",
                    str(self.limit - self.used).encode()),
                   (b"anthropic-ratelimit-requests-reset", reset.encode())]

        async def send_with_limits(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [
                    (k, v) for k, v in message.get("headers", [])
                    if not k.lower().startswith(b"anthropic-ratelimit-requests")] + headers}
            await send(message)

        try:
            return await self.app(scope, receive, send_with_limits)
        finally:
            self.in_flight -= 1


@pytest.fixture
def limited_emulator():
    """The emulator behind a 6-requests-per-0.4-s bucket, served by uvicorn on loopback."""
    import uvicorn

    from workbench.emulator.app import create_app
    from workbench.emulator.config import EmulatorConfig

    bucket = Bucket(create_app(EmulatorConfig(tokens_per_second=None, slow_first_byte=0.02)),
                    limit=6, window=0.4)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(bucket, log_level="critical", lifespan="off"))
    server.install_signal_handlers = lambda: None
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])),
                              daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", bucket
    server.should_exit = True
    thread.join(5)


async def test_live_runs_never_exceed_the_rate_limit(limited_emulator, store):
    url, bucket = limited_emulator
    suite = parse_suite(SUITE.split("[[assert]]")[0].replace("concurrency = 8", "concurrency = 16")
                        + "".join(f'[[cases]]\nid = "c{i}"\nvars = {{ topic = "t{i}" }}\n'
                                  for i in range(15)), "t.toml")
    async with ClaudeClient(api_key="sk-ant-test", base_url=url, max_retries=0) as c:
        runner = Runner(c, suite, store=store)
        results = await runner.run_live(plan_cells(suite, base_url=url))
    assert len(results) == 30 and all(r.status != "error" for r in results)
    assert bucket.rejected == 0, "a request went out over the stated budget"
    assert bucket.peak <= bucket.limit
    assert runner.gate.peak_in_flight <= bucket.limit


async def test_batch_mode_end_to_end(client, store):
    suite = suite_of(4, extra='[[assert]]\ntype = "max-latency"\nvalue = 0.001\n')
    cells = plan_cells(suite, base_url=client.base_url)
    statuses = []
    runner = Runner(client, suite, store=store)
    results = await runner.run_batch(cells, poll=0.05, on_status=statuses.append)
    assert len(results) == 8 and all(r.status in ("pass", "fail") for r in results)
    assert any("ended" in s for s in statuses)
    live = await Runner(client, suite, force=True).run_live(cells[:1])
    assert results[0].cost == pytest.approx(live[0].cost / 2)  # the batch discount
    latency = results[0].outcomes[2]
    assert latency.skipped and "not measured" in latency.reason  # no latency in a batch
    again = Runner(client, suite, store=store)
    cached = await again.run_batch(cells, poll=0.05)
    assert again.sent == 0 and all(r.cached for r in cached)


async def test_streamed_runs_measure_ttft_and_closer_to_ideal_is_graded(client, store):
    suite = parse_suite("""[prompt]
model = "claude-haiku-5-5"
max_tokens = 200
user = "Explain {{topic}} briefly."
[grader]
model = "claude-haiku-5-5"
[run]
stream = true
[[assert]]
type = "max-ttft"
value = 30
[[assert]]
type = "closer-to-ideal"
[[cases]]
vars = { topic = "entropy" }
ideal = "Entropy measures disorder."
""", "t.toml")
    cells = plan_cells(suite, base_url=client.base_url)
    [result] = await Runner(client, suite, store=store).run_live(cells)
    ttft, ideal = result.outcomes
    assert result.ttft is not None and 0 <= result.ttft <= result.latency
    assert ttft.passed and not ttft.skipped
    assert ideal.type == "closer-to-ideal" and ideal.reason[:4].replace(".", "").isdigit()
    assert result.text  # the streamed reply, accumulated
