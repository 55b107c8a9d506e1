"""Every recorded JSON body reads as the SDK reads it; every recorded error gives the SDK's class,
request-id and retry decision.

Both clients ask the same loopback server, which answers with the recording (status, headers,
body): ours through `ClaudeClient`, the SDK through its own client with retries off. Dumps with
`exclude_unset` must be equal: no field lost, none invented.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import anthropic
import httpx2
import pytest
from anthropic._models import construct_type
from anthropic.types.beta.messages import BetaMessageBatchIndividualResponse

from tests.api import recorded
from workbench.api import errors
from workbench.api.client import ClaudeClient
from workbench.api.transport import retry_delay, should_retry
from workbench.api.types import BatchResultLine

ASK = {"model": "claude-recorded", "max_tokens": 1,
       "messages": [{"role": "user", "content": "replayed"}]}
COUNT = {"model": "claude-recorded", "messages": ASK["messages"]}
ID = "x_01"

Ours = Callable[[ClaudeClient], Awaitable[Any]]
Sdk = Callable[[anthropic.Anthropic], Any]
CALLS: dict[str, tuple[Ours, Sdk]] = {
    "message": (lambda c: c.messages.create(ASK), lambda s: s.beta.messages.create(**ASK)),
    "count_tokens": (lambda c: c.messages.count_tokens(COUNT),
                     lambda s: s.beta.messages.count_tokens(**COUNT)),
    "models_page": (lambda c: c.models.list(), lambda s: s.beta.models.list()),
    "model": (lambda c: c.models.get(ID), lambda s: s.beta.models.retrieve(ID)),
    "batch": (lambda c: c.batches.get(ID), lambda s: s.messages.batches.retrieve(ID)),
    "batch_page": (lambda c: c.batches.list(), lambda s: s.messages.batches.list()),
    "file": (lambda c: c.files.get(ID), lambda s: s.beta.files.retrieve_metadata(ID)),
    "file_deleted": (lambda c: c.files.delete(ID), lambda s: s.beta.files.delete(ID)),
}
# the endpoint each error was recorded on -> the call that reaches it
ERROR_CALLS: dict[str, tuple[Ours, Sdk]] = {
    "/v1/messages": CALLS["message"],
    "/v1/messages/count_tokens": CALLS["count_tokens"],
    "/v1/messages/batches": CALLS["batch"],
}
# the SDK picks the class by status, we by the body's error.type: the same for every recording
SDK_CLASS = {"BadRequestError": errors.InvalidRequestError,
             "AuthenticationError": errors.AuthenticationError,
             "NotFoundError": errors.NotFoundError, "RateLimitError": errors.RateLimitError,
             "InternalServerError": errors.InternalServerError,
             "OverloadedError": errors.OverloadedError}


def dump(obj: Any) -> Any:
    if isinstance(obj, list):
        return [dump(o) for o in obj]
    return obj.model_dump(mode="json", exclude_unset=True, by_alias=True)


async def _both(rec: dict[str, Any], ours: Ours, sdk: Sdk) -> tuple[Any, Any]:
    with recorded.replay_server() as (url, handler):
        handler.recording = rec
        async with ClaudeClient(api_key=recorded.KEY, base_url=url, max_retries=0) as client:
            try:
                mine: Any = await ours(client)
            except errors.APIError as exc:
                mine = exc
        theirs_client = anthropic.Anthropic(api_key=recorded.KEY, base_url=url, max_retries=0)
        try:
            theirs: Any = sdk(theirs_client)
        except anthropic.APIStatusError as exc:
            theirs = exc
        finally:
            theirs_client.close()
    return mine, theirs


@pytest.mark.parametrize("rec_id", recorded.ids(*CALLS))
async def test_body_parses_as_the_sdk_parses_it(rec_id: str) -> None:
    rec = recorded.BY_ID[rec_id]
    mine, theirs = await _both(rec, *CALLS[rec["kind"]])
    if rec["kind"].endswith("_page"):  # the page envelope, then its items
        for key in ("has_more", "first_id", "last_id"):
            assert getattr(mine, key) == getattr(theirs, key)
        mine, theirs = mine.data, theirs.data
    assert recorded.same(dump(mine), dump(theirs)) == []
    assert recorded.same(dump(mine), json.loads(recorded.body(rec))
                         if not rec["kind"].endswith("_page") else
                         json.loads(recorded.body(rec))["data"]) == []  # nothing added


@pytest.mark.parametrize("rec_id", recorded.ids("batch_results"))
def test_batch_result_lines_parse_as_the_sdk_parses_them(rec_id: str) -> None:
    for line in recorded.body(recorded.BY_ID[rec_id]).decode().splitlines():
        if not line.strip():
            continue
        mine = BatchResultLine.model_validate_json(line)
        theirs = construct_type(type_=BetaMessageBatchIndividualResponse, value=json.loads(line))
        assert recorded.same(dump(mine), dump(theirs)) == []
        assert recorded.same(dump(mine), json.loads(line)) == []


def _request_id(rec: dict[str, Any]) -> str | None:
    """The header's, else the body's (the SDK names the same one in its message)."""
    return rec["headers"].get("request-id") or json.loads(recorded.body(rec)).get("request_id")


@pytest.mark.parametrize("rec_id", recorded.ids("error"))
async def test_error_class_request_id_and_retry_decision_as_the_sdk(rec_id: str) -> None:
    rec = recorded.BY_ID[rec_id]
    path = rec["endpoint"].split("?")[0]
    calls = ERROR_CALLS.get(path) or ERROR_CALLS["/v1/messages/batches"]
    mine, theirs = await _both(rec, *calls)
    assert isinstance(theirs, anthropic.APIStatusError)
    assert isinstance(mine, SDK_CLASS[type(theirs).__name__])
    assert mine.status == theirs.status_code == rec["status"]
    assert mine.error_type == theirs.type
    assert mine.request_id == _request_id(rec)
    if mine.request_id:
        assert mine.request_id in str(theirs)
    assert mine.message == theirs.api_message
    assert_same_retry_decision(rec["status"], rec["headers"])


# ---- the retry decision -------------------------------------------------------------------------

SDK = anthropic.Anthropic(api_key=recorded.KEY)


def sdk_decision(status: int, headers: dict[str, str], retries_taken: int) -> tuple[bool, float]:
    from anthropic._models import FinalRequestOptions

    response = httpx2.Response(status, headers=headers)
    options = FinalRequestOptions.construct(method="post", url="/v1/messages", max_retries=2)
    wait = SDK._calculate_retry_timeout(2 - retries_taken, options, response.headers)
    return SDK._should_retry(response), wait


def ours_decision(status: int, headers: dict[str, str], retries_taken: int) -> tuple[bool, float]:
    return (should_retry(status, headers),
            retry_delay(errors.parse_retry_after(headers), retries_taken))


def assert_same_retry_decision(status: int, headers: dict[str, str]) -> None:
    import anthropic._base_client as base

    import workbench.api.transport as transport

    for retries in range(3):
        old = base.random, transport.random.random
        base.random = transport.random.random = lambda: 0.0  # no jitter: exact figures
        try:
            sdk, ours = sdk_decision(status, headers, retries), ours_decision(status, headers, retries)
        finally:
            base.random, transport.random.random = old
        assert ours[0] == sdk[0], f"retry or not, {status} {headers}"
        if sdk[1] <= transport.MAX_RETRY_AFTER:
            assert ours[1] == pytest.approx(sdk[1], abs=0.01), f"wait, {status} {headers}"
        else:  # the SDK obeys up to 49 days; we (as the TypeScript SDK, and the Python SDK did
            # until 2026) fall back on the backoff above 60 s
            assert ours[1] <= 8.0


@pytest.mark.parametrize("headers", [
    {}, {"retry-after": "11"}, {"retry-after": "0.5"}, {"retry-after": "60"},
    {"retry-after": "61"}, {"retry-after": "86400"}, {"retry-after": "-3"},
    {"retry-after": "soon"}, {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"},
    {"retry-after-ms": "250"}, {"retry-after-ms": "0", "retry-after": "5"},
    {"retry-after-ms": "-1", "retry-after": "5"}, {"retry-after-ms": "nan", "retry-after": "5"},
    {"retry-after-ms": "inf"}, {"retry-after-ms": "x", "retry-after": "5"},
    {"x-should-retry": "true"}, {"x-should-retry": "false", "retry-after": "1"},
    {"x-should-retry": "maybe"},
])
@pytest.mark.parametrize("status", [400, 401, 404, 408, 409, 413, 429, 500, 503, 529])
def test_retry_decision_matches_the_sdk(status: int, headers: dict[str, str]) -> None:
    assert_same_retry_decision(status, headers)
