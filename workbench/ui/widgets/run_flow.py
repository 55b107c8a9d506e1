"""One composer run from start to end: stream it into a ReplyView, finish it, store it.

The session builds the request and keeps what the run produced; this streams it in a worker of
the screen (cancelled with it), says what went wrong, and writes the run to History. While it
streams, the reply so far is kept on disk (services/inflight.py), so a kill -9 mid-stream does
not lose it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.ui.screens.compose import ComposeScreen


def prefill_of(body: dict[str, Any]) -> str:
    """The text of a last assistant turn (a prefill), which the reply continues."""
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    if last.get("role") != "assistant":
        return ""
    content = last.get("content")
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content or [] if b.get("type") == "text")


class RunFlow:
    def __init__(self, screen: ComposeScreen) -> None:
        self.screen = screen
        self.worker: Any = None

    def start(self, body: dict[str, Any]) -> None:
        from workbench.services.runner import RunResult

        screen = self.screen
        result = RunResult(body)
        reply = screen.transcript.add_reply(body.get("model", "?"),
                                            len(screen.session.replies) + 1, prefill_of(body))
        screen.session.started(reply, result)
        self.worker = screen.run_worker(self._run(result, reply), group="run", exclusive=True,
                                        exit_on_error=False)

    def cancel(self) -> bool:
        """Cancel the run in flight (its partial reply is kept); False when none is."""
        if self.screen.session.running and self.worker is not None:
            self.worker.cancel()
            return True
        return False

    async def _run(self, result: Any, reply: Any) -> None:
        from workbench.services.runner import run_stream

        screen = self.screen

        def on_retry(exchange: Any, record: Any) -> None:
            reply.wait_for_retry(record.reason, record.delay)
            screen.notify(f"{record.reason}: retrying in {record.delay:.1f} s", title="Retrying",
                          severity="warning", timeout=max(2.0, record.delay), markup=False)

        result.betas = tuple(screen.session.draft.betas)  # the request's betas, as sent
        keeper = asyncio.create_task(self._keep_on_disk(result))
        try:
            client = await screen.wb.wait_client()  # cancellable too (no client yet)
            await run_stream(client, result.body, result, reply.take, on_retry=on_retry,
                             betas=result.betas)
        except asyncio.CancelledError:
            if result.status == "running":
                result.status = "cancelled"
            screen.run_worker(self._finish(reply, result), group="finish", exit_on_error=False)
            raise
        except Exception as exc:  # not an API error: still keep what arrived, and say it
            result.status, result.error = "failed", exc
        finally:
            keeper.cancel()
        await self._finish(reply, result)

    async def _keep_on_disk(self, result: Any) -> None:
        """Write the growing reply to disk every INTERVAL until the run ends (then History has
        it and the file goes: see `_store`)."""
        from workbench import paths
        from workbench.services.inflight import INTERVAL, Checkpoint

        settings = self.screen.wb.settings
        checkpoint = result.checkpoint = Checkpoint(
            paths.data_dir() / "inflight", result.body, settings.active_profile,
            result.betas, settings.profile.betas)
        saved = None
        while True:
            await asyncio.sleep(INTERVAL)
            message = result.message
            if message is None:
                continue
            data = message.model_dump(mode="json")
            if data != saved:
                request_id = getattr(result.exchange, "request_id", None)
                await asyncio.to_thread(checkpoint.save, data, request_id)
                saved = data

    async def _finish(self, reply: Any, result: Any) -> None:
        from workbench.services.pricing import cost_usd
        from workbench.ui.widgets.run_stats import error_notice, stats_text

        screen = self.screen
        screen.session.finished()
        usage = result.usage()
        cost = cost_usd(result.body.get("model", ""), usage) if usage is not None else None
        screen.run_worker(lambda: self._store(result, cost), thread=True, group="store-run",
                          exit_on_error=False)
        if not screen.is_attached or not reply.is_attached:  # the app is closing
            return
        from workbench.services.request_options import reply_schema

        reply.structured = reply_schema(result.body) is not None
        await reply.finish(result.status, result.message, stats_text(result, cost))
        screen.transcript.scroll_end(animate=False)
        if result.status == "failed" and result.error is not None:
            title, message = error_notice(result.error, demo=screen.wb.settings.demo)
            screen.notify(message, title=title, severity="error", timeout=12, markup=False)
        elif result.status == "cancelled":
            screen.notify("cancelled: the partial reply is kept", severity="warning")

    def _store(self, result: Any, cost: float | None) -> None:
        """Into the history database when one is open (a thread: SQLite)."""
        from workbench.services.runner import store_run

        wb = self.screen.wb
        checkpoint = getattr(result, "checkpoint", None)
        if wb.store is None:
            if checkpoint is not None:
                checkpoint.discard()
            return
        try:
            store_run(wb.store, result, cost, wb.settings.active_profile,
                      wb.settings.profile.betas)  # the client sends the profile's betas too
        except Exception as exc:  # history must never break a run
            wb.call_from_thread(self.screen.notify, f"run not saved to history: {exc}",
                                severity="warning", markup=False)
        else:
            if checkpoint is not None:
                checkpoint.discard()
            wb.call_from_thread(wb.refresh_costs)  # the top bar's totals

    def inspect(self) -> None:
        """This draft's last run in the inspector: never the client's last exchange, which may
        be another pane's (an Evaluate grader's request looked like the composer's)."""
        from workbench.ui.screens.compose_modals import InspectorScreen

        screen = self.screen
        result = screen.session.last_result
        exchange = getattr(result, "exchange", None)
        if exchange is None:
            screen.notify("nothing sent from this draft yet: ctrl+r runs it",
                          severity="warning")
            return
        message = getattr(result, "message", None)
        response = message.model_dump_json(indent=2) if message is not None else ""
        screen.app.push_screen(InspectorScreen(exchange, response))

    def copy(self, what: str) -> None:
        from workbench.ui.widgets.clipboard import copy_text
        from workbench.ui.widgets.reply_view import code_blocks

        message = self.screen.session.last_message
        text = getattr(message, "text", "") or ""
        if what == "code block":
            blocks = code_blocks(text)
            text = blocks[-1] if blocks else ""
        elif what == "response JSON":
            text = message.model_dump_json(indent=2) if message is not None else ""
        if text:
            copy_text(self.screen.app, text, what)
        else:
            self.screen.notify({"reply": "no reply to copy yet", "code block": "the last reply "
                                "has no code block"}.get(what, "no response yet"),
                               severity="warning")
