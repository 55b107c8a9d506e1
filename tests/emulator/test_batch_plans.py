"""A batch's results plan each distinct request once (100,000 alike requests stream in seconds),
yet every result is its own: its own message id, and code execution's files made per result."""

from __future__ import annotations

import json

import httpx

H = {"x-api-key": "k", "anthropic-version": "2023-06-01"}


def _results(url: str, params: list[dict]) -> list[dict]:
    with httpx.Client(base_url=url, headers=H, timeout=30) as http:
        reqs = [{"custom_id": f"r{i}", "params": p} for i, p in enumerate(params)]
        batch = http.post("/v1/messages/batches", json={"requests": reqs}).json()
        http.post(f"/_emulator/batches/{batch['id']}/finish", json={})
        text = http.get(f"/v1/messages/batches/{batch['id']}/results").text
    return [json.loads(line)["result"]["message"] for line in text.splitlines()]


def _ask(text: str, **extra) -> dict:
    return {"model": "claude-haiku-4-5", "max_tokens": 300,
            "messages": [{"role": "user", "content": text}], **extra}


def test_alike_requests_share_a_reply_not_an_id(emulator_url) -> None:
    rivers, primes = _ask("Tell me about rivers"), _ask("List some primes")
    messages = _results(emulator_url, [rivers, primes, rivers, primes, rivers])
    assert len({m["id"] for m in messages}) == 5
    assert messages[0]["content"] == messages[2]["content"] == messages[4]["content"]
    assert messages[0]["content"] != messages[1]["content"] == messages[3]["content"]
    one = httpx.post(f"{emulator_url}/v1/messages", headers=H, json=rivers, timeout=30).json()
    assert one["content"] == messages[0]["content"] and one["usage"] == {
        **messages[0]["usage"], "service_tier": "standard"}


def test_code_execution_makes_its_files_for_every_result(emulator_url) -> None:
    run = _ask("run code: plot a sine", tools=[{"type": "code_execution_20250825",
                                                "name": "code_execution"}])
    messages = _results(emulator_url, [run, run])

    def files(message: dict) -> list[str]:
        return [o["file_id"] for block in message["content"]
                if block["type"] == "bash_code_execution_tool_result"
                for o in block["content"].get("content", [])]

    assert files(messages[0]) and files(messages[1])
    assert set(files(messages[0])).isdisjoint(files(messages[1]))
    assert messages[0]["container"]["id"] != messages[1]["container"]["id"]
