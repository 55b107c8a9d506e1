"""Models: list (Style A pages), every page, and get by id or alias."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING

from workbench.api.pagination import collect, iter_style_a
from workbench.api.types import ModelInfo, Page
from workbench.api.urls import segment

if TYPE_CHECKING:
    from workbench.api.transport import Transport


class Models:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    async def list(
        self, limit: int = 20, after_id: str | None = None, before_id: str | None = None,
        lifecycle: Iterable[str] = (),
    ) -> Page[ModelInfo]:
        params: dict = {"limit": limit, "after_id": after_id, "before_id": before_id}
        lifecycle = tuple(lifecycle)
        if lifecycle:
            params["lifecycle[]"] = list(lifecycle)
        response, ex = await self._t.request("GET", "/v1/models", params=params)
        return self._t.parse(Page[ModelInfo], response, ex)

    def iter_all(self, limit: int = 100) -> AsyncIterator[ModelInfo]:
        return iter_style_a(lambda after: self.list(limit=limit, after_id=after))

    async def list_all(self, limit: int = 100) -> list[ModelInfo]:
        return await collect(self.iter_all(limit))

    async def get(self, model_id: str) -> ModelInfo:
        response, ex = await self._t.request(
            "GET", f"/v1/models/{segment(model_id, 'model id')}")
        return self._t.parse(ModelInfo, response, ex)
