"""A pane whose feature the profile's platform does not offer is shown greyed, with the reason,
instead of failing on every load (Files, Skills, Batches and Models on some clouds).

Each pane makes one call once it has the client: `if unoffered(self, client, "files"): return`.
The reason comes from the headless capability table (`workbench.api.platforms.capabilities`).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Static

from workbench.api.platforms.capabilities import reason
from workbench.ui.widgets.topbar import TopBar

BANNER_ID = "unoffered"


class Unoffered(Static):
    """The reason a pane is greyed, shown under the top bar."""

    DEFAULT_CSS = """
    Unoffered {
        height: auto;
        padding: 1 2;
        margin: 1 2;
        border: round $warning;
        color: $text;
        background: $warning 10%;
    }
    """


def unoffered(screen: Screen, client: Any, feature: str) -> bool:
    """True when the client's platform lacks `feature`: the pane's own widgets are disabled
    (drawn greyed) under a banner saying why. False (and the pane restored) otherwise."""
    why = reason(getattr(client, "platform", "anthropic"), feature)
    banners = list(screen.query(f"#{BANNER_ID}").results(Unoffered))
    body = [w for w in screen.children if not isinstance(w, TopBar | Unoffered)
            and w.__class__.__name__ not in ("Footer", "Deferred")]
    if why is None:
        for banner in banners:
            banner.remove()
        for widget in body:
            widget.disabled = False
        return False
    if banners:
        banners[0].update(why)
    else:
        bars = list(screen.query(TopBar))
        banner = Unoffered(why, id=BANNER_ID, markup=False)
        if bars:
            screen.mount(banner, after=bars[0])
        else:
            screen.mount(banner, before=0)
    for widget in body:
        widget.disabled = True
    return True
