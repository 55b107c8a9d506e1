"""The Compose pane: build a request, run it with a streamed reply, and iterate.

The screen only arranges widgets and routes actions: the request is built by `Draft`, runs go
through `services.runner`, counting through the shared client, in workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Static, TextArea

from workbench.ui.key_order import focus_now
from workbench.ui.screens.base import Deferred, WorkbenchScreen
from workbench.ui.screens.compose_edit import EditActions
from workbench.ui.screens.compose_run import RunActions
from workbench.ui.screens.compose_side import SIDE_CSS, SideActions, SideSummary
from workbench.ui.widgets.ordered_text_area import OrderedTextArea
from workbench.ui.widgets.turn_list import TurnList

if TYPE_CHECKING:  # imported after the first frame
    from workbench.services.draft import Draft, OrderedSaver
    from workbench.ui.widgets.params import ParamsPanel
    from workbench.ui.widgets.token_gauge import TokenGauge

COUNT_FIELDS = ("model", "messages", "system", "tools", "tool_choice", "thinking",
                "output_config", "speed", "cache_control")
COUNT_DEBOUNCE = 0.4
# What the autosave writes: the draft, and the conversation a clear set aside (or None).
Snapshot = tuple[dict[str, Any], dict[str, Any] | None]
AUTOSAVE_DEBOUNCE = 0.3


# F1's help panel: Textual splits it off the right of the screen, which left the turns and the
# reply 19 columns each at 120 columns. Here it lies over the column that does not hold the
# focus (the parameters, or the turns when the focus is right of the middle), between the top
# bar and the footer, and nothing moves.
HELP_CSS = """
ComposeScreen { layers: default help; }
ComposeScreen HelpPanel {
    layer: help; split: initial; dock: right; width: 42; max-width: 42;
    margin: 1 0 1 0; height: 100%; background: $surface;
}
ComposeScreen.-help-left HelpPanel {
    dock: left; border-left: none; border-right: vkey $foreground 30%;
}
ComposeScreen.-narrow HelpPanel { width: 50%; }
"""


class ComposeScreen(SideActions, RunActions, EditActions, WorkbenchScreen):
    MODE = "compose"
    AUTO_FOCUS = "TurnList TextArea"
    HELP = """
## Compose
Write a system prompt and turns, set parameters on the right, run with **ctrl+r**.
**alt+p** goes to the parameters and back (on a narrow terminal they are summed up in one line
under the turns, and alt+p shows them in the reply's place; **esc** hides them again).
The reply streams in the middle; **esc** cancels and keeps what arrived.
After a run: **alt+a** appends the reply as an assistant turn, **alt+t** answers a tool call,
**ctrl+o** opens the inspector (raw request, headers, SSE events), **alt+c** copies the reply,
**alt+y** its last code block, **alt+j** the response JSON.
**alt+i** attaches an image, a PDF or a .txt file (a path or a Files API id), **alt+u**
removes one (the turn's text stays). **ctrl+l** clears the
conversation to start over (the system prompt, parameters, tools and skills stay);
**alt+z** brings it back, also after a restart. **alt+s** removes a skill from the request.
"""
    BINDINGS = [
        Binding("ctrl+r", "run", "Run", id="compose.run", priority=True),
        Binding("ctrl+enter", "run", "Run", id="compose.run_enter", show=False, priority=True),
        Binding("escape", "cancel", "Cancel", id="compose.cancel"),
        Binding("ctrl+n", "add_turn", "Add turn", id="compose.add_turn", priority=True),
        Binding("alt+d", "delete_turn", "Delete turn", id="compose.delete_turn", show=False, priority=True),
        Binding("alt+up", "move_turn(-1)", "Move turn up", id="compose.turn_up", show=False, priority=True),
        Binding("alt+down", "move_turn(1)", "Move turn down", id="compose.turn_down", show=False, priority=True),
        Binding("alt+r", "toggle_role", "Switch role", id="compose.role", show=False, priority=True),
        Binding("alt+a", "append_reply", "Append reply", id="compose.append", priority=True),
        Binding("alt+t", "answer_tool", "Tool result", id="compose.tool_result", show=False, priority=True),
        Binding("ctrl+o", "inspector", "Inspector", id="compose.inspector"),
        Binding("alt+c", "copy_reply", "Copy reply", id="compose.copy_reply", priority=True),
        # Not alt+b / alt+f: terminals send them as ESC b / ESC f, which Textual reads as
        # ctrl+left / ctrl+right (word moves), so those bindings never fired.
        Binding("alt+y", "copy_code", "Copy code block", id="compose.copy_code", show=False, priority=True),
        Binding("alt+j", "copy_json", "Copy response JSON", id="compose.copy_json", show=False, priority=True),
        Binding("alt+i", "attach", "Attach file", id="compose.attach", show=False, priority=True),
        Binding("alt+e", "editor", "Open in $EDITOR", id="compose.editor", show=False, priority=True),
        Binding("ctrl+l", "clear_conversation", "Clear conversation", id="compose.clear", show=False, priority=True),
        Binding("alt+z", "undo_clear", "Undo clear", id="compose.undo_clear", show=False, priority=True),
        Binding("alt+s", "remove_skill", "Remove skill", id="compose.remove_skill", show=False, priority=True),
        # Also on the turn list, which shows it in the footer while a turn has an attachment;
        # here it works wherever the focus is, and the palette lists it.
        Binding("alt+u", "remove_attachment", "Remove attachment", id="compose.remove_attachment_any", show=False, priority=True),
        Binding("alt+p", "params", "Parameters", id="compose.params", show=False, priority=True),
    ]
    # At 80 columns these give way to the app's keys (f1, ^s, alt+x), which act on this draft.
    NARROW_FOOTER_SPARE = frozenset({"compose.append", "compose.inspector",
                                     "compose.copy_reply"})
    DEFAULT_CSS = """
    ComposeScreen #compose-body { height: 1fr; }
    ComposeScreen #editor { width: 1fr; padding: 0 1; }
    ComposeScreen #system { height: auto; min-height: 3; max-height: 10; border: round $panel; }
    ComposeScreen #system:focus { border: round $primary; }
    ComposeScreen .section { color: $text-muted; text-style: bold; margin-top: 1; }
    ComposeScreen #transcript { width: 1fr; padding: 0 1; border-left: solid $panel; }
    ComposeScreen #transcript:focus { border-left: solid $primary; }
    ComposeScreen #transcript-hint { color: $text-muted; margin: 1 0; }
    ComposeScreen #side { width: 42; }
    """ + SIDE_CSS + HELP_CSS

    def __init__(self) -> None:
        super().__init__()
        self.replies: list[Any] = []  # ReplyView, imported with the first run
        self.last_result: Any = None
        self.running = False
        self._run_worker: Any = None
        self._variables: dict[str, str] = {}
        self._skills: list[dict[str, Any]] = []
        self._extra: dict[str, Any] = {}
        self._models: dict[str, Any] = {}
        self._loaded = False
        self._saver: OrderedSaver[Snapshot] | None = None

    # --- layout -------------------------------------------------------------------------------
    @on(events.DescendantFocus)
    def _place_help(self, event: events.DescendantFocus) -> None:
        """F1's panel goes over the half of the screen without the focus."""
        region = event.widget.region
        self.set_class(region.x + region.width // 2 > self.size.width // 2, "-help-left")

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="compose-body"):
            # Not focusable itself (its editors are, and scroll into view): focused, it took
            # the typing between the system prompt and the turns and dropped it (trial finding).
            with VerticalScroll(id="editor", can_focus=False):
                yield Label("System prompt", classes="section")
                yield OrderedTextArea("", id="system", soft_wrap=True, tab_behavior="focus")
                yield Label("Messages", classes="section")
                yield TurnList(id="turns")
            with VerticalScroll(id="transcript"):
                yield Static("Replies appear here. ctrl+r runs the request.",
                             id="transcript-hint")
            with Vertical(id="side"):
                # Mounted after the first frame: the panel is most of the screen's build cost.
                yield Deferred(self._make_params)
                yield Deferred(self._make_gauge)
        yield SideSummary("", id="side-summary")  # narrow only: the side column in one line

    def _make_params(self) -> ParamsPanel:
        from workbench.ui.widgets.params import ParamsPanel

        return ParamsPanel(self.wb.settings.api_version, id="params")

    def _make_gauge(self) -> TokenGauge:
        from workbench.ui.widgets.token_gauge import TokenGauge

        return TokenGauge(id="gauge")

    @property
    def params(self) -> ParamsPanel:
        return self.query_one("#params")  # type: ignore[return-value]

    @property
    def turn_list(self) -> TurnList:
        return self.query_one(TurnList)

    @property
    def gauge(self) -> TokenGauge:
        return self.query_one("#gauge")  # type: ignore[return-value]

    @property
    def side_ready(self) -> bool:
        return bool(self.query("ParamsPanel")) and bool(self.query("TokenGauge"))

    def on_params_panel_ready(self) -> None:
        """ParamsPanel.Ready: the panel is mounted (after the first frame)."""
        from workbench.services.draft import Draft

        self.params.fill(Draft(model=self.wb.settings.default_model))
        self.load_saved_draft()

    @work(thread=True, group="draft-load", exit_on_error=False)
    def load_saved_draft(self) -> None:
        from workbench.services.drafts import load_draft, load_set_aside

        slot = self.wb.settings.active_profile
        data, set_aside = load_draft(slot), load_set_aside(slot)
        self.app.call_from_thread(self._restore, data, set_aside)

    async def _restore(self, data: dict[str, Any] | None,
                       set_aside: dict[str, Any] | None = None) -> None:
        from workbench.services.draft import Draft

        pristine = all(not t.text and not t.blocks for t in self.turn_list.turns())
        if data and pristine:
            try:
                await self._apply_draft(Draft.from_dict(data))
            except (TypeError, ValueError) as exc:
                self.notify(f"could not restore the saved draft: {exc}", severity="warning")
        # Before `_loaded`: the first autosave writes the set-aside back, it must not drop it.
        self.adopt_set_aside(set_aside)
        self._loaded = True
        self.fetch_model_info(self.current_draft().model)
        self.request_changed()

    # --- the draft ----------------------------------------------------------------------------
    def current_draft(self) -> Draft:
        from workbench.services.draft import Draft

        draft = Draft(model=self.wb.settings.default_model)
        if self.query("ParamsPanel"):
            self.params.read_into(draft)
        draft.system = self.query_one("#system", TextArea).text
        draft.turns = self.turn_list.turns()
        draft.skills = [dict(s) for s in self._skills]
        draft.extra = dict(self._extra)
        return draft

    async def _apply_draft(self, draft: Draft) -> None:
        # Everything that is set at once first: the turns' remount below yields to the loop.
        self.params.fill(draft)
        self._skills = list(draft.skills)
        self._extra = dict(draft.extra)
        system = self.query_one("#system", TextArea)
        in_system = self.focused is system
        system.text = draft.system
        moved = await self.turn_list.set_turns(draft.turns)  # keeps a turn's focus in the turns
        if moved is not None:
            moved.move_cursor(moved.document.end)
        focused = self.focused
        if not in_system and (focused is None or focused is system or not focused.is_attached):
            # the focused turn editor was replaced: typing goes on in the last user turn,
            # not wherever focus fell back to (the system prompt)
            editors = self.turn_list.editors
            users = [e for e in editors if e.turn.role == "user"]
            if editors:
                area = (users[-1] if users else editors[-1]).area
                focus_now(area)
                area.move_cursor(area.document.end)

    async def wait_side_loaded(self, timeout: float = 5.0) -> None:
        """Until the side panel is mounted and filled (it comes after the first frame)."""
        for _ in range(int(timeout / 0.02)):
            if self.side_ready and self._loaded:
                return
            await asyncio.sleep(0.02)

    def open_draft(self, draft: Draft, source: str = "") -> None:
        async def apply() -> None:
            # Not before the panel's own default fill, which would overwrite the draft's values.
            await self.wait_side_loaded()
            kept = bool(source) and not self.running and await self.set_aside_for_open()
            await self._apply_draft(draft)
            self.fetch_model_info(draft.model)
            self.request_changed()
            if source:
                self.notify(f"opened in the composer ({source})"
                            + ("; alt+z brings back the draft it replaced" if kept else ""))
        self.run_worker(apply(), group="open-draft", exclusive=True)

    def set_model(self, model_id: str, info: Any = None) -> None:
        if info is not None:
            self._models[model_id] = info
        self.query_one("#model-btn").label = model_id  # type: ignore[attr-defined]
        self._show_model(model_id)
        if info is None:
            self.fetch_model_info(model_id)
        self.request_changed()

    # --- models ---------------------------------------------------------------------------------
    @work(exclusive=True, group="model-info", exit_on_error=False)
    async def fetch_model_info(self, model_id: str) -> None:
        from workbench.api.errors import APIError

        if model_id not in self._models:
            client = await self.wb.wait_client()
            try:
                self._models[model_id] = await client.models.get(model_id)
            except APIError as exc:
                self.params.query_one("#model-info", Static).update(f"unknown model: {exc}")
                return
        self._show_model(model_id)

    def _show_model(self, model_id: str) -> None:
        info = self._models.get(model_id)
        max_in = getattr(info, "max_input_tokens", None) if info is not None else None
        max_out = getattr(info, "max_tokens", None) if info is not None else None
        if isinstance(info, dict):
            max_in, max_out = info.get("max_input_tokens"), info.get("max_tokens")
        self.params.set_model(model_id, max_in, max_out)
        self.gauge.set_limit(max_in)
        self.refresh_side_summary()

    def on_button_pressed(self, event) -> None:
        if event.button.id == "model-btn":
            self.run_worker(self.app.switch_mode("models"))

    # --- change tracking: estimate at once, exact count after a pause, autosave -----------------
    # By handler name: Select and Switch are imported with the side panel, not before.
    def on_text_area_changed(self, event: Any) -> None:
        self._on_edit(event)

    def on_input_changed(self, event: Any) -> None:
        self._on_edit(event)

    def on_switch_changed(self, event: Any) -> None:
        self._on_edit(event)

    def on_select_changed(self, event: Any) -> None:
        self._on_edit(event)

    def _on_edit(self, event: Any) -> None:
        if getattr(event, "text_area", None) is not None and event.text_area.id == "tools":
            draft = self.current_draft()
            if self.params.check_tools(draft) is None:
                self.params.refresh_tool_choices(draft)
        self.request_changed()

    def request_changed(self) -> None:
        if not self.is_mounted or not self._loaded or not self.side_ready:
            return
        from workbench.services.draft import Draft, DraftError, Turn
        from workbench.services.tokens import estimate_request

        draft = self.current_draft()
        try:
            body = draft.to_request(self.wb.settings.api_version)
        except DraftError:  # bad tools JSON, an empty turn, an attachment that is gone:
            # count what can be counted (a run says what is wrong; the draft stays as it is)
            turns = [t for t in draft.turns if not t.is_empty()]
            try:
                body = Draft(model=draft.model, system=draft.system, turns=turns) \
                    .to_request(self.wb.settings.api_version)
            except DraftError:
                bare = (Turn(t.role, t.text, blocks=t.blocks) for t in turns)
                turns = [t for t in bare if not t.is_empty()]
                body = Draft(model=draft.model, system=draft.system, turns=turns) \
                    .to_request(self.wb.settings.api_version)
        self.gauge.set_estimate(estimate_request(body))
        self.refresh_side_summary(draft)
        self.count_exact(body)
        if self._loaded:
            self._autosave_timer_reset()

    @work(exclusive=True, group="count", exit_on_error=False)
    async def count_exact(self, body: dict[str, Any]) -> None:
        """Debounced; exclusive, so a newer edit cancels this one (at most one in flight)."""
        from workbench.api.errors import APIError

        await asyncio.sleep(COUNT_DEBOUNCE)
        if not body.get("messages"):
            return
        client = await self.wb.wait_client()
        params = {k: v for k, v in body.items() if k in COUNT_FIELDS}
        try:
            counted = await client.messages.count_tokens(params)
        except APIError as exc:
            self.gauge.set_exact(None, getattr(exc, "message", None) or str(exc))
            return
        self.gauge.set_exact(counted.input_tokens)
        self.refresh_side_summary()

    def _autosave_timer_reset(self) -> None:
        timer = getattr(self, "_autosave_timer", None)
        if timer is not None:
            timer.stop()
        self._autosave_timer = self.set_timer(AUTOSAVE_DEBOUNCE, self._autosave)

    def _autosave(self) -> None:
        saver = self._draft_saver()
        self.write_draft(self.wb.settings.active_profile,
                         (self.current_draft().to_dict(), self.set_aside_data()), saver.take())

    def _draft_saver(self) -> OrderedSaver[Snapshot]:
        """One per screen: numbers the snapshots so a slow older save never lands last."""
        if self._saver is None:
            from workbench.services.draft import OrderedSaver
            from workbench.services.drafts import save_draft_and_set_aside

            def write(slot: str, snapshot: Snapshot) -> None:
                save_draft_and_set_aside(slot, *snapshot)

            self._saver = OrderedSaver(write)
        return self._saver

    @work(thread=True, group="autosave", exit_on_error=False)
    def write_draft(self, slot: str, snapshot: Snapshot, number: int) -> None:
        """A thread (SQLite); `number` from `OrderedSaver.take()` when the snapshot was taken.

        The snapshot is the draft with the conversation a clear set aside, written together:
        after a clear, the emptied draft never reaches the disk without what it replaced.
        """
        assert self._saver is not None  # made on the UI thread by _autosave
        try:
            self._saver.save(number, slot, snapshot)
        except OSError as exc:
            self.app.call_from_thread(self.notify, f"autosave failed: {exc}", severity="error")

    # --- commands ---------------------------------------------------------------------------------
    def palette_commands(self) -> Iterable[SystemCommand]:
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.id != "compose.run_enter":
                action = binding.action
                yield SystemCommand(binding.description, f"Compose: {binding.description} "
                                    f"({binding.key})",
                                    lambda a=action: self.run_action(a))
