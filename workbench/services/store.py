"""The local database: every run, the prompt library with versions, the composer's drafts
and the conversation its last clear set aside.

stdlib `sqlite3` in WAL mode (readers never block the writer; a killed process leaves a
consistent file), FTS5 over prompts and replies, and `PRAGMA user_version` with forward
migrations so a database from any earlier version opens and upgrades in place. Methods are
synchronous and thread-safe; the UI calls them through `await store.arun(...)`, off its thread.
The API key is never stored: requests are kept as sent, and the key travels only in a header.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# v1 is the schema of the first release, which set no user_version:
# every statement is idempotent so such a database upgrades from "version 0" in place.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE IF NOT EXISTS runs (
      id INTEGER PRIMARY KEY, created_at REAL NOT NULL, model TEXT, status TEXT, profile TEXT,
      request TEXT, reply TEXT, usage TEXT, prompt_preview TEXT, reply_text TEXT, error TEXT,
      input_tokens INTEGER, output_tokens INTEGER, cost_usd REAL, ttft REAL, duration REAL,
      tokens_per_second REAL, request_id TEXT, compare_group TEXT, preferred INTEGER DEFAULT 0);
    CREATE INDEX IF NOT EXISTS runs_created ON runs(created_at DESC, id DESC);
    CREATE VIRTUAL TABLE IF NOT EXISTS runs_fts USING fts5(prompt, reply, content='');
    CREATE TABLE IF NOT EXISTS prompts (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,
      updated_at REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS versions (prompt_id INTEGER REFERENCES prompts(id) ON DELETE CASCADE,
      version INTEGER, note TEXT, draft TEXT, variables TEXT, created_at REAL,
      PRIMARY KEY (prompt_id, version));
    """,
    # v2: drafts live here too (one row per profile), written in one transaction.
    """
    CREATE TABLE IF NOT EXISTS drafts (slot TEXT PRIMARY KEY, data TEXT NOT NULL,
      updated_at REAL NOT NULL);
    """,
    # v3: the history filters (model, status) use indexes once there are many runs.
    """
    CREATE INDEX IF NOT EXISTS runs_model ON runs(model, created_at DESC);
    CREATE INDEX IF NOT EXISTS runs_status ON runs(status, created_at DESC);
    """,
    # v4: the conversation a clear set aside, one per profile next to its draft, so undoing
    # the clear still works after the app died or was closed (it was only kept in memory).
    """
    CREATE TABLE IF NOT EXISTS set_aside (slot TEXT PRIMARY KEY, data TEXT NOT NULL,
      updated_at REAL NOT NULL);
    """,
    # v5: the anthropic-beta names a run was sent with (they are headers, not in the body):
    # {"request": [...], "profile": [...]} as JSON, NULL when there were none.
    """
    ALTER TABLE runs ADD COLUMN betas TEXT;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
# A cut-short run's output count was estimated locally (runner.ESTIMATED_MARK in its usage):
# the history list says so without loading every usage. json_valid: a damaged usage is "no".
_OUTPUT_ESTIMATED = ("(CASE WHEN json_valid(usage) THEN "
                     "json_extract(usage, '$.output_tokens_estimated') IS 1 ELSE 0 END)")
LEGACY_NAME = "workbench-panes.db"  # where the first release kept the same schema


class StoreError(RuntimeError):
    """The database cannot be opened or is newer than this workbench."""


def _texts(request: dict[str, Any]) -> str:
    parts = [str(request.get("system") or "") if not isinstance(request.get("system"), list)
             else " ".join(b.get("text", "") for b in request["system"] if isinstance(b, dict))]
    for message in request.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        else:
            parts += [b.get("text", "") for b in content or [] if isinstance(b, dict)]
    return "\n".join(p for p in parts if p)


def _betas_json(request: Sequence[str], profile: Sequence[str]) -> str | None:
    if not request and not profile:
        return None
    return json.dumps({"request": [str(b) for b in request], "profile": [str(b) for b in profile]})


def _betas_of(stored: str | None) -> tuple[list[str], list[str]]:
    """(the request's betas, the profile's) of a stored run; none for a run stored before v5
    or a damaged value (history shows the run all the same)."""
    try:
        data = json.loads(stored) if stored else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    return tuple(  # type: ignore[return-value]
        [str(b) for b in data.get(k) or [] if isinstance(b, str)]
        if isinstance(data.get(k), list) else [] for k in ("request", "profile"))


_adopt_lock = threading.Lock()
_open_lock = threading.Lock()


def _adopt_legacy(path: Path) -> None:
    """The first release used another file name with the v1 schema: take it over once."""
    legacy = path.with_name(LEGACY_NAME)
    with _adopt_lock:
        if path.name == "workbench.db" and not path.exists() and legacy.exists():
            for suffix in ("-wal", "-shm", ""):  # the main file last: it marks "adopted"
                source = Path(str(legacy) + suffix)
                with contextlib.suppress(FileNotFoundError):
                    os.replace(source, str(path) + suffix)


def migrate(db: sqlite3.Connection) -> int:
    """Apply the migrations the database lacks; returns the version it had.

    `db` must be in autocommit mode (isolation_level None): each migration runs in an explicit
    transaction with its version bump, so a crash leaves the database at one version or the next.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"the database is at schema version {version}, newer than this "
                         f"workbench ({SCHEMA_VERSION}): update the workbench")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        db.execute("BEGIN IMMEDIATE")
        # another process (or thread) may have migrated since we read the version
        if db.execute("PRAGMA user_version").fetchone()[0] >= number:
            db.execute("COMMIT")
            continue
        try:
            for statement in filter(str.strip, MIGRATIONS[number - 1].split(";")):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return version


class Store:
    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _adopt_legacy(self.path)
        for attempt in range(20):
            try:
                with _open_lock:  # the app and the draft autosave open it at the same moment
                    self.db = self._connect()
                break
            except sqlite3.OperationalError as exc:  # another process is migrating it
                if "locked" not in str(exc) or attempt == 19:
                    raise StoreError(f"cannot open {self.path}: {exc}") from exc
                time.sleep(0.1)
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"cannot open {self.path}: {exc}") from exc
        self.lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, timeout=10, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            self.upgraded_from = migrate(db)
            db.isolation_level = ""  # implicit transactions for `with self.db` from here
        except BaseException:
            db.close()
            raise
        return db

    async def arun(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a (blocking) store call in a thread: the UI never waits on the disk."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    def schema_version(self) -> int:
        with self.lock:
            return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def integrity_check(self) -> str:
        with self.lock:
            return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    # --- runs -----------------------------------------------------------------------------
    def add_run(self, *, request: dict[str, Any], message: Any = None, status: str = "complete",
                error: str | None = None, cost_usd: float | None = None, ttft: float | None = None,
                duration: float | None = None, output_tps: float | None = None,
                request_id: str | None = None, profile: str | None = None,
                compare_group: str | None = None, created_at: float | None = None,
                betas: Sequence[str] = (), profile_betas: Sequence[str] = ()) -> int:
        """Store one run exactly as sent, with whatever reply arrived (complete or not), and
        the anthropic-beta names it was sent with: the request's own and its profile's."""
        reply = message.model_dump(mode="json") if hasattr(message, "model_dump") else message
        reply = reply or {}
        usage = reply.get("usage") or {}
        text = "".join(b.get("text", "") for b in reply.get("content", []) or []
                       if isinstance(b, dict) and b.get("type") == "text")
        prompt = _texts(request)
        last = next((m for m in reversed(request.get("messages", [])) if m.get("role") == "user"),
                    None)
        preview = _texts({"messages": [last]}) if last else prompt
        with self.lock, self.db:
            cur = self.db.execute(
                "INSERT INTO runs (created_at, model, status, profile, request, reply, usage, "
                "prompt_preview, reply_text, error, input_tokens, output_tokens, cost_usd, ttft, "
                "duration, tokens_per_second, request_id, compare_group, betas) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (created_at or time.time(), request.get("model"), status, profile,
                 json.dumps(request), json.dumps(reply), json.dumps(usage), preview, text, error,
                 usage.get("input_tokens"), usage.get("output_tokens"), cost_usd, ttft, duration,
                 output_tps, request_id, compare_group, _betas_json(betas, profile_betas)))
            run_id = int(cur.lastrowid or 0)
            self.db.execute("INSERT INTO runs_fts (rowid, prompt, reply) VALUES (?,?,?)",
                            (run_id, prompt, text))
        return run_id

    def list_runs(self, *, limit: int = 100, offset: int = 0, search: str | None = None,
                  model: str | None = None, status: str | None = None,
                  since: float | None = None, until: float | None = None) -> list[dict]:
        """One page, newest first; `search` is full-text over prompts and replies."""
        where, args = [], []
        if search:
            terms = " ".join('"' + t.replace('"', '""') + '"' for t in search.split())
            where.append("id IN (SELECT rowid FROM runs_fts WHERE runs_fts MATCH ?)")
            args.append(terms)
        for column, value in (("model", model), ("status", status)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        if since is not None:
            where.append("created_at >= ?")
            args.append(since)
        if until is not None:
            where.append("created_at < ?")
            args.append(until)
        sql = ("SELECT id, created_at, model, status, prompt_preview, input_tokens, output_tokens,"
               f" {_OUTPUT_ESTIMATED} AS output_estimated, cost_usd, ttft, compare_group, preferred"
               " FROM runs"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
        with self.lock:
            rows = [dict(r) for r in self.db.execute(sql, [*args, limit, offset])]
        for row in rows:
            row["output_estimated"] = bool(row["output_estimated"])
        return rows

    def count_runs(self) -> int:
        with self.lock:
            return int(self.db.execute("SELECT COUNT(*) FROM runs").fetchone()[0])

    def cost_since(self, since: float) -> float:
        """USD of the runs stored since `since` (runs with no known price count 0)."""
        with self.lock:
            row = self.db.execute("SELECT SUM(cost_usd) FROM runs WHERE created_at >= ?",
                                  (since,)).fetchone()
        return float(row[0] or 0.0)

    def run_models(self) -> list[str]:
        with self.lock:
            return [r[0] for r in self.db.execute(
                "SELECT DISTINCT model FROM runs WHERE model IS NOT NULL ORDER BY model")]

    def get_run(self, run_id: int) -> dict | None:
        with self.lock:
            row = self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        run = dict(row)
        for key in ("request", "reply", "usage"):
            run[key] = json.loads(run[key] or "null")
        run["preferred"] = bool(run["preferred"])
        run["betas"], run["profile_betas"] = _betas_of(run.get("betas"))
        return run

    def mark_preferred(self, run_id: int) -> None:
        """Of the runs compared together, this one is the better one (the others are not)."""
        with self.lock, self.db:
            group = self.db.execute("SELECT compare_group FROM runs WHERE id = ?",
                                    (run_id,)).fetchone()
            if group and group[0]:
                self.db.execute("UPDATE runs SET preferred = (id = ?) WHERE compare_group = ?",
                                (run_id, group[0]))

    # --- prompts ----------------------------------------------------------------------------
    def list_prompts(self) -> list[dict]:
        with self.lock:
            return [dict(r) for r in self.db.execute(
                "SELECT p.id, p.name, p.updated_at, COUNT(v.version) AS versions FROM prompts p "
                "LEFT JOIN versions v ON v.prompt_id = p.id GROUP BY p.id "
                "ORDER BY p.updated_at DESC, p.id DESC")]

    def find_prompt(self, name: str) -> dict | None:
        with self.lock:
            row = self.db.execute("SELECT * FROM prompts WHERE name = ?", (name,)).fetchone()
        return dict(row) if row else None

    def list_versions(self, prompt_id: int) -> list[dict]:
        """Newest first, each with its draft (dict) and variables (list)."""
        with self.lock:
            rows = [dict(r) for r in self.db.execute(
                "SELECT * FROM versions WHERE prompt_id = ? ORDER BY version DESC", (prompt_id,))]
        for row in rows:
            row["draft"] = json.loads(row["draft"])
            row["variables"] = json.loads(row["variables"] or "[]")
        return rows

    def save_prompt(self, name: str, draft: dict[str, Any], *, note: str | None = None,
                    variables: list[str] | None = None) -> int:
        """A new version of `name` (created if new); returns its version number."""
        now = time.time()
        with self.lock, self.db:
            self.db.execute("INSERT INTO prompts (name, updated_at) VALUES (?, ?) "
                            "ON CONFLICT(name) DO UPDATE SET updated_at = excluded.updated_at",
                            (name, now))
            pid = self.db.execute("SELECT id FROM prompts WHERE name = ?", (name,)).fetchone()[0]
            version = self.db.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM versions "
                                      "WHERE prompt_id = ?", (pid,)).fetchone()[0]
            self.db.execute("INSERT INTO versions VALUES (?,?,?,?,?,?)",
                            (pid, version, note, json.dumps(draft), json.dumps(variables or []),
                             now))
        return int(version)

    def rename_prompt(self, prompt_id: int, name: str) -> None:
        try:
            with self.lock, self.db:
                self.db.execute("UPDATE prompts SET name = ? WHERE id = ?", (name, prompt_id))
        except sqlite3.IntegrityError as exc:
            raise ValueError(f"a prompt named {name!r} already exists") from exc

    def delete_prompt(self, prompt_id: int) -> None:
        with self.lock, self.db:
            self.db.execute("DELETE FROM versions WHERE prompt_id = ?", (prompt_id,))
            self.db.execute("DELETE FROM prompts WHERE id = ?", (prompt_id,))

    # --- drafts -----------------------------------------------------------------------------
    def _put(self, table: str, slot: str, data: dict[str, Any], now: float) -> None:
        self.db.execute(f"INSERT INTO {table} (slot, data, updated_at) VALUES (?,?,?) "
                        "ON CONFLICT(slot) DO UPDATE SET data = excluded.data, "
                        "updated_at = excluded.updated_at",
                        (slot, json.dumps(data, ensure_ascii=False), now))

    def save_draft(self, slot: str, data: dict[str, Any]) -> None:
        with self.lock, self.db:
            self._put("drafts", slot, data, time.time())

    def load_draft(self, slot: str) -> dict[str, Any] | None:
        with self.lock:
            row = self.db.execute("SELECT data FROM drafts WHERE slot = ?", (slot,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_draft_and_set_aside(self, slot: str, data: dict[str, Any],
                                 set_aside: dict[str, Any] | None) -> None:
        """The draft and the conversation a clear set aside (None: there is none), in one
        transaction: a crash right after a clear can never keep the emptied draft but lose
        the conversation it replaced."""
        now = time.time()
        with self.lock, self.db:
            self._put("drafts", slot, data, now)
            if set_aside is None:
                self.db.execute("DELETE FROM set_aside WHERE slot = ?", (slot,))
            else:
                self._put("set_aside", slot, set_aside, now)

    def load_set_aside(self, slot: str) -> dict[str, Any] | None:
        """The conversation the last clear set aside for `slot`, or None."""
        with self.lock:
            row = self.db.execute("SELECT data FROM set_aside WHERE slot = ?",
                                  (slot,)).fetchone()
        return json.loads(row[0]) if row else None
