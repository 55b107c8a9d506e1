"""The Keys pane: profiles, their keys in the OS keyring (masked), add, delete, use."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from workbench.ui.plain import plain
from workbench.ui.screens.key_form import KeyForm
from workbench.ui.screens.list_pane import ListPane
from workbench.ui.widgets.flex_table import FlexTable, cell


class KeysScreen(ListPane):
    MODE = "keys"
    LIST = "keys-table"
    PALETTE_GROUP = "Keys"
    HELP = """
## Keys and profiles
A profile is a name, a base URL and an API version; its key lives in the OS keyring (one entry
per profile) and is shown masked. **u** makes the highlighted profile active, **d** deletes its
key (after a confirm), **ctrl+r** refreshes. On a server without a Secret Service, use
`ANTHROPIC_API_KEY` instead.
"""
    # tooltips: the footer's hover, F1 and the palette's help
    BINDINGS = [
        Binding("u", "use", "Use profile", id="keys.use",
                tooltip="Make the highlighted profile active"),
        Binding("d", "delete", "Delete key", id="keys.delete",
                tooltip="Delete the highlighted profile's key (asks first)"),
        Binding("ctrl+r", "reload", "Refresh", id="keys.reload", priority=True,
                tooltip="Read the keys again"),
    ]
    CSS_PATH = "keys.tcss"

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="keys-body"):
            with Vertical(id="keys-left"):
                yield FlexTable(id="keys-table", cursor_type="row")
                yield Static("", id="keys-note")
            with VerticalScroll(id="keys-right"):
                yield Static("[b]Add or replace a key[/b]")
                yield KeyForm(self.wb.settings.profile)

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.load_rows()

    @work(thread=True, exclusive=True, group="keys", exit_on_error=False)
    def load_rows(self) -> None:
        import os

        from workbench.services.keys import KeyringUnavailable, KeyStore, mask_key
        from workbench.services.platforms import auth_of, cloud_where, needs_secret

        settings = self.wb.settings
        rows, problem = [], None
        store = KeyStore()
        for name, profile in settings.profiles.items():
            try:
                key = store.get(name)
                state = mask_key(key) if key else "no key"
            except KeyringUnavailable as exc:
                state, problem = "no keyring", str(exc)  # the note below says why
            rows.append(("●" if name == settings.active_profile else "", name, state,
                         profile.api_version, profile.base_url))
            if profile.platform != "anthropic":  # a cloud profile: where, and how it signs in
                rows[-1] = (*rows[-1][:2], state if needs_secret(profile) else auth_of(profile),
                            profile.api_version, cloud_where(profile))
        env = os.environ.get("ANTHROPIC_API_KEY")
        note = problem or ""
        if env:
            note += f"\nANTHROPIC_API_KEY is set ({mask_key(env)}): used when a profile has no key."
        self.app.call_from_thread(self._fill, rows, note.strip())

    def _fill(self, rows: list[tuple], note: str) -> None:
        spot = self.spot()
        table = self.query_one(FlexTable)
        table.clear(columns=True)  # widths fit the rows shown now, not earlier ones
        table.add_columns("", "Profile", "Key", "API version")
        table.add_column("Base URL", key="url")  # gives way (cut with …): the rest stays whole
        table.flex(url=12)
        self.fill(((row[1], row[1], (*row[:-1], cell(row[-1]))) for row in rows), keep=spot)
        self.query_one("#keys-note", Static).update(plain(note))

    async def action_use(self) -> None:
        name = self.current_key()  # the profile
        if name is None:
            return
        self.wb.settings.active_profile = name
        self.wb.save_settings()
        from workbench.services.keys import resolve_key

        resolved = resolve_key(self.wb.settings)
        await self.wb.use_key(resolved.key)
        cloud = self.wb.settings.profile.platform != "anthropic"  # its own credentials
        self.notify(f"using profile {name}" + ("" if resolved.key or cloud
                                                 else " (it has no key yet)"))
        self.action_reload()

    def action_delete(self) -> None:
        name = self.current_key()  # the profile
        if name is None:
            return
        self.confirm(f"Delete the key of profile {name!r} from the keyring?",
                     lambda: self.delete_key(name))

    @work(thread=True, group="keys", exit_on_error=False)
    def delete_key(self, name: str) -> None:
        from workbench.services.keys import KeyringUnavailable, KeyStore

        try:
            KeyStore().delete(name)
        except KeyringUnavailable as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, f"deleted the key of {name}")
        self.load_rows()

    @on(KeyForm.Saved)
    async def _saved(self, event: KeyForm.Saved) -> None:
        await self.wb.use_key(event.key)
        self.action_reload()
