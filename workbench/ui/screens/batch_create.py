"""A batch from the composer's request and a dataset: one request per row, checked first.

Check writes every request to disk (streamed) and shows a preview, the count, how the run is
split over batches and an upper-bound cost with the batch discount; only then can it be sent.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from workbench.format import usd
from workbench.services.templates import body_variables
from workbench.ui.screens.base import Fitted
from workbench.ui.widgets.ordered_keys import OrderedInput
from workbench.ui.widgets.path_input import PathInput

if TYPE_CHECKING:
    from workbench.services.draft import Draft
    from workbench.ui.app import WorkbenchApp


def _first_user_text(params: dict[str, Any]) -> str:
    for message in params.get("messages") or ():
        content = message.get("content")
        if isinstance(content, str):
            return content
        for block in content or ():
            if isinstance(block, dict) and block.get("type") == "text":
                return block.get("text", "")
    return ""


class BatchCreateScreen(Fitted, ModalScreen[None]):
    HELP = """
## New batch from the composer
The composer's request is the template: every `{{variable}}` in it is filled from the columns of
one dataset row (CSV with a header row, or JSONL with one object per line). The custom_id comes
from the column you name, or from the row number. **ctrl+k** checks the dataset and shows a
preview with the count and cost; **ctrl+s** sends it.
"""
    CSS_PATH = "batch_create.tcss"
    BINDINGS = [
        Binding("escape", "close", "Cancel", id="batch_create.cancel"),
        Binding("ctrl+k", "check", "Check dataset", id="batch_create.check", priority=True),
        Binding("ctrl+s", "submit", "Send batch", id="batch_create.submit", priority=True),
    ]
    AUTO_FOCUS = "#dataset"

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft
        self.body: dict[str, Any] = {}
        self.plan: Any = None
        self.sending = False
        self._generation = 0  # bumped by every edit: a check of older input is thrown away

    @property
    def wb(self) -> WorkbenchApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("New batch from the composer's request", classes="title")
            yield Static("", id="variables")
            yield PathInput(placeholder="dataset: CSV with a header row, or JSONL", id="dataset")
            yield Label("custom_id column (empty: row-1, row-2, …)")
            yield OrderedInput(placeholder="column name, e.g. id", id="id-column")
            with VerticalScroll(id="preview"):
                yield Static("ctrl+k checks the dataset: every row is rendered and checked; "
                             "nothing is sent yet.", id="preview-text")
                yield Static("", id="preview-json")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Check (ctrl+k)", id="check")
                yield Button("Send batch (ctrl+s)", id="submit", variant="primary",
                             disabled=True)

    def on_mount(self) -> None:
        from workbench.services.draft import DraftError

        try:
            self.body = self.draft.to_request(self.wb.settings.api_version)
        except DraftError as exc:  # e.g. tools JSON the composer marks as invalid
            self.app.notify(f"cannot make a batch from this request: {exc}", severity="error",
                            timeout=10, markup=False)
            self.dismiss(None)
            return
        names = body_variables(self.body)
        text = Text("Variables: ", style="bold")
        if names:
            for i, name in enumerate(names):
                text.append(", " if i else "")
                text.append(f"{{{{{name}}}}}", style="bold reverse")
            text.append("  — each must be a column of the dataset", style="dim")
        else:
            text = Text("The request has no {{variables}}: every row would send the same "
                        "request. Add {{name}} placeholders in the composer to vary it.",
                        style="yellow")
        text.append(f"\nmodel {self.body.get('model')} · max_tokens {self.body.get('max_tokens')}",
                    style="dim")
        self.query_one("#variables", Static).update(text)

    @on(Input.Changed)
    def _changed(self) -> None:
        self._generation += 1
        self._drop_plan()
        self.query_one("#submit", Button).disabled = True

    @on(Input.Submitted)
    @on(Button.Pressed, "#check")
    def action_check(self) -> None:
        path = self.query_one("#dataset", Input).value.strip()
        if not self.body.get("messages"):
            self._show(Text("The composer's request has no message: write the user turn "
                            "(with its {{variables}}) in the composer first.", style="red"))
            return
        if not path:
            self._show(Text("Give the dataset's path first.", style="red"))
            return
        self._show(Text("checking every row…", style="dim"))
        self.check(path, self.query_one("#id-column", Input).value)

    @work(exclusive=True, group="batch-check", exit_on_error=False)
    async def check(self, path: str, id_column: str) -> None:
        from workbench.services import batch_runs
        from workbench.services.datasets import DatasetError

        self._drop_plan()
        generation = self._generation
        try:
            plan = await asyncio.to_thread(batch_runs.plan_from_dataset, self.body, path,
                                           id_column)
        except DatasetError as exc:
            self._show(Text(f"✗ {exc}", style="bold red"))
            self.notify(str(exc), severity="error", timeout=10, markup=False)
            return
        except (OSError, UnicodeDecodeError) as exc:
            self._show(Text(f"✗ cannot read {path}: {exc}", style="bold red"))
            return
        if generation != self._generation or not self.is_attached:
            await asyncio.to_thread(batch_runs.discard, plan.run)  # the input changed meanwhile
            return
        self.plan = plan
        self._show(self._describe(plan))
        self.query_one("#preview-json", Static).update(Syntax(
            json.dumps(plan.preview[0], indent=2, ensure_ascii=False)[:4000], "json",
            theme="ansi_dark", word_wrap=True))
        self.query_one("#submit", Button).disabled = False

    def _describe(self, plan: Any) -> Text:
        run, cost = plan.run, plan.cost
        text = Text()
        text.append(f"✓ {run.requests:,} requests", style="bold green")
        if len(plan.batch_sizes) > 1:
            text.append(f" split into {len(plan.batch_sizes)} batches "
                        f"({', '.join(f'{n:,}' for n in plan.batch_sizes)}) watched as one run",
                        style="yellow")
        amount = usd(cost.usd, missing="unknown (model not in the price table)")
        text.append(f"\nEstimated cost at most {amount} · ~{cost.input_tokens:,} input tokens, "
                    f"up to {cost.max_output_tokens:,} output\n", style="")
        text.append(f"({cost.assumption})\n\n", style="dim")
        for req in plan.preview:
            text.append(f"{req['custom_id']}  ", style="bold")
            text.append(_first_user_text(req["params"])[:300].replace("\n", " ") + "\n")
        if run.requests > len(plan.preview):
            text.append(f"… and {run.requests - len(plan.preview):,} more\n", style="dim")
        text.append("\nFirst request as sent:", style="bold")
        return text

    def _show(self, text: Text) -> None:
        self.query_one("#preview-text", Static).update(text)
        self.query_one("#preview-json", Static).update("")

    def _drop_plan(self) -> None:
        """Forget a checked plan that was not sent (its folder goes in a thread)."""
        if self.plan is not None and not self.sending and not self.plan.run.batch_ids:
            from workbench.services import batch_runs

            run, self.plan = self.plan.run, None
            self.app.run_worker(asyncio.to_thread(batch_runs.discard, run), group="discard")

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        if self.plan is None:
            self.notify("check the dataset first (ctrl+k)", severity="warning")
            return
        if not self.sending:
            self.send()

    @work(exclusive=True, group="batch-send", exit_on_error=False)
    async def send(self) -> None:
        from workbench.api.errors import APIError
        from workbench.services import batch_runs

        self.sending = True
        self.query_one("#submit", Button).disabled = True
        client = await self.wb.wait_client()
        total = len(self.plan.batch_sizes)
        self._show(Text(f"sending {total} batch{'es' if total > 1 else ''}…", style="dim"))
        try:
            run = await batch_runs.submit(
                client, self.plan,
                lambda n, of, bid: self._show(Text(f"created {n}/{of}: {bid}", style="dim")))
        except APIError as exc:
            sent = self.plan.run.batch_ids
            self._show(Text(f"✗ {exc}" + (f"\n(created before the error: {', '.join(sent)})"
                                         if sent else ""), style="bold red"))
            self.notify(f"could not create the batch: {exc}", severity="error", timeout=10,
                        markup=False)
            self.sending = False
            self.query_one("#submit", Button).disabled = bool(sent)
            if sent:  # those batches run: keep the run's record (re-run, grouping)
                self.plan = None
            return
        self.plan = None
        self.notify(f"batch run {run.id}: {', '.join(run.batch_ids)}", markup=False)
        self.app.run_worker(open_run(self.app, run), group="open-run")  # outlives this modal
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def action_close(self) -> None:
        if self.sending:
            self.notify("sending the batch: wait for it to finish", severity="warning")
            return
        self._drop_plan()
        self.dismiss(None)


async def open_run(app: Any, run: Any) -> None:
    """Show a new run in the batches pane, watched until it ends."""
    from workbench.ui.screens.batch_detail import BatchDetailScreen

    await app.switch_mode("batches")
    await app.push_screen(BatchDetailScreen(run.batch_ids, run=run))
