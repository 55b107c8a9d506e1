"""Eval runs, their cells, human grades and the reply cache, in the workbench database.

The tables live in the same SQLite file as the history and the library but are created here,
each `IF NOT EXISTS`, with their own version row in `eval_meta`: the store's `user_version`
migrations stay the store's, so this module never collides with them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from workbench.services.evals.scoring import CellResult

SCHEMA = """
CREATE TABLE IF NOT EXISTS eval_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS eval_suites (name TEXT PRIMARY KEY, path TEXT, version TEXT,
  text TEXT, updated_at REAL);
CREATE TABLE IF NOT EXISTS eval_runs (id INTEGER PRIMARY KEY, suite TEXT NOT NULL,
  suite_path TEXT, suite_version TEXT, suite_text TEXT, mode TEXT, base_url TEXT,
  started_at REAL, finished_at REAL, summary TEXT);
CREATE TABLE IF NOT EXISTS eval_cells (run_id INTEGER REFERENCES eval_runs(id) ON DELETE CASCADE,
  case_id TEXT, variant TEXT, status TEXT, score REAL, cost REAL, latency REAL, data TEXT,
  grade INTEGER, note TEXT, PRIMARY KEY (run_id, case_id, variant));
CREATE TABLE IF NOT EXISTS eval_cache (hash TEXT PRIMARY KEY, message TEXT NOT NULL,
  latency REAL, ttft REAL, created_at REAL);
"""
SCHEMA_VERSION = "1"


class EvalStore:
    """Thread-safe (one lock); the UI calls it through `asyncio.to_thread`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=10,
                                  isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        self.db.execute("INSERT OR IGNORE INTO eval_meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        self.lock = threading.Lock()

    def close(self) -> None:
        with self.lock:
            self.db.close()

    # --- the cache ------------------------------------------------------------------------
    def cached(self, key: str) -> tuple[dict[str, Any], float | None, float | None] | None:
        with self.lock:
            row = self.db.execute("SELECT message, latency, ttft FROM eval_cache WHERE hash = ?",
                                  (key,)).fetchone()
        return (json.loads(row[0]), row[1], row[2]) if row else None

    def cache(self, key: str, message: dict[str, Any], latency: float | None,
              ttft: float | None) -> None:
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO eval_cache VALUES (?,?,?,?,?)",
                            (key, json.dumps(message), latency, ttft, time.time()))

    # --- suites and runs ------------------------------------------------------------------
    def save_suite(self, name: str, path: str, version: str, text: str) -> None:
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO eval_suites VALUES (?,?,?,?,?)",
                            (name, path, version, text, time.time()))

    def start_run(self, *, suite: str, suite_path: str, suite_version: str, suite_text: str,
                  mode: str, base_url: str) -> int:
        with self.lock:
            cur = self.db.execute(
                "INSERT INTO eval_runs (suite, suite_path, suite_version, suite_text, mode, "
                "base_url, started_at) VALUES (?,?,?,?,?,?,?)",
                (suite, suite_path, suite_version, suite_text, mode, base_url, time.time()))
            return int(cur.lastrowid or 0)

    def put_cells(self, run_id: int, results: Iterable[CellResult]) -> None:
        """Add or replace cells (a re-run replaces; the human grade of a cell is kept)."""
        rows = [(run_id, r.case_id, r.variant, r.status, r.score, r.cost, r.latency,
                 json.dumps(r.to_dict()), r.grade, r.note) for r in results]
        with self.lock:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT INTO eval_cells VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(run_id, "
                "case_id, variant) DO UPDATE SET status=excluded.status, score=excluded.score, "
                "cost=excluded.cost, latency=excluded.latency, data=excluded.data", rows)
            self.db.execute("COMMIT")

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        with self.lock:
            self.db.execute("UPDATE eval_runs SET finished_at = ?, summary = ? WHERE id = ?",
                            (time.time(), json.dumps(summary), run_id))

    def set_grade(self, run_id: int, case_id: str, variant: str, grade: int | None,
                  note: str) -> None:
        if grade is not None and not 1 <= grade <= 5:
            raise ValueError("a grade is 1 to 5")
        with self.lock:
            self.db.execute("UPDATE eval_cells SET grade = ?, note = ? WHERE run_id = ? AND "
                            "case_id = ? AND variant = ?", (grade, note, run_id, case_id, variant))

    def list_runs(self, suite: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        sql = ("SELECT id, suite, suite_path, suite_version, mode, base_url, started_at, "
               "finished_at, summary FROM eval_runs")
        args: tuple[Any, ...] = ()
        if suite:
            sql, args = sql + " WHERE suite = ?", (suite,)
        with self.lock:
            rows = [dict(r) for r in self.db.execute(sql + " ORDER BY id DESC LIMIT ?",
                                                     (*args, limit))]
        for row in rows:
            row["summary"] = json.loads(row["summary"]) if row["summary"] else None
        return rows

    def get_run(self, run_id: int) -> dict[str, Any] | None:
        with self.lock:
            row = self.db.execute("SELECT * FROM eval_runs WHERE id = ?", (run_id,)).fetchone()
        return dict(row) if row else None

    def cells(self, run_id: int) -> Iterator[CellResult]:
        with self.lock:
            rows = self.db.execute("SELECT data, grade, note FROM eval_cells WHERE run_id = ? "
                                   "ORDER BY rowid", (run_id,)).fetchall()
        for data, grade, note in rows:
            result = CellResult.from_dict(json.loads(data))
            result.grade, result.note = grade, note or ""
            yield result


def compare_runs(old: Iterable[CellResult], new: Iterable[CellResult]) -> dict[str, list]:
    """What got better and worse between two runs, by (case, variant): a pass that became a
    fail (or a lower score) is worse; cells in only one run are listed as added / removed."""
    before = {r.id: r for r in old}
    after = {r.id: r for r in new}
    out: dict[str, list] = {"better": [], "worse": [], "same": [], "added": [], "removed": []}
    for key, cell in after.items():
        prior = before.get(key)
        if prior is None:
            out["added"].append(key)
        elif (cell.passed, round(cell.score, 4)) > (prior.passed, round(prior.score, 4)):
            out["better"].append((key, prior.score, cell.score))
        elif (cell.passed, round(cell.score, 4)) < (prior.passed, round(prior.score, 4)):
            out["worse"].append((key, prior.score, cell.score))
        else:
            out["same"].append(key)
    out["removed"] = [k for k in before if k not in after]
    return out
