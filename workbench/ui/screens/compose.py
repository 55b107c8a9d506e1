"""The Compose pane: a view of the App's `ComposerSession`.

The screen forwards typing and key commands to the session and mirrors each change it
announces: only the turns that differ are mounted or removed, so the focus never moves under
the user, and the turn a command focuses is scrolled into view. Runs, counting and model
look-ups run in workers.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from textual import events, getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.css.query import NoMatches

from workbench.ui.screens import compose_keys as keys
from workbench.ui.screens.base import Deferred, WorkbenchScreen
from workbench.ui.screens.block_actions import BlockActions
from workbench.ui.screens.compose_edit import EditActions
from workbench.ui.screens.compose_run import RunActions
from workbench.ui.widgets.block_flow import BlockFlow
from workbench.ui.widgets.cache_marks import show_marks as show_cache_marks
from workbench.ui.widgets.draft_editor import DraftEditor
from workbench.ui.widgets.ordered_text_area import OrderedTextArea
from workbench.ui.widgets.pane_layout import PaneLayout
from workbench.ui.widgets.rate_meter import rate_meter
from workbench.ui.widgets.run_flow import RunFlow
from workbench.ui.widgets.side_column import SideColumn
from workbench.ui.widgets.side_summary import SideSummary
from workbench.ui.widgets.transcript import Transcript
from workbench.ui.widgets.turn_list import TurnList

if TYPE_CHECKING:  # imported after the first frame
    from workbench.services.composer import Change, ComposerSession
    from workbench.services.draft import Draft
    from workbench.ui.widgets.params import ParamsPanel
    from workbench.ui.widgets.token_gauge import TokenGauge

MIRRORED = frozenset({"turns", "draft", "conversation"})  # changes that reshape the editors


class ComposeScreen(BlockActions, RunActions, EditActions, WorkbenchScreen):
    MODE = "compose"
    CSS_PATH = "compose.tcss"
    AUTO_FOCUS = "TurnList TextArea"
    HELP, BINDINGS = keys.COMPOSE_HELP, keys.COMPOSE_BINDINGS
    NARROW_FOOTER_SPARE, PALETTE_SKIP = keys.COMPOSE_FOOTER_SPARE, keys.COMPOSE_PALETTE_SKIP

    side = getters.query_one(SideColumn)
    editor = getters.query_one(DraftEditor)
    turn_list = getters.query_one(TurnList)
    transcript = getters.query_one(Transcript)
    system = getters.query_one("#system", OrderedTextArea)

    def __init__(self) -> None:
        super().__init__()
        self.runs = RunFlow(self)
        self.blocks = BlockFlow(self)
        self.layout_keys = PaneLayout(self)
        self._unsubscribe: Any = None
        self._session: ComposerSession | None = None
        self._mirror_lock = asyncio.Lock()
        self._focus_wanted: int | None = None
        self._refill = True  # the panel does not show the session's draft (yet, or any more)
        self._panel_filled = False
        self._changes: list[Change] = []
        self._edited: set[int] = set()  # turns (by id) whose text a command set

    # --- the session and the views of it ----------------------------------------------------
    @property
    def session(self) -> ComposerSession:
        """The session this view shows: the active profile's (see `_switch_session`)."""
        if self._session is None:
            self._session = self.wb.composer
        return self._session

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="compose-body"):
            yield DraftEditor(id="editor")
            yield Transcript(id="transcript")
            # Mounted after the first frame: the panel is most of the screen's build cost.
            yield SideColumn(Deferred(self._make_params), Deferred(self._make_gauge),
                             Deferred(rate_meter), id="side",
                             typing_area=lambda: self.editor.typing_area())
        yield SideSummary("", id="side-summary")  # folded only: the side column in one line

    def _make_params(self) -> ParamsPanel:
        from workbench.ui.widgets.params import ParamsPanel

        return ParamsPanel(self.wb.settings.api_version, id="params")

    def _make_gauge(self) -> TokenGauge:
        from workbench.ui.widgets.token_gauge import TokenGauge

        return TokenGauge(id="gauge")

    @property
    def params(self) -> ParamsPanel:
        return self.side.params

    @property
    def gauge(self) -> TokenGauge:
        return self.side.gauge

    @property
    def side_ready(self) -> bool:
        """The side column is mounted and shows the session's draft (after the first frame)."""
        return self._panel_filled and self.side.ready

    @property
    def settled(self) -> bool:
        """Ready, the saved draft read, every change mirrored: no refill undoes the next edit."""
        return self.side_ready and self.session.loaded and not (self._refill or self._changes)

    # --- the side column (alt+p; folded, in the reply's place) -----------------
    def action_params(self) -> None:
        self.side.toggle()
        self.refresh_side_summary()

    def close_params(self) -> None:
        self.side.close()
        self.refresh_side_summary()

    def on_fitted(self, narrow: bool) -> None:
        self.layout_keys.apply()
        self.side.fitted(narrow)
        self.refresh_side_summary()

    def refresh_side_summary(self) -> None:
        if self._panel_filled:
            self.side.refresh_summary()

    def action_maximize_pane(self) -> None:
        self.layout_keys.toggle_maximize()

    def action_resize(self, step: int) -> None:
        self.layout_keys.resize(step)

    def action_jump(self, where: str) -> None:
        self.layout_keys.jump(where)

    def action_find(self) -> None:
        self.layout_keys.find()

    def on_mount(self) -> None:
        self.layout_keys.apply()
        # After the first frame: the session's modules are not needed to paint it.
        self.wb.after_first_paint(self, self._attach_session)

    def _attach_session(self) -> None:
        """Typing may have begun in the first frame's turn: it becomes the session's."""
        if self._unsubscribe is not None:
            return
        session = self.session
        self.editor.adopt(session)
        self.side.session = session
        self._unsubscribe = session.subscribe(self._session_changed)
        session.before_read = self.pull
        self.wb.client_signal.subscribe(self, self._client_changed)

    def _client_changed(self, _message: object) -> None:
        if self.wb.composer is not self.session:  # another profile: its own draft
            self.run_worker(self._switch_session(), group="profile", exclusive=True)

    async def _switch_session(self) -> None:
        """Save the old profile's draft, then show the new one's (restored when first seen)."""
        from workbench.services.composer_change import Change

        old = self.session
        with contextlib.suppress(NoMatches):
            self.pull()
        old.before_read = lambda: None
        self._unsubscribe()
        await old.flush()
        for reply in old.replies:
            reply.display = False  # type: ignore[attr-defined]
        self._session = session = self.editor.session = self.side.session = self.wb.composer
        self._unsubscribe = session.subscribe(self._session_changed)
        session.before_read = self.pull
        for reply in session.replies:
            reply.display = True  # type: ignore[attr-defined]
        self._refill = True
        if session.loaded:
            self._session_changed(Change("draft", focus=session.last_user_turn()))
        else:
            await session.restore()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            with contextlib.suppress(NoMatches):  # the last keys typed, for the autosave
                self.pull()
            self.session.before_read = lambda: None
            self._unsubscribe()

    def on_params_panel_ready(self) -> None:
        """The panel is mounted (after the first frame): show the draft, then read the saved one."""
        self._attach_session()
        self.side.fill()
        self._refill = False
        self._panel_filled = True
        if self.session.loaded:
            self.request_changed()
        else:
            self.run_worker(self.session.restore(), group="draft-load", exit_on_error=False)

    @on(events.DescendantFocus)
    def _place_help(self, event: events.DescendantFocus) -> None:
        """F1's panel goes over the half of the screen without the focus."""
        region = event.widget.region
        self.set_class(region.x + region.width // 2 > self.size.width // 2, "-help-left")

    def _session_changed(self, change: Change) -> None:
        if change.kind == "problem":
            self.notify(change.message, severity=change.severity)  # type: ignore[arg-type]
            return
        if change.kind in MIRRORED:
            self._changes.append(change)
            self._edited.update(id(self.session.draft.turns[i]) for i in change.edited)
            if change.focus is not None:
                self._focus_wanted = change.focus
            self._refill = self._refill or change.kind == "draft"
            self.call_later(self.mirror)
        elif change.kind == "skills" and self.side_ready:
            self.side.show_skills()
        elif change.kind == "params" and self.side_ready:
            self.side.show_model(self.session.draft.model)
        self.request_changed()

    def pull(self) -> None:
        """The editors' text into the session now, before a command reads it: their Changed
        messages may still be queued behind the key that runs the command."""
        self._attach_session()
        self.editor.pull(self.session)
        self._read_params()

    async def mirror(self) -> None:
        """Bring the editors in line with the session (commands await it, so keys typed next
        go to the turn it focuses)."""
        async with self._mirror_lock:
            if not self._changes and not (self._refill and self.side_ready):
                return  # a command mirrored its change already: the queued call has no work
            changes, self._changes = self._changes, []
            focus, self._focus_wanted = self._focus_wanted, None
            session = self.session
            if self._refill and self.side_ready:
                self._refill = False
                self.side.fill()
                self.side.fetch_model_info(session.draft.model)
            edited, self._edited = self._edited, set()
            await self.editor.show(session, new_draft=any(c.kind == "draft" for c in changes),
                                   focus=focus, edited=edited)
            show_cache_marks(self)  # the system prompt's and tools' cache breakpoints
            for change in changes:
                await self.transcript.apply(change)
            self.transcript.show_hint(not session.replies)

    def open_draft(self, draft: Draft, source: str = "") -> None:
        """Replace the draft (History, Library, curl import). In the App's queue: keys typed
        after the request wait there and go to the new draft."""
        self.app.call_later(self._open, draft, source)

    async def _open(self, draft: Draft, source: str) -> None:
        await self.wait_side_loaded()  # not before the panel's own first fill
        self.pull()
        kept = self.session.open(draft, keep=bool(source))
        library = source.startswith("library:")  # "library:NAME vN": ctrl+s offers NAME
        self.session.set_prompt(source[8:].rsplit(" v", 1)[0] if library else "")
        await self.mirror()
        if source:
            self.notify(f"opened in the composer ({source})"
                        + ("; alt+z brings back the draft it replaced" if kept else ""),
                        markup=False)

    async def wait_side_loaded(self, timeout: float = 5.0) -> None:
        """Until the side panel is mounted and the saved draft read (after the first frame)."""
        for _ in range(int(timeout / 0.02)):
            if self.side_ready and self.session.loaded:
                return
            await asyncio.sleep(0.02)

    # --- models, parameters and the gauge: the side column's ------------------------------------
    def set_model(self, model_id: str, info: Any = None) -> None:
        self.session.set_model(model_id, info)
        if info is None:
            self.side.fetch_model_info(model_id)

    def on_button_pressed(self, event: Any) -> None:
        if event.button.id == "model-btn":
            self.run_worker(self.app.switch_mode("models"))

    def on_params_panel_edited(self) -> None:
        self._read_params()

    def _read_params(self) -> None:
        if self.side_ready and not self._refill:  # else the panel shows the replaced draft
            self.side.read_params()

    def request_changed(self) -> None:
        if self.is_mounted and self.session.loaded and self.side_ready:
            self.side.count()
