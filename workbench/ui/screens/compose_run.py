"""The composer's run keys: run, cancel, show the result, turn it into the next turn, copy.

The session checks and builds the request and keeps what the run produced; this mixin streams
it into a ReplyView in a worker and stores the run in History.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from textual import work

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
        editors = self.turn_list.editors
        if 0 <= exc.index < len(editors):
            area = editors[exc.index].area
            area.focus()
            area.scroll_visible(animate=False)
        self.notify(f"Turn {exc.index + 1} ({exc.role}) is empty, and the API rejects a "
                    "message without content. Write something in it, or delete it (alt+d).",
                    title="Not sent", severity="error", timeout=10)

    def start_run(self, body: dict[str, Any]) -> None:
        from workbench.services.runner import RunResult

        self.close_params()  # narrow: the reply takes the parameters' place
        result = RunResult(body)
        reply = self.transcript.add_reply(body.get("model", "?"), len(self.session.replies) + 1)
        self.session.started(reply, result)
        self._run_worker = self.run_request(result, reply)

    @work(exclusive=True, group="run", exit_on_error=False)
    async def run_request(self, result: Any, reply: Any) -> None:
        from workbench.services.runner import run_stream

        def on_retry(exchange: Any, record: Any) -> None:
            reply.wait_for_retry(record.reason, record.delay)
            self.notify(f"{record.reason}: retrying in {record.delay:.1f} s", title="Retrying",
                        severity="warning", timeout=max(2.0, record.delay), markup=False)

        try:
            client = await self.wb.wait_client()  # cancellable too (no client yet)
            await run_stream(client, result.body, result, reply.take, on_retry=on_retry,
                             betas=tuple(self.session.draft.betas))
        except asyncio.CancelledError:
            if result.status == "running":
                result.status = "cancelled"
            self.run_worker(self.finish_run(reply, result), group="finish", exit_on_error=False)
            raise
        except Exception as exc:  # not an API error: still keep what arrived, and say it
            result.status, result.error = "failed", exc
        await self.finish_run(reply, result)

    async def finish_run(self, reply: Any, result: Any) -> None:
        from workbench.services.pricing import cost_usd
        from workbench.ui.widgets.run_stats import error_notice, stats_text

        self.session.finished()
        usage = result.usage()
        cost = cost_usd(result.body.get("model", ""), usage) if usage is not None else None
        self.store_run(result, cost)
        if not self.is_attached or not reply.is_attached:  # the app is closing
            return
        await reply.finish(result.status, result.message, stats_text(result, cost))
        self.transcript.scroll_end(animate=False)
        if result.status == "failed" and result.error is not None:
            title, message = error_notice(result.error, demo=self.wb.settings.demo)
            self.notify(message, title=title, severity="error", timeout=12, markup=False)
        elif result.status == "cancelled":
            self.notify("cancelled: the partial reply is kept", severity="warning")

    @work(thread=True, group="store-run", exit_on_error=False)
    def store_run(self, result: Any, cost: float | None) -> None:
        """Into the history database when one is open (a thread: SQLite)."""
        from workbench.services.runner import store_run

        if self.wb.store is None:
            return
        try:
            store_run(self.wb.store, result, cost, self.wb.settings.active_profile)
        except Exception as exc:  # history must never break a run
            self.app.call_from_thread(self.notify, f"run not saved to history: {exc}",
                                      severity="warning", markup=False)

    def action_cancel(self) -> None:
        if self.session.running and self._run_worker is not None:
            self._run_worker.cancel()
        else:
            self.close_params()  # narrow: the parameters give the reply its place back

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

    # --- inspector and copying -------------------------------------------------------------------
    def action_inspector(self) -> None:
        from workbench.ui.screens.compose_modals import InspectorScreen

        result = self.session.last_result
        exchanges = self.wb.client.recorder.exchanges if self.wb.client is not None else []
        exchange = getattr(result, "exchange", None) or (exchanges[-1] if exchanges else None)
        if exchange is None:
            self.notify("nothing sent yet: run a request first", severity="warning")
            return
        message = getattr(result, "message", None)
        response = message.model_dump_json(indent=2) if message is not None else ""
        self.app.push_screen(InspectorScreen(exchange, response))

    def action_copy(self, what: str) -> None:
        """The last reply's text, its last code block, or the whole response as JSON."""
        from workbench.ui.widgets.clipboard import copy_text
        from workbench.ui.widgets.reply_view import code_blocks

        message = self.session.last_message
        text = getattr(message, "text", "") or ""
        if what == "code block":
            blocks = code_blocks(text)
            text = blocks[-1] if blocks else ""
        elif what == "response JSON":
            text = message.model_dump_json(indent=2) if message is not None else ""
        if text:
            copy_text(self.app, text, what)
        else:
            self.notify({"reply": "no reply to copy yet", "code block": "the last reply has no "
                         "code block"}.get(what, "no response yet"), severity="warning")
