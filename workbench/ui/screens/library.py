"""Library: saved prompts and their versions. Open a version in the composer, rename, delete,
diff two versions, export a prompt to TOML (so it can live in git) or import one.

Store and file work runs in workers; the dialogs live in widgets/library_dialogs.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from workbench.ui import messages as m
from workbench.ui.plain import plain
from workbench.ui.screens.base import NARROW
from workbench.ui.screens.list_pane import ListPane
from workbench.ui.widgets import library_data as data
from workbench.ui.widgets.flex_table import FlexTable, cell
from workbench.ui.widgets.history_data import field_of, narrow_when, when
from workbench.ui.widgets.library_dialogs import AskScreen, SavePromptScreen

__all__ = ["LibraryScreen", "SavePromptScreen"]


WIDE = 140  # columns: from here the versions show their model too


def width_class(width: int) -> str:
    return "wide" if width >= WIDE else "medium" if width >= NARROW else "narrow"


class PromptTable(FlexTable):
    HELP = """
## Prompts
Saved prompts. `e` renames, `d` deletes (asks first), `s` saves (exports) it to a TOML file,
`i` imports one, `ctrl+r` refreshes. `Enter` or Tab moves to the versions.
"""


class VersionTable(FlexTable):
    HELP = """
## Versions
Each save is a new version. `Enter`/`o` opens it in the composer, `space` marks a
version for diff, `f` diffs the two marked versions (or the highlighted one with the one
before it).
"""


class LibraryScreen(ListPane):
    MODE = "library"
    LIST = "prompt-table"
    PALETTE_GROUP = "Library"

    CSS_PATH = "library.tcss"

    PALETTE_TITLES = {  # where the footer's short label says too little
        "library.open": "open version in composer",
        "library.mark": "mark version for diff",
        "library.diff": "diff versions",
        "library.rename": "rename prompt",
        "library.delete": "delete prompt",
        "library.export": "export prompt to TOML",
        "library.import": "import prompt file",
    }
    # tooltips: the footer's hover, F1 and the palette's help
    BINDINGS = [
        Binding("o", "open_version", "Open", id="library.open",
                tooltip="The highlighted version (or enter)"),
        Binding("space", "mark", "Mark", id="library.mark",
                tooltip="Two marked versions are diffed"),
        Binding("f", "diff", "Diff", id="library.diff",
                tooltip="Two marked, or this and the one before"),
        Binding("e", "rename", "Rename", id="library.rename"),
        Binding("d,delete", "delete", "Delete", id="library.delete",
                tooltip="With all its versions (asks first)"),
        Binding("s", "export", "Export", id="library.export",
                tooltip="Save it to a file"),
        Binding("i", "import", "Import", id="library.import"),
        Binding("ctrl+r", "reload", "Refresh", id="library.refresh", priority=True, show=False,
                tooltip="Reload the prompts"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.prompts: list[Any] = []
        self.versions: list[Any] = []
        self.marked: list[int] = []  # indexes into self.versions
        self._resumed_before = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="library-main"):
            with Vertical(id="prompt-side"):
                yield Static("Prompts", classes="library-title")
                yield PromptTable(id="prompt-table", cursor_type="row")
            with Vertical(id="version-side"):
                yield Static("Versions", classes="library-title", id="version-title")
                yield VersionTable(id="version-table", cursor_type="row")
                yield Static(id="version-preview")

    _shown = ""

    def _set_columns(self) -> None:
        """What gives way as the terminal narrows (names and version numbers stay whole; the
        preview under the versions shows the rest): notes and names are cut with '…', the
        model goes below WIDE columns, the update time and the saved year at 80."""
        self._shown = width_class(self.app.size.width)
        self.set_class(self._shown == "wide", "-wide-140")
        prompts = self.query_one(PromptTable)
        prompts.clear(columns=True)
        prompts.add_column("name", key="name")
        prompts.add_column("versions")
        if self._shown != "narrow":
            prompts.add_column("updated")
        prompts.flex(name=10)
        versions = self.query_one(VersionTable)
        versions.clear(columns=True)
        for label in (" ", "version", "note", "model", "saved"):
            if label != "model" or self._shown == "wide":
                versions.add_column(label, key=label)
        versions.flex(note=6)

    def on_fitted(self, narrow: bool) -> None:
        if self._shown and width_class(self.app.size.width) != self._shown:
            self._set_columns()
            self.reload()

    def on_mount(self) -> None:
        self._set_columns()
        self.query_one(PromptTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._resumed_before:
            self.reload()  # versions saved (ctrl+s) while another pane was shown
        self._resumed_before = True

    # --- loading --------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.reload()

    @work(exclusive=True, group="library-prompts", exit_on_error=False)
    async def reload(self, select_name: str | None = None) -> None:
        store = await self.wb.wait_store()
        if store is None:
            self.query_one("#version-preview", Static).update("prompt database unavailable")
            return
        try:
            prompts = await store.arun(data.list_prompts, store)
        except Exception as exc:
            self.notify(f"library: {exc}", severity="error")
            return
        columns = len(self.query_one(PromptTable).columns)
        keep = self.spot()
        if select_name is not None:  # renamed or imported: that prompt
            keep = next((str(field_of(p, "id")) for p in prompts
                         if str(field_of(p, "name")) == select_name), keep)
        self.prompts = prompts
        self.fill(((str(field_of(p, "id")), p,
                    [cell(field_of(p, "name")),
                     str(field_of(p, "versions", "version_count", default="")),
                     when(field_of(p, "updated_at", "updated"))][:columns])
                   for p in prompts), keep=keep)
        if prompts:
            self.load_versions(field_of(self._prompt(), "id"))
        else:
            self.versions = []
            self.query_one(VersionTable).clear()
            self.query_one("#version-preview", Static).update(
                "No saved prompts yet: press ctrl+s in the composer to save one, or i to import "
                "a TOML prompt file."
            )

    def _prompt(self) -> Any:
        return self.current()

    def _version(self) -> Any:
        table = self.query_one(VersionTable)
        if not self.versions or table.cursor_row >= len(self.versions):
            return None
        return self.versions[table.cursor_row]

    @on(DataTable.RowHighlighted, "#prompt-table")
    def _prompt_highlighted(self, event: DataTable.RowHighlighted) -> None:
        prompt = self.records.get(event.row_key.value)
        if prompt is not None:
            self.load_versions(field_of(prompt, "id"))

    @work(exclusive=True, group="library-versions", exit_on_error=False)
    async def load_versions(self, prompt_id: Any) -> None:
        store = await self.wb.wait_store()
        if store is None:
            return
        try:
            versions = await store.arun(data.list_versions, store, prompt_id)
        except Exception as exc:
            self.notify(f"library: {exc}", severity="error")
            return
        versions = sorted(versions, key=lambda v: -int(field_of(v, "version", default=0)))
        self.versions, self.marked = versions, []
        self._fill_versions()

    def _fill_versions(self) -> None:
        table = self.query_one(VersionTable)
        row = table.cursor_row
        table.clear()
        for i, v in enumerate(self.versions):
            draft = data.version_draft(v)
            saved = field_of(v, "created_at", "saved_at")
            cells = ["●" if i in self.marked else " ", f"v{field_of(v, 'version')}",
                     cell(field_of(v, "note", default="")), draft.model,
                     narrow_when(saved) if self._shown == "narrow" else when(saved)]
            if self._shown != "wide":
                del cells[3]  # the model: in the preview
            table.add_row(*cells)
        if self.versions:
            table.move_cursor(row=min(row, len(self.versions) - 1))
        prompt = self._prompt()
        name = field_of(prompt, "name", default="") if prompt is not None else ""
        self.query_one("#version-title", Static).update(plain(f"Versions of {name}"))
        self._preview()

    @on(DataTable.RowHighlighted, "#version-table")
    def _preview(self) -> None:
        version = self._version()
        preview = self.query_one("#version-preview", Static)
        if version is None:
            preview.update("")
            return
        from workbench.services.templates import find_variables

        draft = data.version_draft(version)
        variables = field_of(version, "variables", default=None)
        if variables is None:
            variables = find_variables(draft.text_for_variables())
        text = Text()
        text.append(f"v{field_of(version, 'version')} · {draft.model} · "
                    f"max_tokens {draft.max_tokens}\n", style="bold")
        text.append("variables: ", style="bold")
        text.append((", ".join(variables) if variables else "none") + "\n")
        if draft.system:
            text.append("system: ", style="bold")
            text.append(draft.system.splitlines()[0][:200] + "\n")
        for turn in draft.turns[:3]:
            text.append(f"{turn.role}: ", style="bold")
            text.append((turn.text.splitlines() or [""])[0][:200] + "\n")
        preview.update(text)

    # --- actions ----------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#version-table")
    def action_open_version(self) -> None:
        version = self._version()
        if version is None:
            self.notify("no version to open", severity="warning")
            return
        prompt = self._prompt()
        name = field_of(prompt, "name", default="prompt") if prompt is not None else "prompt"
        self.post_message(m.OpenDraft(data.version_draft(version),
                                      f"library:{name} v{field_of(version, 'version')}"))

    @on(DataTable.RowSelected, "#prompt-table")
    def _focus_versions(self) -> None:
        self.query_one(VersionTable).focus()

    def action_mark(self) -> None:
        table = self.query_one(VersionTable)
        if not self.versions:
            return
        row = table.cursor_row
        if row in self.marked:
            self.marked.remove(row)
        else:
            self.marked = [*self.marked, row][-2:]
        self._fill_versions()

    def action_diff(self) -> None:
        if len(self.versions) < 2:
            self.notify("a diff needs two versions", severity="warning")
            return
        if len(self.marked) == 2:
            first, second = sorted(self.marked, reverse=True)  # older first
        else:
            second = self.query_one(VersionTable).cursor_row
            first = min(second + 1, len(self.versions) - 1)
            if first == second:
                second = first - 1
        from workbench.ui.widgets.diff_view import DiffScreen

        a, b = self.versions[first], self.versions[second]
        name = field_of(self._prompt(), "name", default="")
        self.app.push_screen(DiffScreen(
            data.version_draft(a), data.version_draft(b),
            f"{name} v{field_of(a, 'version')}", f"{name} v{field_of(b, 'version')}",
        ))

    def action_rename(self) -> None:
        prompt = self._prompt()
        if prompt is None:
            return

        def done(name: str | None) -> None:
            if name:
                self.store_call(data.rename, field_of(prompt, "id"), name,
                                done=f"renamed to {name}", select=name)

        self.app.push_screen(AskScreen("Rename prompt", str(field_of(prompt, "name"))), done)

    def action_delete(self) -> None:
        prompt = self._prompt()
        if prompt is None:
            return
        name = field_of(prompt, "name")
        self.confirm(f"Delete {name!r} and all its versions?",
                     lambda: self.store_call(data.delete, field_of(prompt, "id"),
                                             done=f"deleted {name}"))

    def action_export(self) -> None:
        prompt = self._prompt()
        if prompt is None:
            return
        name = str(field_of(prompt, "name"))
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name) or "prompt"

        def done(path: str | None) -> None:
            if path:
                self.store_call(data.export_file, field_of(prompt, "id"),
                                Path(os.path.expanduser(path)), done=f"exported {name} to {path}")

        self.app.push_screen(AskScreen("Export to TOML file", f"{safe}.toml"), done)

    def action_import(self) -> None:
        def done(path: str | None) -> None:
            if path:
                self.store_call(data.import_file, Path(os.path.expanduser(path)), done="imported {}")

        self.app.push_screen(AskScreen("Import a prompt file (TOML)", "", "path/to/prompt.toml"),
                             done)

    @work(group="library-change", exit_on_error=False)
    async def store_call(self, fn: Any, *args: Any, done: str, select: str | None = None) -> None:
        store = await self.wb.wait_store()
        if store is None:
            self.notify("prompt database unavailable", severity="error")
            return
        try:
            result = await store.arun(fn, store, *args)
        except Exception as exc:  # bad file, name taken, ...: the message says which
            self.notify(str(exc), severity="error")
            return
        self.notify(done.format(result))
        self.reload(select_name=select or (result if isinstance(result, str) else None))
