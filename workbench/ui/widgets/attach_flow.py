"""The composer's attachment dialogs: ask for a path or a Files API id, pick one to remove.

A Files API id is looked up (its kind comes from the file's metadata) in a worker of the screen;
the attachment itself is a session command the screen runs and mirrors (`screen.attach`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.ui.screens.compose import ComposeScreen

ATTACH_PROMPT = ("Attach an image or PDF, or a plain-text .txt file: a local path (Tab "
                 "completes), or a Files API id (its kind is read from the Files API; say it "
                 "with image:file_… or document:file_…)")


class AttachFlow:
    def __init__(self, screen: ComposeScreen) -> None:
        self.screen = screen

    def ask(self) -> None:
        from workbench.services.attach import attach_problem, parse_reference
        from workbench.services.draft import DraftError
        from workbench.ui.screens.compose_modals import AskScreen

        screen = self.screen

        def done(value: str | None) -> None:
            value = (value or "").strip()
            if not value:
                return
            try:
                ref = parse_reference(value)
            except DraftError as exc:  # gone since the dialog checked it
                screen.notify(str(exc), severity="error", markup=False)
                return
            if isinstance(ref, tuple):
                screen.attach_file_id(ref[1], ref[0])
            else:
                screen.run_worker(screen.attach(ref), group="attach")

        screen.app.push_screen(AskScreen(ATTACH_PROMPT, "~/diagram.png or file_011C…",
                                         check=attach_problem, path=True), done)

    def pick_to_remove(self) -> None:
        """Pick one to take off (the focused turn's first); the turns' text stays."""
        from workbench.ui.screens.compose_modals import PickScreen

        screen = self.screen
        session = screen.session
        picked = session.attachments(screen.turn_list.focused_index())
        if not picked:
            screen.notify("no attachment to remove: no turn has one (alt+i attaches a file)",
                          severity="warning")
            return
        turns = session.draft.turns
        labels = [f"turn {next(i for i, t in enumerate(turns) if t is turn) + 1} "
                  f"({turn.role}): {attachment.label}" for turn, attachment in picked]

        async def remove(index: int | None) -> None:
            if index is None:
                return
            turn, attachment = picked[index]
            number = session.remove_attachment(turn, attachment)
            if number is None:
                screen.notify(f"{attachment.label} is no longer attached", severity="warning",
                              markup=False)
                return
            await screen.mirror()
            screen.notify(f"removed {attachment.label} from turn {number + 1}", markup=False)

        screen.app.push_screen(PickScreen("Remove which attachment?", labels), remove)

    async def attach_file_id(self, file_id: str, kind: str | None = None) -> None:
        """The block kind comes from the file's metadata unless the user said it."""
        from workbench.services.attach import attachment_for_file

        screen = self.screen
        client = await screen.wb.wait_client()
        attachment, warning = await attachment_for_file(client, file_id, kind)
        if warning:
            screen.notify(warning, severity="warning" if attachment else "error", timeout=12,
                          title="" if attachment else "Not attached", markup=False)
        if attachment is not None:
            await screen.attach(attachment)
