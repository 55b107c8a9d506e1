"""Messages that cross screens. Panes post requests (ModelChosen, OpenDraft, ...) which bubble
to the app; the app switches to the pane that acts and calls its method (attributes down).
ClientReady is the app's own event (it does not bubble): the client exists.

Payloads are plain data (dicts, our dataclasses, api types) so that no screen imports another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class ClientReady(Message, bubble=False):
    """The shared client exists (after the first frame); panes may start loading."""

    base_url: str
    demo: bool


@dataclass
class ModelChosen(Message):
    """A model was picked; `info` is the ModelInfo (or a dict with at least `id`)."""

    model_id: str
    info: Any = None


@dataclass
class OpenDraft(Message):
    """Load a Draft into the composer (history reopen, library open, curl import)."""

    draft: Any
    source: str = ""


@dataclass
class AttachToComposer(Message):
    """Add an Attachment (e.g. a Files API id) to the composer's current turn."""

    attachment: Any


@dataclass
class UseSkill(Message):
    """Add a container.skills entry ({type, skill_id, version}) to the composer's request."""

    skill: dict[str, Any]
    name: str = ""  # its display title: the composer shows names, ids on demand
