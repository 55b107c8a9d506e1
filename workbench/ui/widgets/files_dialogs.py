"""The Files pane's dialogs: upload (path with completion or a folder tree) and download (to a
chosen path), each with its own progress bar. The transfer runs in the dialog's worker, so
Escape cancels it; the dialog returns the result (file metadata / saved path) or None.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DirectoryTree, Static

from workbench.format import human_size
from workbench.safe_text import clean
from workbench.services.files import NOT_DOWNLOADABLE, check_upload, is_not_downloadable
from workbench.ui.plain import plain
from workbench.ui.screens.base import Fitted
from workbench.ui.widgets.files_data import default_download_path
from workbench.ui.widgets.path_input import PathInput
from workbench.ui.widgets.transfer_progress import TransferProgress


class PickTree(DirectoryTree):
    """A folder tree without hidden entries (dot files)."""

    HELP = "## Files\nArrows move, **Enter** opens a folder or picks a file (it fills the path)."

    def __init__(self, path: str | Path, *, dirs_only: bool = False,
                 id: str | None = None) -> None:
        super().__init__(path, id=id)
        self.dirs_only = dirs_only

    def process_label(self, label: Any) -> Text:
        """A file name is data: `[@click=app.quit]x.txt` is shown as it is, not as markup."""
        return label if isinstance(label, Text) else Text(clean(label), end="")

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")
                and (not self.dirs_only or p.is_dir())]


class _TransferDialog(Fitted, ModalScreen):
    """Shared: a note line that turns red on errors, a progress bar, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="transfer.cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.maybe_done = False  # cancelled after every byte went: the server may have it

    def note(self, text: str, error: bool = False) -> None:
        note = self.query_one(".dialog-note", Static)
        note.update(plain(text))
        note.set_class(error, "-error")

    def action_cancel(self) -> None:
        if self.busy:
            self.workers.cancel_group(self, "transfer")
            self.busy = False
            bar = self.query_one(TransferProgress)
            bar.remove_class("-active")
            if bar.total and bar.done >= bar.total:
                self.maybe_done = True
                self.note("cancelled, but every byte had been sent: the server may have stored "
                          "it (the list reloads)", error=True)
            else:
                self.note("cancelled", error=True)
            self.app.notify("transfer cancelled", severity="warning")
            return
        self.dismiss(None)

    @on(Button.Pressed, ".cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class UploadScreen(_TransferDialog):
    """Pick a local file, check it (size, type), upload it with progress."""

    CSS_PATH = "files_dialogs.tcss"
    HELP = """
## Upload a file
Type a path (Tab completes) or pick a file in the tree. The size (500 MB at most) and the
type are checked before anything is sent. **Enter** uploads, **Escape** cancels.
"""
    AUTO_FOCUS = "#upload-path"

    def __init__(self, start: str | Path | None = None) -> None:
        super().__init__()
        self.start = Path(start) if start else Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Upload a file to the Files API", classes="dialog-title")
            yield PathInput(placeholder="path to a file (Tab completes, ~ is home)",
                            id="upload-path")
            yield PickTree(self.start, id="upload-tree")
            yield Static("type a path or pick a file below", classes="dialog-note", markup=False)
            yield TransferProgress(id="upload-progress")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", classes="cancel")
                yield Button("Upload", id="upload-go", variant="primary")

    @on(PathInput.Changed, "#upload-path")
    def _changed(self, event: PathInput.Changed) -> None:
        if not self.busy:
            self.check(event.value)

    @work(exclusive=True, group="upload-check", exit_on_error=False)
    async def check(self, value: str) -> None:
        """Size and type of what is typed, said as you type (the disk is read in a thread)."""
        import asyncio

        result = await asyncio.to_thread(check_upload, value)
        if not self.busy:
            self.note(result.describe(), error=not result.ok and bool(value.strip()))

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        field = self.query_one("#upload-path", PathInput)
        field.value = str(event.path)
        field.cursor_position = len(field.value)
        field.focus()

    @on(PathInput.Submitted, "#upload-path")
    @on(Button.Pressed, "#upload-go")
    def _go(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.upload(self.query_one("#upload-path", PathInput).value)

    @work(exclusive=True, group="transfer", exit_on_error=False)
    async def upload(self, value: str) -> None:
        """Check the path (in a thread), then stream it up with progress."""
        import asyncio

        from workbench.api.errors import APIError

        self.workers.cancel_group(self, "upload-check")
        check = await asyncio.to_thread(check_upload, value)
        if not check.ok:
            self.busy = False
            self.note(check.problem or "", error=True)
            if check.path.is_dir():
                self.query_one(PickTree).path = check.path  # browse it below
            return
        path, mime_type = check.path, check.mime_type
        bar = self.query_one(TransferProgress)
        bar.add_class("-active")
        bar.start(f"uploading {path.name} ({human_size(check.size)})")
        self.note("Escape cancels")
        client = await self.app.wait_client()  # type: ignore[attr-defined]
        try:
            meta = await client.files.upload(path, progress=self.query_one(
                TransferProgress).callback(), mime_type=mime_type)
        except APIError as exc:
            self.busy = False
            self.note(f"upload failed: {exc}", error=True)
            self.app.notify(f"upload failed: {exc}", severity="error", timeout=8, markup=False)
            return
        except OSError as exc:
            self.busy = False
            self.note(f"cannot read {path}: {exc.strerror or exc}", error=True)
            return
        self.busy = False
        self.dismiss(meta.model_dump(mode="json"))


class DownloadScreen(_TransferDialog):
    """Choose where to save a downloadable file; stream it there with progress."""

    CSS_PATH = "files_dialogs.tcss"
    HELP = """
## Download a file
The file is streamed to the path given (a folder keeps the file's name) through a temporary
file, so a cut download never leaves half a file. Only files created by tools or skills can
be downloaded.
"""
    AUTO_FOCUS = "#download-path"

    def __init__(self, meta: dict[str, Any], dest: Path | None = None) -> None:
        super().__init__()
        self.meta = meta
        self.dest = dest or default_download_path(meta.get("filename") or meta["id"])

    def compose(self) -> ComposeResult:
        name = self.meta.get("filename") or self.meta["id"]
        with Vertical():
            yield Static(plain(f"Download {name} ({human_size(self.meta.get('size_bytes'))})"),
                         classes="dialog-title")
            yield PathInput(str(self.dest), placeholder="save to (a file or a folder)",
                            id="download-path")
            yield Checkbox("overwrite if the file exists", id="download-overwrite")
            yield Static("Enter downloads, Escape cancels", classes="dialog-note", markup=False)
            yield TransferProgress(id="download-progress")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", classes="cancel")
                yield Button("Download", id="download-go", variant="primary")

    def target(self) -> tuple[Path | None, str | None]:
        """The file to write, or a reason it cannot be written."""
        field = self.query_one("#download-path", PathInput)
        path = field.path
        if path is None:
            return None, "type where to save the file"
        if path.is_dir() or field.value.endswith("/"):
            path = path / (Path(self.meta.get("filename") or "").name or self.meta["id"])
        if path.is_dir():
            return None, f"{path} is a folder"
        parent = path.parent
        if not parent.exists():
            return None, f"no such folder: {parent}"
        if path.exists() and not self.query_one("#download-overwrite", Checkbox).value:
            return None, f"{path} exists; tick 'overwrite' to replace it"
        return path, None

    @on(PathInput.Submitted, "#download-path")
    @on(Button.Pressed, "#download-go")
    def _go(self) -> None:
        if self.busy:
            return
        if not self.meta.get("downloadable"):
            self.note(NOT_DOWNLOADABLE, error=True)
            return
        path, problem = self.target()
        if path is None:
            self.note(problem or "", error=True)
            return
        self.busy = True
        bar = self.query_one(TransferProgress)
        bar.add_class("-active")
        bar.start(f"downloading to {path}")
        self.note("Escape cancels")
        self.download(path)

    @work(exclusive=True, group="transfer", exit_on_error=False)
    async def download(self, path: Path) -> None:
        from workbench.api.errors import APIError

        client = await self.app.wait_client()  # type: ignore[attr-defined]
        try:
            saved = await client.files.download(self.meta["id"], path,
                                                progress=self.query_one(TransferProgress).callback())
        except APIError as exc:
            self.busy = False
            text = f"{NOT_DOWNLOADABLE} ({exc})" if is_not_downloadable(exc) else str(exc)
            self.note(f"download failed: {text}", error=True)
            self.app.notify(f"download failed: {text}", severity="error", timeout=8, markup=False)
            return
        except OSError as exc:
            self.busy = False
            self.note(f"cannot write {path}: {exc.strerror or exc}", error=True)
            return
        self.busy = False
        self.dismiss(str(saved))
