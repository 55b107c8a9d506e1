"""The rate-limit meter: requests and tokens left by the API's last report, and when they are
full again; and the notice before a compare (or an Evaluate run) would go over them.

It reads the `anthropic-ratelimit-*` headers of the newest response the client recorded
(`services/ratelimits.py` parses them), once a second, so the countdown moves and a run from
any pane updates it. Nothing is shown until a response has reported limits.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from workbench.services.ratelimits import Limit


def last_limits(client: Any) -> dict[str, Limit]:
    """The limits of the newest Messages response that reported any (services/ratelimits)."""
    from workbench.services.ratelimits import last_limits as newest

    return newest(client)


def meter_text(limits: dict[str, Limit], now: float) -> Text:
    from workbench.services.ratelimits import countdown, short

    text = Text()
    if not limits:
        return text
    text.append("limits ", style="dim")
    resets = []
    for kind, label in (("requests", "req"), ("input-tokens", "in"), ("output-tokens", "out")):
        lim = limits.get(kind)
        if lim is None:
            continue
        low = lim.remaining < lim.limit * 0.1
        text.append(f"{label} {short(lim.remaining)}/{short(lim.limit)} ",
                    style="bold red" if low else "")
        if lim.remaining < lim.limit and lim.reset is not None:
            resets.append(lim.resets_in(now) or 0.0)
    if resets and max(resets) >= 1:
        text.append(f"· full in {countdown(max(resets))}", style="dim")
    return text


class RateMeter(Static):
    """One line: `limits req 3,998/4,000 in 2M/2M out 400K/400K · full in 2 s`."""

    HELP = """
## Rate limits
What the API's last response said is left of your rate limits: requests, input tokens and
output tokens per minute, and when they are full again. Red: under a tenth left. A compare
and an Evaluate run warn before they would go over them; the inspector (ctrl+o) lists them.
"""

    DEFAULT_CSS = """
    RateMeter { height: auto; padding: 0 1; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.limits: dict[str, Limit] = {}

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh_limits)
        self.refresh_limits()

    def refresh_limits(self) -> None:
        self.limits = last_limits(getattr(self.app, "client", None))
        self.update(meter_text(self.limits, time.time()))
        self.display = bool(self.limits)


def rate_meter() -> RateMeter:
    """The composer's meter, under the token gauge."""
    return RateMeter(id="rate-meter")


def warn_if_over(widget: Any, bodies: list[dict[str, Any]], *, paced: bool = False
                 ) -> str | None:
    """Before sending `bodies` at once: a notice when the last reported limits are short (the
    check is services/ratelimits.burst_warning, shared with Evaluate and the CLI)."""
    from workbench.services.ratelimits import burst_warning

    warning = burst_warning(getattr(widget.app, "client", None), bodies, paced=paced)
    if warning:
        widget.notify(warning, title="Rate limits", severity="warning", timeout=10,
                      markup=False)
    return warning
