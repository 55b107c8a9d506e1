"""Copy text: OSC 52 first (works over SSH and in tmux), pyperclip where a local clipboard exists."""

from __future__ import annotations

import os
import sys

from textual.app import App


def copy_text(app: App, text: str, what: str = "text") -> None:
    from workbench.ui.plain import scrub_shown

    text = scrub_shown(app, text)  # an API key never reaches the clipboard
    app.copy_to_clipboard(text)  # OSC 52 escape: the terminal (or tmux) takes it
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform == "darwin":
        try:
            import pyperclip

            pyperclip.copy(text)
        except Exception:  # pyperclip.PyperclipException: no xclip/xsel; OSC 52 already went out
            pass
    app.notify(f"copied {what} ({len(text):,} chars)", timeout=3)
