"""Every version of a skill, in one place for the Skills pane and the CLI.

The versions endpoint pages with `next_page` tokens; deleting a skill needs all of them
collected first (deleting while paging would skip some), and the pane shows them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
