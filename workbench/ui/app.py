"""The Textual app: panes as lazily-built modes, global keys, the command palette, themes, and
the one shared client, built after the first frame.

Start-up rule: nothing heavy at module level. httpx, pydantic, keyring, the emulator and the
database are imported in workers once the first frame is on screen.
"""

from __future__ import annotations

import gc

# Importing Textual allocates enough to trigger a dozen collection passes (~8 ms here) that
# find nothing to free: none while these imports run (switched back on below).
_GC_WAS_ON = gc.isenabled()
gc.disable()

import asyncio  # noqa: E402
import contextlib  # noqa: E402
import importlib  # noqa: E402
from collections.abc import Callable, Iterable  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

from textual import on, work  # noqa: E402
from textual.app import App, SystemCommand  # noqa: E402
from textual.binding import Binding  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.signal import Signal  # noqa: E402

from workbench.config import Settings  # noqa: E402
from workbench.ui import messages as m  # noqa: E402
from workbench.ui.app_themes import Themes  # noqa: E402
from workbench.ui.compat import let_worker_messages_bubble, strip_terminal_controls  # noqa: E402
from workbench.ui.costs import Costs  # noqa: E402
from workbench.ui.keymap import UserKeymap  # noqa: E402
from workbench.ui.notices import Notices  # noqa: E402
from workbench.ui.plain import DataNotices  # noqa: E402
from workbench.ui.screens.base import FirstFrame  # noqa: E402
from workbench.ui.widgets.topbar import PANES  # noqa: E402
from workbench.ui.workers import WorkerWatch  # noqa: E402

if _GC_WAS_ON:
    gc.enable()

if TYPE_CHECKING:
    from workbench.api.client import ClaudeClient
    from workbench.services.composer import ComposerSession
    from workbench.services.store import Store

# mode -> "module:Class"; imported only when the pane is first shown.
SCREENS: dict[str, str] = {
    "compose": "workbench.ui.screens.compose:ComposeScreen",
    "models": "workbench.ui.screens.models:ModelsScreen",
    "history": "workbench.ui.screens.history:HistoryScreen",
    "library": "workbench.ui.screens.library:LibraryScreen",
    "batches": "workbench.ui.screens.batches:BatchesScreen",
    "files": "workbench.ui.screens.files:FilesScreen",
    "skills": "workbench.ui.screens.skills:SkillsScreen",
    "keys": "workbench.ui.screens.keys:KeysScreen",
    "evaluate": "workbench.ui.screens.evaluate:EvaluateScreen",
}
FIRST_RUN_SCREEN = "workbench.ui.screens.first_run:FirstRunScreen"
FIRST_PANE = "compose"

# Screens pushed over the composer's current draft: action -> ("module:Class", description).
# Each class takes the Draft as its only positional argument.
DRAFT_SCREENS: dict[str, tuple[str, str]] = {
    "compare": ("workbench.ui.screens.compare:CompareScreen",
                "Run the composer's request on two models or prompt versions side by side"),
    "export_code": ("workbench.ui.screens.export:ExportScreen",
                    "Code for the composer's request: curl, Python, TypeScript"),
    "save_prompt": ("workbench.ui.screens.library:SavePromptScreen",
                    "Save the composer's request as a new prompt version in the library"),
    "batch_create": ("workbench.ui.screens.batch_create:BatchCreateScreen",
                     "Make a batch from the composer's request and a dataset file"),
}
# Of those, the ones that send the request (their parameters are checked first).
SENDING_SCREENS = frozenset({"compare", "batch_create"})
IMPORT_CURL_SCREEN = "workbench.ui.screens.export:ImportCurlScreen"

# After the first frame, the panes' deferred widgets (side panel, footer) mount first: the
# emulator's and client's imports would otherwise compete with them for the interpreter.
IO_DELAY = 0.08


def load_class(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def _lazy(path: str) -> Callable[[], Screen]:
    return lambda: load_class(path)()


class WorkbenchApp(DataNotices, Notices, Costs, Themes, UserKeymap, WorkerWatch, FirstFrame,
                   App[int]):
    """Owns the settings, the one client, the store; routes cross-pane messages."""

    TITLE = "workbench"
    # The composer's CSS is read with the app's: see `get_default_screen`.
    CSS_PATH = ["workbench.tcss", "screens/compose.tcss"]
    MODES = {mode: _lazy(path) for mode, path in SCREENS.items() if mode != FIRST_PANE}
    DEFAULT_MODE = FIRST_PANE
    BINDINGS = [
        *(
            Binding(key, f"pane('{mode}')", label, id=f"pane.{mode}", show=False, priority=True)
            for mode, label, key in PANES
        ),
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+s", "draft_screen('save_prompt')", "Save prompt", id="app.save_prompt"),
        # priority: a focused text field would otherwise take alt+x / alt+k as a typed letter
        Binding("alt+x", "draft_screen('export_code')", "Code", id="app.export_code",
                priority=True),
        Binding("alt+k", "draft_screen('compare')", "Compare", id="app.compare", show=False,
                priority=True),
        Binding("ctrl+b", "draft_screen('batch_create')", "Batch", id="app.batch_create",
                show=False),
        Binding("ctrl+g", "import_curl", "Import curl", id="app.import_curl", show=False),
        Binding("ctrl+t", "cycle_theme", "Theme", id="app.theme", show=False),
        Binding("alt+n", "notices", "Notices", id="app.notices", show=False),
        # Textual's ctrl+q, shown: the footer's last key, the first to give way when narrow
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        settings: Settings | None = None,
        client: ClaudeClient | None = None,
        *,
        store: Store | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.client: ClaudeClient | None = client
        self.store: Store | None = store
        self.key_source: str | None = "injected" if client else None
        self.status_line = "starting…"
        self._client_ready = asyncio.Event()
        self._emulator: Any = None
        self._owns_client = client is None
        self.startup_problems: list[str] = []
        self._painted = False
        self._paint_callbacks: list[tuple[Any, Callable[[], Any]]] = []  # see FirstFrame
        self._theme_problems = self._register_themes()
        self._composers: dict[str, ComposerSession] = {}
        self.panes: dict[str, Screen] = {}  # mode -> its pane, once built
        # Panes that care subscribe: `app.client_signal.subscribe(self, callback)`.
        self.client_signal: Signal[m.ClientReady] = Signal(self, "client")
        let_worker_messages_bubble()  # one handler sees every worker's end
        strip_terminal_controls()  # no ESC drawn as text, whatever the widget
        self.apply_user_keymap()

    @property
    def composer(self) -> ComposerSession:
        """The composer's session of the active profile (one per profile, made on first use)."""
        from workbench.services.composer import ComposerSession

        profile = self.settings.active_profile
        if profile not in self._composers:
            from workbench.services.prompt_memory import PromptMemory

            self._composers[profile] = ComposerSession(
                profile, default_model=self.settings.default_model,
                api_version=self.settings.api_version, memory=PromptMemory())
        return self._composers[profile]

    # --- start-up -------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """The composer, as the app's own first screen rather than a mode's: Textual reparses
        the whole stylesheet twice when a mode builds its first screen (it loads the screen's
        CSS, then refreshes the app's), ~20 ms before the first frame. `on_mount` then adds the
        mode, so the pane keys switch to it as to any other."""
        return load_class(SCREENS[FIRST_PANE])()

    def on_mount(self) -> None:
        self.add_mode(FIRST_PANE, _lazy(SCREENS[FIRST_PANE]))  # its stack exists already
        for problem in self._theme_problems:
            self.notify(problem, severity="warning")
        if self.client is not None:
            self._set_status(self.client.base_url)
            self._client_ready.set()
            self.post_message(m.ClientReady(self.client.base_url, self.settings.demo))
        else:
            self.after_first_paint(self, lambda: self.set_timer(IO_DELAY, self.open_session))
        if self.store is None:  # a thread opens it
            self.after_first_paint(self, lambda: self.set_timer(IO_DELAY, self.open_store))
        else:
            self.after_first_paint(self, self.refresh_costs)
        self.after_first_paint(self, self.open_error_log)
        self.after_first_paint(self, self.check_user_keymap)
        # In case no frame is ever written (e.g. an unusual driver): never wait forever.
        self.set_timer(1.0, self._first_paint_done)

    @work(thread=True, group="settings", exit_on_error=False)
    def save_settings(self) -> None:
        from workbench import config

        try:
            config.save(self.settings)
        except OSError as exc:
            self.call_from_thread(self.notify, f"could not save settings: {exc}", severity="error")

    @work(exclusive=True, group="session", exit_on_error=False)
    async def open_session(self) -> None:
        """Resolve the key (keyring), start the emulator in demo mode, build the one client."""
        from workbench.api.client import ClaudeClient

        settings = self.settings
        if settings.demo:
            self._set_status("starting emulator…")
            try:
                base_url = await asyncio.to_thread(self._start_emulator)
            except Exception as exc:  # a port or thread problem: say it, keep the UI
                self._client_failed(f"the built-in emulator did not start: {exc}")
                return
            key: str | None = "sk-ant-demo-key-0000"
            self.key_source = "demo"
            if settings.demo_platform:  # --demo --platform X: the emulator's X wire
                from workbench.services.platforms import demo_client

                return await self._install_client(demo_client(
                    settings.demo_platform, base_url, settings.api_version))
        elif settings.profile.platform != "anthropic":  # a cloud profile: its own credentials
            from workbench.services.platforms import client_or_problem

            client, problem = await client_or_problem(settings)
            if client is None:
                return self._client_failed(problem or "")
            self.key_source = settings.profile.platform
            return await self._install_client(client)
        else:
            from workbench import paths
            from workbench.services.keys import advice_once, resolve_key

            resolved = await asyncio.to_thread(resolve_key, settings)
            key, self.key_source = resolved.key, resolved.source
            advice = resolved.problem if not key else await asyncio.to_thread(
                advice_once, resolved, paths.state_dir() / "keyring-advice-shown")
            if advice:  # with a key, the keyring advice is shown once, not at every start
                self.startup_problems.append(advice)
            base_url = settings.base_url
            if not key:
                self._set_status("no API key")
                self.push_screen(load_class(FIRST_RUN_SCREEN)())
                return
        await self._install_client(ClaudeClient(
            api_key=key, base_url=base_url, api_version=settings.api_version,
            betas=settings.profile.betas,  # the profile's anthropic-beta names
        ))

    def _start_emulator(self) -> str:
        from workbench.emulator.config import EmulatorConfig
        from workbench.emulator.server import EmulatorThread

        self._emulator = EmulatorThread(EmulatorConfig())
        return self._emulator.start()

    async def _install_client(self, client: ClaudeClient) -> None:
        old, self.client = self.client, client
        if old is not None and self._owns_client:
            await old.aclose()
        self._owns_client = True
        host = client.base_url.split("://", 1)[-1]
        label = "emulator" if self.settings.demo else self.settings.active_profile
        if client.platform != "anthropic":  # a cloud platform's wire: say which
            label = f"{label} ({client.platform})"
        self._set_status(f"{label} · {host}")
        self._client_ready.set()
        self.post_message(m.ClientReady(client.base_url, self.settings.demo))

    def _client_failed(self, reason: str) -> None:
        self._set_status("offline")
        self.notify(reason, title="Not connected", severity="error", timeout=10)

    async def wait_client(self) -> ClaudeClient:
        """For workers: the shared client once it exists."""
        await self._client_ready.wait()
        assert self.client is not None
        return self.client

    async def use_key(self, key: str | None, *, demo: bool = False) -> None:
        """Rebuild the client after a key or profile change (keys / first-run screens)."""
        from workbench.api.client import ClaudeClient

        self.settings.demo = demo
        if demo or self.settings.profile.platform != "anthropic":
            self.open_session()
            return
        await self._install_client(ClaudeClient(
            api_key=key, base_url=self.settings.base_url, api_version=self.settings.api_version,
            betas=self.settings.profile.betas,  # the profile's anthropic-beta names
        ))

    @work(thread=True, group="store", exit_on_error=False)
    def open_store(self) -> None:
        from workbench import paths

        try:
            from workbench.services.store import Store

            paths.ensure(paths.data_dir())
            store = Store(paths.database_file())
            self.recover_inflight(store, paths.data_dir() / "inflight")
            self.store = store
            self.call_from_thread(self.refresh_costs)
        except Exception as exc:  # a locked or corrupt database must not stop the composer
            self.call_from_thread(
                self.notify, f"history database unavailable: {exc}", severity="error", timeout=10
            )

    def recover_inflight(self, store: Store, folder: Any) -> None:
        """Replies that were streaming when a previous run of the app was killed: into History."""
        from workbench.services.inflight import recover

        count = recover(store, folder)
        if count:
            self.call_from_thread(
                self.notify, f"{count} reply that was streaming when the workbench stopped is in "
                "History (F4)" if count == 1 else f"{count} replies that were streaming when the "
                "workbench stopped are in History (F4)", severity="warning", timeout=10)

    async def wait_store(self) -> Store | None:
        for _ in range(200):
            if self.store is not None:
                return self.store
            await asyncio.sleep(0.02)
        return self.store

    def _set_status(self, text: str) -> None:
        self.status_line = text
        screen = self.screen
        refresh = getattr(screen, "refresh_topbar", None)
        if refresh:
            refresh()

    # --- cross-pane routing ----------------------------------------------------------------
    @on(m.ClientReady)
    def _on_client_ready(self, message: m.ClientReady) -> None:
        for problem in self.startup_problems:
            self.notify(problem, severity="warning", timeout=10)
        self.startup_problems.clear()
        self.client_signal.publish(message)

    @on(m.ModelChosen)
    async def _model_chosen(self, message: m.ModelChosen) -> None:
        composer = await self._composer()
        composer.set_model(message.model_id, message.info)

    @on(m.OpenDraft)
    async def _open_draft(self, message: m.OpenDraft) -> None:
        composer = await self._composer()
        composer.open_draft(message.draft, message.source)

    @on(m.AttachToComposer)
    async def _attach_to_composer(self, message: m.AttachToComposer) -> None:
        composer = await self._composer()
        await composer.attach(message.attachment)

    @on(m.UseSkill)
    async def _use_skill(self, message: m.UseSkill) -> None:
        composer = await self._composer()
        composer.use_skill(message.skill, message.name)

    async def _composer(self) -> Any:
        """Switch to the composer and return its pane (ComposeScreen): the mode's own screen,
        not `self.screen`, which is a dialog when one is open over the composer (ctrl+s)."""
        await self.switch_mode("compose")
        screen = self._modes_screen("compose") or self.screen
        wait = getattr(screen, "wait_side_loaded", None)
        if wait is not None:  # its side panel is mounted after the first frame
            await wait()
        return screen

    def _modes_screen(self, mode: str) -> Screen | None:
        """The pane built for `mode`, if it was ever shown (see WorkbenchScreen.on_mount)."""
        return self.panes.get(mode)

    # --- actions ---------------------------------------------------------------------------
    async def action_pane(self, mode: str) -> None:
        if mode not in SCREENS:
            return
        await self.switch_mode(mode)

    def composer_draft(self) -> Any:
        """A copy of the composer's draft, for a screen that works on it (export, compare...)."""
        from workbench.services.draft import Draft

        self.composer.before_read()
        return Draft.from_dict(self.composer.draft.to_dict())

    def action_draft_screen(self, name: str) -> None:
        if name in SENDING_SCREENS and not self._composer_params_ok():
            return
        path, _ = DRAFT_SCREENS[name]
        self.push_screen(load_class(path)(self.composer_draft()))

    def _composer_params_ok(self) -> bool:
        """The composer's own check of its parameters, as ctrl+r does, before a screen that
        sends them: the API's 400 later would say less, and a batch would fail request by
        request."""
        self.composer.before_read()
        problems = self.composer.problems()
        if problems:
            self.notify(f"{problems[0]}\nFix it in the composer's parameters (alt+p).",
                        title="Not sent", severity="error", timeout=8, markup=False)
            return False
        return True

    def action_import_curl(self) -> None:
        self.push_screen(load_class(IMPORT_CURL_SCREEN)())

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, label, key in PANES:
            yield SystemCommand(
                f"Go to {label}", f"Open the {label} pane ({key.upper()})",
                lambda mode=mode: self.run_worker(self.action_pane(mode)),
            )
        for name, (_, help_text) in DRAFT_SCREENS.items():
            title = name.replace("_", " ").capitalize()
            yield SystemCommand(title, help_text, lambda name=name: self.action_draft_screen(name))
        yield SystemCommand("Import curl", "Fill the composer from a curl command (ctrl+g)",
                            self.action_import_curl)
        yield SystemCommand(
            "Cycle theme", "Switch to the next theme (ctrl+t)", self.action_cycle_theme
        )
        commands = getattr(screen, "palette_commands", None)
        if commands:
            yield from commands()

    async def on_unmount(self) -> None:
        for session in self._composers.values():  # what was typed in the last moment
            session.before_read()
            await session.flush()
        if self.client is not None and self._owns_client:
            with contextlib.suppress(Exception):
                await self.client.aclose()
        if self._emulator is not None:
            await asyncio.to_thread(self._emulator.stop)
