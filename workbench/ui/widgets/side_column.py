"""The composer's side column: the parameters and the token gauge.

From 140 columns the column sits on the right. Below that (the screen's `-side-folded` class)
it would leave the reply ~44 columns at 120 and under 20 at 80, so it is hidden while the
parameters are not being edited and a one-line summary stands for it: the reply gets the room.
`alt+p` (or a click on that line) shows the column in the reply's place (the screen's
`-params-open` class), and `alt+p`, `esc` or a run puts the reply back. Wide, `alt+p` just
moves the focus to the parameters and back.

It is also the view of the session's parameters: it fills the panel, reads it back into the
session, shows the model's limits and keeps the gauge's estimate and exact count up to date.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from workbench.ui.focus import focus_now
from workbench.ui.plain import plain

if TYPE_CHECKING:
    from workbench.services.composer import ComposerSession
    from workbench.ui.widgets.params import ParamsPanel
    from workbench.ui.widgets.token_gauge import TokenGauge

OPEN = "-params-open"
FOLDED = "-side-folded"
SIDE_FOLD = 140  # columns: below this the column folds into its summary line


def folds(width: int) -> bool:
    return width < SIDE_FOLD


class SideColumn(Vertical):
    ALLOW_MAXIMIZE = True  # alt+m from a parameter: the whole column
    def __init__(self, *children: Widget, typing_area: Callable[[], Widget | None],
                 **kwargs: Any) -> None:
        """`typing_area`: where the focus goes back to when it was nowhere before."""
        super().__init__(*children, **kwargs)
        self._typing_area = typing_area
        self._before: Widget | None = None
        self.session: ComposerSession | None = None  # set by the screen (attributes down)

    @property
    def ready(self) -> bool:
        """Both parts are mounted (they come after the first frame)."""
        return bool(self.query("ParamsPanel")) and bool(self.query("TokenGauge"))

    @property
    def params(self) -> ParamsPanel:
        return self.query_one("ParamsPanel")  # type: ignore[return-value]

    @property
    def gauge(self) -> TokenGauge:
        return self.query_one("TokenGauge")  # type: ignore[return-value]

    @property
    def is_open(self) -> bool:
        return self.screen.has_class(OPEN)

    def holds(self, widget: Widget | None) -> bool:
        return widget is not None and (widget is self or self in widget.ancestors)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Folded, a field that gets the focus by any other way than alt+p (a click on the
        summary, a dialog giving the focus back, a check pointing at a field) is shown too:
        the focus is never on a hidden field."""
        if self.screen.has_class(FOLDED) and not self.is_open:
            self.screen.add_class(OPEN)
            self.refresh_summary()

    def toggle(self) -> None:
        """To the parameters, or back from them. Lands on max_tokens, the field most often
        edited: the model above it is a button that opens the Models pane, which enter there
        would do by surprise."""
        if self.screen.maximized is not None:
            self.screen.minimize()  # a maximised pane would hide where alt+p goes
        focused = self.screen.focused
        if self.holds(focused):
            self.screen.remove_class(OPEN)
            self._focus_back()
            return
        if not self.ready:
            self.notify("still starting, try again in a moment", severity="warning")
            return
        self._before = focused
        self.screen.set_class(self.screen.has_class(FOLDED), OPEN)
        focus_now(self.params.query_one("#max-tokens"))

    def close(self) -> None:
        """Folded, with the parameters shown: the reply back in their place (esc, a run)."""
        if self.is_open:
            self.screen.remove_class(OPEN)
            if self.screen.focused is None or self.holds(self.screen.focused):
                self._focus_back()

    def _focus_back(self) -> None:
        """Where the focus was before alt+p, else where typing goes on."""
        back, self._before = self._before, None
        if back is None or not back.is_attached or self.holds(back):
            back = self._typing_area()
        if back is not None:
            focus_now(back)

    def fitted(self, narrow: bool) -> None:
        """Folded while in the parameters: keep them in view; widened: nothing is hidden."""
        folded = folds(self.app.size.width)
        self.screen.set_class(folded, FOLDED)
        self.screen.set_class(folded and (self.is_open or self.holds(self.screen.focused)),
                              OPEN)
        if self.ready:  # narrow, the gauge is one line: the parameters get the rows
            self.gauge.set_compact(narrow)

    # --- the session's parameters --------------------------------------------------------------
    def fill(self) -> None:
        assert self.session is not None
        self.params.fill(self.session.draft)
        self.show_skills()

    def show_skills(self) -> None:
        assert self.session is not None
        self.params.show_skills(self.session.draft.skills, self.session.skill_names)

    def refresh_summary(self) -> None:
        """The one-line summary (only shown, so only drawn, when folded)."""
        from workbench.ui.widgets.side_summary import SideSummary, summary_text

        if folds(self.app.size.width) and self.ready and self.session is not None:
            problems = [p.message for p in self.session.problems()]
            self.screen.query_one(SideSummary).update(
                summary_text(self.session.draft, self.gauge, self.is_open, problems))

    @work(exclusive=True, group="model-info", exit_on_error=False)
    async def fetch_model_info(self, model_id: str) -> None:
        assert self.session is not None
        problem = await self.session.load_model(await self.app.wait_client(), model_id)  # type: ignore[attr-defined]
        if problem:
            self.params.query_one("#model-info", Static).update(plain(problem))
        else:
            self.show_model(model_id)

    def show_model(self, model_id: str) -> None:
        assert self.session is not None
        max_in, max_out = self.session.model_limits(model_id)
        self.params.set_model(model_id, max_in, max_out)
        self.params.query_one("#options").set_capabilities(self.session.models.get(model_id))
        self.gauge.set_limit(max_in)
        self.refresh_summary()

    def read_params(self) -> None:
        """The panel's fields into the session (tool choices follow the tools' names)."""
        from workbench.services.draft import Draft

        assert self.session is not None
        panel = self.params
        draft = Draft()
        panel.read_into(draft)
        if panel.check_tools(draft) is None and draft.tools_json != self.session.draft.tools_json:
            panel.refresh_tool_choices(draft)
            panel.read_into(draft)
        had_problems = bool(self.session.problems())
        self.session.set_params(draft, panel.texts())
        if had_problems and not self.session.problems():
            self.app.clear_notifications()  # a "Not sent" notice is out of date once fixed

    def count(self) -> None:
        """The gauge: an estimate at once, the exact count after a pause."""
        from workbench.services.tokens import estimate_request

        assert self.session is not None
        body = self.session.count_body()
        self.gauge.set_estimate(estimate_request(body))
        self.refresh_summary()
        self.count_exact(body)

    @work(exclusive=True, group="count", exit_on_error=False)
    async def count_exact(self, body: dict[str, Any]) -> None:
        """Debounced; exclusive, so a newer edit cancels this one (at most one in flight)."""
        from workbench.services import composer
        from workbench.services.tokens import count_exact

        await asyncio.sleep(composer.COUNT_DEBOUNCE)
        if body.get("messages"):
            self.gauge.set_exact(*await count_exact(await self.app.wait_client(), body))  # type: ignore[attr-defined]
            self.refresh_summary()
