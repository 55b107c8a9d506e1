"""`{{variables}}` for a single run, filled from a dataset row (CSV or JSONL) in the dialog."""

from __future__ import annotations

import json

from textual.widgets import Input, Static

from tests.ui.conftest import wait_until
from workbench.services.draft import Draft, Turn


async def open_dialog(app, pilot, text: str):
    app.screen.open_draft(Draft(turns=[Turn("user", text)]))
    compose = app.screen
    await wait_until(pilot, lambda: [t.text for t in compose.session.draft.turns] == [text])
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "VariablesScreen")
    return compose, app.screen


def error_text(dialog) -> str:
    return str(dialog.query_one(".error", Static).render())


async def fill_from(pilot, dialog, path, row: int) -> None:
    dialog.query_one("#dataset-path", Input).value = str(path)
    dialog.query_one("#dataset-row", Input).value = str(row)
    # A button ignores clicks while it still shows the last press (0.2 s).
    button = dialog.query_one("#fill")
    await wait_until(pilot, lambda: not button.has_class("-active"))
    assert await pilot.click("#fill")


async def test_fill_from_a_csv_row_then_run(make_app, tmp_path) -> None:
    data = tmp_path / "cities.csv"
    data.write_text("city,season,unused\nOslo,spring,x\nReykjavik,winter,y\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        compose, dialog = await open_dialog(app, pilot, "Describe {{city}} in {{season}}")
        await fill_from(pilot, dialog, data, 2)
        await wait_until(pilot, lambda: dialog.query_one("#var-0", Input).value == "Reykjavik")
        assert dialog.query_one("#var-1", Input).value == "winter"
        assert error_text(dialog) == ""
        await pilot.click("#ok")
        await wait_until(pilot, lambda: compose.session.last_result is not None and not compose.session.running)
        sent = json.loads(compose.session.last_result.exchange.request_body)
        assert sent["messages"][0]["content"] == "Describe Reykjavik in winter"
        # the draft keeps its variables, and the dialog remembers the dataset next time
        assert compose.session.draft.turns[0].text == "Describe {{city}} in {{season}}"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "VariablesScreen")
        again = app.screen
        assert again.query_one("#dataset-path", Input).value == str(data)
        assert again.query_one("#dataset-row", Input).value == "2"
        assert again.query_one("#var-0", Input).value == "Reykjavik"


async def test_fill_from_jsonl_with_enter_and_non_string_values(make_app, tmp_path) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text('{"city": "Lima", "n": 3}\n\n{"city": "Quito", "n": [1, 2]}\n',
                    encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        _, dialog = await open_dialog(app, pilot, "{{n}} facts about {{city}}")
        dialog.query_one("#dataset-path", Input).value = str(data)
        dialog.query_one("#dataset-row", Input).value = "2"
        dialog.query_one("#dataset-row", Input).focus()
        await pilot.press("enter")  # enter in the dataset inputs fills, it does not run
        await wait_until(pilot, lambda: dialog.query_one("#var-1", Input).value == "Quito")
        assert dialog.query_one("#var-0", Input).value == "[1, 2]"
        assert type(app.screen).__name__ == "VariablesScreen"


async def test_bad_rows_are_named_and_values_left_alone(make_app, tmp_path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"city": "Lima"}\n["not", "an", "object"]\n{"city": "Quito"}\n',
                   encoding="utf-8")
    short = tmp_path / "short.csv"
    short.write_text("city\nOslo\n", encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text("town,season\nBergen,autumn\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        _, dialog = await open_dialog(app, pilot, "Describe {{city}} in {{season}}")
        city = dialog.query_one("#var-0", Input)
        city.value = "typed"

        await fill_from(pilot, dialog, bad, 3)  # row 2 is on the way and is bad
        await wait_until(pilot, lambda: "row 2" in error_text(dialog))
        assert "expected a JSON object" in error_text(dialog) and city.value == "typed"

        await fill_from(pilot, dialog, short, 5)
        await wait_until(pilot, lambda: "only 1 row" in error_text(dialog))
        assert "row 5" in error_text(dialog) and city.value == "typed"

        await fill_from(pilot, dialog, tmp_path / "nope.csv", 1)
        await wait_until(pilot, lambda: "no such file" in error_text(dialog))

        await fill_from(pilot, dialog, other, 1)  # no 'city' column: season filled, city named
        await wait_until(pilot, lambda: dialog.query_one("#var-1", Input).value == "autumn")
        assert "no value for city" in error_text(dialog) and "town" in error_text(dialog)
        assert city.value == "typed"
        # nothing ran
        assert type(app.screen).__name__ == "VariablesScreen"


async def test_a_folder_given_as_the_dataset_is_named_once(make_app, tmp_path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    app = make_app()
    async with app.run_test(size=(140, 42)) as pilot:
        _, dialog = await open_dialog(app, pilot, "Describe {{city}}")
        await fill_from(pilot, dialog, folder, 1)
        await wait_until(pilot, lambda: "folder" in error_text(dialog))
        assert error_text(dialog).count(str(folder)) == 1
        assert "is a folder" in error_text(dialog)
