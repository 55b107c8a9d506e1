"""Files: upload streamed from disk, list (Style B), metadata, download to disk, delete."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from workbench.api.errors import APIConnectionError, APIError, APITimeoutError, RequestSizeError
from workbench.api.multipart import MultipartBody, Part, Progress
from workbench.api.pagination import iter_style_b
from workbench.api.rules import FILE_LIMIT, guess_mime
from workbench.api.types import CursorPage, Deleted, FileMetadata
from workbench.api.urls import segment

if TYPE_CHECKING:
    from workbench.api.transport import Transport



def _fid(file_id: str) -> str:
    return segment(file_id, "file id")


class Files:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    async def upload(
        self, path: str | os.PathLike, progress: Progress | None = None,
        mime_type: str | None = None, expires_in_seconds: int | None = None,
    ) -> FileMetadata:
        """One part named `file`, streamed from disk; refused locally over 500 MB."""
        path = Path(path)
        if not path.is_file():
            raise APIError(f"no such file: {path}")
        size = path.stat().st_size
        if size > FILE_LIMIT:
            raise RequestSizeError(f"the file {path.name}", FILE_LIMIT, size)
        parts = [Part("file", path, path.name, mime_type or guess_mime(path))]
        if expires_in_seconds is not None:
            parts.append(Part("expires_in_seconds", str(int(expires_in_seconds)).encode()))
        body = MultipartBody(parts, progress)
        response, ex = await self._t.request(
            "POST", "/v1/files", body_factory=body.stream, content_type=body.content_type,
            headers={"content-length": str(body.length)}, record_body=body.describe(),
        )
        return self._t.parse(FileMetadata, response, ex)

    async def list(self, limit: int = 20, page: str | None = None) -> CursorPage[FileMetadata]:
        response, ex = await self._t.request(
            "GET", "/v1/files", params={"limit": limit, "page": page})
        return self._t.parse(CursorPage[FileMetadata], response, ex)

    def iter_all(self, limit: int = 100) -> AsyncIterator[FileMetadata]:
        return iter_style_b(lambda token: self.list(limit=limit, page=token))

    async def get(self, file_id: str) -> FileMetadata:
        response, ex = await self._t.request("GET", f"/v1/files/{_fid(file_id)}")
        return self._t.parse(FileMetadata, response, ex)

    async def delete(self, file_id: str) -> Deleted:
        response, ex = await self._t.request("DELETE", f"/v1/files/{_fid(file_id)}")
        return self._t.parse(Deleted, response, ex)

    async def download(
        self, file_id: str, dest_path: str | os.PathLike, progress: Progress | None = None,
    ) -> Path:
        """Streamed into a temp file next to `dest_path`, renamed at the end: never a half file."""
        response, ex = await self._t.request(
            "GET", f"/v1/files/{_fid(file_id)}/content",
            headers={"accept": "application/binary"}, stream=True,
        )
        return await stream_to_file(response, ex, Path(dest_path), progress, self._t)


async def stream_to_file(response: httpx.Response, ex, dest: Path, progress, transport) -> Path:
    """Shared by file downloads and batch results: temp file + rename, progress per chunk."""
    total_header = response.headers.get("content-length")
    total = int(total_header) if total_header and total_header.isdigit() else None
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    done = 0
    ok = False
    try:
        with os.fdopen(fd, "wb") as out:
            if progress:
                progress(0, total)
            async for chunk in response.aiter_bytes():
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        os.replace(tmp, dest)
        ok = True
    except httpx.TimeoutException:
        ex.error = "download timed out"
        raise APITimeoutError("download timed out", request_id=ex.request_id) from None
    except httpx.TransportError as exc:
        ex.error = f"download cut: {exc}"
        raise APIConnectionError(f"download cut: {exc}", request_id=ex.request_id) from None
    except BaseException as exc:
        ex.error = ex.error or f"download failed: {type(exc).__name__}: {exc}"
        raise
    finally:
        await response.aclose()
        if not ok:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        ex.response_body = f"<{done} bytes written to {dest.name}>"
        ex.done_at = time.monotonic()
        transport.recorder.finish(ex)
    return dest
