"""What the runs cost: this session's and today's totals for the top bar, from History.

The totals are sums over the history store's runs (`Store.cost_since`): the session's since
this app started, today's since local midnight. They are read in a thread when the
store opens and after each stored run, and every pane's top bar shows them.
"""

from __future__ import annotations

import time
from typing import Any

from workbench.services.pricing import money


def midnight(now: float) -> float:
    """Local midnight of the day `now` falls in."""
    day = time.localtime(now)
    return time.mktime((day.tm_year, day.tm_mon, day.tm_mday, 0, 0, 0, 0, 0, -1))


def cost_line(session: float, today: float) -> str:
    """Nothing while nothing was spent today (no totals of zero on every pane)."""
    return f"{money(session)} session · {money(today)} today" if today > 0 else ""


class Costs:
    """App mixin: `cost_line` for the top bars, refreshed by `refresh_costs()`."""

    cost_line = ""
    store: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.session_started = time.time()  # this session's runs: from the app's start
        super().__init__(*args, **kwargs)

    def refresh_costs(self) -> None:
        if self.store is None:
            return
        self.run_worker(self._read_costs, thread=True, group="costs",  # type: ignore[attr-defined]
                        exit_on_error=False)

    def _read_costs(self) -> None:
        store, started = self.store, self.session_started
        if store is None:
            return
        line = cost_line(store.cost_since(started), store.cost_since(midnight(time.time())))
        self.call_from_thread(self._show_costs, line)  # type: ignore[attr-defined]

    def _show_costs(self, line: str) -> None:
        from workbench.ui.widgets.topbar import TopBar

        self.cost_line = line
        for screen in (*self.panes.values(), self.screen):  # type: ignore[attr-defined]
            for bar in screen.query(TopBar):
                bar.costs = line
