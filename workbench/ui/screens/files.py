"""Files: the Files API's files, paged lazily, sortable and filterable, with their metadata;
upload, download, delete, and "attach to composer" (a document or image block by file id).

The table holds only the pages loaded so far (100 files a page; more load as the cursor nears
the end). Sorting or filtering needs every file, so it loads the remaining pages first (up to
10,000 files).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from workbench.ui import messages as m
from workbench.ui.plain import plain
from workbench.ui.screens.base import NARROW
from workbench.ui.screens.list_pane import ListPane, Spot
from workbench.ui.widgets import files_data as fd
from workbench.ui.widgets.files_table import FilesTable
from workbench.ui.widgets.ordered_keys import OrderedInput
from workbench.ui.widgets.unoffered import unoffered


class FilesScreen(ListPane):
    MODE = "files"
    LIST = "files-table"
    FILTER = "files-filter"
    PALETTE_GROUP = "Files"

    CSS_PATH = "files.tcss"

    PALETTE_TITLES = {  # where the footer's short label says too little
        "files.attach": "attach to composer",
        "files.sort_name": "sort by name",
        "files.clear": "clear filter and sort",
    }
    # tooltips: the footer's hover, F1 and the palette's help
    BINDINGS = [
        Binding("a", "attach", "Attach", id="files.attach",
                tooltip="Add the highlighted file to the current turn"),
        Binding("u", "upload", "Upload", id="files.upload",
                tooltip="Upload a local file, up to 500 MB"),
        Binding("s", "download", "Download", id="files.download",
                tooltip="Save the highlighted file to disk"),
        Binding("d,delete", "delete", "Delete", id="files.delete",
                tooltip="Delete the highlighted file (asks first)"),
        # one footer entry, "1-4 Sort", for the four column keys
        Binding("1", "sort(0)", "Sort", id="files.sort_name", key_display="1-4",
                tooltip="Sort the list (1-4: name, type, size, date)"),
        Binding("2", "sort(1)", "Sort by type", id="files.sort_type", show=False),
        Binding("3", "sort(2)", "Sort by size", id="files.sort_size", show=False),
        Binding("4", "sort(3)", "Sort by date", id="files.sort_date", show=False),
        Binding("slash", "focus_filter", "Filter", id="files.filter",
                tooltip="Filter files by name or type"),
        Binding("ctrl+r", "reload", "Refresh", id="files.refresh", priority=True,
                tooltip="Reload the list"),
        Binding("escape", "clear_filter", "Clear filter", id="files.clear", show=False,
                tooltip="Back to newest first"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.files: list[dict[str, Any]] = []  # loaded, in the API's order (newest first)
        self.shown: list[dict[str, Any]] = []  # after filter and sort, as in the table
        self.next_page: str | None = None
        self.loaded_all = False
        self.sort: tuple[int, bool] | None = None  # (column index, reverse); None = API order
        self._loading = False
        self._generation = 0
        self._keep: Spot | None = None
        self._was_narrow: bool | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="files-body"):
            with Vertical(id="files-left"):
                filt = OrderedInput(placeholder="filter by name or type (/) · Enter on a file_… "
                                    "id opens it", id="files-filter")
                filt.HELP = ("## Filter\nWords that every shown file's name or type contains. "
                             "A `file_…` id and **Enter** looks that file up.")
                yield filt
                yield Static("loading…", id="files-status")
                yield FilesTable(id="files-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="file-detail")

    def on_mount(self) -> None:
        self._columns()
        self.reload()
        self.query_one(FilesTable).focus()

    # --- loading -----------------------------------------------------------------------------
    def on_pane_return(self) -> None:
        self.reload()  # files made by runs (code execution, skills) while away

    def reload(self) -> None:
        """From the first page again; the cursor stays on the same file if it is still there."""
        self._keep = self.spot()
        self._generation += 1
        self.files, self.next_page, self.loaded_all = [], None, False
        self._render_rows(keep=None)
        self._status("loading…")
        self.load_page(self._generation)

    def action_reload(self) -> None:
        self.reload()

    def _wants_all(self) -> bool:
        return self.sort is not None or bool(self.filter_text.strip())

    @work(exclusive=True, group="files-page", exit_on_error=False)
    async def load_page(self, generation: int) -> None:
        from workbench.api.errors import APIError

        self._loading = True
        try:
            client = await self.wb.wait_client()
            if unoffered(self, client, "files"):  # the profile's platform lacks it: say why
                return
            while True:
                try:
                    page = await client.files.list(limit=fd.PAGE_SIZE, page=self.next_page)
                except APIError as exc:
                    self.notify(f"could not list files: {exc}", severity="error", timeout=8)
                    self._status("could not load files")
                    return
                if generation != self._generation:
                    return
                known = {f["id"] for f in self.files}
                fresh = [f.model_dump(mode="json") for f in page.data]
                fresh = [f for f in fresh if f["id"] not in known]
                self.files.extend(fresh)
                self.next_page = page.next_page
                self.loaded_all = page.next_page is None or len(self.files) >= fd.MAX_LOADED
                if self._wants_all():
                    if self.loaded_all:
                        self._render_rows()
                        break
                    self._status(f"loading every file to sort/filter… {len(self.files):,}")
                    continue
                self._append_rows(fresh)
                break
            self.restore(self._keep)
            self._keep = None
            self._count()
        finally:
            self._loading = False

    @on(DataTable.RowHighlighted, "#files-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        if (not self.loaded_all and not self._loading
                and event.cursor_row >= len(self.shown) - 20):
            self._loading = True
            self.load_page(self._generation)

    # --- table -------------------------------------------------------------------------------
    def _columns(self) -> None:
        self.query_one(FilesTable).set_columns(self.sort, self._narrow())

    def _rows(self, files: list[dict[str, Any]]) -> Iterable[tuple[str, Any, Any]]:
        table = self.query_one(FilesTable)
        return ((f["id"], f, table.cells(f)) for f in files)

    def _append_rows(self, fresh: list[dict[str, Any]]) -> None:
        self.shown.extend(fresh)
        self.add_rows(self._rows(fresh))
        self._show_detail()

    def _render_rows(self, keep: Spot | str | None = None) -> None:
        """Rebuild the table from `files` with the filter and sort; the cursor stays on its
        file (or goes to `keep`), else on the nearest one still shown."""
        spot = keep or self.spot()
        shown = fd.filter_files(self.files, self.filter_text)
        if self.sort is not None:
            index, reverse = self.sort
            shown = fd.sort_files(shown, fd.SORTS[index][0], reverse)
        self.shown = shown
        self._columns()  # clears the table (columns and rows)
        self.fill(self._rows(shown), keep=spot)
        self._show_detail()
        self._count()

    def _status(self, text: str) -> None:
        self.query_one("#files-status", Static).update(plain(text))

    def _narrow(self) -> bool:
        return self.app.size.width < NARROW

    def on_fitted(self, narrow: bool) -> None:
        if narrow != self._was_narrow:
            self._was_narrow = narrow
            self._render_rows()  # column widths and the detail panel's form follow

    def _count(self) -> None:
        total = len(self.files)
        more = "" if self.loaded_all else "+ (more as you scroll)"
        if not total:
            self._status("no files yet · u uploads one" if self.loaded_all else "loading…")
            return
        text = f"{total:,}{more} file{'' if total == 1 and not more else 's'}"
        if self.filter_text.strip():
            text = f"{len(self.shown):,} of {text} match {self.filter_text.strip()!r}"
        if self.sort is not None:
            index, reverse = self.sort
            text += f" · sorted by {fd.SORTS[index][1].lower()}, {fd.sort_order(index, reverse)}"
        self._status(text)

    def _show_detail(self) -> None:
        detail = self.query_one("#file-detail", Static)
        f = self.current()
        if f is None:
            detail.update("no file matches" if self.files else "")
            return
        detail.update(fd.detail_text(f, compact=self._narrow()))

    # --- sorting and filtering -------------------------------------------------------------
    def action_sort(self, index: int) -> None:
        reverse = index in (2, 3)  # sizes and dates: biggest / newest first
        if self.sort and self.sort[0] == index:
            reverse = not self.sort[1]
        self.sort = (index, reverse)
        self._apply()

    def action_cycle_sort(self) -> None:
        index = 0 if self.sort is None else (self.sort[0] + 1) % len(fd.SORTS)
        self.action_sort(index)

    @on(DataTable.HeaderSelected, "#files-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        keys = [k for k, _ in fd.SORTS]
        if event.column_key.value in keys:
            self.action_sort(keys.index(event.column_key.value))

    def _apply(self) -> None:
        self._render_rows(keep=self.spot(exact=True))
        if self._wants_all() and not self.loaded_all and not self._loading:
            self._status(f"loading every file to sort/filter… {len(self.files):,}")
            self.load_page(self._generation)

    def filter_changed(self) -> None:
        """The filter (debounced by the pane): up to 10,000 rows rebuilt once per pause."""
        self._apply()

    def filter_submitted(self, value: str) -> None:
        value = value.strip()
        if value.startswith("file_") and " " not in value and not self.shown:
            self.open_id(value)
        super().filter_submitted(value)

    def action_focus_filter(self) -> None:
        self.query_one("#files-filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.clear_filter_field()
        self.sort = None
        self._render_rows()
        self.query_one(FilesTable).focus()

    @work(exclusive=True, group="files-one", exit_on_error=False)
    async def open_id(self, file_id: str) -> None:
        """Look up a file by id (it may be past the pages loaded, or unknown)."""
        from workbench.api.errors import APIError

        client = await self.wb.wait_client()
        try:
            meta = await client.files.get(file_id)
        except APIError as exc:
            self.notify(f"no file {file_id}: {exc}", severity="error", timeout=8)
            return
        self._add_file(meta.model_dump(mode="json"))

    def _add_file(self, meta: dict[str, Any]) -> None:
        self.files = [meta, *(f for f in self.files if f["id"] != meta["id"])]
        self.clear_filter_field()
        self._render_rows(keep=meta["id"])

    # --- actions -----------------------------------------------------------------------------
    def action_upload(self) -> None:
        from workbench.ui.widgets.files_dialogs import UploadScreen

        dialog = UploadScreen()

        def done(meta: dict[str, Any] | None) -> None:
            if meta:
                self._add_file(meta)
                self.list_table.focus()  # the new file, highlighted; never the filter field
                self.notify(f"uploaded {meta.get('filename')} as {meta['id']}")
            elif dialog.maybe_done:
                self.reload()

        self.app.push_screen(dialog, done)

    def action_download(self) -> None:
        f = self.current()
        if f is None:
            self.notify("no file highlighted", severity="warning")
            return
        if not f.get("downloadable"):
            self.notify(f"{f.get('filename')}: {fd.NOT_DOWNLOADABLE}", severity="warning",
                        timeout=8)
            return
        from workbench.ui.widgets.files_dialogs import DownloadScreen

        def done(saved: str | None) -> None:
            if saved:
                self.notify(f"saved {saved}")

        self.app.push_screen(DownloadScreen(f), done)

    def action_delete(self) -> None:
        f = self.current()
        if f is None:
            return
        self.confirm(f"Delete {f.get('filename')} ({f['id']})?\n"
                     "Messages that reference it will fail.", lambda: self.delete_file(f))

    @work(group="files-delete", exit_on_error=False)
    async def delete_file(self, f: dict[str, Any]) -> None:
        from workbench.api.errors import APIError, NotFoundError

        client = await self.wb.wait_client()
        try:
            await client.files.delete(f["id"])
        except NotFoundError as exc:
            self.notify(f"{f.get('filename')} was already gone: {exc}", severity="warning")
        except APIError as exc:
            self.notify(f"could not delete {f.get('filename')}: {exc}", severity="error",
                        timeout=8)
            return
        else:
            self.notify(f"deleted {f.get('filename')}")
        self.files = [x for x in self.files if x["id"] != f["id"]]
        self._render_rows()

    def action_attach(self) -> None:
        f = self.current()
        if f is None:
            self.notify("no file highlighted", severity="warning")
            return
        from workbench.services.draft import Attachment
        from workbench.services.files import block_kind

        mime = f.get("mime_type") or ""
        kind = block_kind(mime)
        if kind is None:
            self.notify(f"{f.get('filename')} is {mime or 'of unknown type'}: only PDF and plain "
                        "text (documents) or JPEG/PNG/GIF/WebP (images) can be attached to a "
                        "message", severity="error", timeout=8)
            return
        self.post_message(m.AttachToComposer(Attachment(
            kind, file_id=f["id"], media_type=mime,
            title=f.get("filename") or None)))  # the chip's name (sent only for documents)

    @on(DataTable.RowSelected, "#files-table")
    def _selected(self) -> None:
        self.action_attach()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield from super().palette_commands()
        yield SystemCommand("Files: next sort column", "Name, type, size, date in turn",
                            self.action_cycle_sort)
