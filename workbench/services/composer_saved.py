"""The composer session's saved state: the draft and the set-aside conversation read back at
start-up (and by the CLI's `--from-draft`), and written by the autosave. A mixin of
`ComposerSession`, kept apart to keep each module small.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from workbench.services.composer_change import Change
from workbench.services.conversation import Conversation
from workbench.services.draft import Draft

if TYPE_CHECKING:
    from workbench.services.autosave import Autosave

Snapshot = tuple[dict[str, Any], dict[str, Any] | None]


class SavedState:
    """Uses the session's `slot`, `draft`, `set_aside`, `loaded`, `_emit`, `_replace_draft`,
    `last_user_turn`, `autosave` and `_write`."""

    slot: str
    draft: Draft
    set_aside: Conversation | None
    loaded: bool
    autosave: Autosave[Any]
    _write: Any

    async def restore(self) -> None:
        """Read the saved draft and set-aside (a thread: SQLite); applied unless typing began.
        A draft that cannot be read is not written over: autosave stays off and it says so;
        one that cannot be used is kept under `<slot>.damaged` first."""
        from workbench.services.drafts import DraftLoadError, load_draft, load_set_aside, save_draft

        try:
            data, set_aside = await asyncio.to_thread(
                lambda: (load_draft(self.slot), load_set_aside(self.slot)))
        except DraftLoadError as exc:
            self._emit(Change("problem", severity="error", message=f"{exc}. Autosave is off "
                              "so that it is not written over; restart to try again."))
            return
        if not self.restore_from(data, set_aside) and data:
            await asyncio.to_thread(save_draft, f"{self.slot}.damaged", data)

    def restore_from(self, data: dict[str, Any] | None,
                     set_aside: dict[str, Any] | None) -> bool:
        """False when the saved draft could not be used (the user is told)."""
        ok = True
        pristine = all(t.is_empty() for t in self.draft.turns) and not self.draft.system
        if data and pristine:
            try:
                self._replace_draft(Draft.from_dict(data))
            except (TypeError, ValueError, AttributeError, KeyError) as exc:  # damaged
                ok = False
                self._emit(Change("problem", message=f"could not restore the saved draft: "
                                  f"{exc} (kept as '{self.slot}.damaged')"))
        if set_aside and self.set_aside is None:
            try:
                conversation = Conversation.from_data(set_aside)
            except (TypeError, ValueError, AttributeError) as exc:
                self._emit(Change("problem", message="could not restore the cleared "
                                  f"conversation: {exc}"))
            else:
                if not conversation.is_blank or conversation.setup is not None:
                    self.set_aside = conversation
        self.loaded = True
        self._emit(Change("draft", focus=self.last_user_turn()))
        return ok

    def load_saved(self) -> bool:
        """Synchronously, for the CLI (`--from-draft`): False when nothing is saved."""
        from workbench.services.drafts import load_draft

        data = load_draft(self.slot)
        if not data:
            return False
        self._replace_draft(Draft.from_dict(data))
        return True

    def _write_snapshot(self, slot: str, snapshot: Snapshot) -> None:
        if self._write is None:
            from workbench.services.drafts import save_draft_and_set_aside

            self._write = save_draft_and_set_aside
        self._write(slot, *snapshot)

    async def flush(self) -> None:
        """Write what is pending now and wait for every write (on exit, and in tests)."""
        await self.autosave.flush()
