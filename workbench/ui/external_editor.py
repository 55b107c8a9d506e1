"""Edit a text area in the user's `$VISUAL` / `$EDITOR`, the terminal handed over meanwhile."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import tempfile

from textual.app import App
from textual.widgets import TextArea


async def edit_externally(app: App, area: TextArea) -> None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        app.notify("set $EDITOR (or $VISUAL) to edit in your editor", severity="warning")
        return
    command = [*shlex.split(editor)]
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as tmp:
        tmp.write(area.text)
    try:
        try:
            with app.suspend():
                subprocess.run([*command, tmp.name], check=False)
        except Exception:  # no suspend support (e.g. headless): run without suspending
            await asyncio.to_thread(subprocess.run, [*command, tmp.name], check=False,
                                    capture_output=True)
        with open(tmp.name, encoding="utf-8") as fh:
            area.text = fh.read()
    finally:
        os.unlink(tmp.name)
