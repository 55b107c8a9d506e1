"""The composer's keys for what a reply's blocks ask of the user (mixed into ComposeScreen);
`widgets.block_flow.BlockFlow` does the work."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from workbench.ui.widgets.block_keys import CONTINUE_KEY, DOWNLOAD_KEY

BLOCK_BINDINGS = [
    Binding("alt+w", "server_tools", "Server tools", id="compose.server_tools", show=False,
            tooltip="Web search, web fetch, code execution and their options; cite documents"),
    Binding(CONTINUE_KEY, "continue_turn", "Continue paused turn", id="compose.continue_turn",
            show=False, tooltip="Send again with the paused reply as the last assistant turn"),
    Binding(DOWNLOAD_KEY, "download_output", "Download tool output",
            id="compose.download_output", show=False,
            tooltip="Save a file the reply's code execution created"),
]


class BlockActions:
    blocks: Any  # a BlockFlow, made by the screen

    def action_server_tools(self) -> None:
        self.blocks.server_tools()

    def action_continue_turn(self) -> None:
        self.blocks.continue_turn()

    def action_download_output(self) -> None:
        self.blocks.download_output()
