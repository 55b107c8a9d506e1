"""Messages: create, stream and count_tokens, with the local checks done before sending.

The params dict is the JSON body the UI built; it is never mutated. The chosen
`anthropic-version`'s rules and the 32 MB limit are checked first, so a request the API must
reject is never sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from workbench.api.errors import RequestRejectedLocally, RequestSizeError
from workbench.api.rules import MESSAGES_LIMIT
from workbench.api.stream import MessageStream
from workbench.api.transport import dumps
from workbench.api.types import Message, TokenCount
from workbench.api.versions import version_problems

if TYPE_CHECKING:
    from workbench.api.transport import RetryHook, Transport

# fields of a create body that count_tokens does not take
NOT_FOR_COUNT = ("max_tokens", "stream", "metadata", "stop_sequences", "service_tier",
                 "container", "temperature", "top_p", "top_k", "inference_geo", "diagnostics")


def check_version(params: Mapping[str, Any], api_version: str) -> None:
    problems = version_problems(dict(params), api_version)
    if problems:
        raise RequestRejectedLocally(problems, api_version)


def encode_limited(params: Any, limit: int, what: str) -> str:
    """JSON body as text, refused before sending when its UTF-8 size is over `limit`."""
    body = dumps(params)
    # a char is at most 4 bytes: only measure exactly when it could matter
    if len(body) * 4 > limit:
        size = len(body.encode())
        if size > limit:
            raise RequestSizeError(what, limit, size)
    return body


class Messages:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    async def create(
        self, params: Mapping[str, Any], betas: Iterable[str] = (),
        headers: Mapping[str, str] | None = None, *, on_retry: RetryHook | None = None,
    ) -> Message:
        """A non-streaming Messages call -> the validated Message; `on_retry(exchange, record)`
        hears this call's retries, before each wait."""
        check_version(params, self._t.api_version)
        if params.get("stream"):
            params = {k: v for k, v in params.items() if k != "stream"}
        body = encode_limited(params, MESSAGES_LIMIT, "the Messages request")
        response, ex = await self._t.request(
            "POST", "/v1/messages", body=body, betas=betas, headers=headers, on_retry=on_retry
        )
        return self._t.parse(Message, response, ex)

    def stream(
        self, params: Mapping[str, Any], betas: Iterable[str] = (),
        headers: Mapping[str, str] | None = None, *, on_retry: RetryHook | None = None,
    ) -> MessageStream:
        """`async with client.messages.stream(params) as stream:` — checks run right here.
        `on_retry` hears this stream's retries (only ever before its first byte)."""
        check_version(params, self._t.api_version)
        body = encode_limited({**params, "stream": True}, MESSAGES_LIMIT, "the Messages request")
        hdrs = {"accept": "text/event-stream", **(headers or {})}

        async def opener():
            return await self._t.request(
                "POST", "/v1/messages", body=body, betas=betas, headers=hdrs, stream=True,
                on_retry=on_retry,
            )

        return MessageStream(opener, self._t.recorder)

    async def count_tokens(
        self, params: Mapping[str, Any], betas: Iterable[str] = (),
        headers: Mapping[str, str] | None = None, *, on_retry: RetryHook | None = None,
    ) -> TokenCount:
        """Accepts a full create body: fields count_tokens does not take are left out."""
        body_params = {k: v for k, v in params.items() if k not in NOT_FOR_COUNT}
        check_version(body_params, self._t.api_version)
        body = encode_limited(body_params, MESSAGES_LIMIT, "the count_tokens request")
        response, ex = await self._t.request(
            "POST", "/v1/messages/count_tokens", body=body, betas=betas, headers=headers,
            on_retry=on_retry,
        )
        return self._t.parse(TokenCount, response, ex)
