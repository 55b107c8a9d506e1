"""The composer's parameters column on a narrow terminal (below NARROW columns, e.g. 80x24).

At 140 columns the parameters and the token gauge sit in a 42-column column on the right. At 80
that column left the turns and the reply under 20 columns each, so there it is hidden and one
line under the turns and the reply sums it up (model, max_tokens, thinking, tools, tokens);
`alt+p` (or a click on that line) shows the parameters in the reply's place, and `alt+p`, `esc`
or a run puts the reply back. Wide, `alt+p` just moves the focus to the parameters and back.
"""

from __future__ import annotations

from textual.widget import Widget

from workbench.ui.key_order import focus_now
from workbench.ui.screens.base import NARROW


class SideActions:
    """Mixed into ComposeScreen (its `params`, `gauge`, `side_ready`, `turn_list`, `session`)."""

    _before_params: Widget | None = None

    @property
    def narrow(self) -> bool:
        return self.app.size.width < NARROW

    def _in_side(self, widget: Widget | None) -> bool:
        side = self.query_one("#side")
        return widget is not None and (widget is side or side in widget.ancestors)

    def action_params(self) -> None:
        """To the parameters (shown in the reply's place when narrow), or back from them.

        Lands on max_tokens, the field most often edited: the model above it is a button that
        opens the Models pane (F3), which enter there would do by surprise."""
        if self._in_side(self.focused):
            self.remove_class("-params-open")
            self._focus_back()
            return
        if not self.side_ready:
            self.notify("still starting, try again in a moment", severity="warning")
            return
        self._before_params = self.focused
        if self.narrow:
            self.add_class("-params-open")
        focus_now(self.params.query_one("#max-tokens"))
        self.refresh_side_summary()

    def close_params(self) -> None:
        """Narrow, with the parameters shown: the reply back in their place (esc, a run)."""
        if not self.has_class("-params-open"):
            return
        self.remove_class("-params-open")
        if self.focused is None or self._in_side(self.focused):
            self._focus_back()
        else:
            self.refresh_side_summary()

    def _focus_back(self) -> None:
        """Where the focus was before alt+p, else where typing goes on: the last user turn."""
        back = self._before_params
        self._before_params = None
        if back is None or not back.is_attached or self._in_side(back):
            editors = self.turn_list.editors
            users = [e for e in editors if e.turn.role == "user"]
            back = (users[-1] if users else editors[-1]).area if editors else None
        if back is not None:
            focus_now(back)
        self.refresh_side_summary()

    def on_fitted(self, narrow: bool) -> None:
        # narrowed while in the parameters: keep them in view; widened: nothing is hidden
        shown = self.has_class("-params-open") or self._in_side(self.focused)
        self.set_class(narrow and shown, "-params-open")
        if self.side_ready:  # narrow, the gauge is one line: the parameters get the rows
            self.gauge.set_compact(narrow)
        self.refresh_side_summary()

    def refresh_side_summary(self) -> None:
        """Redraw the one-line summary (only shown, so only drawn, when narrow)."""
        if not self.narrow or not self.side_ready:
            return
        from workbench.ui.widgets.side_summary import SideSummary, summary_text

        summary = self.query_one("#side-summary", SideSummary)
        summary.update(summary_text(self.session.draft, self.gauge,
                                    self.has_class("-params-open")))
