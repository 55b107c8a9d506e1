"""The parameters panel's last section: effort, service tier, adaptive thinking, a JSON schema
for the reply (structured output), metadata.user_id and anthropic-beta.

A view of `services/request_options.py`: it fills from and reads into the draft's body fields.
What the model cannot take (by its Models API capabilities) is hidden; a schema is checked as
it is typed.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Static, Switch, TextArea

from workbench.services import request_options as options
from workbench.ui.plain import plain
from workbench.ui.widgets.ordered_keys import OrderedInput
from workbench.ui.widgets.ordered_text_area import OrderedTextArea

NONE = ""


class RequestOptions(Vertical):
    DEFAULT_CSS = """
    RequestOptions { height: auto; }
    RequestOptions .row { height: auto; }
    RequestOptions .row Select { width: 1fr; margin-right: 1; }
    RequestOptions #schema { height: 5; border: round $panel; }
    RequestOptions #schema-error { color: $error; }
    RequestOptions #adaptive-row { margin-top: 1; height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row", id="adaptive-row"):
            yield Label("adaptive thinking ")
            yield Switch(id="adaptive", tooltip='thinking {"type": "adaptive"}: the model '
                                               "decides how much to think")
        yield Label("effort · service tier")
        with Horizontal(classes="row"):
            yield Select([(e, e) for e in options.EFFORTS], prompt="effort", id="effort",
                         compact=True, tooltip="output_config.effort")
            yield Select([(t, t) for t in options.SERVICE_TIERS], prompt="tier",
                         id="service-tier", compact=True, tooltip="service_tier")
        yield Label("reply JSON schema (structured output)", id="schema-label")
        yield OrderedTextArea("", id="schema", language="json", show_line_numbers=False)
        yield Static("", id="schema-error")
        yield Label("metadata.user_id")
        yield OrderedInput(id="user-id", placeholder="an opaque id for the end user",
                           compact=True)
        yield Label("anthropic-beta (comma separated)")
        yield OrderedInput(id="betas", placeholder="e.g. extended-cache-ttl-2025-04-11",
                           compact=True)

    # --- values -----------------------------------------------------------------------------------
    def fill(self, draft: Any) -> None:
        values = options.panel_values(draft.extra, list(draft.betas))
        self.query_one("#adaptive", Switch).value = bool(values["adaptive"])
        for wid in ("effort", "service-tier"):
            select = self.query_one(f"#{wid}", Select)
            if values[wid]:
                select.value = values[wid]
            else:
                select.clear()
        self.query_one("#schema", TextArea).text = values["schema"]
        self.query_one("#user-id", OrderedInput).value = values["user-id"]
        self.query_one("#betas", OrderedInput).value = values["betas"]
        self.check_schema()

    def values(self) -> dict[str, str]:
        def chosen(wid: str) -> str:
            value = self.query_one(f"#{wid}", Select).value
            return value if isinstance(value, str) else NONE

        return {"effort": chosen("effort"), "service-tier": chosen("service-tier"),
                "adaptive": "1" if self.query_one("#adaptive", Switch).value else "",
                "schema": self.query_one("#schema", TextArea).text,
                "user-id": self.query_one("#user-id", OrderedInput).value,
                "betas": self.query_one("#betas", OrderedInput).value}

    def read_into(self, draft: Any) -> None:
        draft.betas = options.to_extra(self.values(), draft.extra)

    def check_schema(self) -> str | None:
        problem = options.schema_problem(self.query_one("#schema", TextArea).text)
        self.query_one("#schema-error", Static).update(plain(problem or ""))
        return problem

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "schema":  # not stopped: the panel reads every change
            self.check_schema()

    # --- what the model takes -----------------------------------------------------------------
    def set_capabilities(self, info: Any) -> None:
        """Hide what the model does not take (nothing when its capabilities are unknown)."""
        effort = options.supports(info, "effort")
        self.query_one("#effort", Select).display = effort is not False
        levels = options.efforts(info)
        select = self.query_one("#effort", Select)
        current = select.value
        select.set_options([(e, e) for e in levels])
        if isinstance(current, str) and current in levels:
            select.value = current
        self.query_one("#adaptive-row").display = options.supports(info, "adaptive") is not False
        structured = options.supports(info, "structured_outputs") is not False
        for wid in ("#schema-label", "#schema", "#schema-error"):
            self.query_one(wid).display = structured
