"""200 requests through a proxy injecting 20 % faults in front of the emulator: every failure
is one of our typed errors naming a request-id, and nothing is lost (a reply that arrived is
whole; a cut stream keeps the text that came, a prefix of the reply)."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from tests.reliability.faultproxy import FaultProxy
from workbench.api.client import ClaudeClient
from workbench.api.errors import APIError

REQUESTS = 200
RATE = 0.2
KEY = "sk-ant-faults-0000"


def params(i: int) -> dict:
    return {"model": "claude-haiku-4-5", "max_tokens": 60,
            "messages": [{"role": "user", "content": f"Tell me fact number {i} about rivers"}]}


def text_of(message) -> str:
    return "".join(getattr(b, "text", "") or "" for b in message.content)


async def one(client: ClaudeClient, i: int) -> tuple[str, str, APIError | None]:
    """(kind, text that arrived, error) of request i: even ones stream."""
    if i % 2:
        try:
            return "create", text_of(await client.messages.create(params(i))), None
        except APIError as exc:
            return "create", "", exc
    stream = client.messages.stream(params(i))
    try:
        async with stream:
            await stream.until_done()
    except APIError as exc:
        return "stream", text_of(stream.snapshot) if stream.snapshot else "", exc
    return "stream", text_of(stream.snapshot), None


@pytest.mark.parametrize("retries", [0, 2])
async def test_200_requests_at_20_percent_faults(emulator_url: str, retries: int) -> None:
    with FaultProxy(emulator_url, rate=RATE, seed=retries + 7) as proxy:
        async with ClaudeClient(api_key=KEY, base_url=proxy.url, max_retries=retries,
                                deadline=30, stream_idle=10) as client:
            gate = asyncio.Semaphore(8)

            async def bounded(i: int):
                async with gate:
                    return await one(client, i)

            results = await asyncio.gather(*(bounded(i) for i in range(REQUESTS)))
            exchanges = client.recorder.exchanges
        async with ClaudeClient(api_key=KEY, base_url=emulator_url) as direct:
            expected = [text_of(await direct.messages.create(params(i)))
                        for i in range(REQUESTS)]

    failures: Counter[str] = Counter()
    for i, (kind, text, error) in enumerate(results):
        if error is None:
            assert text == expected[i], (i, kind)  # whole, nothing lost or doubled
            continue
        failures[f"{kind} {type(error).__name__}"] += 1
        assert error.request_id and error.request_id.startswith("req_"), (i, str(error))
        assert error.request_id in str(error)
        assert expected[i].startswith(text), (i, text)  # what arrived is the reply's start
        if kind == "stream" and text:
            failures["stream kept partial text"] += 1
    assert all(ex.finished for ex in exchanges)
    attempts = proxy.requests
    assert 0.1 < sum(proxy.injected.values()) / attempts < 0.3, proxy.injected
    if retries == 0:
        assert sum(v for k, v in failures.items() if "partial" not in k) >= 20
        assert failures["stream kept partial text"] >= 1  # cut after their first text delta
    print(f"\nretries={retries}: {REQUESTS} requests, {attempts} attempts, injected "
          f"{dict(proxy.injected)}, failures {dict(failures)}")
