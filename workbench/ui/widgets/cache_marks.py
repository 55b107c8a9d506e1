"""Cache breakpoints in the composer: which editor the key acts on, and the marks that show them.

The key (alt+shift+f, a flag: "⚑") cycles the breakpoint of the focused editor: the system
prompt, the tools JSON or a turn (off, 5m, 1h). The system prompt and tools editors show theirs in the border's
subtitle, as each turn's editor does (`TurnEditor.refresh_head`).
"""

from __future__ import annotations

import json
from typing import Any

from textual.widget import Widget


def target_of(screen: Any) -> str | int | None:
    """What the focus is in: "system", "tools", a turn's index, or None."""
    focused = screen.focused
    if focused is None:
        return None
    if focused.id in ("system", "tools"):
        return focused.id
    return screen.turn_list.focused_turn()


def tools_ttl(draft: Any) -> str | None:
    """The tools' breakpoint: the draft's, else one on the last tool in the JSON."""
    if draft.cache_tools:
        return draft.cache_tools
    try:
        tools = json.loads(draft.tools_json) if draft.tools_json.strip() else []
    except json.JSONDecodeError:
        return None
    last = tools[-1] if isinstance(tools, list) and tools else tools
    marker = last.get("cache_control") if isinstance(last, dict) else None
    return marker.get("ttl", "5m") if isinstance(marker, dict) else None


def show_marks(screen: Any) -> None:
    """The system prompt's and tools' marks from the session's draft."""
    from workbench.services.cache_points import label

    draft = screen.session.draft
    for wid, ttl in (("system", draft.cache_system), ("tools", tools_ttl(draft))):
        for widget in screen.query(f"#{wid}"):
            if isinstance(widget, Widget):
                widget.border_subtitle = label(ttl) or ""


async def toggle_focused(screen: Any) -> None:
    """Cycle the focused editor's breakpoint, mirror it and say what it is now."""
    from workbench.ui.screens.compose_edit import REFUSED

    target = target_of(screen)
    if target is None:
        screen.notify("focus the system prompt, the tools or a turn to mark it for caching",
                      severity="warning")
        return
    ttl = await screen._do(screen.session.toggle_cache, target)
    if ttl is REFUSED:
        return
    show_marks(screen)
    what = {"system": "the system prompt", "tools": "the tools"}.get(
        str(target), f"turn {int(target) + 1}" if isinstance(target, int) else "")
    from workbench.services.cache_points import count

    used = count(screen.session.draft, screen.session.api_version)
    screen.notify(f"cache breakpoint on {what}: {ttl} ({used} of 4 used)" if ttl else
                  f"no cache breakpoint on {what} ({used} of 4 used)", markup=False)
