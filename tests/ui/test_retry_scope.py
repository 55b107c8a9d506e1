"""The composer's retry notice belongs to its own runs: the shared client carries no hook, so a
Files listing retried after a composer run raises no "Retrying" notice."""

from __future__ import annotations

import httpx

from tests.ui.conftest import wait_until
from tests.ui.test_compose import run_and_wait, type_prompt


class FaultFilesListing(httpx.AsyncBaseTransport):
    """529 (retry-after 0.05 s) for the first `times` GET /v1/files; every other request as is."""

    def __init__(self, times: int) -> None:
        self.times = times
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == "/v1/files" and self.times > 0:
            self.times -= 1
            request.headers["x-emulator-fault"] = "529"
            request.headers["x-emulator-retry-after"] = "0.05"
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_files_listing_retried_after_a_run_raises_no_composer_notice(make_app) -> None:
    app = make_app(transport=FaultFilesListing(times=1))
    async with app.run_test(size=(140, 42)) as pilot:
        await type_prompt(pilot, "hello")
        await run_and_wait(pilot)
        assert app.screen.session.last_result.status == "complete"

        await app.switch_mode("files")

        def listing_retried() -> bool:
            return any(ex.url.endswith("/v1/files") and ex.retries and ex.status == 200
                       for ex in app.client.recorder.exchanges)

        await wait_until(pilot, listing_retried)
        await pilot.pause(0.1)
        assert not [n for n in app.notices.entries if n.title == "Retrying"]
