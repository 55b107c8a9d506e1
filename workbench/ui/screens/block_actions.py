"""The composer's keys for what a reply's blocks ask of the user (mixed into ComposeScreen).

alt+w sets the server tools (web search, web fetch, code execution); alt+g continues a turn
that ended with `pause_turn` (the reply goes back as the last assistant turn, unchanged, and
the request is sent again, as the API asks); alt+o downloads a file code execution created
(the Files pane's download dialog; each press offers the next file of the reply).
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.binding import Binding

from workbench.ui.widgets.block_views import CONTINUE_KEY, DOWNLOAD_KEY, layout

BLOCK_BINDINGS = [
    Binding("alt+w", "server_tools", "Server tools", id="compose.server_tools", show=False),
    Binding(CONTINUE_KEY, "continue_turn", "Continue paused turn", id="compose.continue_turn",
            show=False),
    Binding(DOWNLOAD_KEY, "download_output", "Download tool output", id="compose.download_output",
            show=False),
]


class BlockActions:
    """Uses the screen's `session`, `notify`, `app`, `wb` and `action_run`."""

    _next_download = 0

    def action_server_tools(self) -> None:
        from workbench.services.server_tools import ServerTools
        from workbench.ui.widgets.server_tools_dialog import ServerToolsScreen

        def done(settings: dict[str, Any] | None) -> None:
            if settings is not None:
                self.session.set_server_tools(settings)
                self.notify(f"server tools: {ServerTools.from_dict(settings).summary()}")

        self.app.push_screen(ServerToolsScreen(self.session.draft.server_tools), done)

    def action_continue_turn(self) -> None:
        message = self.session.last_message
        if self.session.running:
            self.notify("a run is going on: wait for it to end", severity="warning")
            return
        if getattr(message, "stop_reason", None) != "pause_turn":
            self.notify("the last reply did not pause (stop_reason pause_turn): nothing to "
                        "continue", severity="warning")
            return
        turns = self.session.draft.turns
        written = [i for i, t in enumerate(turns) if not t.is_empty()]
        at = written[-1] + 1 if written else len(turns)
        from workbench.services.conversation import request_block

        # every block as it came (signatures, server tool results are opaque), in order
        self.session.add_turn(at, "assistant", blocks=[request_block(b) for b in message.content])
        self.action_run()

    def action_download_output(self) -> None:
        message = self.session.last_message
        files = layout(getattr(message, "content", None) or []).files
        if not files:
            self.notify("the last reply created no files", severity="warning")
            return
        file_id = files[self._next_download % len(files)]
        self._next_download += 1
        self._download(file_id)

    @work(group="download-output", exit_on_error=False)
    async def _download(self, file_id: str) -> None:
        from workbench.api.errors import APIError
        from workbench.ui.widgets.files_dialogs import DownloadScreen

        client = await self.wb.wait_client()
        try:
            meta = await client.files.get(file_id)
        except APIError as exc:
            self.notify(f"cannot download {file_id}: {exc}", severity="error", markup=False)
            return

        def done(saved: str | None) -> None:
            if saved:
                self.notify(f"saved {saved}", markup=False)

        self.app.push_screen(DownloadScreen(meta.model_dump()), done)
