"""The request's parameters: model, max_tokens, sampling (where the API version allows it),
stop sequences, extended thinking, tools (checked JSON), tool_choice, skills."""

from __future__ import annotations

import contextlib
import json

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static, Switch, TextArea

from workbench.api.versions import accepts_sampling
from workbench.services.draft import Draft, DraftError
from workbench.ui.widgets.ordered_text_area import OrderedTextArea


def _num(value: str, kind: type, name: str) -> float | int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise DraftError(f"{name}: {value!r} is not a valid {kind.__name__}") from None


class ParamsPanel(VerticalScroll):
    """Reads into / fills from a Draft; raises DraftError for values that cannot be sent."""

    HELP = """
## Parameters
Model (F3 opens the picker), `max_tokens` (bounded by the model's maximum), sampling values
(only where the profile's API version accepts them: `2026-10-21` rejects them), stop sequences
(comma separated), extended thinking with its budget (at least 1024 and below max_tokens), tools
as a JSON list checked against the tool definition shape, and tool_choice.
"""

    DEFAULT_CSS = """
    ParamsPanel { width: 40; padding: 0 1; background: $surface; }
    ParamsPanel Label { margin-top: 1; color: $text-muted; }
    ParamsPanel Input { margin: 0; background: $panel; }
    ParamsPanel Input:focus { background: $boost; }
    ParamsPanel .row Input { margin-right: 1; }
    ParamsPanel .row Label { margin-top: 0; }
    ParamsPanel #sampling { height: auto; margin-top: 1; }
    ParamsPanel #model-btn { width: 100%; margin-top: 1; }
    ParamsPanel #model-info { color: $text-muted; }
    ParamsPanel .row { height: auto; }
    ParamsPanel .row Input { width: 1fr; }
    ParamsPanel #tools { height: 8; border: round $panel; }
    ParamsPanel #thinking-row { margin-top: 1; }
    ParamsPanel #tools-error { color: $error; }
    ParamsPanel #sampling-note { color: $text-muted; }
    ParamsPanel Switch { height: 1; border: none; padding: 0; margin: 0 1 0 0; }
    """

    def __init__(self, api_version: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.api_version = api_version
        self.model_max: int | None = None

    def compose(self) -> ComposeResult:
        yield Button("model", id="model-btn", tooltip="Pick a model (F3)", compact=True)
        yield Static("", id="model-info")
        yield Label("max_tokens")
        yield Input("1024", id="max-tokens", type="integer", compact=True)
        with Vertical(id="sampling"), Horizontal(classes="row"):
            yield Input(placeholder="temperature", id="temperature", type="number", compact=True)
            yield Input(placeholder="top_p", id="top-p", type="number", compact=True)
            yield Input(placeholder="top_k", id="top-k", type="integer", compact=True)
        yield Static("", id="sampling-note")
        yield Label("stop sequences (comma separated)")
        yield Input(id="stop", placeholder="e.g. ###, END", compact=True)
        with Horizontal(classes="row", id="thinking-row"):
            yield Label("thinking ")
            yield Switch(id="thinking")
            yield Input("2048", id="budget", type="integer", tooltip="budget_tokens", compact=True)
        yield Label("tools (JSON list)")
        yield OrderedTextArea("", id="tools", language="json", show_line_numbers=False)
        yield Static("", id="tools-error")
        yield Label("tool_choice")
        yield Select([("auto", "auto"), ("any", "any"), ("none", "none")], value="auto",
                     allow_blank=False, id="tool-choice", compact=True)
        yield Static("", id="skills")

    class Ready(Message):
        """Mounted (it is mounted lazily, after the first frame)."""

    def on_mount(self) -> None:
        self.set_api_version(self.api_version)
        self.post_message(self.Ready())

    def set_api_version(self, version: str) -> None:
        self.api_version = version
        ok = accepts_sampling(version)
        self.query_one("#sampling").display = ok
        self.query_one("#sampling-note", Static).update(
            "" if ok else f"temperature / top_p / top_k: not accepted by API version {version}")

    def set_model(self, model_id: str, max_input: int | None, max_output: int | None) -> None:
        self.query_one("#model-btn", Button).label = model_id
        self.model_max = max_output
        info = []
        if max_input:
            info.append(f"context {max_input:,}")
        if max_output:
            info.append(f"max out {max_output:,}")
        self.query_one("#model-info", Static).update(" · ".join(info))

    def fill(self, draft: Draft) -> None:
        self.query_one("#model-btn", Button).label = draft.model
        self.query_one("#max-tokens", Input).value = str(draft.max_tokens)
        for wid, value in (("#temperature", draft.temperature), ("#top-p", draft.top_p),
                           ("#top-k", draft.top_k)):
            self.query_one(wid, Input).value = "" if value is None else str(value)
        self.query_one("#stop", Input).value = ", ".join(draft.stop_sequences)
        self.query_one("#thinking", Switch).value = draft.thinking
        self.query_one("#budget", Input).value = str(draft.thinking_budget)
        self.query_one("#tools", TextArea).text = draft.tools_json
        self.refresh_tool_choices(draft)
        self.show_skills(draft.skills)

    def read_into(self, draft: Draft) -> None:
        """Copy the widgets' values into `draft` (never raises: problems come from check())."""
        draft.model = str(self.query_one("#model-btn", Button).label)
        with contextlib.suppress(ValueError):
            draft.max_tokens = int(self.query_one("#max-tokens", Input).value or 0)
        for wid, attr, kind in (("#temperature", "temperature", float), ("#top-p", "top_p", float),
                                ("#top-k", "top_k", int)):
            with contextlib.suppress(DraftError):
                setattr(draft, attr, _num(self.query_one(wid, Input).value, kind, attr))
        stop = self.query_one("#stop", Input).value
        draft.stop_sequences = [s.strip() for s in stop.split(",") if s.strip()]
        draft.thinking = self.query_one("#thinking", Switch).value
        with contextlib.suppress(ValueError):
            draft.thinking_budget = int(self.query_one("#budget", Input).value or 0)
        draft.tools_json = self.query_one("#tools", TextArea).text
        choice = self.query_one("#tool-choice", Select).value
        if choice in ("auto", None):
            draft.tool_choice = None
        elif str(choice).startswith("tool:"):
            draft.tool_choice = {"type": "tool", "name": str(choice)[5:]}
        else:
            draft.tool_choice = {"type": str(choice)}

    def check(self, draft: Draft) -> None:
        """Problems the API would reject, raised as DraftError before anything is sent."""
        max_tokens_text = self.query_one("#max-tokens", Input).value
        try:
            max_tokens = int(max_tokens_text)
        except ValueError:
            raise DraftError(f"max_tokens: {max_tokens_text!r} is not a whole number") from None
        if max_tokens < 1:
            raise DraftError("max_tokens must be at least 1")
        if self.model_max and max_tokens > self.model_max:
            raise DraftError(f"max_tokens {max_tokens:,} is over {draft.model}'s maximum of "
                             f"{self.model_max:,}")
        if accepts_sampling(self.api_version):
            for wid, name, kind, low, high in (("#temperature", "temperature", float, 0, 1),
                                               ("#top-p", "top_p", float, 0, 1),
                                               ("#top-k", "top_k", int, 0, None)):
                value = _num(self.query_one(wid, Input).value, kind, name)
                if value is not None and (value < low or (high is not None and value > high)):
                    raise DraftError(f"{name} must be between {low} and {high}" if high
                                     else f"{name} must be at least {low}")
        if draft.thinking and not 1024 <= draft.thinking_budget < max_tokens:
            raise DraftError(f"thinking budget must be at least 1,024 and below max_tokens "
                             f"({max_tokens:,}); it is {draft.thinking_budget:,}")

    def check_tools(self, draft: Draft) -> str | None:
        """Live check of the tools JSON; shows and returns the problem (None when fine)."""
        try:
            draft.tools()
            problem = None
        except DraftError as exc:
            problem = str(exc)
        self.query_one("#tools-error", Static).update(problem or "")
        return problem

    def refresh_tool_choices(self, draft: Draft) -> None:
        try:
            names = [t.get("name") for t in draft.tools() if t.get("name")]
        except DraftError:
            return
        select = self.query_one("#tool-choice", Select)
        current = select.value
        options = [("auto", "auto"), ("any", "any"), ("none", "none")]
        options += [(f"tool: {n}", f"tool:{n}") for n in names]
        select.set_options(options)
        wanted = "auto"
        if draft.tool_choice:
            kind = draft.tool_choice.get("type")
            wanted = f"tool:{draft.tool_choice.get('name')}" if kind == "tool" else kind
        elif current in [v for _, v in options]:
            wanted = current
        select.value = wanted if wanted in [v for _, v in options] else "auto"

    def show_skills(self, skills: list[dict]) -> None:
        text = "" if not skills else "skills: " + ", ".join(
            f"{s.get('skill_id')}@{s.get('version', 'latest')}" for s in skills) + \
            "  (alt+s removes)"
        self.query_one("#skills", Static).update(text)

    def tools_text(self) -> str:
        return self.query_one("#tools", TextArea).text

    @staticmethod
    def pretty(value: object) -> str:
        return json.dumps(value, indent=2)
