"""The Evaluate pane's headless session: filters, re-runs keep grades, diffs, stored runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.services.evals.runstore import EvalStore
from workbench.services.evals.session import EvalSession

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/evals/explain.toml"


@pytest.fixture
def session(tmp_path):
    store = EvalStore(tmp_path / "e.db")
    s = EvalSession(store)
    yield s
    store.close()


async def test_run_filter_grade_rerun_diff_compare(session, client, tmp_path):
    session.load(EXAMPLE, client.base_url)
    assert session.variants == ["haiku", "sonnet"] and len(session.all_keys()) == 8
    assert session.estimate(session.all_keys(), batch=True)["usd_upper_bound"] < \
        session.estimate(session.all_keys(), batch=False)["usd_upper_bound"]
    seen = []
    await session.run(client, session.all_keys(), on_result=seen.append)
    assert len(seen) == 8 and session.running == set()
    first_run = session.run_id

    assert session.cycle_filter() == "failures"
    assert session.visible_cases() == ["closures", "sql-joins", "git-rebase"]
    assert session.cycle_filter() == "disagreements"
    assert session.visible_cases() == ["closures"]
    session.cycle_filter()

    key = ("git-rebase", "haiku")
    await session.set_grade(key, 2, "misses the point")
    with pytest.raises(ValueError):
        await session.set_grade(key, 9, "")
    await session.run(client, [key], force=True)
    assert (session.results[key].grade, session.results[key].note) == (2, "misses the point")
    assert session.row_keys("closures") == [("closures", "haiku"), ("closures", "sonnet")]
    assert len(session.column_keys("sonnet")) == 4
    assert set(session.failure_keys()) == {k for k, r in session.results.items() if not r.passed}

    assert session.diff(("closures", "haiku"), ("closures", "sonnet")).startswith("--- closures")
    assert session.diff(key, key) == "the two outputs are the same"

    # a second run of the suite: compared with the first
    session.load(EXAMPLE, client.base_url)
    await session.run(client, session.all_keys())
    assert session.previous_run() == first_run
    diff = session.compare_with(first_run)
    assert len(diff["same"]) == 8
    jsonl, csv = session.export(tmp_path)
    assert len(jsonl.read_text().splitlines()) == 8 and csv.read_text().startswith("case,")
    assert session.open_run(first_run) == 8 and session.results[key].grade == 2
