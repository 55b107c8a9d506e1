"""The one module that names private Textual API; everything else in workbench uses the public
one. Textual is pinned to a minor version (pyproject); each private below has a canary test in
tests/ui/test_textual_compat.py that fails when a Textual release renames or changes it, so an
upgrade breaks a test here, not typing in the app.

| private                      | used for                                  | public alternative  |
|------------------------------|-------------------------------------------|---------------------|
| `Widget._on_key`             | a field runs bindings in its own queue    | none (PR #6631)     |
| `Widget._forward_event`      | keys queued after a focus move go on      | none                |
| `widgets._footer.FooterKey`  | the pane footer shows Textual's own keys  | none (not exported) |
| `Worker.StateChanged.bubble` | one App handler sees every worker's end   | none (see below)    |
| `content._CONTROL_STRIP_TRANSLATE`, `rich.control._CONTROL_STRIP_TRANSLATE` | no ESC in any text drawn | none |

`strip_terminal_controls` widens the set of characters Textual's Content and Rich's Text remove
from the text they are given (BEL, BS, VT, FF, CR) to every C0/C1 control but tab and newline:
the safety net under workbench.safe_text.clean, for text that reaches a widget some other way
(a Markdown reply, a TextArea, a Text built by hand). ESC is then never drawn as text.

`_on_key` is the handler Textual calls for a key before the key bubbles up to the bindings;
Textual PR #6631 (issue #6605) proposes running a widget's bindings there, inline. Until it is
released, `KeyHook` routes it to our public-named `on_key_in_order`.

`Worker.StateChanged` is posted to the node that started the worker and does not bubble, so a
worker run by a pane, dialog or widget that ends in error would vanish unless every node
watched its own. `bubble` is a public class variable of `Message`, but setting it on Textual's
class changes the message process-wide: that is why it lives here. Textual has no app-wide
worker hook (`WorkerManager` is internal) and no per-message bubble switch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.worker import Worker

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.widgets._footer import FooterKey as FooterKey


class KeyHook:
    """Widget mixin (put it before the Textual widget class): Textual's key handler calls
    `on_key_in_order`; `textual_on_key` is the widget's own handling (inserting a letter)."""

    async def _on_key(self, event: events.Key) -> None:
        await self.on_key_in_order(event)

    async def on_key_in_order(self, event: events.Key) -> None:
        await self.textual_on_key(event)

    async def textual_on_key(self, event: events.Key) -> None:
        await super()._on_key(event)  # type: ignore[misc]


def __getattr__(name: str) -> object:
    # Imported on first use: the footer is mounted after the first frame.
    if name == "FooterKey":
        from textual.widgets._footer import FooterKey

        return FooterKey
    raise AttributeError(name)


def forward_key(target: Widget, event: events.Key) -> None:
    """Send `event` (a fresh Key) to `target` as the App forwards keys to the focused widget."""
    target._forward_event(event)


def let_worker_messages_bubble() -> None:
    """Make every worker's `StateChanged` bubble up to the App (see the module docstring)."""
    Worker.StateChanged.bubble = True


_STRIPPED = {c: None for c in (*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0))}


def strip_terminal_controls() -> None:
    """Content and Text drop every control character but tab and newline (module docstring)."""
    import rich.control
    import textual.content

    for table in (textual.content._CONTROL_STRIP_TRANSLATE,
                  rich.control._CONTROL_STRIP_TRANSLATE):
        table.update(_STRIPPED)
