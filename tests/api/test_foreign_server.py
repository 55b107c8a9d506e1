"""A base URL that is not the Claude API: one clear typed error, never a parser's traceback."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from workbench.api.client import ClaudeClient
from workbench.api.errors import (
    APIStatusError,
    InternalServerError,
    OverloadedError,
    RateLimitError,
    RequestTooLargeError,
    UnexpectedResponseError,
    error_from_body,
)

from .foreign import foreign_server
from .helpers import body


@pytest.fixture(scope="module")
def foreign() -> Iterator[str]:
    with foreign_server() as url:
        yield url


def calls(c: ClaudeClient) -> dict:
    return {"models.list": c.models.list(), "models.get": c.models.get("claude-haiku-4-5"),
            "batches.list": c.batches.list(), "batches.get": c.batches.get("msgbatch_1"),
            "files.list": c.files.list(), "files.get": c.files.get("file_1"),
            "skills.list": c.skills.list(), "messages.create": c.messages.create(body()),
            "count_tokens": c.messages.count_tokens(body())}


def _check_line(err: UnexpectedResponseError) -> str:
    text = str(err)
    assert "\n" not in text and "<" not in text and len(text) < 400, text
    return text


async def test_html_404_page_is_a_short_typed_error(foreign: str):
    async with ClaudeClient(api_key="sk-ant-test-key-0000", base_url=foreign + "/html",
                            max_retries=0) as c:
        for name, call in calls(c).items():
            with pytest.raises(UnexpectedResponseError) as info:
                await call
            err = info.value
            assert isinstance(err, APIStatusError) and err.status == 404, name
            assert err.content_type == "text/html" and err.request_id is None
            text = _check_line(err)
            assert "404 Not Found Not Found The requested URL was not found" in err.excerpt
            assert "color: red" not in text and "is the base URL right?" in text
            assert f"{foreign}/html/v1/" in text and "text/html" in text


async def test_json_of_another_shape_is_a_typed_error(foreign: str):
    async with ClaudeClient(api_key="sk-ant-test-key-0000", base_url=foreign + "/json") as c:
        for name, call in calls(c).items():
            with pytest.raises(UnexpectedResponseError) as info:
                await call
            err = info.value
            assert err.status == 200 and err.content_type == "application/json", name
            assert err.request_id == "req_foreign_01"
            text = _check_line(err)
            assert '"hello": "world"' in text and "(request-id req_foreign_01)" in text
            assert "expected " in err.problem, err.problem
        ex = c.recorder.exchanges[-1]  # the inspector's record says it too
        assert ex.status == 200 and ex.error and "not a Claude API response" in ex.error
        with pytest.raises(UnexpectedResponseError,
                           match=re.escape("expected Page[ModelInfo]; data: Field required")):
            await c.models.list()


async def test_a_stream_that_is_not_sse(foreign: str):
    async with ClaudeClient(api_key="sk-ant-test-key-0000", base_url=foreign + "/text") as c:
        with pytest.raises(UnexpectedResponseError, match="no server-sent events") as info:
            async with c.messages.stream(body()) as stream:
                await stream.until_done()
        assert info.value.excerpt == "“ok”" and info.value.content_type == "text/plain"
        with pytest.raises(UnexpectedResponseError, match="not JSON"):
            await c.files.list()


def test_error_bodies_that_are_not_the_api_s():
    page = error_from_body(502, "<html><body><h1>Bad gateway</h1></body></html>",
                           {"content-type": "text/html"}, "GET http://x/v1/models")
    assert isinstance(page, UnexpectedResponseError) and page.status == 502
    assert str(page) == ("GET http://x/v1/models answered 502 with text/html, not the API's "
                         "JSON error: “Bad gateway”")
    other = error_from_body(404, '{"detail": "Not Found"}', {"request-id": "req_9"})
    assert isinstance(other, UnexpectedResponseError) and other.request_id == "req_9"
    assert str(other).endswith('“{"detail": "Not Found"}” — is the base URL right? '
                               "(request-id req_9)")
    empty = error_from_body(503, "", {})
    assert isinstance(empty, UnexpectedResponseError) and "(empty body)" in str(empty)
    long = error_from_body(500, "x" * 5000 + "\x1b[31m", {})
    assert len(long.excerpt) <= 162 and "\x1b" not in str(long)


@pytest.mark.parametrize("status, cls, kind", [
    (429, RateLimitError, "rate_limit_error"), (529, OverloadedError, "overloaded_error"),
    (413, RequestTooLargeError, "request_too_large"), (500, InternalServerError, "api_error"),
])
def test_an_edge_page_keeps_the_status_class(status, cls, kind):
    """A proxy's or the API edge's HTML 429/529/413 is still that error (and 429's hint)."""
    error = error_from_body(status, "<html><h1>Slow down</h1></html>",
                            {"content-type": "text/html", "retry-after": "7"}, "POST http://x")
    assert isinstance(error, cls) and isinstance(error, UnexpectedResponseError)
    assert error.error_type == kind and error.status == status
    assert type(error).__name__ == cls.__name__
    assert "not the API's JSON error: “Slow down”" in str(error)
    assert "base URL" not in str(error)
    if cls is RateLimitError:
        assert error.retry_after == 7.0
