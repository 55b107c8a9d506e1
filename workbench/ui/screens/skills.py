"""Skills: custom and Anthropic-provided skills (paged, filtered by source), each with its
versions; create a skill or a new version from a folder, delete a version or a skill (with its
versions, after a confirm), and "use in composer" (container.skills + the code execution tool).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Select, Static

from workbench.format import when
from workbench.ui import messages as m
from workbench.ui.plain import plain
from workbench.ui.screens.list_pane import ListPane, Spot
from workbench.ui.widgets.files_data import shown_id
from workbench.ui.widgets.flex_table import FlexTable, cell
from workbench.ui.widgets.skills_dialogs import skill_name, source_of
from workbench.ui.widgets.unoffered import unoffered

PAGE_SIZE = 50
MAX_VERSIONS = 1000  # shown in the versions table
SOURCES = [("custom", "custom"), ("anthropic", "anthropic")]


class SkillsTable(FlexTable):
    HELP = """
## Skills
Your custom skills and the Anthropic-provided ones (pptx, xlsx, docx, pdf). **Enter** or
**a** adds the highlighted skill (latest version) to the composer's request: it goes into
`container.skills` with the code execution tool it needs. **n** creates a skill from a folder,
**v** adds a version, **d** deletes (a skill's versions are deleted first, after a confirm),
**/** filters by source, **ctrl+r** refreshes.
"""


class VersionsTable(FlexTable):
    HELP = """
## Versions
The highlighted skill's versions, newest first. **Enter** or **a** uses this exact version in
the composer; **d** deletes it (after a confirm); **v** adds a new one from a folder.
"""


class SkillsScreen(ListPane):
    MODE = "skills"
    LIST = "skills-table"
    PALETTE_GROUP = "Skills"

    CSS_PATH = "skills.tcss"

    PALETTE_TITLES = {  # where the footer's short label says too little
        "skills.create": "new skill from a folder",
        "skills.version": "new version from a folder",
        "skills.source": "filter by source",
    }
    # tooltips: the footer's hover, F1 and the palette's help
    BINDINGS = [
        Binding("a", "use", "Use in composer", id="skills.use",
                tooltip="Add the highlighted skill to the request (or enter)"),
        Binding("n", "create", "New", id="skills.create",
                tooltip="Upload a folder with SKILL.md"),
        Binding("v", "new_version", "Version", id="skills.version",
                tooltip="Upload a new version of the highlighted skill"),
        Binding("d,delete", "delete", "Delete", id="skills.delete",
                tooltip="Delete the highlighted skill or version (asks first)"),
        Binding("slash", "focus_source", "Filter", id="skills.source",
                tooltip="All, custom or Anthropic"),
        Binding("ctrl+r", "reload", "Refresh", id="skills.refresh", priority=True,
                tooltip="Reload the list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.skills: list[dict[str, Any]] = []
        self.versions: list[dict[str, Any]] = []
        self.versions_of: str | None = None
        self.source: str | None = None
        self.next_page: str | None = None
        self.loaded_all = False
        self._loading = False
        self._generation = 0

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="skills-top"):
            source = Select(SOURCES, prompt="all sources", id="skills-source", allow_blank=True)
            source.HELP = "## Source\nShow every skill, only your custom ones, or Anthropic's."
            yield source
            yield Static("loading…", id="skills-status")
        with Horizontal(id="skills-body"):
            yield SkillsTable(id="skills-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="skills-right"):
                yield Static("", id="skill-detail")
                yield VersionsTable(id="versions-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(SkillsTable)
        # the names give way (cut with …, whole in the detail); ids and dates stay whole
        table.add_column("Name", key="name")
        table.add_column("Source")
        table.add_column("Latest", key="latest")
        table.add_column("Updated")
        table.flex(name=10)
        versions = self.query_one(VersionsTable)
        versions.add_column("Version")
        versions.add_column("Name", key="name")
        versions.add_column("Created")
        versions.flex(name=6)
        self.reload()
        table.focus()

    def on_pane_return(self) -> None:
        self.action_reload()  # skills made elsewhere (CLI, another tool) while away

    # --- skills list ---------------------------------------------------------------------
    def reload(self, keep: Spot | str | None = None) -> None:
        """From the first page again; the cursor goes to `keep` (or its nearest neighbour)."""
        self._generation += 1
        self.skills, self.next_page, self.loaded_all = [], None, False
        self.fill([], keep=None)
        self._status("loading…")
        self.load_page(self._generation, keep)

    def action_reload(self) -> None:
        self.reload(keep=self.spot())

    @work(exclusive=True, group="skills-page", exit_on_error=False)
    async def load_page(self, generation: int, keep: Spot | str | None = None) -> None:
        from workbench.api.errors import APIError

        self._loading = True
        try:
            client = await self.wb.wait_client()
            if unoffered(self, client, "skills"):  # the profile's platform lacks it: say why
                return
            try:
                page = await client.skills.list(limit=PAGE_SIZE, page=self.next_page,
                                                source=self.source)
            except APIError as exc:
                self.notify(f"could not list skills: {exc}", severity="error", timeout=8)
                self._status("could not load skills")
                return
            if generation != self._generation:
                return
            fresh = [s.model_dump(mode="json") for s in page.data]
            fresh = [s for s in fresh if s["id"] not in self.records]
            self.skills.extend(fresh)
            self.add_rows((s["id"], s, self._cells(s)) for s in fresh)
            self.next_page = page.next_page
            self.loaded_all = page.next_page is None
            self.restore(keep)
            self._count()
            self._show_skill()
        finally:
            self._loading = False

    def _cells(self, skill: dict[str, Any]) -> tuple[Any, ...]:
        source = source_of(skill)
        return (cell(skill_name(skill)),
                Text(source, style="cyan" if source == "custom" else "dim"),
                shown_id(skill.get("latest_version_id") or "-"),
                when(skill.get("updated_at") or skill.get("created_at")))

    def _status(self, text: str) -> None:
        self.query_one("#skills-status", Static).update(plain(text))

    def _count(self) -> None:
        more = "" if self.loaded_all else "+ (more as you scroll)"
        which = f"{self.source} " if self.source else ""
        plural = "" if len(self.skills) == 1 and self.loaded_all else "s"
        self._status(f"{len(self.skills)}{more} {which}skill{plural}" if self.skills
                     else f"no {which}skills · n creates one from a folder")

    @on(DataTable.RowHighlighted, "#skills-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_skill()
        if (not self.loaded_all and not self._loading
                and event.cursor_row >= len(self.skills) - 10):
            self._loading = True
            self.load_page(self._generation)

    @on(Select.Changed, "#skills-source")
    def _source(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        if value != self.source:
            self.source = value
            self.reload()

    def action_focus_source(self) -> None:
        self.query_one("#skills-source", Select).focus()

    # --- one skill -----------------------------------------------------------------------
    def _show_skill(self) -> None:
        skill = self.current()
        detail = self.query_one("#skill-detail", Static)
        if skill is None:
            detail.update("")
            self.versions, self.versions_of = [], None
            self.query_one(VersionsTable).clear()
            return
        text = Text()
        text.append(f"{skill_name(skill)}\n", style="bold")
        text.append(f"{shown_id(skill['id'])} · {source_of(skill)}\n", style="dim")
        text.append(f"created {when(skill.get('created_at'))} · "
                    f"updated {when(skill.get('updated_at'))}\n")
        if self.versions_of == skill["id"] and self.versions:
            shown = (self.current_version() if self._in_versions() else None) or self.versions[0]
            text.append(f"\n{shown.get('name') or ''}: ", style="bold")
            text.append(f"{shown.get('description') or ''}\n")
            if shown is not self.versions[0]:
                text.append(f"(version {shown_id(shown['id'])}, not the latest)\n", style="dim")
        detail.update(text)
        if self.versions_of != skill["id"]:
            self.load_versions(skill["id"])

    @work(exclusive=True, group="skill-versions", exit_on_error=False)
    async def load_versions(self, skill_id: str) -> None:
        import asyncio

        from workbench.api.errors import APIError

        await asyncio.sleep(0.05)  # scrolling fast loads only where the cursor stops
        from workbench.services.skill_versions import all_versions

        client = await self.wb.wait_client()
        try:
            versions = [v.model_dump(mode="json")
                        for v in await all_versions(client, skill_id, at_most=MAX_VERSIONS)]
        except APIError as exc:
            self.notify(f"could not list versions of {skill_id}: {exc}", severity="error",
                        timeout=8)
            return
        current = self.current()
        if current is None or current["id"] != skill_id:
            return
        self.versions, self.versions_of = versions, skill_id
        table = self.query_one(VersionsTable)
        table.clear()
        for v in versions:
            table.add_row(shown_id(v["id"]), cell(v.get("name")), when(v.get("created_at")),
                          key=v["id"])
        self._show_skill()

    @on(DataTable.RowHighlighted, "#versions-table")
    def _version_highlighted(self) -> None:
        if self._in_versions():
            self._show_skill()

    def _in_versions(self) -> bool:
        return isinstance(self.focused, VersionsTable) and bool(self.versions)

    def current_version(self) -> dict[str, Any] | None:
        """The version under the versions table's cursor, by its row key."""
        table = self.query_one(VersionsTable)
        if not self.versions or not 0 <= table.cursor_row < table.row_count:
            return None
        key = table.ordered_rows[table.cursor_row].key.value
        return next((v for v in self.versions if v["id"] == key), None)

    # --- actions -------------------------------------------------------------------------
    def action_use(self) -> None:
        skill = self.current()
        if skill is None:
            self.notify("no skill highlighted", severity="warning")
            return
        version = "latest"
        if self._in_versions() and self.current_version():
            version = self.current_version()["id"]  # type: ignore[index]
        kind = "custom" if source_of(skill) == "custom" else "anthropic"
        self.post_message(m.UseSkill({"type": kind, "skill_id": skill["id"], "version": version},
                                     skill_name(skill)))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_use()

    def action_create(self) -> None:
        from workbench.ui.widgets.skills_dialogs import SkillFolderScreen

        def done(skill: dict[str, Any] | None) -> None:
            if skill:
                self.notify(f"created skill {skill_name(skill)} ({skill['id']})")
                self.reload(keep=skill["id"])

        self.app.push_screen(SkillFolderScreen(), done)

    def action_new_version(self) -> None:
        skill = self.current()
        if skill is None:
            return
        if source_of(skill) != "custom":
            self.notify(f"{skill_name(skill)} is provided by Anthropic: it cannot be changed",
                        severity="warning")
            return
        from workbench.ui.widgets.skills_dialogs import SkillFolderScreen

        def done(version: dict[str, Any] | None) -> None:
            if version:
                self.notify(f"new version {version['id']} of {skill_name(skill)}")
                self.versions_of = None
                self.reload(keep=skill["id"])

        self.app.push_screen(SkillFolderScreen(skill), done)

    def action_delete(self) -> None:
        skill = self.current()
        if skill is None:
            return
        if source_of(skill) != "custom":
            self.notify(f"{skill_name(skill)} is provided by Anthropic: it cannot be deleted",
                        severity="warning")
            return
        version = self.current_version() if self._in_versions() else None
        if version is not None:
            question = f"Delete version {version['id']} of {skill_name(skill)}?"
        else:
            count = len(self.versions) if self.versions_of == skill["id"] else None
            what = ("its versions" if count is None else
                    f"its {count} version{'s' if count != 1 else ''}")
            question = (f"Delete the skill {skill_name(skill)} ({skill['id']})?\n"
                        f"The API only deletes a skill without versions, so {what} will be "
                        "deleted first. This cannot be undone.")
        self.confirm(question, lambda: self.delete(skill, version, self.spot()))

    @work(exclusive=True, group="skills-delete", exit_on_error=False)
    async def delete(self, skill: dict[str, Any], version: dict[str, Any] | None,
                     spot: Spot | None = None) -> None:
        from workbench.api.errors import APIError

        client = await self.wb.wait_client()
        name = skill_name(skill)
        try:
            if version is not None:
                await client.skills.delete_version(skill["id"], version["id"])
                self.notify(f"deleted version {version['id']} of {name}")
                self.versions_of = None
                self.reload(keep=skill["id"])
                return
            from workbench.services.skill_versions import all_versions

            gone = 0
            for v in await all_versions(client, skill["id"]):
                self._status(f"deleting version {v.id} of {name}…")
                await client.skills.delete_version(skill["id"], v.id)
                gone += 1
            await client.skills.delete(skill["id"])
        except APIError as exc:
            self.notify(f"could not delete {name}: {exc}", severity="error", timeout=10)
            self.versions_of = None
            self.reload(keep=skill["id"])
            return
        self.notify(f"deleted skill {name} and {gone} version{'s' if gone != 1 else ''}")
        self.versions_of = None
        self.reload(keep=spot)  # its neighbour
