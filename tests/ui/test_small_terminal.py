"""80x24, a common SSH terminal: the top bar, each pane's own keys in its footer (whole keys
only, the composer's with the app's f1, ^s, alt+x), the composer's turns and reply (its
parameters summed up in a line, alt+p shows them), History's date fields and the dialogs fit;
140x42 keeps the full bar and the composer's side column. Snapshots of compose and History."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Footer, Input

from tests.ui.conftest import screen_text, wait_until
from tests.ui.test_files import make_generated
from tests.ui.test_history import app_with, make_store, seed
from workbench.ui.app import SCREENS
from workbench.ui.screens.base import NARROW
from workbench.ui.widgets.pane_footer import SHORT
from workbench.ui.widgets.topbar import PANES

SMALL = (80, 24)
PANES_WITH_KEYS = ("models", "history", "library", "batches", "files", "skills", "keys")


def top_line(app) -> str:
    return screen_text(app).splitlines()[0]


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def show(app, pilot, mode: str) -> None:
    await app.switch_mode(mode)
    await wait_until(pilot, lambda: bool(app.screen.query(Footer)))
    await wait_until(pilot, lambda: "palette" in footer_line(app))
    await pilot.pause(0.2)


async def test_top_bar_shows_every_pane_key_and_demo_marker_at_80_columns(make_app) -> None:
    app = make_app()
    app.settings.demo = True
    async with app.run_test(size=SMALL) as pilot:
        for mode in SCREENS:
            await show(app, pilot, mode)
            line = top_line(app)
            assert all(key.upper() in line for _, _, key in PANES), line
            assert "DEMO" in line, line
            label = next(label for m, label, _ in PANES if m == mode)
            assert f" {label} " in line, line  # the pane you are on: its whole name
        # the tabs can still be clicked where they are drawn now
        bar = app.screen.query_one("TopBar")
        start, _, _ = next(span for span in bar._spans if span[2] == "library")
        await pilot.click("TopBar", offset=(start + 1, 0))
        await wait_until(pilot, lambda: app.current_mode == "library")


async def test_top_bar_is_whole_at_140_columns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause(0.2)
        line = top_line(app)
        assert line.startswith(" ◆ workbench ")
        assert all(f"{key.upper()} {label}" in line for _, label, key in PANES)
        assert app.client.base_url.split("://")[-1] in line  # room for the status too


@pytest.mark.parametrize("mode", PANES_WITH_KEYS)
async def test_each_panes_own_keys_fit_its_footer_at_80_columns(make_app, mode: str) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show(app, pilot, mode)
        screen = app.screen
        assert screen.has_class("-narrow") and screen.query_one(Footer).compact
        by_action: dict[str, set[str]] = {}
        for node, binding, _, _ in screen.active_bindings.values():
            if node is screen and binding.show and binding.description:
                shown = by_action.setdefault(binding.action, set())
                key = app.get_key_display(binding)
                shown.add(f"{key} {binding.description}")
                shown.add(f"{key} {SHORT.get(binding.id or '', binding.description)}")
        assert by_action

        def missing() -> list[set[str]]:  # one entry per action ('d' and 'delete': 'd Delete')
            return [shown for shown in by_action.values()
                    if not any(s in footer_line(app) for s in shown)]

        try:  # the footer recomposes when the focus settles
            await wait_until(pilot, lambda: not missing(), timeout=3)
        except AssertionError:
            raise AssertionError(f"{missing()} not in footer {footer_line(app)!r}") from None
        line = footer_line(app)
        if mode == "history":
            assert "⏎ Open" in line  # from its table
        assert line.rstrip().endswith("^p palette")  # nothing of the keys behind peeks out


async def test_history_date_fields_take_a_whole_date_at_80_columns(tmp_path,
                                                                   emulator_url) -> None:
    store = make_store(tmp_path)
    app = app_with(store, emulator_url)
    async with app.run_test(size=SMALL) as pilot:
        await show(app, pilot, "history")
        for field_id in ("#history-since", "#history-until"):
            field = app.screen.query_one(field_id, Input)
            assert field.content_region.width > len("YYYY-MM-DD"), field.content_region
            assert field.region.right <= SMALL[0]
        since = app.screen.query_one("#history-since", Input)
        since.focus()
        await pilot.press(*"2026-11-25")
        await pilot.pause(0.1)
        assert "2026-11-25" in screen_text(app)  # typed and shown whole, not scrolled away


async def test_files_detail_goes_under_the_table_at_80_columns(make_app, make_emulator) -> None:
    url = make_emulator(tokens_per_second=None)
    made = make_generated(url, "quarterly-report.csv", 2048)
    app = make_app(url)
    async with app.run_test(size=SMALL) as pilot:
        await show(app, pilot, "files")
        await wait_until(pilot, lambda: made["id"] in screen_text(app))
        text = screen_text(app)
        for column in ("Name", "Type", "Size", "Created", "Download"):
            assert column in text  # every column in 80 columns
        assert "download: yes" in text
        await pilot.resize_terminal(140, 42)
        await wait_until(pilot, lambda: not app.screen.has_class("-narrow")
                         and "download   yes" in screen_text(app))  # the side panel again


async def test_a_folder_as_dataset_shows_the_datasets_message_at_80x24(make_app,
                                                                       tmp_path) -> None:
    from workbench.services.datasets import DatasetError, check_dataset_file
    from workbench.services.draft import Draft, Turn
    from workbench.ui.screens.batch_create import BatchCreateScreen

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "cities.csv").write_text("id,city\nc1,Oslo\n")
    with pytest.raises(DatasetError) as raised:
        check_dataset_file(folder)
    expected = str(raised.value)  # whatever words services.datasets chooses
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await app.switch_mode("compose")
        await pilot.pause()
        app.screen.open_draft(Draft(turns=[Turn("user", "Describe {{city}}")]))
        await wait_until(pilot, lambda: "{{city}}" in str(app.composer_draft().to_request(
            "2023-06-01")))
        await pilot.press("ctrl+b")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchCreateScreen))
        app.screen.query_one("#dataset").value = str(folder)
        await pilot.press("ctrl+k")
        preview = app.screen.query_one("#preview-text")
        await wait_until(pilot, lambda: expected in str(preview.render()))
        await pilot.pause(0.1)
        assert preview.region.height >= 2 and preview.region.bottom <= SMALL[1]
        shown = " ".join(screen_text(app).split())
        assert "is a folder" in shown and "cities.csv" in shown


async def compose_ready(app, pilot):
    compose = app.screen
    await wait_until(pilot, lambda: compose.settled)
    await wait_until(pilot, lambda: "context" in str(compose.query_one("#model-info").render()))
    await pilot.pause(0.2)
    return compose


async def test_compose_at_80_columns_gives_the_turns_and_the_reply_the_width(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        compose = await compose_ready(app, pilot)
        assert compose.has_class("-narrow")
        side, summary = compose.query_one("#side"), compose.query_one("#side-summary")
        assert not side.display or side.region.width == 0
        # was 19 columns each beside the parameters; the reply has the larger share (40/60)
        for pane, least in (("#editor", 30), ("#transcript", 45)):
            assert compose.query_one(pane).region.width >= least, pane
        line = str(summary.render())
        for part in ("alt+p", "parameters", "claude-sonnet-5-5", "max_tokens 1,024", "/ 1M tokens"):
            assert part in line, line
        await pilot.press(*"Hello there")
        await wait_until(pilot, lambda: "~0 /" not in str(summary.render()))  # the live count

        await pilot.press("alt+p")  # the parameters, in the reply's place
        await wait_until(pilot, lambda: side.region.width >= 38
                         and not compose.query_one("#transcript").display)
        assert app.focused is compose.query_one("#max-tokens")
        assert "back to the reply" in str(summary.render())
        await pilot.press(*"2048")  # focusing the field selected its value: typed over
        assert compose.query_one("#max-tokens").value == "2048"
        await pilot.press("escape")  # back, to where the typing was
        await wait_until(pilot, lambda: compose.query_one("#transcript").display
                         and not compose.has_class("-params-open"))
        assert app.focused is compose.turn_list.editors[0].area
        assert "max_tokens 2,048" in str(summary.render())
        assert compose.session.draft.max_tokens == 2048

        await pilot.press("alt+p")
        await wait_until(pilot, lambda: compose.has_class("-params-open"))
        await pilot.press("ctrl+r")  # a run shows its reply: the parameters make way
        await wait_until(pilot, lambda: compose.session.last_result is not None and not compose.session.running)
        assert not compose.has_class("-params-open")
        assert compose.session.replies[0].region.width >= 34  # under 20 beside the parameters

        await pilot.press("alt+p")  # shown, then a click back in the turns
        await wait_until(pilot, lambda: compose.has_class("-params-open")
                         and side.region.width >= 38)
        await pilot.click(compose.turn_list.editors[-1].area)
        await wait_until(pilot, lambda: not compose.side.holds(app.focused))
        assert compose.has_class("-params-open")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not compose.has_class("-params-open")
                         and "back to" not in str(summary.render()))

        await pilot.resize_terminal(140, 42)  # wide: as it always was
        await wait_until(pilot, lambda: side.region.width == 42 and not summary.display)
        await pilot.press("alt+p")  # wide, it only moves the focus there and back
        await wait_until(pilot, lambda: app.focused is compose.query_one("#max-tokens"))
        assert compose.query_one("#transcript").display
        await pilot.resize_terminal(80, 24)  # narrowed while in the parameters: still shown
        await wait_until(pilot, lambda: compose.has_class("-narrow"))
        await pilot.pause(0.1)
        assert side.display and side.region.width >= 38
        await pilot.press("alt+p")
        await wait_until(pilot, lambda: app.focused is compose.turn_list.editors[0].area
                         and side.region.width == 0)


async def test_the_summary_line_opens_the_parameters_on_a_click(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        compose = await compose_ready(app, pilot)
        await pilot.click("#side-summary")
        await wait_until(pilot, lambda: compose.has_class("-params-open")
                         and compose.query_one("#side").region.width)


@pytest.mark.parametrize("mode", list(SCREENS))
@pytest.mark.parametrize("size", [SMALL, (120, 36)])
async def test_no_footer_key_is_cut_off(make_app, mode: str, size: tuple[int, int]) -> None:
    """Each key is shown whole or not at all, at 80 and at 120 columns (where the composer's
    footer ran under the palette key: '^s Save promp'); in the composer the app's keys show."""
    from textual.widgets._footer import FooterKey

    app = make_app()
    async with app.run_test(size=size) as pilot:
        await show(app, pilot, mode)
        await pilot.pause(0.3)
        footer = app.screen.query_one(Footer)
        palette = footer.query_one(".-command-palette")
        keys = [k for k in footer.query(FooterKey) if k is not palette]
        assert keys
        for key in keys:
            assert key.region.right <= palette.region.x, (key.key, key.description)
            assert key.description in footer_line(app)
        line = footer_line(app)
        if mode in ("compose", "models"):  # the app's keys fit whole there
            for shown in ("f1 Help", "^s Save prompt", "alt+x Code"):
                assert shown in line, line
        if size[0] >= 120:  # every key shows, at worst with a shorter description
            forms: dict[str, set[str]] = {}  # per action: 'd Delete' or 'del Delete'
            for _, binding, _, _ in app.screen.active_bindings.values():
                if binding.show and binding.description:
                    key = app.get_key_display(binding)
                    short = SHORT.get(binding.id or "", binding.description)
                    forms.setdefault(binding.action, set()).update(
                        {f"{key} {short}", f"{key} {binding.description}"})
            for action, shown in forms.items():
                assert any(form in line for form in shown), (action, line)


def _pin_status(app) -> None:
    app._set_status("default · api.example")


def test_compose_snapshot_80x24(snap_compare, make_app) -> None:
    async def before(pilot) -> None:
        screen = pilot.app.screen
        await wait_until(pilot, lambda: screen.settled)
        await wait_until(pilot, lambda: "context" in str(screen.query_one("#model-info").render()))
        await pilot.pause(0.6)
        _pin_status(pilot.app)
        await pilot.pause(0.1)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=before)


def test_compose_parameters_snapshot_80x24(snap_compare, make_app) -> None:
    """alt+p at 80x24: the parameters and the gauge in the reply's place, 40 columns."""
    async def before(pilot) -> None:
        screen = pilot.app.screen
        await wait_until(pilot, lambda: screen.settled)
        await wait_until(pilot, lambda: "context" in str(screen.query_one("#model-info").render()))
        await pilot.press("alt+p")
        await pilot.pause(0.6)
        _pin_status(pilot.app)
        await pilot.pause(0.1)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=before)


def test_history_snapshot_80x24(snap_compare, tmp_path, emulator_url, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    store = make_store(tmp_path)
    seed(store, 30)
    app = app_with(store, emulator_url)

    async def before(pilot) -> None:
        await app.switch_mode("history")
        await wait_until(pilot, lambda: len(app.screen.run_ids) == 30)
        app._set_status("emulator")
        await pilot.pause(0.2)

    try:
        assert snap_compare(app, terminal_size=SMALL, run_before=before)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_narrow_threshold_leaves_140_columns_wide() -> None:
    assert 80 < NARROW <= 140
