"""The Evaluate pane's dialogs: confirm a run with its estimate, one cell (output, assertions,
grade), a text view (diffs, run comparisons), and the test-case generator with its review."""

from __future__ import annotations

import re
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # model text never drives the terminal


def clean(text: str) -> str:
    return _CONTROL.sub(" ", text)


class ConfirmRun(ModalScreen[bool]):
    """What a run will send and cost at most, before it is sent."""

    CSS_PATH = "evaluate.tcss"
    BINDINGS = [Binding("enter", "ok", "Run", id="eval.confirm.ok"),
                Binding("escape", "cancel", "Cancel", id="eval.confirm.cancel")]

    def __init__(self, what: str, estimate: dict[str, Any], batch: bool) -> None:
        super().__init__(classes="eval-dialog")
        self.what, self.estimate, self.batch = what, estimate, batch

    def compose(self) -> ComposeResult:
        e = self.estimate
        text = Text(f"Run {self.what}?\n\n", style="bold")
        text.append(f"{e['requests']} requests · about {e['input_tokens']:,} input tokens · "
                    f"up to {e['max_output_tokens']:,} output tokens\n")
        text.append(f"estimated cost: at most ${e['usd_upper_bound']:.4f}"
                    f"{' (batch: half price)' if self.batch else ''}\n", style="bold")
        if e["unpriced_models"]:
            text.append(f"no prices for {', '.join(e['unpriced_models'])}\n", style="yellow")
        text.append("Cached replies are reused and cost nothing; graders add a little.\n\n"
                    "enter run · esc cancel", style="dim")
        with Vertical():
            yield Static(text)

    def action_ok(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def outcome_text(result: Any, threshold: float) -> Text:
    text = Text()
    status = {"pass": ("PASS", "bold green"), "fail": ("FAIL", "bold red")}.get(
        result.status, ("ERROR", "bold red"))
    text.append(status[0], style=status[1])
    text.append(f"  {result.case_id} [{result.variant}]  score {result.score:.2f} "
                f"(needs {threshold:g})", style="bold")
    bits = []
    if result.cost is not None:
        bits.append(f"${result.cost:.5f}")
    if result.latency is not None:
        bits.append(f"{result.latency:.2f}s")
    if result.ttft is not None:
        bits.append(f"ttft {result.ttft:.2f}s")
    if result.cached:
        bits.append("cached")
    if bits:
        text.append("  " + " · ".join(bits), style="dim")
    if result.error:
        text.append(f"\n{clean(result.error)}", style="red")
    for o in result.outcomes:
        mark = "·" if o.skipped else ("✓" if o.passed else "✗")
        style = "dim" if o.skipped else ("green" if o.passed else "red")
        text.append(f"\n {mark} ", style=style)
        text.append(f"{clean(o.label)}", style="bold")
        text.append(f"  {o.score:.2f} ×{o.weight:g}  {clean(o.reason)}")
    return text


class CellScreen(ModalScreen[tuple[int | None, str] | None]):
    """One cell: the assertions with their reasons, the output rendered as in the composer,
    and the human grade (1-5 keys, a note; enter in the note or ctrl+s keeps them)."""

    CSS_PATH = "evaluate.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="eval.cell.close"),
        *(Binding(str(n), f"grade({n})", f"Grade {n}", id=f"eval.cell.grade{n}", show=n == 1)
          for n in range(1, 6)),
        Binding("0", "grade(0)", "No grade", id="eval.cell.nograde", show=False),
        Binding("n", "note", "Note", id="eval.cell.note"),
        Binding("ctrl+s", "keep", "Keep grade", id="eval.cell.keep", priority=True),
    ]

    def __init__(self, result: Any, threshold: float) -> None:
        super().__init__(classes="eval-dialog")
        self.result, self.threshold = result, threshold
        self.grade: int | None = result.grade
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="eval-cell"):
            yield Static(outcome_text(self.result, self.threshold), id="eval-cell-head")
            with VerticalScroll(id="eval-cell-output"):
                yield Static(self._output(), id="eval-cell-reply")
            with Horizontal(id="eval-cell-grade"):
                yield Static(self._grade_text(), id="eval-cell-stars")
                yield Input(self.result.note, placeholder="note (enter keeps the grade)",
                            id="eval-cell-note")

    def _output(self) -> Any:
        from rich.markdown import Markdown

        from workbench.ui.screens.batch_result import reply_markdown

        message = self.result.message
        if not message:
            return Text(clean(self.result.error or "(no output)"))
        markdown = reply_markdown({"result": {"type": "succeeded", "message": message}})
        return Group(Markdown(markdown or "", code_theme="monokai"))

    def _grade_text(self) -> Text:
        grade = self.grade or 0
        text = Text("grade ", style="dim")
        text.append("★" * grade + "☆" * (5 - grade), style="yellow")
        text.append("  1-5 · 0 none", style="dim")
        return text

    def on_mount(self) -> None:
        self.query_one("#eval-cell-output").focus()

    def action_grade(self, n: int) -> None:
        self.grade = n or None
        self.changed = True
        self.query_one("#eval-cell-stars", Static).update(self._grade_text())

    def action_note(self) -> None:
        self.query_one("#eval-cell-note", Input).focus()

    @on(Input.Submitted, "#eval-cell-note")
    def action_keep(self) -> None:
        self.dismiss((self.grade, self.query_one("#eval-cell-note", Input).value.strip()))

    def action_close(self) -> None:
        note = self.query_one("#eval-cell-note", Input).value.strip()
        if self.changed or note != (self.result.note or ""):
            self.dismiss((self.grade, note))
        else:
            self.dismiss(None)


def diff_text(diff: str) -> Text:
    text = Text()
    for line in clean(diff).splitlines():
        style = ("green" if line.startswith("+") else "red" if line.startswith("-") else
                 "cyan" if line.startswith("@@") else "")
        text.append(line + "\n", style=style)
    return text


def compare_text(diff: dict[str, list]) -> Text:
    text = Text(f"{len(diff['better'])} better · {len(diff['worse'])} worse · "
                f"{len(diff['same'])} same · {len(diff['added'])} new · "
                f"{len(diff['removed'])} gone\n\n", style="bold")
    for kind, style in (("worse", "red"), ("better", "green")):
        for (case, variant), before, after in diff[kind]:
            text.append(f"{kind:6} ", style=style)
            text.append(f"{case} [{variant}]  {before:.2f} → {after:.2f}\n")
    return text


class TextScreen(ModalScreen[None]):
    CSS_PATH = "evaluate.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="eval.text.close")]

    def __init__(self, title: str, body: Text) -> None:
        super().__init__(classes="eval-dialog")
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(id="eval-text"):
            yield Static(Text(self.title_text, style="bold"))
            with VerticalScroll():
                yield Static(self.body)

    def action_close(self) -> None:
        self.dismiss(None)


class GenerateScreen(ModalScreen[bool]):
    """Ask a model for test cases from the prompt's variables; the proposal is shown as TOML
    in an editor to review and change; ctrl+s appends it to the suite file."""

    CSS_PATH = "evaluate.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="eval.gen.close"),
                Binding("ctrl+s", "save", "Add to suite", id="eval.gen.save", priority=True)]

    def __init__(self, session: Any) -> None:
        super().__init__(classes="eval-dialog")
        self.session = session

    def compose(self) -> ComposeResult:
        suite = self.session.suite
        with Vertical(id="eval-gen"):
            yield Static(Text(f"Propose test cases for {suite.name}", style="bold"))
            with Horizontal(id="eval-gen-form"):
                yield Input(suite.grader_model or "", placeholder="model", id="eval-gen-model")
                yield Input("5", placeholder="how many", id="eval-gen-count")
            yield Static(Text("enter asks the model · review and edit below · ctrl+s adds "
                              "them to the suite · esc closes", style="dim"), id="eval-gen-note")
            yield TextArea("", language=None, id="eval-gen-cases")

    @on(Input.Submitted)
    def _ask(self) -> None:
        model = self.query_one("#eval-gen-model", Input).value.strip()
        count = self.query_one("#eval-gen-count", Input).value.strip()
        if not model or not count.isdigit() or not 1 <= int(count) <= 50:
            self.notify("a model, and 1 to 50 cases", severity="warning")
            return
        self.propose(model, int(count))

    @work(exclusive=True, group="eval-generate", exit_on_error=False)
    async def propose(self, model: str, count: int) -> None:
        from workbench.api.errors import APIError
        from workbench.services.evals.generate import cases_toml, generation_request, read_cases
        from workbench.services.evals.plan import base_request
        from workbench.services.templates import body_variables

        suite = self.session.suite
        body = base_request(suite, suite.variants[0], self.session.library,
                            self.session.api_version)
        variables = body_variables(body)
        if not variables:
            self.notify("the prompt has no {{variables}} to fill", severity="warning",
                        markup=False)
            return
        client = await self.app.wait_client()  # type: ignore[attr-defined]
        self.query_one("#eval-gen-note", Static).update(Text("asking…", style="dim"))
        try:
            message = await client.messages.create(generation_request(
                body, variables, count=count, model=model))
            cases = read_cases(message.model_dump(mode="json"), variables)
        except (APIError, ValueError) as exc:
            self.notify(client.scrub(str(exc)), severity="error", markup=False)
            return
        self.query_one("#eval-gen-cases", TextArea).text = cases_toml(cases)
        self.query_one("#eval-gen-note", Static).update(Text(
            f"{len(cases)} proposed: review and edit, ctrl+s adds them", style="dim"))
        self.query_one("#eval-gen-cases", TextArea).focus()

    def action_save(self) -> None:
        import tomllib

        text = self.query_one("#eval-gen-cases", TextArea).text
        if not text.strip():
            self.notify("nothing to add yet: enter asks the model", severity="warning")
            return
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            self.notify(f"not valid TOML: {exc}", severity="error", markup=False)
            return
        path = self.session.suite.path
        try:
            with open(path, "a", encoding="utf-8") as out:
                out.write("\n" + text.rstrip() + "\n")
        except OSError as exc:
            self.notify(f"cannot write {path}: {exc}", severity="error", markup=False)
            return
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
