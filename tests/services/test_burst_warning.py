"""Issue 12, item 3: one check before anything sends several requests at once (a compare, an
Evaluate run or re-run, `workbench eval run`), against the limits the emulator last reported
for each model; Evaluate is paced by them, so it says about how long that takes."""

from __future__ import annotations

import asyncio

from workbench.api.client import ClaudeClient
from workbench.services.ratelimits import burst_warning, last_limits, pace_seconds, parse

HAIKU, SONNET = "claude-haiku-4-5", "claude-sonnet-5-5"


def body(model: str = HAIKU, text: str = "Tell me about rivers") -> dict:
    return {"model": model, "max_tokens": 32, "messages": [{"role": "user", "content": text}]}


def suite_text(cases: int) -> str:
    rows = "".join(f'[[cases]]\nvars = {{t = "topic {i}"}}\n' for i in range(cases))
    return (f'name = "paced"\n[prompt]\nmodel = "{HAIKU}"\nmax_tokens = 400\nuser = "Explain '
            '{{t}}"\n[[assert]]\ntype = "stop-reason"\nvalue = "end_turn"\n' + rows)


async def test_the_check_reads_each_models_last_limits(make_emulator) -> None:
    url = make_emulator(tokens_per_second=None, rate_limits=(5, 1_000_000, 100_000))
    async with ClaudeClient(api_key="sk-ant-test-key-0000", base_url=url) as client:
        assert burst_warning(client, [body()] * 10) is None  # nothing reported yet
        await client.messages.create(body())
        assert last_limits(client, HAIKU)["requests"].remaining == 4
        assert last_limits(client, SONNET) == {}  # its own limits: not reported yet
        assert burst_warning(client, [body()] * 4) is None  # fits
        warning = burst_warning(client, [body()] * 6)
        assert warning and "6 requests but 4 of 5 left" in warning
        assert "429" in warning  # a compare: sent at once, may be refused
        assert burst_warning(client, [body(SONNET)] * 6) is None
        paced = burst_warning(client, [body()] * 6, paced=True)
        # 2 requests over, at 5 a minute: about 24 s (one more request refilled meanwhile)
        assert "paced" in paced and "about 2" in paced and "429" not in paced


def test_pacing_time_is_what_is_missing_at_the_refill_rate() -> None:
    limits = parse({"anthropic-ratelimit-requests-limit": "50",
                    "anthropic-ratelimit-requests-remaining": "10",
                    "anthropic-ratelimit-input-tokens-limit": "30000",
                    "anthropic-ratelimit-input-tokens-remaining": "30000"})
    assert pace_seconds(limits, 10, 100) == 0.0
    assert pace_seconds(limits, 110, 100) == 120.0  # 100 requests over at 50 a minute
    assert pace_seconds(limits, 10, 90_000) == 120.0  # 60,000 tokens over at 30,000 a minute


async def _run_until_warned(runner, cells) -> tuple[list[str], int]:
    """Run live until the warning comes, then stop (the rest would be paced for a while);
    returns the warnings and how many Messages requests had gone out when it came."""
    warnings: list[str] = []
    sent_then: list[int] = []

    def warned(text: str) -> None:
        warnings.append(text)
        sent_then.append(sum(1 for e in runner.client.recorder.exchanges
                             if str(e.url).endswith("/v1/messages")))

    task = asyncio.create_task(runner.run_live(cells, on_warning=warned))
    for _ in range(500):
        if warnings or task.done():
            break
        await asyncio.sleep(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return warnings, sent_then[0] if sent_then else -1


async def test_an_eval_run_warns_before_sending_when_the_limits_are_known(
        make_emulator, tmp_path) -> None:
    from workbench.services.evals.plan import plan_cells
    from workbench.services.evals.runner import Runner
    from workbench.services.evals.suite import load_suite

    url = make_emulator(tokens_per_second=None, rate_limits=(5, 1_000_000, 100_000))
    path = tmp_path / "paced.toml"
    path.write_text(suite_text(8))
    suite = load_suite(path)
    async with ClaudeClient(api_key="sk-ant-test-key-0000", base_url=url) as client:
        await client.messages.create(body())  # an earlier run reported the limits
        cells = plan_cells(suite, base_url=url)
        warnings, sent = await _run_until_warned(Runner(client, suite, force=True), cells)
        assert sent == 1  # only the earlier request: nothing of the run was sent yet
        assert "8 requests but 4 of 5 left" in warnings[0] and "paced" in warnings[0]
        # cells already answered (cached) are not counted: nothing to send, nothing to say
        assert await Runner(client, suite)._watch_limits([], warnings.append) is None


async def test_an_eval_run_warns_at_the_first_answer_when_nothing_was_known(
        make_emulator, tmp_path) -> None:
    from workbench.services.evals.plan import plan_cells
    from workbench.services.evals.runner import Runner
    from workbench.services.evals.suite import load_suite

    url = make_emulator(tokens_per_second=None, rate_limits=(5, 1_000_000, 100_000))
    path = tmp_path / "paced.toml"
    path.write_text(suite_text(8))
    suite = load_suite(path)
    async with ClaudeClient(api_key="sk-ant-test-key-0000", base_url=url) as client:
        cells = plan_cells(suite, base_url=url)
        warnings, sent = await _run_until_warned(Runner(client, suite, force=True), cells)
        assert sent == 1 and len(warnings) == 1  # the first answer told the limits
        assert "7 requests but 4 of 5 left" in warnings[0] and "about" in warnings[0]
