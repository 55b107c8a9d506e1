"""Issue 12: a run keeps its anthropic-beta names in History (the request's and the profile's),
an older database opens with none, and a reopened run gets them back (export and re-run send
them again)."""

from __future__ import annotations

import json
import sqlite3

from workbench.services.request_options import betas_summary, reopened_betas
from workbench.services.store import MIGRATIONS, Store

REQUEST = {"model": "claude-haiku-4-5", "max_tokens": 64,
           "messages": [{"role": "user", "content": "Name a blue whale fact"}]}


def test_betas_round_trip_and_runs_without_any(tmp_path) -> None:
    store = Store(tmp_path / "w.db")
    with_betas = store.add_run(request=REQUEST, betas=["extended-cache-ttl-2025-04-11"],
                               profile_betas=["context-1m-2025-08-07"])
    without = store.add_run(request=REQUEST)
    run = store.get_run(with_betas)
    assert run["betas"] == ["extended-cache-ttl-2025-04-11"]
    assert run["profile_betas"] == ["context-1m-2025-08-07"]
    assert run["request"] == REQUEST  # the body stays as sent: betas are headers
    assert store.get_run(without)["betas"] == [] and store.get_run(without)["profile_betas"] == []
    with store.lock:  # nothing is written for a run without betas
        assert store.db.execute("SELECT betas FROM runs WHERE id = ?",
                                (without,)).fetchone()[0] is None


def test_a_database_from_before_the_betas_column_opens_and_keeps_its_runs(tmp_path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:4]:
        db.executescript(script)
    db.execute("INSERT INTO runs (created_at, model, status, request, reply, usage) "
               "VALUES (1.0, 'claude-haiku-4-5', 'complete', ?, '{}', '{}')",
               (json.dumps(REQUEST),))
    db.execute("PRAGMA user_version = 4")
    db.close()
    store = Store(path)
    assert store.upgraded_from == 4 and store.schema_version() == len(MIGRATIONS)
    old = store.get_run(1)
    assert old["request"] == REQUEST and old["betas"] == [] and old["profile_betas"] == []
    new = store.add_run(request=REQUEST, betas=["a-beta"])
    assert store.get_run(new)["betas"] == ["a-beta"]


def test_a_damaged_betas_value_reads_as_none(tmp_path) -> None:
    store = Store(tmp_path / "w.db")
    run_id = store.add_run(request=REQUEST)
    for damaged in ("{not json", '["a"]', '{"request": "a", "profile": [1, "b"]}'):
        with store.lock, store.db:
            store.db.execute("UPDATE runs SET betas = ? WHERE id = ?", (damaged, run_id))
        run = store.get_run(run_id)
        assert run["betas"] == [] and run["profile_betas"] in ([], ["b"])


def test_a_reopened_run_gets_the_betas_it_was_sent_with() -> None:
    run = {"betas": ["own-beta", "shared-beta"], "profile_betas": ["shared-beta", "work-beta"]}
    # the same profile sends work-beta itself: the draft keeps only the request's own
    assert reopened_betas(run, ["work-beta"]) == ["own-beta", "shared-beta"]
    # another profile: its profile's beta comes along, so a re-run sends the same header
    assert reopened_betas(run, []) == ["own-beta", "shared-beta", "work-beta"]
    assert reopened_betas({"betas": [], "profile_betas": []}, []) == []
    assert betas_summary(run) == "own-beta, shared-beta · profile: work-beta"
    assert betas_summary({"betas": [], "profile_betas": ["p"]}) == "profile: p"
    assert betas_summary({"betas": [], "profile_betas": []}) == ""


async def test_a_run_with_betas_is_sent_stored_reopened_and_exported_with_them(
        client, tmp_path) -> None:
    from workbench.services.draft import Draft
    from workbench.services.export import export_code
    from workbench.services.runner import RunResult, run_stream, store_run

    result = RunResult(dict(REQUEST))
    await run_stream(client, result.body, result, lambda event: None,
                     betas=("extended-cache-ttl-2025-04-11",))
    assert result.status == "complete"
    assert result.exchange.request_headers["anthropic-beta"] == "extended-cache-ttl-2025-04-11"
    store = Store(tmp_path / "w.db")
    store_run(store, result, None, "default", ["context-1m-2025-08-07"])
    run = store.get_run(store.list_runs()[0]["id"])
    assert run["betas"] == ["extended-cache-ttl-2025-04-11"]
    assert run["profile_betas"] == ["context-1m-2025-08-07"]
    draft = Draft.from_request(run["request"])
    draft.betas = reopened_betas(run, [])  # reopened under a profile without betas
    assert draft.betas == ["extended-cache-ttl-2025-04-11", "context-1m-2025-08-07"]
    curl = export_code(draft.to_request("2023-06-01"), "curl", betas=draft.betas)
    assert "anthropic-beta: extended-cache-ttl-2025-04-11,context-1m-2025-08-07" in curl
    again = RunResult(draft.to_request("2023-06-01"))  # the re-run sends the same header
    await run_stream(client, again.body, again, lambda event: None, betas=tuple(draft.betas))
    assert again.exchange.request_headers["anthropic-beta"] == \
        "extended-cache-ttl-2025-04-11,context-1m-2025-08-07"


def test_a_run_recovered_after_a_crash_keeps_its_betas(tmp_path) -> None:
    from workbench.services.inflight import Checkpoint, recover

    folder = tmp_path / "inflight"
    Checkpoint(folder, dict(REQUEST), "work", ("own-beta",), ["work-beta"]).save(None, None)
    store = Store(tmp_path / "w.db")
    assert recover(store, folder) == 1
    run = store.get_run(store.list_runs()[0]["id"])
    assert run["betas"] == ["own-beta"] and run["profile_betas"] == ["work-beta"]
