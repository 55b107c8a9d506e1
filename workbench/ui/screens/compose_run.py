"""The composer's run half: run, cancel, show the result, turn it into the next turn, copy.

A mixin for ComposeScreen, kept apart so each module stays readable.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from textual import work


class RunActions:
    """Expects the ComposeScreen attributes: replies, last_result, running, params, turn_list."""

    replies: list[Any]
    last_result: Any
    running: bool

    # --- run ----------------------------------------------------------------------------------
    def action_run(self) -> None:
        from workbench.services.draft import DraftError, EmptyTurnError
        from workbench.services.templates import body_variables, render

        if self.running:
            self.notify("a run is in progress (esc cancels it)", severity="warning")
            return
        if not self.side_ready:
            self.notify("still starting, try again in a moment", severity="warning")
            return
        draft = self.current_draft()
        try:
            self.params.check(draft)
            body = draft.to_request(self.wb.settings.api_version)
        except EmptyTurnError as exc:
            self._refuse_empty_turn(exc)
            return
        except DraftError as exc:
            self.notify(str(exc), title="Not sent", severity="error", timeout=8)
            return
        if not body["messages"]:
            self.notify("write a message first", title="Not sent", severity="warning")
            return
        names = body_variables(body)
        if not names:
            self.start_run(body)
            return
        self.ask_variables(names, lambda values: self.start_run(render(body, values)))

    def ask_variables(self, names: list[str], then: Callable[[dict[str, str]], None]) -> None:
        """The variables dialog, filled with the values (and dataset row) used last; `then`
        gets every value once all are given (the dialog refuses missing ones by name).

        Compare asks through here too, so both fill `{{variables}}` alike, from one memory.
        """
        from workbench.ui.screens.compose_modals import VariablesScreen

        dataset = getattr(self, "_dataset", ("", 1))
        screen = VariablesScreen(names, self._variables, dataset_path=dataset[0],
                                 dataset_row=dataset[1])

        def with_values(values: dict[str, str] | None) -> None:
            self._dataset = (screen.dataset_path, screen.dataset_row)
            if values is None:
                return
            self._variables.update(values)
            then(dict(self._variables))

        self.app.push_screen(screen, with_values)

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
        from workbench.ui.widgets.reply_view import ReplyView

        self.close_params()  # narrow: the reply takes the parameters' place
        hint = self.query("#transcript-hint")
        if hint:
            hint.first().display = False
        reply = ReplyView(body.get("model", "?"), len(self.replies) + 1)
        self.replies.append(reply)
        transcript = self.query_one("#transcript")
        transcript.mount(reply)
        transcript.scroll_end(animate=False)
        self.running = True
        self._current_reply = reply
        self._run_worker = self.run_request(body, reply)

    @work(exclusive=True, group="run", exit_on_error=False)
    async def run_request(self, body: dict[str, Any], reply: Any) -> None:
        from workbench.services.runner import RunResult, run_stream

        client = await self.wb.wait_client()
        result = RunResult(body)
        self.last_result = result

        def on_event(event: Any) -> None:
            # Only buffers: the reply view draws at its own pace (a few times a second).
            if event.type == "content_block_delta":
                delta = event.delta
                if delta.type == "text_delta":
                    reply.add_text(delta.text)
                elif delta.type == "thinking_delta":
                    reply.add_thinking(delta.thinking)

        try:
            await run_stream(client, body, result, on_event, on_retry=self._on_retry)
        except asyncio.CancelledError:
            self.run_worker(self.finish_run(reply, result), group="finish", exit_on_error=False)
            raise
        except Exception as exc:  # not an API error: still keep what arrived, and say it
            result.status, result.error = "failed", exc
        await self.finish_run(reply, result)

    def _on_retry(self, exchange: Any, record: Any) -> None:
        reply = getattr(self, "_current_reply", None)
        if reply is not None and reply.status == "running":
            reply.wait_for_retry(f"{record.reason}", record.delay)
        self.notify(f"{record.reason}: retrying in {record.delay:.1f} s", title="Retrying",
                    severity="warning", timeout=max(2.0, record.delay))

    async def finish_run(self, reply: Any, result: Any) -> None:
        from workbench.services.pricing import cost_usd
        from workbench.ui.widgets.run_stats import stats_text

        self.running = False
        usage = result.usage()
        cost = cost_usd(result.body.get("model", ""), usage) if usage is not None else None
        self.store_run(result, cost)
        if not self.is_attached or not reply.is_attached:  # the app is closing
            return
        stats = stats_text(result, cost)
        await reply.finish(result.status, result.message, stats)
        for transcript in self.query("#transcript"):
            transcript.scroll_end(animate=False)
        if result.status == "failed" and result.error is not None:
            self._notify_error(result.error)
        elif result.status == "cancelled":
            self.notify("cancelled: the partial reply is kept", severity="warning")

    def _notify_error(self, error: Exception) -> None:
        from workbench.api.errors import APIStatusError, NotFoundError, RateLimitError

        title = type(error).__name__
        if isinstance(error, APIStatusError):
            title = f"{error.status} {error.error_type}"
        message = str(error)
        if isinstance(error, RateLimitError) and error.retry_after:
            message += f"\nThe API asks to wait {error.retry_after:.0f} s before retrying."
        if isinstance(error, NotFoundError) and ("file_" in message or "skill" in message):
            message += ("\nalt+u removes an attachment from a turn, alt+s a skill."
                        + ("\nThe demo emulator starts empty: files and skills from an "
                           "earlier demo session are gone." if self.wb.settings.demo else ""))
        self.notify(message + "\nYour draft is unchanged.", title=title, severity="error",
                    timeout=12)

    @work(thread=True, group="store-run", exit_on_error=False)
    def store_run(self, result: Any, cost: float | None) -> None:
        """Into the history database when one is open (the store arrives with issue 5)."""
        store = getattr(self.wb, "store", None)
        add_run = getattr(store, "add_run", None)
        if add_run is None:
            return
        try:
            add_run(request=result.body, message=result.message_to_store(), status=result.status,
                    error=str(result.error) if result.error else None, cost_usd=cost,
                    ttft=result.ttft, duration=result.duration,
                    output_tps=result.tokens_per_second, request_id=result.request_id,
                    profile=self.wb.settings.active_profile)
        except Exception as exc:  # history must never break a run
            self.app.call_from_thread(self.notify, f"run not saved to history: {exc}",
                                      severity="warning")

    def action_cancel(self) -> None:
        if self.running and self._run_worker is not None:
            self._run_worker.cancel()
        else:
            self.close_params()  # narrow: the parameters give the reply its place back

    # --- turning a reply into the next turn -------------------------------------------------------
    def _last_message(self) -> Any:
        return getattr(self.last_result, "message", None)

    def _reply_blocks(self, message: Any) -> tuple[str, list[dict[str, Any]]]:
        texts, blocks = [], []
        for block in getattr(message, "content", None) or []:
            if block.type == "text":
                texts.append(block.text)
            else:
                blocks.append(block.model_dump(exclude_none=True))
        return "".join(texts), blocks

    async def action_append_reply(self) -> None:
        message = self._last_message()
        if message is None:
            self.notify("no reply to append yet", severity="warning")
            return
        text, blocks = self._reply_blocks(message)
        turns = self.turn_list
        last = turns.editors[-1]
        if last.turn.role == "assistant" and not last.turn.blocks:
            last.area.text = last.area.text + text  # a prefill: the reply continues it
        else:
            await turns.add_turn("assistant", text, blocks=blocks, focus=False)
        await turns.add_turn("user", "")
        self.request_changed()

    def action_answer_tool(self) -> None:
        from workbench.ui.screens.compose_modals import AskScreen

        message = self._last_message()
        uses = [b for b in getattr(message, "content", None) or [] if b.type == "tool_use"]
        if not uses:
            self.notify("the last reply has no tool call to answer", severity="warning")
            return
        use = uses[0]

        async def answer(value: str | None) -> None:
            if value is None:
                return
            text, blocks = self._reply_blocks(message)
            turns = self.turn_list
            await turns.add_turn("assistant", text, blocks=blocks, focus=False)
            result_blocks = [{"type": "tool_result", "tool_use_id": u.id,
                              "content": value if u is use else "not run"} for u in uses]
            await turns.add_turn("user", "", blocks=result_blocks)
            self.request_changed()
            self.action_run()

        self.app.push_screen(
            AskScreen(f"Result of {use.name}({json.dumps(use.input)[:80]})",
                      multiline=True), answer)

    # --- inspector and copying --------------------------------------------------------------------
    def action_inspector(self) -> None:
        from workbench.ui.screens.compose_modals import InspectorScreen

        result = self.last_result
        exchange = getattr(result, "exchange", None) or (
            self.wb.client.recorder.exchanges[-1]
            if self.wb.client is not None and self.wb.client.recorder.exchanges else None)
        if exchange is None:
            self.notify("nothing sent yet: run a request first", severity="warning")
            return
        message = getattr(result, "message", None)
        response = message.model_dump_json(indent=2) if message is not None else ""
        self.app.push_screen(InspectorScreen(exchange, response))

    def action_copy_reply(self) -> None:
        from workbench.ui.widgets.clipboard import copy_text

        text = getattr(self._last_message(), "text", "") if self._last_message() else ""
        if not text:
            self.notify("no reply to copy yet", severity="warning")
            return
        copy_text(self.app, text, "reply")

    def action_copy_code(self) -> None:
        from workbench.ui.widgets.clipboard import copy_text
        from workbench.ui.widgets.reply_view import code_blocks

        message = self._last_message()
        blocks = code_blocks(getattr(message, "text", "") or "") if message else []
        if not blocks:
            self.notify("the last reply has no code block", severity="warning")
            return
        copy_text(self.app, blocks[-1], "code block")

    def action_copy_json(self) -> None:
        from workbench.ui.widgets.clipboard import copy_text

        message = self._last_message()
        if message is None:
            self.notify("no response yet", severity="warning")
            return
        copy_text(self.app, message.model_dump_json(indent=2), "response JSON")

