"""The composer as a headless session: the draft, its commands, its rules and its autosave.

The Compose screen is a view of this object: it forwards what the user types and the commands
bound to keys, and mirrors each `Change` the session announces (mounting or removing only the
turns that differ, so the focus never moves under the user). Everything else that needs the
composer's request (compare, code export, batch create, the CLI's `--from-draft`) reads the
same session, so the rules (parameter checks, the request body, the variables remembered)
exist once. Textual-free: plain unit tests drive it.

Clearing is undoable rather than confirmed (see `services.conversation`), and so are the
other turn edits (`services.composer_undo`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.services import cache_points, param_rules
from workbench.services.autosave import Autosave
from workbench.services.composer_change import Change, ChangeKind, Refused
from workbench.services.composer_saved import SavedState, Snapshot
from workbench.services.composer_undo import WHAT, UndoStack
from workbench.services.conversation import Conversation, reply_parts
from workbench.services.draft import Attachment, Draft, DraftError, Turn
from workbench.services.prompt_memory import PromptMemory, RememberedValues

# seconds; module attributes so tests can shorten them
COUNT_DEBOUNCE = 0.4
AUTOSAVE_DEBOUNCE = 0.3
AUTOSAVE_MAX_WAIT = 1.0  # typing never keeps the autosave waiting longer than this

PARAMS = ("model", "max_tokens", "temperature", "top_p", "top_k", "stop_sequences", "thinking",
          "thinking_budget", "tools_json", "tool_choice", "betas")


class ComposerSession(RememberedValues, SavedState):
    """One per profile (`slot`); made by the App, read by every screen and by the CLI."""

    def __init__(self, slot: str, *, default_model: str, api_version: str,
                 write: Callable[[str, dict[str, Any], dict[str, Any] | None], None] | None = None,
                 memory: PromptMemory | None = None) -> None:
        self.slot = slot
        self.api_version = api_version
        self.draft = Draft(model=default_model)
        self.texts = param_rules.texts_of(self.draft)  # the parameter fields as typed
        self.set_aside: Conversation | None = None
        self.replies: list[object] = []
        self.last_result: Any = None
        self.running = False
        self.variables: dict[str, str] = {}
        self.dataset: tuple[str, int] = ("", 1)
        # The library prompt the draft is a version of ("": not saved yet): the save dialog
        # offers its name, and the variables and dataset are remembered per prompt (`memory`).
        self.prompt_name = ""
        self.skill_names: dict[str, str] = {}  # skill id -> display title (for this session)
        self.memory = memory
        self._recalled: str | None = None
        self.models: dict[str, Any] = {}  # model id -> ModelInfo (or a dict)
        self.loaded = False  # the saved draft was read: autosave may write
        self.undo_stack = UndoStack()
        self._listeners: list[Callable[[Change], None]] = []
        # The view's way to hand over what was typed but not announced yet (its change
        # messages may still be queued); readers outside the view call it first.
        self.before_read: Callable[[], None] = lambda: None
        self._write = write
        self.autosave: Autosave[Snapshot] = Autosave(
            slot, lambda: (self.draft.to_dict(), self.set_aside_data()), self._write_snapshot,
            lambda exc: self._emit(Change("problem", message=f"autosave failed: {exc}",
                                          severity="error")))

    # --- listening -----------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)
        if change.kind != "problem" and self.loaded:
            self.autosave.changed(AUTOSAVE_DEBOUNCE, AUTOSAVE_MAX_WAIT)

    # --- typing ----------------------------------------------------------------------------------
    def set_system(self, text: str) -> None:
        if text != self.draft.system:
            self.draft.system = text
            self._emit(Change("text"))

    def set_text(self, index: int, text: str) -> None:
        turn = self.draft.turns[index]
        if text != turn.text:
            turn.text = text
            self._emit(Change("text"))

    def set_turn_text(self, turn: Turn, text: str) -> None:
        """By identity: a turn the draft no longer holds (replaced meanwhile) is ignored."""
        for index, candidate in enumerate(self.draft.turns):
            if candidate is turn:
                self.set_text(index, text)
                return

    def set_params(self, draft: Draft, texts: dict[str, str]) -> None:
        """The parameters panel's values (`draft` holds them; `texts` the fields as typed)."""
        from workbench.services.request_options import merge

        before = ([getattr(self.draft, n) for n in PARAMS], dict(self.texts),
                  dict(self.draft.extra))
        for name in PARAMS:
            setattr(self.draft, name, getattr(draft, name))
        merge(self.draft.extra, draft.extra)  # effort, structured output, ... (request_options)
        self.texts.update(texts)
        if ([getattr(self.draft, n) for n in PARAMS], self.texts, self.draft.extra) != before:
            self._emit(Change("params"))

    def set_server_tools(self, settings: dict[str, Any]) -> None:
        self.draft.server_tools = settings  # see services.server_tools
        self._emit(Change("params"))

    def set_model(self, model_id: str, info: Any = None) -> None:
        if info is not None:
            self.models[model_id] = info
        self.draft.model = model_id
        self._emit(Change("params"))

    async def load_model(self, client: Any, model_id: str) -> str | None:
        """The model's details from the Models API (once); why not, when they cannot be had."""
        from workbench.api.errors import APIError
        from workbench.api.platforms import PlatformUnsupported

        if model_id not in self.models:
            try:
                self.models[model_id] = await client.models.get(model_id)
            except PlatformUnsupported:
                return None  # a cloud without a Models API: the limits stay unknown
            except APIError as exc:
                return f"unknown model: {exc}"
        return None

    def model_limits(self, model_id: str | None = None) -> tuple[int | None, int | None]:
        """(context window, maximum output) of a model, when known."""
        info = self.models.get(model_id or self.draft.model)
        if isinstance(info, dict):
            return info.get("max_input_tokens"), info.get("max_tokens")
        return getattr(info, "max_input_tokens", None), getattr(info, "max_tokens", None)

    # --- turns -----------------------------------------------------------------------------------
    def add_turn(self, at: int | None = None, role: str | None = None, text: str = "",
                 blocks: list[dict[str, Any]] | None = None, *, focus: bool = True) -> int:
        """A new turn at `at` (the end by default); its role alternates with the one before."""
        turns = self.draft.turns
        index = len(turns) if at is None else max(0, min(at, len(turns)))
        if role is None:
            before = turns[index - 1].role if index > 0 else "assistant"
            role = "assistant" if before == "user" else "user"
        turns.insert(index, Turn(role, text, blocks=list(blocks or [])))  # type: ignore[arg-type]
        self._emit(Change("turns", focus=index if focus else None))
        return index

    def delete_turn(self, index: int) -> int:
        """The turn goes (the only turn is emptied instead); returns the turn focused next."""
        turns = self.draft.turns
        self.undo_stack.record("delete", turns, index)
        if len(turns) <= 1:
            only = turns[0]
            only.text = ""
            only.blocks.clear()
            only.attachments.clear()
            self._emit(Change("turns", focus=0, edited=(0,)))
            return 0
        del turns[index]
        focus = min(index, len(turns) - 1)
        self._emit(Change("turns", focus=focus))
        return focus

    def move_turn(self, index: int, step: int) -> int:
        turns = self.draft.turns
        target = index + step
        if not 0 <= target < len(turns):
            return index
        self.undo_stack.record("move", turns, index)
        turns.insert(target, turns.pop(index))
        self._emit(Change("turns", focus=target))
        return target

    def toggle_role(self, index: int) -> None:
        self.undo_stack.record("role", self.draft.turns, index)
        turn = self.draft.turns[index]
        turn.role = "assistant" if turn.role == "user" else "user"
        self._emit(Change("turns"))

    def last_user_turn(self) -> int:
        turns = self.draft.turns
        users = [i for i, t in enumerate(turns) if t.role == "user"]
        return users[-1] if users else len(turns) - 1

    # --- attachments and skills ------------------------------------------------------------------
    def attach(self, attachment: Attachment, index: int) -> int:
        """To turn `index` when it is a user turn, else to the last user turn; returns which."""
        if self.draft.turns[index].role != "user":
            users = [i for i, t in enumerate(self.draft.turns) if t.role == "user"]
            index = users[-1] if users else index
        self.draft.turns[index].attachments.append(attachment)
        self._emit(Change("turns", focus=index))
        return index

    def attachments(self, first: int) -> list[tuple[Turn, Attachment]]:
        """Every attachment, turn `first`'s first (the focused turn's, in a picker)."""
        turns = self.draft.turns
        order = [first, *(i for i in range(len(turns)) if i != first)]
        return [(turns[i], a) for i in order if 0 <= i < len(turns) for a in turns[i].attachments]

    def remove_attachment(self, turn: Turn, attachment: Attachment) -> int | None:
        """By identity (the turns may have moved since it was picked); the turn's number, or
        None when it is no longer attached."""
        for number, candidate in enumerate(self.draft.turns):
            if candidate is turn:
                for i, other in enumerate(turn.attachments):
                    if other is attachment:
                        del turn.attachments[i]
                        self._emit(Change("turns"))
                        return number
        return None

    def use_skill(self, skill: dict[str, Any], name: str = "") -> bool:
        """False when the request already uses it. `name`: its display title, shown."""
        if name:
            self.skill_names[str(skill.get("skill_id"))] = name
        if any(s.get("skill_id") == skill.get("skill_id") for s in self.draft.skills):
            return False
        self.draft.skills.append(dict(skill))
        self._emit(Change("skills"))
        return True

    def remove_skill(self, index: int) -> dict[str, Any]:
        skill = self.draft.skills.pop(index)
        self._emit(Change("skills"))
        return skill

    def toggle_cache(self, target: str | int) -> str | None:
        """Cycle a cache breakpoint (off, 5m, 1h); Refused says which rule stops it."""
        try:
            ttl = cache_points.toggle(self.draft, target, self.api_version)
        except ValueError as exc:
            raise Refused(str(exc)) from None
        self._emit(Change("turns" if isinstance(target, int) else "params"))
        return ttl

    # --- replies ---------------------------------------------------------------------------------
    def started(self, reply: object, result: Any) -> None:
        """A run began; `reply` is the view's token for its reply."""
        self.replies.append(reply)
        self.last_result = result
        self.running = True

    def finished(self) -> None:
        self.running = False

    @property
    def last_message(self) -> Any:
        return getattr(self.last_result, "message", None)

    def append_reply(self) -> None:
        """The last reply as an assistant turn (continuing a prefill), then an empty user turn."""
        message = self.last_message
        if message is None:
            raise Refused("no reply to append yet")
        text, blocks = reply_parts(message)
        turns = self.draft.turns
        if len(turns) > 1 and turns[-1].role == "user" and not (turns[-1].text or turns[-1].blocks) \
                and turns[-2].role == "assistant" and (turns[-2].text, turns[-2].blocks or []) \
                == (text, blocks or []):  # alt+a twice: the same reply twice, one empty turn
            raise Refused("the reply is already the last assistant turn: type the next message")
        edited: tuple[int, ...] = ()
        if turns[-1].role == "assistant" and not turns[-1].blocks:
            last = turns[-1]  # the reply continues this prefill, blocks and all, in order
            if blocks and last.text:
                blocks.insert(0, {"type": "text", "text": last.text})
            last.blocks, last.text = blocks, (text if blocks else last.text + text)
            edited = (len(turns) - 1,)
        else:
            turns.append(Turn("assistant", text, blocks=blocks))
        turns.append(Turn("user", ""))
        self._emit(Change("turns", focus=len(turns) - 1, edited=edited))

    def tool_uses(self) -> list[Any]:
        return [b for b in getattr(self.last_message, "content", None) or []
                if b.type == "tool_use"]

    def answer_tool(self, value: str) -> None:
        """The reply and a user turn with the first tool call's result ("not run" for others)."""
        uses = self.tool_uses()
        if not uses:
            raise Refused("the last reply has no tool call to answer")
        text, blocks = reply_parts(self.last_message)
        self.draft.turns.append(Turn("assistant", text, blocks=blocks))
        results = [{"type": "tool_result", "tool_use_id": u.id,
                    "content": value if u is uses[0] else "not run"} for u in uses]
        self.draft.turns.append(Turn("user", "", blocks=results))
        self._emit(Change("turns", focus=len(self.draft.turns) - 1))

    # --- clearing, undoing, opening --------------------------------------------------------------
    def _conversation(self) -> Conversation:
        return Conversation(list(self.draft.turns), list(self.replies), self.last_result)

    def _keep_aside(self, conversation: Conversation) -> tuple[object, ...]:
        """Only one is kept: the replies of the older one are let go (returned)."""
        dropped = tuple(self.set_aside.replies) if self.set_aside is not None else ()
        self.set_aside = conversation
        return dropped

    def _refuse_while_running(self) -> None:
        if self.running:
            raise Refused("a run is in progress (esc cancels it)")

    def clear(self) -> None:
        """Start over: one empty user turn, no replies; the setup (system, tools...) stays."""
        self._refuse_while_running()
        current = self._conversation()
        if current.is_blank:
            raise Refused("the conversation is already empty")
        dropped = self._keep_aside(current)
        self.undo_stack.record("clear", [], 0)
        self.draft.turns = [Turn("user", "")]
        self.replies, self.last_result = [], None
        self._emit(Change("conversation", focus=0, hide=tuple(current.replies), drop=dropped))

    def undo(self) -> str | Conversation:
        """alt+z: the last turn edit (delete, move, role, clear) undone, newest first; with
        none left, the set-aside conversation or draft swapped back (`undo_clear`)."""
        entry = self.undo_stack.top
        if entry is None or entry.kind == "clear":
            back = self.undo_clear()
            if entry is not None:
                self.undo_stack.pop()
            return back
        self.undo_stack.pop()
        self.draft.turns, edited = UndoStack.apply(entry)
        self._emit(Change("turns", focus=min(entry.focus, len(self.draft.turns) - 1),
                          edited=edited))
        return WHAT[entry.kind]

    def undo_clear(self) -> Conversation:
        """Swap the set-aside conversation (or draft) back in, and the current one out for the
        next undo; returns what came back."""
        if self.set_aside is None:
            raise Refused("no cleared conversation to bring back")
        self._refuse_while_running()
        current, back = self._conversation(), self.set_aside
        kind: ChangeKind = "conversation"
        if back.setup is not None:  # a whole draft that an opened one replaced
            self.undo_stack.forget()
            current.setup = self.draft.to_dict()
            self._replace_draft(Draft.from_dict(back.setup))
            kind = "draft"
        self.draft.turns = list(back.turns) or [Turn("user", "")]
        self.replies, self.last_result = list(back.replies), back.last_result
        self.set_aside = None if current.is_blank and current.setup is None else current
        self._emit(Change(kind, focus=self.last_user_turn(), hide=tuple(current.replies),
                          show=tuple(back.replies)))
        return back

    def open(self, draft: Draft, *, keep: bool = True) -> bool:
        """Put `draft` in the composer. With `keep` (and no run going) the draft it replaces,
        replies and all, is set aside for `undo_clear`; True when something was kept."""
        current = self._conversation()
        kept = keep and not (current.is_blank and not self.draft.system.strip())
        hide: tuple[object, ...] = ()
        dropped: tuple[object, ...] = ()
        if kept:
            if self.running:  # the run's reply stays where it is; the draft goes aside
                current.replies, current.last_result = [], None
            current.setup = self.draft.to_dict()
            dropped = self._keep_aside(current)
            hide = tuple(current.replies)
            if not self.running:
                self.replies, self.last_result = [], None
        self._replace_draft(draft)
        self._emit(Change("draft", focus=self.last_user_turn(), hide=hide, drop=dropped))
        return kept

    def branch(self, index: int) -> int:
        """A new draft with the setup and the turns up to turn `index`; the current one (with
        its replies) is set aside as an open does (alt+z brings it back); History and the
        library keep what they hold. Returns how many turns the branch has."""
        draft = Draft.from_dict(self.draft.to_dict())
        draft.turns = draft.turns[: index + 1]
        self.open(draft, keep=True)
        return len(draft.turns)

    def _replace_draft(self, draft: Draft) -> None:
        self.undo_stack.forget()
        self.draft = draft
        self.texts = param_rules.texts_of(draft)

    def set_aside_data(self) -> dict[str, Any] | None:
        return None if self.set_aside is None else self.set_aside.to_data()

    # --- building and checking the request -------------------------------------------------------
    def problems(self) -> list[param_rules.Problem]:
        """What the API would reject in the parameters, as the fields hold them."""
        context = param_rules.context_of(self.draft, self.texts, self.model_limits()[1])
        return param_rules.problems(self.texts, context, self.api_version)

    def check(self) -> None:
        """Raise the first parameter problem as a DraftError."""
        found = self.problems()
        if found:
            raise DraftError(found[0].message)

    def request(self, variables: dict[str, str] | None = None, *,
                stream: bool = False) -> dict[str, Any]:
        return self.draft.to_request(self.api_version, variables, stream=stream)

    def run_body(self) -> dict[str, Any]:
        """The body a run sends, checked: DraftError (EmptyTurnError names the turn) or
        Refused when there is nothing to send."""
        self._refuse_while_running()
        self.check()
        cache_problem = cache_points.problem(self.draft, self.api_version)  # e.g. 5 imported
        if cache_problem:
            raise DraftError(cache_problem)
        body = self.request()
        if not body["messages"]:
            raise Refused("write a message first")
        return body

    def count_body(self) -> dict[str, Any]:
        """What can be counted while the draft is being written (bad tools JSON, an empty turn,
        an attachment that is gone): never raises."""
        draft = self.draft
        try:
            return draft.to_request(self.api_version)
        except DraftError:
            pass
        turns = [t for t in draft.turns if not t.is_empty()]
        try:
            return Draft(model=draft.model, system=draft.system, turns=turns) \
                .to_request(self.api_version)
        except DraftError:
            bare = [Turn(t.role, t.text, blocks=t.blocks) for t in turns]
            return Draft(model=draft.model, system=draft.system,
                         turns=[t for t in bare if not t.is_empty()]).to_request(self.api_version)
