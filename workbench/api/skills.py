"""Skills: create (and new versions) from a local folder holding SKILL.md; list, get, delete.

The folder is checked before anything is sent: SKILL.md exists and its front matter has
`name` and `description`, and the total size is within the limit. Files go as `files[]`
parts named `top/relative/path`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.api.errors import APIError, RequestSizeError
from workbench.api.multipart import MultipartBody, Part
from workbench.api.pagination import iter_style_b
from workbench.api.rules import (
    SKILL_LIMIT,
    FrontMatterError,
    front_matter,
    guess_mime,
    missing_skill_fields,
)
from workbench.api.types import CursorPage, Deleted, Skill, SkillVersion
from workbench.api.urls import segment

if TYPE_CHECKING:
    import httpx

    from workbench.api.recording import Exchange
    from workbench.api.transport import Transport

SKIP_NAMES = {".git", "__pycache__", ".DS_Store"}


class SkillFolderError(APIError):
    """The folder is not a valid skill (no SKILL.md, no front matter, too big)."""


def skill_parts(folder: str | os.PathLike) -> tuple[list[Part], dict[str, Any]]:
    """The `files[]` parts of a skill folder and its front matter; raises SkillFolderError."""
    root = Path(os.path.expanduser(folder))
    if not root.is_dir():
        raise SkillFolderError(f"not a folder: {root}")
    skill_md = root / "SKILL.md"
    if not skill_md.is_file():
        raise SkillFolderError(f"{root} has no SKILL.md")
    try:
        meta = front_matter(skill_md.read_text(encoding="utf-8", errors="replace"))
    except FrontMatterError as exc:
        raise SkillFolderError(f"{skill_md}: {exc}") from None
    missing = missing_skill_fields(meta)
    if missing:
        raise SkillFolderError(
            f"{skill_md}: the front matter (between --- lines) needs {' and '.join(missing)}")
    files = sorted(
        p for p in root.rglob("*")
        if p.is_file() and not any(part in SKIP_NAMES for part in p.relative_to(root).parts)
    )
    inside = root.resolve()
    for p in files:  # a link may point anywhere: only what is in the folder is uploaded
        if not p.resolve().is_relative_to(inside):
            raise SkillFolderError(f"{p}: a link to {p.resolve()}, outside the skill folder "
                                   f"{root}: copy the file in instead")
    total = sum(p.stat().st_size for p in files)
    if total > SKILL_LIMIT:
        raise RequestSizeError(f"the skill folder {root.name}", SKILL_LIMIT, total)
    top = root.resolve().name
    parts = [
        Part("files[]", p, f"{top}/{p.relative_to(root).as_posix()}", guess_mime(p))
        for p in files
    ]
    return parts, meta


def _sid(skill_id: str) -> str:
    return segment(skill_id, "skill id")


class Skills:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    async def _upload(self, path: str, parts: list[Part]) -> tuple[httpx.Response, Exchange]:
        body = MultipartBody(parts)
        return await self._t.request(
            "POST", path, body_factory=body.stream, content_type=body.content_type,
            headers={"content-length": str(body.length)}, record_body=body.describe(),
        )

    async def create(self, folder: str | os.PathLike, display_name: str | None = None) -> Skill:
        parts, _ = skill_parts(folder)
        if display_name:
            parts.append(Part("display_name", display_name.encode()))
        response, ex = await self._upload("/v1/skills", parts)
        return self._t.parse(Skill, response, ex)

    async def list(
        self, limit: int = 20, page: str | None = None, source: str | None = None
    ) -> CursorPage[Skill]:
        response, ex = await self._t.request(
            "GET", "/v1/skills", params={"limit": limit, "page": page, "source": source})
        return self._t.parse(CursorPage[Skill], response, ex)

    def iter_all(self, limit: int = 100, source: str | None = None) -> AsyncIterator[Skill]:
        return iter_style_b(lambda token: self.list(limit=limit, page=token, source=source))

    async def get(self, skill_id: str) -> Skill:
        response, ex = await self._t.request("GET", f"/v1/skills/{_sid(skill_id)}")
        return self._t.parse(Skill, response, ex)

    async def delete(self, skill_id: str) -> Deleted:
        response, ex = await self._t.request("DELETE", f"/v1/skills/{_sid(skill_id)}")
        return self._t.parse(Deleted, response, ex)

    async def create_version(self, skill_id: str, folder: str | os.PathLike) -> SkillVersion:
        parts, _ = skill_parts(folder)
        response, ex = await self._upload(f"/v1/skills/{_sid(skill_id)}/versions", parts)
        return self._t.parse(SkillVersion, response, ex)

    async def list_versions(
        self, skill_id: str, limit: int = 20, page: str | None = None
    ) -> CursorPage[SkillVersion]:
        response, ex = await self._t.request(
            "GET", f"/v1/skills/{_sid(skill_id)}/versions",
            params={"limit": limit, "page": page})
        return self._t.parse(CursorPage[SkillVersion], response, ex)

    async def get_version(self, skill_id: str, version: str = "latest") -> SkillVersion:
        response, ex = await self._t.request(
            "GET", f"/v1/skills/{_sid(skill_id)}/versions/{segment(version, 'version')}")
        return self._t.parse(SkillVersion, response, ex)

    async def delete_version(self, skill_id: str, version: str) -> Deleted:
        response, ex = await self._t.request(
            "DELETE", f"/v1/skills/{_sid(skill_id)}/versions/{segment(version, 'version')}")
        return self._t.parse(Deleted, response, ex)
