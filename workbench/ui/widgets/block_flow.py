"""What a reply's blocks ask of the user, for the composer's keys (ui/screens/block_actions.py).

alt+w sets the server tools (web search, web fetch, code execution); alt+g continues a turn
that ended with `pause_turn` (the reply goes back as the last assistant turn, unchanged, and
the request is sent again, as the API asks); alt+o downloads a file code execution created
(the Files pane's download dialog; each press offers the next file of the reply).
"""

from __future__ import annotations

from typing import Any

from workbench.ui.widgets.block_views import layout


class BlockFlow:
    """What the screen's block keys do; `screen` gives the session, notices and the App."""

    def __init__(self, screen: Any) -> None:
        self.screen = screen
        self._next_download = 0

    def server_tools(self) -> None:
        from workbench.services.server_tools import ServerTools
        from workbench.ui.widgets.server_tools_dialog import ServerToolsScreen

        def done(settings: dict[str, Any] | None) -> None:
            if settings is not None:
                self.screen.session.set_server_tools(settings)
                self.screen.notify(f"server tools: {ServerTools.from_dict(settings).summary()}")

        self.screen.app.push_screen(ServerToolsScreen(self.screen.session.draft.server_tools), done)

    def continue_turn(self) -> None:
        message = self.screen.session.last_message
        if self.screen.session.running:
            self.screen.notify("a run is going on: wait for it to end", severity="warning")
            return
        if getattr(message, "stop_reason", None) != "pause_turn":
            self.screen.notify("the last reply did not pause (stop_reason pause_turn): nothing to "
                        "continue", severity="warning")
            return
        turns = self.screen.session.draft.turns
        written = [i for i, t in enumerate(turns) if not t.is_empty()]
        at = written[-1] + 1 if written else len(turns)
        from workbench.services.conversation import request_block

        # every block as it came (signatures, server tool results are opaque), in order
        self.screen.session.add_turn(at, "assistant", blocks=[request_block(b) for b in message.content])
        self.screen.action_run()

    def download_output(self) -> None:
        message = self.screen.session.last_message
        files = layout(getattr(message, "content", None) or []).files
        if not files:
            self.screen.notify("the last reply created no files", severity="warning")
            return
        file_id = files[self._next_download % len(files)]
        self._next_download += 1
        self.screen.run_worker(self._download(file_id), group="download-output",
                               exit_on_error=False)

    async def _download(self, file_id: str) -> None:
        from workbench.api.errors import APIError
        from workbench.ui.widgets.files_dialogs import DownloadScreen

        client = await self.screen.wb.wait_client()
        try:
            meta = await client.files.get(file_id)
        except APIError as exc:
            self.screen.notify(f"cannot download {file_id}: {exc}", severity="error", markup=False)
            return

        def done(saved: str | None) -> None:
            if saved:
                self.screen.notify(f"saved {saved}", markup=False)

        self.screen.app.push_screen(DownloadScreen(meta.model_dump()), done)
