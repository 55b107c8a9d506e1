"""The Evaluate pane: load a suite, run it on the emulator, cells fill in, totals, a cell's
output and grade, filters, diff, re-runs, export, compare; snapshots at 120x36 and 80x24."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.ui.conftest import screen_text, wait_until
from workbench.ui.widgets.eval_grid import EvalGrid

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples/evals/explain.toml"


async def open_pane(app, pilot, suite: Path) -> object:
    await pilot.press("f10")
    await wait_until(pilot, lambda: app.screen.__class__.__name__ == "EvaluateScreen"
                     and app.screen.session is not None)
    screen = app.screen
    path = screen.query_one("#eval-path", Input)
    path.value = str(suite)
    path.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen.session.suite is not None
                     and screen.query_one("#eval-grid", EvalGrid).row_count > 0)
    return screen


def cell(screen, case: str, variant: str) -> str:
    return str(screen.query_one("#eval-grid", EvalGrid).get_cell(case, variant))


async def run_all(pilot, screen) -> None:
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ConfirmRun")
    assert "estimated cost: at most $" in screen_text(pilot.app)
    await pilot.press("enter")
    total = len(screen.session.cells)
    await wait_until(pilot, lambda: len(screen.session.results) == total and not screen._busy
                     and "·" not in cell(screen, "git-rebase", "sonnet"))


async def test_run_fill_look_grade_filter_diff(make_app, tmp_path):
    suite = tmp_path / "explain.toml"
    suite.write_text(EXAMPLE.read_text())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_pane(app, pilot, suite)
        assert cell(screen, "recursion", "haiku") == "·"
        assert "estimate live ≤$" in screen_text(app)
        await run_all(pilot, screen)
        assert cell(screen, "recursion", "haiku").startswith("✓ 1.00 $")
        assert cell(screen, "git-rebase", "haiku").startswith("✗ ")
        text = screen_text(app)
        assert "pass 1/4 (25%)" in text and "p95" in text

        # a cell: the output and the assertions' reasons, then a grade with a note
        grid = screen.query_one("#eval-grid", EvalGrid)
        grid.focus()
        grid.move_cursor(row=3, column=1)  # git-rebase, haiku
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CellScreen")
        shown = screen_text(app)
        assert "FAIL  git-rebase [haiku]" in shown and "missing 'branch'" in shown
        await pilot.press("4", "n")
        await pilot.press(*"too vague")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: "★4" in cell(screen, "git-rebase", "haiku"))
        stored = list(screen.session.store.cells(screen.session.run_id))
        graded = next(r for r in stored if r.id == ("git-rebase", "haiku"))
        assert (graded.grade, graded.note) == (4, "too vague")

        # filters
        await pilot.press("f")
        await wait_until(pilot, lambda: grid.row_count == 3)  # failures somewhere in the row
        await pilot.press("f")
        await wait_until(pilot, lambda: grid.row_count == 1)  # closures: haiku ✗, sonnet ✓
        assert grid.rows == ["closures"]
        await pilot.press("f")
        await wait_until(pilot, lambda: grid.row_count == 4)

        # diff of two cells
        grid.move_cursor(row=1, column=1)
        await pilot.press("m")
        grid.move_cursor(row=1, column=2)
        await pilot.press("d")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "TextScreen")
        assert "--- closures [haiku]" in screen_text(app)
        await pilot.press("escape")

        # re-run one cell: sent again (forced), the grade kept
        sent_before = len(app.client.recorder.exchanges)
        grid.move_cursor(row=3, column=1)
        await pilot.press("r")
        await wait_until(pilot, lambda: len(app.client.recorder.exchanges) > sent_before
                         and not screen._busy)
        assert "★4" in cell(screen, "git-rebase", "haiku")

        # export and compare
        await pilot.press("e")
        await wait_until(pilot, lambda: list(tmp_path.glob("explain.run*.csv")))
        lines = next(tmp_path.glob("explain.run*.jsonl")).read_text().splitlines()
        assert len(lines) == 8 and json.loads(lines[0])["case"] == "recursion"


async def test_a_bad_suite_is_named_not_loaded(make_app, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text().replace('"^(Good question|Here is)"', '"(("'))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f10")
        await wait_until(pilot, lambda: getattr(app.screen, "session", None) is not None)
        path = app.screen.query_one("#eval-path", Input)
        path.value = str(bad)
        path.focus()
        await pilot.press("enter")
        status = app.screen.query_one("#eval-status")
        await wait_until(pilot, lambda: "invalid regular expression" in str(status.render()))
        line = bad.read_text().splitlines().index('value = "(("') + 1
        assert f"bad.toml:{line}: regex" in str(status.render())
        assert app.screen.session.suite is None


def fixed(screen) -> None:
    """Latencies vary run to run: fixed values for the pictures (in the grid's order: results
    are kept in the order they arrived)."""
    for i, key in enumerate(screen.session.all_keys()):
        screen.session.results[key].latency = 0.1 + 0.01 * i
    screen._pending = list(screen.session.results.values())
    screen._flush()


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_evaluate_snapshot(snap_compare, make_app, short_tmp, size):
    suite = short_tmp / "explain.toml"
    suite.write_text(EXAMPLE.read_text())

    async def run_before(pilot):
        screen = await open_pane(pilot.app, pilot, suite)
        await run_all(pilot, screen)
        fixed(screen)
        pilot.app._set_status("emulator")
        pilot.app.clear_notifications()
        screen.query_one("#eval-path", Input).value = "explain.toml"
        screen.query_one("#eval-grid", EvalGrid).focus()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


async def test_keys_generate_and_compare(make_app, tmp_path):
    suite = tmp_path / "explain.toml"
    suite.write_text(EXAMPLE.read_text())
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_pane(app, pilot, suite)
        grid = screen.query_one("#eval-grid", EvalGrid)
        await pilot.press("down", "down", "right", "right")
        assert grid.cursor_key == ("sql-joins", "sonnet")
        await pilot.press("end")
        assert grid.cursor_key == ("git-rebase", "sonnet")
        await pilot.press("enter")  # not run yet: said, nothing opens
        await pilot.pause()
        assert app.screen is screen

        # two runs, then compare: the same replies, nothing better or worse
        await run_all(pilot, screen)
        screen.load_suite(str(suite))
        await wait_until(pilot, lambda: screen.session.run_id is None)
        await run_all(pilot, screen)
        await pilot.press("k")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "TextScreen")
        assert "0 better · 0 worse · 8 same" in screen_text(app)
        await pilot.press("escape")

        # proposed cases: reviewed in an editor, then added to the suite
        await pilot.press("g")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "GenerateScreen")
        dialog = app.screen
        dialog.query_one("#eval-gen-count", Input).focus()
        await pilot.press("enter")
        area = dialog.query_one("#eval-gen-cases")
        await wait_until(pilot, lambda: "[[cases]]" in area.text)
        area.text = area.text.replace('id = "', 'id = "new-', 1)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.session.suite is not None
                         and len(screen.session.case_ids) == 5)
        assert screen.session.case_ids[-1].startswith("new-")
        assert "[[cases]]" in suite.read_text().split('id = "git-rebase"')[1]
