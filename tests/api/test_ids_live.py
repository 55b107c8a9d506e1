"""Ids with URL-special characters reach the server as one path segment, whatever they hold."""

from __future__ import annotations

import httpx
import pytest

from workbench.api.client import ClaudeClient
from workbench.api.errors import InvalidIdError, NotFoundError
from workbench.api.urls import segment

ODD_IDS = ["msgbatch_x/results", "file_x/content", "a/../b", ".", "..", "a?b#c", "%2F", "é x"]


def test_segment_encodes_everything_that_could_leave_the_segment():
    assert segment("a/b") == "a%2Fb"
    assert segment("a?b#c") == "a%3Fb%23c"
    assert segment("%2F") == "%252F"
    assert segment(".") == "%2E" and segment("..") == "%2E%2E"  # no client may drop them
    assert segment("...") == "..."  # not a dot segment
    with pytest.raises(InvalidIdError, match="batch id is empty"):
        segment("", "batch id")


@pytest.mark.parametrize("odd", ODD_IDS)
async def test_odd_ids_are_one_segment_and_not_found(client: ClaudeClient, odd: str):
    for call in (client.batches.get, client.batches.cancel, client.batches.delete,
                 client.files.get, client.files.delete, client.skills.get,
                 client.skills.list_versions, client.models.get):
        with pytest.raises(NotFoundError) as info:
            await call(odd)
        assert odd in info.value.message, (call, info.value)
    with pytest.raises(NotFoundError):
        await client.files.download(odd, "/dev/null")
    sent = client.recorder.exchanges[-1].url
    assert "/v1/files/" in sent and sent.endswith("/content")


async def test_an_empty_id_is_refused_before_sending(client: ClaudeClient):
    before = len(client.recorder)
    for call in (client.batches.get, client.files.get, client.skills.get, client.models.get):
        with pytest.raises(InvalidIdError, match="is empty"):
            await call("")
    assert len(client.recorder) == before


def test_emulator_keeps_an_encoded_slash_inside_its_segment(emulator_url: str):
    headers = {"x-api-key": "k", "anthropic-version": "2023-06-01"}
    with httpx.Client(base_url=emulator_url, headers=headers) as http:
        r = http.get("/v1/messages/batches/msgbatch_x%2Fresults")
        assert r.status_code == 404 and "msgbatch_x/results" in r.json()["error"]["message"]
        r = http.get("/v1/files/file_x%2Fcontent")
        assert r.status_code == 404 and "file_x/content" in r.json()["error"]["message"]
        r = http.get("/v1/files/100%25")
        assert r.status_code == 404 and "File not found: 100%" in r.json()["error"]["message"]
        r = http.get("/v1/skills/xlsx")  # plain ids still route as before
        assert r.status_code == 200
