"""The composer's run keys: run, cancel, show the result, turn it into the next turn, copy.

The session checks and builds the request and keeps what the run produced; `RunFlow` streams
it into a ReplyView and stores the run in History.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.ui.screens.compose_edit import REFUSED


class RunActions:
    """Mixed into ComposeScreen (its `session`, `params`, `turn_list`, `mirror()`)."""

    # --- run -------------------------------------------------------------------------------------
    def action_run(self) -> None:
        from workbench.services.composer import Refused
        from workbench.services.draft import DraftError, EmptyTurnError
        from workbench.services.templates import body_variables, render
        from workbench.ui.screens.compose_modals import ask_variables

        if not (self.side_ready and self.session.loaded):  # a run asked for at start-up
            self.run_worker(self._run_when_ready(), group="run-when-ready", exclusive=True)
            return
        self.pull()
        problems = self.session.problems()
        if problems:
            self.params.revalidate(problems[0].field)  # the field shows it too
        try:
            body = self.session.run_body()
        except Refused as exc:
            self.notify(str(exc), title="Not sent", severity="warning")
            return
        except EmptyTurnError as exc:
            self._refuse_empty_turn(exc)
            return
        except DraftError as exc:
            self.notify(str(exc), title="Not sent", severity="error", timeout=8, markup=False)
            return
        names = body_variables(body)
        if not names:
            self.start_run(body)
            return
        ask_variables(self.app, self.session, names,
                      lambda values: self.start_run(render(body, values)))

    async def _run_when_ready(self) -> None:
        await self.wait_side_loaded()
        if self.side_ready and self.session.loaded:
            self.action_run()
        else:
            self.notify("still starting, try again in a moment", severity="warning")

    def _refuse_empty_turn(self, exc: Any) -> None:
        """Name the empty turn and put the cursor in it: the draft stays as it is."""
        self.editor.show_empty_turn(exc.index)
        self.notify(f"Turn {exc.index + 1} ({exc.role}) is empty, and the API rejects a "
                    "message without content. Write something in it, or delete it (alt+d).",
                    title="Not sent", severity="error", timeout=10)

    def start_run(self, body: dict[str, Any]) -> None:
        self.close_params()  # folded: the reply takes the parameters' place
        self.runs.start(body)

    def action_cancel(self) -> None:
        if self.side.is_open:  # folded parameters in the reply's place: the reply back first
            self.close_params()
        elif not self.runs.cancel() and self.maximized is not None:
            self.minimize()

    # --- turning a reply into the next turn ------------------------------------------------------
    async def action_append_reply(self) -> None:
        await self._do(self.session.append_reply)

    def action_answer_tool(self) -> None:
        from workbench.ui.screens.compose_modals import AskScreen

        uses = self.session.tool_uses()
        if not uses:
            self.notify("the last reply has no tool call to answer", severity="warning")
            return

        async def answer(value: str | None) -> None:
            if value is not None and await self._do(self.session.answer_tool, value) \
                    is not REFUSED:
                self.action_run()

        use = uses[0]
        self.app.push_screen(AskScreen(f"Result of {use.name}({json.dumps(use.input)[:80]})",
                                       multiline=True), answer)

    # --- inspector and copying (RunFlow's) -------------------------------------------------------
    def action_inspector(self) -> None:
        self.runs.inspect()

    def action_copy(self, what: str) -> None:
        """The last reply's text, its last code block, or the whole response as JSON."""
        self.runs.copy(what)
