"""Every version of a skill, in one place for the Skills pane and the CLI; and the folder
each skill was last uploaded from, so its next version starts there (also after a restart).

The versions endpoint pages with `next_page` tokens; deleting a skill needs all of them
collected first (deleting while paging would skip some), and the pane shows them all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.services.prompt_memory import JsonMemory

if TYPE_CHECKING:
    from workbench.api.client import ClaudeClient

PAGE = 100


async def all_versions(client: ClaudeClient, skill_id: str, *,
                       at_most: int | None = None) -> list[Any]:
    """The skill's versions (API order: newest first), up to `at_most` when given."""
    from workbench.api.pagination import iter_style_b

    found: list[Any] = []
    async for version in iter_style_b(
        lambda page: client.skills.list_versions(skill_id, limit=PAGE, page=page)
    ):
        found.append(version)
        if at_most is not None and len(found) >= at_most:
            break
    return found


NEW_SKILL = ""  # the key of the folder the last new skill came from


class SkillFolders(JsonMemory):
    """The folder each skill was last uploaded from, by skill id (`NEW_SKILL`: the last new
    skill's, offered for the next one), in the data dir beside the prompts' values."""

    FILE = "skill_folders.json"

    def recall(self, skill_id: str | None) -> str:
        folder = self._load().get(skill_id or NEW_SKILL)
        return folder if isinstance(folder, str) else ""

    def keep(self, folder: str, *skill_ids: str | None) -> None:
        """`folder` for each of `skill_ids` (None: a new skill); OSError when not written."""
        self._put({skill_id or NEW_SKILL: folder for skill_id in skill_ids})


def folder_missing(folder: str) -> bool:
    """A remembered folder that is no longer a folder (moved, deleted, unmounted)."""
    return bool(folder) and not Path(os.path.expanduser(folder)).is_dir()
