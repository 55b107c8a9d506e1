"""The request's parameters: model, max_tokens, sampling (where the API version allows it),
stop sequences, extended thinking, tools (checked JSON), tool_choice, skills."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, Select, Static, Switch, TextArea

from workbench.api.versions import accepts_sampling
from workbench.services.draft import Draft, DraftError
from workbench.services.param_rules import FIELDS, Context, field_problem
from workbench.ui.plain import plain
from workbench.ui.widgets.ordered_keys import OrderedInput
from workbench.ui.widgets.ordered_text_area import OrderedTextArea
from workbench.ui.widgets.request_options import RequestOptions


def _num(value: str, kind: type, name: str) -> float | int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise DraftError(f"{name}: {value!r} is not a valid {kind.__name__}") from None


# the hint line under each group of fields
HINT_OF = {"max-tokens": "max-tokens-hint", "temperature": "sampling-hint",
           "top-p": "sampling-hint", "top-k": "sampling-hint", "budget": "budget-hint"}


class _Rule(Validator):
    """A Textual validator from a function giving the problem (None when fine), so the Input
    marks itself invalid and its Changed message carries the reason."""

    def __init__(self, problem: Callable[[str], str | None]) -> None:
        super().__init__()
        self.problem = problem

    def validate(self, value: str) -> ValidationResult:
        problem = self.problem(value)
        return self.failure(problem) if problem else self.success()


class NumberInput(OrderedInput):
    """A numeric field that says why a key did nothing: Textual's Input drops a character its
    type does not allow (a letter, a second '.') with only a terminal bell."""

    class Refused(Message):
        """`text` was typed or pasted and not taken: the field holds a number."""

        def __init__(self, field: NumberInput, text: str) -> None:
            super().__init__()
            self.field = field
            self.text = text

    _typed = ""

    def replace(self, text: str, start: int, end: int) -> None:
        self._typed = text
        super().replace(text, start, end)

    def restricted(self) -> None:
        self.post_message(self.Refused(self, self._typed))


class ParamsPanel(VerticalScroll):
    """Reads into / fills from a Draft; raises DraftError for values that cannot be sent."""

    can_focus = False  # its fields are; focused itself it only swallowed what was typed

    HELP = """
## Parameters
Model (F3 opens the picker), `max_tokens` (bounded by the model's maximum), sampling values
(only where the profile's API version accepts them: `2026-10-21` rejects them), stop sequences
(comma separated), extended thinking with its budget (at least 1024 and below max_tokens), tools
as a JSON list checked against the tool definition shape, and tool_choice. A number out of range,
or a key a number field cannot take, is explained on the line under the field. Last, where the
model takes them: adaptive thinking, effort, service tier, a JSON schema the reply must match
(structured output, checked as you type), metadata.user_id and anthropic-beta names.
"""

    DEFAULT_CSS = """
    ParamsPanel { width: 40; padding: 0 1; background: $surface; }
    ParamsPanel Label { margin-top: 1; color: $text-muted; }
    ParamsPanel Input { margin: 0; background: $panel; }
    ParamsPanel Input:focus { background: $boost; }
    ParamsPanel .row Input { margin-right: 1; }
    ParamsPanel .row Label { margin-top: 0; }
    ParamsPanel .labels Label { width: 1fr; margin-right: 1; }
    ParamsPanel #sampling { height: auto; margin-top: 1; }
    ParamsPanel #model-btn { width: 100%; margin-top: 1; }
    ParamsPanel #model-info { color: $text-muted; }
    ParamsPanel .row { height: auto; }
    ParamsPanel .row Input { width: 1fr; }
    ParamsPanel #tools { height: 8; border: round $panel; }
    ParamsPanel #thinking-row { margin-top: 1; }
    ParamsPanel #tools-error { color: $error; }
    ParamsPanel #sampling-note { color: $text-muted; }
    ParamsPanel .hint { color: $error; height: auto; display: none; }
    ParamsPanel .hint.-shown { display: block; }
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
        yield self._number("max-tokens", "integer", value="1024")
        yield Static("", id="max-tokens-hint", classes="hint")
        with Vertical(id="sampling"):
            with Horizontal(classes="row labels"):  # kept when the fields are filled
                yield from (Label(name) for name in ("temperature", "top_p", "top_k"))
            with Horizontal(classes="row"):
                yield self._number("temperature", "number", placeholder="temperature")
                yield self._number("top-p", "number", placeholder="top_p")
                yield self._number("top-k", "integer", placeholder="top_k")
            yield Static("", id="sampling-hint", classes="hint")
        yield Static("", id="sampling-note")
        yield Label("stop sequences (comma separated)")
        yield OrderedInput(id="stop", placeholder="e.g. ###, END", compact=True)
        with Horizontal(classes="row", id="thinking-row"):
            yield Label("thinking ")
            yield Switch(id="thinking")
            yield Label("budget ")
            yield self._number("budget", "integer", value="2048", tooltip="budget_tokens")
        yield Static("", id="budget-hint", classes="hint")
        yield Label("tools (JSON list)")
        yield OrderedTextArea("", id="tools", language="json", show_line_numbers=False)
        yield Static("", id="tools-error")
        yield Label("tool_choice")
        yield Select([("auto", "auto"), ("any", "any"), ("none", "none")], value="auto",
                     allow_blank=False, id="tool-choice", compact=True)
        yield Static("", id="skills")
        yield RequestOptions(id="options")  # effort, structured output, betas, ...

    def _number(self, wid: str, kind: str, **kwargs: str) -> NumberInput:
        return NumberInput(id=wid, type=kind, compact=True,  # type: ignore[arg-type]
                           validators=[_Rule(lambda value: self.problem(wid, value))],
                           valid_empty=wid in ("temperature", "top-p", "top-k"), **kwargs)

    # --- checks: the hint under a field while typing, and check() before a run ---------------
    def problem(self, wid: str, value: str) -> str | None:
        """What is wrong with `value` in field `wid`, in words (None when it can be sent)."""
        model = str(self.query_one("#model-btn", Button).label) if self.is_mounted else ""
        context = Context(thinking=self._thinking_on(), max_tokens=self._max_tokens(),
                          model=model, model_max=self.model_max, **self._others())
        return field_problem(wid, value, context)

    def _others(self) -> dict[str, Any]:
        """The other fields and the tool choice: the rules between fields need them."""
        try:
            texts = self.texts()
            choice = self.query_one("#tool-choice", Select).value
        except NoMatches:  # still composing
            return {}
        forced = {"type": "tool" if str(choice).startswith("tool:") else str(choice)} \
            if choice not in ("auto", "none", None, Select.BLANK) else None
        return {"texts": texts, "tool_choice": forced}

    def _thinking_on(self) -> bool:
        try:
            return self.query_one("#thinking", Switch).value
        except NoMatches:  # still composing: the switch is not there yet
            return False

    def _max_tokens(self) -> int | None:
        try:
            return int(self.query_one("#max-tokens", Input).value)
        except (ValueError, NoMatches):
            return None

    def _show_hint(self, wid: str, text: str | None = None) -> None:
        """The hint line of `wid`'s group: `text`, else the group's first problem, else hidden."""
        hint_id = HINT_OF[wid]
        if text is None:
            for other, group in HINT_OF.items():
                if group == hint_id:
                    text = self.problem(other, self.query_one(f"#{other}", Input).value)
                    if text:
                        break
        hint = self.query_one(f"#{hint_id}", Static)
        hint.update(plain(text or ""))
        hint.set_class(bool(text), "-shown")

    def revalidate(self, *wids: str) -> None:
        """Check fields again after what they depend on changed (the model, thinking)."""
        for wid in wids or tuple(FIELDS):
            field = self.query_one(f"#{wid}", Input)
            field.validate(field.value)
            self._show_hint(wid)

    def on_number_input_refused(self, event: NumberInput.Refused) -> None:
        wid = event.field.id or ""
        name, takes = FIELDS.get(wid, ("this field", "a number"))
        shown = event.text if len(event.text) <= 12 else event.text[:11] + "…"
        self._show_hint(wid, f"{shown!r} not typed: {name} takes {takes}")

    def on_input_changed(self, event: Input.Changed) -> None:
        # not stopped: the composer counts and saves on every change
        wid = event.input.id or ""
        if wid in HINT_OF:
            self._show_hint(wid)
            if wid == "max-tokens":
                self.revalidate("budget")

    def on_switch_changed(self, event: Switch.Changed) -> None:
        if event.switch.id in ("thinking", "adaptive") and event.value:  # one or the other
            other = "adaptive" if event.switch.id == "thinking" else "thinking"
            self.query_one(f"#{other}", Switch).value = False
        if event.switch.id == "thinking":  # thinking limits sampling too
            self.revalidate("budget", "temperature", "top-p", "top-k")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "tool-choice":  # thinking refuses a forced tool
            self.revalidate("budget")

    class Edited(Message):
        """A value changed: the composer reads them all (`read_into`, `texts`)."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ParamsPanel.Edited)

    @on(Input.Changed)
    @on(Switch.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Edited())

    class Ready(Message):
        """Mounted (it is mounted lazily, after the first frame)."""

    def on_mount(self) -> None:
        self.set_api_version(self.api_version)
        self.post_message(self.Ready())

    def set_api_version(self, version: str) -> None:
        self.api_version = version
        ok = accepts_sampling(version)
        self.query_one("#sampling").display = ok
        self._sampling_note()

    def _sampling_note(self) -> None:
        """Where the version rejects sampling, the note also names values the draft holds but
        a run leaves out (a reopened run or an imported curl may carry them)."""
        version = self.api_version
        if accepts_sampling(version):
            self.query_one("#sampling-note", Static).update("")
            return
        held = [f"{FIELDS[wid][0]} {field.value.strip()}" for wid in ("temperature", "top-p", "top-k")
                if (field := self.query_one(f"#{wid}", Input)).value.strip()]
        note = f"temperature / top_p / top_k: not accepted by API version {version}"
        if held:
            note += f"; left out of the request: {', '.join(held)}"
        self.query_one("#sampling-note", Static).update(plain(note))

    def set_model(self, model_id: str, max_input: int | None, max_output: int | None) -> None:
        self.query_one("#model-btn", Button).label = Content(model_id)  # an id is not markup
        self.model_max = max_output
        self.revalidate("max-tokens")
        info = []
        if max_input:
            info.append(f"context {max_input:,}")
        if max_output:
            info.append(f"max out {max_output:,}")
        self.query_one("#model-info", Static).update(" · ".join(info))

    def fill(self, draft: Draft) -> None:
        self.query_one("#model-btn", Button).label = Content(draft.model)
        self.query_one("#max-tokens", Input).value = str(draft.max_tokens)
        for wid, value in (("#temperature", draft.temperature), ("#top-p", draft.top_p),
                           ("#top-k", draft.top_k)):
            self.query_one(wid, Input).value = "" if value is None else str(value)
        self.query_one("#stop", Input).value = ", ".join(draft.stop_sequences)
        self.query_one("#thinking", Switch).value = draft.thinking
        self.query_one("#budget", Input).value = str(draft.thinking_budget)
        self.query_one("#tools", TextArea).text = draft.tools_json
        self._sampling_note()
        self.refresh_tool_choices(draft)
        self.show_skills(draft.skills)
        self.query_one(RequestOptions).fill(draft)

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
        self.query_one(RequestOptions).read_into(draft)

    def texts(self) -> dict[str, str]:
        """The number fields as typed (the session checks them with the same rules)."""
        return {wid: self.query_one(f"#{wid}", Input).value for wid in FIELDS}

    def check_tools(self, draft: Draft) -> str | None:
        """Live check of the tools JSON; shows and returns the problem (None when fine)."""
        try:
            draft.tools()
            problem = None
        except DraftError as exc:
            problem = str(exc)
        self.query_one("#tools-error", Static).update(plain(problem or ""))
        return problem

    def refresh_tool_choices(self, draft: Draft) -> None:
        try:
            names = [t.get("name") for t in draft.tools() if t.get("name")]
        except DraftError:
            return
        select = self.query_one("#tool-choice", Select)
        current = select.value
        options = [("auto", "auto"), ("any", "any"), ("none", "none")]
        options += [(plain(f"tool: {n}", False), f"tool:{n}") for n in names]
        select.set_options(options)
        wanted = "auto"
        if draft.tool_choice:
            kind = draft.tool_choice.get("type")
            wanted = f"tool:{draft.tool_choice.get('name')}" if kind == "tool" else kind
        elif current in [v for _, v in options]:
            wanted = current
        select.value = wanted if wanted in [v for _, v in options] else "auto"

    def show_skills(self, skills: list[dict], names: dict[str, str] | None = None) -> None:
        """By name where known (`names`: skill id -> title); the ids in the tooltip."""
        names = names or {}
        text = "" if not skills else "skills: " + ", ".join(
            f"{names.get(str(s.get('skill_id'))) or s.get('skill_id')}@"
            f"{s.get('version', 'latest')}" for s in skills) + "  (alt+s removes)"
        line = self.query_one("#skills", Static)
        line.update(plain(text))
        line.tooltip = plain("\n".join(f"{s.get('skill_id')} @ {s.get('version', 'latest')}"
                                 for s in skills)) or None
