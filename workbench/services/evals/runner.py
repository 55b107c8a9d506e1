"""Running cells: live through the Messages API (bounded, following the rate-limit headers,
recovering from 429/529), or as a Message Batch at half the price; either way each reply is
cached by request hash, scored, and handed to `on_result` as soon as it is known.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from workbench.services.evals.assertions import Reply, evaluate
from workbench.services.evals.grading import grade_outcome, grading_request
from workbench.services.evals.plan import Cell, request_hash
from workbench.services.evals.ratelimit import Gates
from workbench.services.evals.scoring import CellResult, error_result, weigh
from workbench.services.evals.suite import Suite

if TYPE_CHECKING:
    from workbench.api.client import ClaudeClient
    from workbench.services.evals.runstore import EvalStore

OnResult = Callable[[CellResult], None]
ROUNDS = 6            # tries of one request through 429/529 (each with the transport's retries)
BATCH_POLL = 2.0      # seconds between batch status checks (tests make it shorter)


def _dump(message: Any) -> dict[str, Any]:
    return message.model_dump(mode="json") if hasattr(message, "model_dump") else dict(message)


def _estimate(request: dict[str, Any]) -> int:
    from workbench.services.tokens import estimate_request

    try:
        return int(estimate_request(request).total)
    except Exception:  # an odd body: the server's count will tell; spend no budget guess
        return 0


class Runner:
    """Runs cells of one suite on one client; `gates` are shared by the replies and grades."""

    def __init__(self, client: ClaudeClient, suite: Suite, *, store: EvalStore | None = None,
                 force: bool = False, concurrency: int | None = None,
                 on_result: OnResult | None = None) -> None:
        self.client, self.suite, self.store, self.force = client, suite, store, force
        self.gates = Gates(concurrency or suite.concurrency)
        self.on_result = on_result
        self.base_url = client.base_url
        self.sent = 0
        self.cached = 0

    # --- the cache ------------------------------------------------------------------------
    async def _from_cache(self, key: str) -> tuple[dict[str, Any], float | None, float | None] | \
            None:
        if self.force or self.store is None:
            return None
        return await asyncio.to_thread(self.store.cached, key)

    async def _to_cache(self, key: str, message: dict[str, Any], latency: float | None,
                        ttft: float | None) -> None:
        if self.store is not None:
            await asyncio.to_thread(self.store.cache, key, message, latency, ttft)

    # --- one live request -----------------------------------------------------------------
    async def send(self, request: dict[str, Any], key: str, *, stream: bool = False
                   ) -> tuple[dict[str, Any], float | None, float | None, bool]:
        """(message, latency, ttft, from cache): one request through the gate, retried through
        429/529 rounds after the wait the server asked for."""
        hit = await self._from_cache(key)
        if hit is not None:
            self.cached += 1
            return (*hit, True)
        from workbench.api.errors import APIStatusError

        tokens = _estimate(request)
        model = str(request.get("model"))
        for round_ in range(ROUNDS):
            await self.gates.acquire(model, tokens)
            try:
                started = time.monotonic()
                message, ttft = await self._call(request, stream)
                latency = time.monotonic() - started
            except APIStatusError as exc:
                if exc.status not in (429, 529) or round_ == ROUNDS - 1:
                    raise
                continue  # the gate heard the 429/529 and waits before the next start
            finally:
                self.gates.release(model)
            self.sent += 1
            data = _dump(message)
            await self._to_cache(key, data, latency, ttft)
            return data, latency, ttft, False
        raise AssertionError("unreachable")

    async def _call(self, request: dict[str, Any], stream: bool) -> tuple[Any, float | None]:
        if not stream:
            return await self.client.messages.create(request), None
        started = time.monotonic()
        ttft = None
        async with self.client.messages.stream(request) as events:
            async for event in events:
                if ttft is None and event.type == "content_block_delta":
                    ttft = time.monotonic() - started
            message = events.snapshot
        return message, ttft

    # --- scoring ----------------------------------------------------------------------------
    async def score(self, cell: Cell, message: dict[str, Any], *, latency: float | None,
                    ttft: float | None, cached: bool, batch: bool = False) -> CellResult:
        from workbench.services.pricing import cost_usd

        cost = cost_usd(str(message.get("model") or cell.request.get("model")),
                        message.get("usage"), batch=batch)
        reply = Reply.from_message(message, cost=cost, latency=latency, ttft=ttft)
        checks = self.suite.checks_for(cell.case)
        graded = [c for c in checks if c.graded]
        grades = await asyncio.gather(*(self._grade(c, cell, reply.text) for c in graded))
        by_check = dict(zip((id(c) for c in graded), grades, strict=True))
        outcomes = [by_check[id(c)] if c.graded else evaluate(c, reply, cell.case.vars)
                    for c in checks]
        score, passed = weigh(outcomes, self.suite.threshold)
        return CellResult(cell.case.id, cell.variant.label, "pass" if passed else "fail", score,
                          outcomes, reply.text, message, cell.request, cell.key, cost, latency,
                          ttft, cached)

    async def _grade(self, check: Any, cell: Cell, text: str) -> Any:
        from workbench.api.errors import APIError

        model = check.params.get("model") or self.suite.grader_model
        request = grading_request(check, request=cell.request, reply=text, ideal=cell.case.ideal,
                                  model=model, max_tokens=self.suite.grader_max_tokens,
                                  variables=cell.case.vars)
        try:
            message, *_ = await self.send(request, request_hash(request, self.base_url))
        except APIError as exc:
            return grade_outcome(check, None, self.client.scrub(str(exc)))
        return grade_outcome(check, message)

    async def run_cell(self, cell: Cell) -> CellResult:
        from workbench.api.errors import APIError

        try:
            message, latency, ttft, cached = await self.send(cell.request, cell.key,
                                                             stream=self.suite.stream)
            result = await self.score(cell, message, latency=latency, ttft=ttft, cached=cached)
        except APIError as exc:
            result = error_result(cell.case.id, cell.variant.label, self.client.scrub(str(exc)),
                                  request=cell.request, request_hash=cell.key)
        if self.on_result is not None:
            self.on_result(result)
        return result

    # --- whole runs ---------------------------------------------------------------------------
    async def run_live(self, cells: Iterable[Cell], *,
                       on_warning: Callable[[str], None] | None = None) -> list[CellResult]:
        """Every cell, at most the gates' width at once, in the order given. `on_warning`
        hears, once, that the requests to send go over the last reported rate limits (and
        about how long pacing makes the run): before anything is sent when the limits are
        known, else at the first answer (the gate sends one request alone until then)."""
        cells = list(cells)
        queue: asyncio.Queue[tuple[int, Cell]] = asyncio.Queue()
        for item in enumerate(cells):
            queue.put_nowait(item)
        results: dict[int, CellResult] = {}
        unwatch = await self._watch_limits(cells, on_warning) if on_warning else None

        async def worker() -> None:
            while not queue.empty():
                index, cell = queue.get_nowait()
                results[index] = await self.run_cell(cell)

        unsubscribe = self.client.recorder.subscribe(self.gates.observe_exchange)
        try:
            await asyncio.gather(*(worker() for _ in range(self.gates.max_in_flight)))
        finally:
            unsubscribe()
            if unwatch is not None:
                unwatch()
        return [results[i] for i in sorted(results)]

    async def _watch_limits(self, cells: list[Cell], on_warning: Callable[[str], None]
                            ) -> Callable[[], None] | None:
        """Check the requests to send (not the cached ones) against the limits now, or at
        the first answer that reports them; None when nothing is left to watch."""
        from workbench.services.ratelimits import burst_warning, parse

        store, force = self.store, self.force
        todo = cells if force or store is None else await asyncio.to_thread(
            lambda: [c for c in cells if store.cached(c.key) is None])
        bodies = [c.request for c in todo]
        if not bodies:
            return None
        warning = burst_warning(self.client, bodies, paced=True)
        if warning:
            on_warning(warning)
            return None
        client, heard = self.client, []

        def first_answer(exchange: Any) -> None:  # (unsubscribed by run_live: never mid-call)
            if heard or exchange.status is None or not str(exchange.url).endswith(
                    "/v1/messages") or not parse(exchange.response_headers or {}):
                return
            heard.append(exchange)
            started = sum(g.started for g in self.gates.gates.values())
            late = burst_warning(client, bodies[started:], paced=True)
            if late:
                on_warning(late)

        return client.recorder.subscribe(first_answer)

    async def run_batch(self, cells: Iterable[Cell], *, poll: float | None = None,
                        on_status: Callable[[str], None] | None = None) -> list[CellResult]:
        """Cells not in the cache go out as Message Batches (split under the limits); their
        results are scored as they are read. Graders still run live (few, small)."""
        from workbench.services.datasets import split_batches

        cells = list(cells)
        results: dict[int, CellResult] = {}
        pending: dict[str, tuple[int, Cell]] = {}
        for index, cell in enumerate(cells):
            hit = await self._from_cache(cell.key)
            if hit is None:
                pending[f"cell-{index}"] = (index, cell)
                continue
            self.cached += 1
            message, latency, ttft = hit
            results[index] = await self._finish(cell, message, latency, ttft, cached=True)
        unsubscribe = self.client.recorder.subscribe(self.gates.observe_exchange)
        try:
            requests = ({"custom_id": cid, "params": cell.request}
                        for cid, (_, cell) in pending.items())
            batch_ids = []
            for chunk in split_batches(requests):
                batch = await self.client.batches.create(chunk)
                batch_ids.append(batch.id)
                if on_status:
                    on_status(f"batch {batch.id}: {len(chunk)} requests sent")
            for batch_id in batch_ids:
                await self._watch(batch_id, poll if poll is not None else BATCH_POLL, on_status)
                async for line in self.client.batches.results(batch_id):
                    index, cell = pending[line.custom_id]
                    results[index] = await self._batch_result(cell, line.result)
        finally:
            unsubscribe()
        return [results[i] for i in sorted(results)]

    async def _watch(self, batch_id: str, poll: float,
                     on_status: Callable[[str], None] | None) -> None:
        while True:
            batch = await self.client.batches.get(batch_id)
            counts = batch.request_counts
            if on_status:
                on_status(f"batch {batch_id}: {batch.processing_status}, "
                          f"{counts.succeeded + counts.errored} done of "
                          f"{counts.processing + counts.succeeded + counts.errored}")
            if batch.processing_status == "ended":
                return
            await asyncio.sleep(poll)

    async def _batch_result(self, cell: Cell, result: Any) -> CellResult:
        if result.type == "succeeded" and result.message is not None:
            message = _dump(result.message)
            self.sent += 1
            await self._to_cache(cell.key, message, None, None)
            return await self._finish(cell, message, None, None, cached=False, batch=True)
        error = result.error.error.message if result.error is not None else result.type
        out = error_result(cell.case.id, cell.variant.label, f"batch: {error}",
                           request=cell.request, request_hash=cell.key)
        if self.on_result is not None:
            self.on_result(out)
        return out

    async def _finish(self, cell: Cell, message: dict[str, Any], latency: float | None,
                      ttft: float | None, *, cached: bool, batch: bool = False) -> CellResult:
        from workbench.api.errors import APIError

        try:
            result = await self.score(cell, message, latency=latency, ttft=ttft, cached=cached,
                                      batch=batch)
        except APIError as exc:
            result = error_result(cell.case.id, cell.variant.label, str(exc))
        if self.on_result is not None:
            self.on_result(result)
        return result
