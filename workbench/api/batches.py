"""Message Batches: create, list, get, cancel, delete, and results streamed line by line."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from workbench.api.errors import (
    APIConnectionError,
    APIError,
    RequestRejectedLocally,
    RequestSizeError,
    loads_json,
)
from workbench.api.files import stream_to_file
from workbench.api.multipart import Progress
from workbench.api.pagination import iter_style_a
from workbench.api.recording import BODY_CAP, cap_text
from workbench.api.rules import BATCH_LIMIT, MB
from workbench.api.transport import dumps
from workbench.api.types import BatchResultLine, Deleted, MessageBatch, Page
from workbench.api.urls import segment
from workbench.api.versions import version_problems

if TYPE_CHECKING:
    from workbench.api.transport import Transport


async def _chunks(parts: list[bytes], chunk: int = MB) -> AsyncIterator[bytes]:
    """The parts joined into about `chunk`-sized pieces (cheap copies, the loop runs between)."""
    buffer: list[bytes] = []
    held = 0
    for part in parts:
        buffer.append(part)
        held += len(part)
        if held >= chunk:
            yield b"".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield b"".join(buffer)


def _bid(batch_id: str) -> str:
    return segment(batch_id, "batch id")


class Batches:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    async def create(self, requests: Sequence[Mapping[str, Any]]) -> MessageBatch:
        """`requests`: [{"custom_id", "params"}]; each params checked against the version.

        A batch body can be up to 256 MB (over a second of JSON encoding): a big one is checked
        and encoded in a thread, a request at a time, and streamed in 1 MB chunks, so the
        caller's event loop (the UI) keeps drawing. One `json.dumps` of the whole body, or one
        256 MB copy, would hold the GIL for hundreds of milliseconds even from a thread.
        """
        requests = list(requests)
        path = "/v1/messages/batches"
        if len(requests) <= 200:
            parts, _, record = self._prepare(requests)
            response, ex = await self._t.request(
                "POST", path, body=b"".join(parts), record_body=record)
        else:
            parts, size, record = await asyncio.to_thread(self._prepare, requests)
            response, ex = await self._t.request(
                "POST", path, body_factory=lambda: _chunks(parts),
                content_type="application/json", headers={"content-length": str(size)},
                record_body=record)
        return self._t.parse(MessageBatch, response, ex)

    def _prepare(self, requests: list[Mapping[str, Any]]) -> tuple[list[bytes], int, str]:
        """The checked body as parts to join or stream, its size, and its capped record."""
        problems: list[str] = []
        for item in requests:
            params = item.get("params") or {}
            for problem in version_problems(dict(params), self._t.api_version):
                problems.append(f"request {item.get('custom_id')}: {problem}")
        if problems:
            raise RequestRejectedLocally(problems, self._t.api_version)
        parts = [b'{"requests":[']
        for item in requests:
            parts.append(dumps(item).encode())
            parts.append(b",")
        if len(parts) > 1:
            parts.pop()  # no comma after the last request
        parts.append(b"]}")
        size = sum(map(len, parts))
        if size > BATCH_LIMIT:
            raise RequestSizeError("the batch request", BATCH_LIMIT, size)
        shown, kept = [], 0
        for part in parts:  # enough of the start for the Inspector's capped record
            shown.append(part)
            kept += len(part)
            if kept > BODY_CAP:
                break
        text = self._t.scrub(b"".join(shown).decode())
        if len(shown) < len(parts):
            record = f"{text[:BODY_CAP]}\n… (of {size:,} bytes in all)"
        else:
            record = cap_text(text)
        return parts, size, record

    async def list(
        self, limit: int = 20, after_id: str | None = None, before_id: str | None = None
    ) -> Page[MessageBatch]:
        response, ex = await self._t.request(
            "GET", "/v1/messages/batches",
            params={"limit": limit, "after_id": after_id, "before_id": before_id})
        return self._t.parse(Page[MessageBatch], response, ex)

    def iter_all(self, limit: int = 100) -> AsyncIterator[MessageBatch]:
        return iter_style_a(lambda after: self.list(limit=limit, after_id=after))

    async def get(self, batch_id: str) -> MessageBatch:
        response, ex = await self._t.request("GET", f"/v1/messages/batches/{_bid(batch_id)}")
        return self._t.parse(MessageBatch, response, ex)

    async def cancel(self, batch_id: str) -> MessageBatch:
        response, ex = await self._t.request(
            "POST", f"/v1/messages/batches/{_bid(batch_id)}/cancel")
        return self._t.parse(MessageBatch, response, ex)

    async def delete(self, batch_id: str) -> Deleted:
        response, ex = await self._t.request("DELETE", f"/v1/messages/batches/{_bid(batch_id)}")
        return self._t.parse(Deleted, response, ex)

    async def _open_results(self, batch_id: str):
        batch = await self.get(batch_id)
        if not batch.results_url:
            raise APIError(f"batch {batch_id} has no results yet "
                           f"(processing_status {batch.processing_status})")
        return await self._t.request(
            "GET", batch.results_url, headers={"accept": "application/binary"}, stream=True)

    async def results_lines(self, batch_id: str) -> AsyncIterator[str]:
        """The raw JSONL lines (without the newline), as they arrive, unparsed.

        For callers that keep their own summary of 100,000 results: validating every line
        into pydantic models would cost far more than the transfer.
        """
        response, ex = await self._open_results(batch_id)
        count = 0
        try:
            async for line in response.aiter_lines():
                if line.strip():
                    count += 1
                    yield line
        except httpx.TransportError as exc:
            ex.error = f"results cut after {count} lines: {exc}"
            raise APIConnectionError(ex.error, request_id=ex.request_id) from None
        finally:
            await response.aclose()
            ex.response_body = ex.response_body or f"<{count} result lines streamed>"
            self._t.recorder.finish(ex)

    async def results(self, batch_id: str) -> AsyncIterator[BatchResultLine]:
        """One parsed result per JSONL line as it arrives; never the whole file in memory."""
        count = 0
        async for line in self.results_lines(batch_id):
            try:
                item = BatchResultLine.model_validate(loads_json(line, "a result line"))
            except ValueError as exc:
                raise APIError(f"bad result line {count + 1}: {exc}") from None
            count += 1
            yield item

    async def results_to_file(
        self, batch_id: str, path: str | os.PathLike, progress: Progress | None = None
    ) -> Path:
        """The raw JSONL written to `path` (temp file + rename), with byte progress."""
        response, ex = await self._open_results(batch_id)
        return await stream_to_file(response, ex, Path(path), progress, self._t)


__all__ = ["BATCH_LIMIT", "Batches", "RequestRejectedLocally"]
