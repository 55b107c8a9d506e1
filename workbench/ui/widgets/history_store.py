"""A minimal SQLite store (runs with FTS5 search, prompts with versions), used only while
`workbench.services.store` is absent. Same method names the history/library panes call."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

SCHEMA = """
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
"""


def _texts(request: dict[str, Any]) -> str:
    parts = [str(request.get("system") or "")]
    for message in request.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        else:
            parts += [b.get("text", "") for b in content or [] if isinstance(b, dict)]
    return "\n".join(p for p in parts if p)


class MiniStore:
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.lock = threading.Lock()
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)

    async def arun(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(fn, *args, **kwargs)

    def close(self) -> None:
        self.db.close()

    # --- runs -----------------------------------------------------------------------------
    def add_run(self, *, request: dict[str, Any], message: Any = None, status: str = "complete",
                error: str | None = None, cost_usd: float | None = None, ttft: float | None = None,
                duration: float | None = None, output_tps: float | None = None,
                request_id: str | None = None, profile: str | None = None,
                compare_group: str | None = None, created_at: float | None = None) -> int:
        reply = message.model_dump(mode="json") if hasattr(message, "model_dump") else message
        reply = reply or {}
        usage = reply.get("usage") or {}
        text = "".join(b.get("text", "") for b in reply.get("content", []) or []
                       if b.get("type") == "text")
        prompt = _texts(request)
        last = next((m for m in reversed(request.get("messages", [])) if m.get("role") == "user"),
                    None)
        preview = _texts({"messages": [last]}) if last else prompt
        with self.lock, self.db:
            cur = self.db.execute(
                "INSERT INTO runs (created_at, model, status, profile, request, reply, usage, "
                "prompt_preview, reply_text, error, input_tokens, output_tokens, cost_usd, ttft, "
                "duration, tokens_per_second, request_id, compare_group) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (created_at or time.time(), request.get("model"), status, profile,
                 json.dumps(request), json.dumps(reply), json.dumps(usage), preview, text, error,
                 usage.get("input_tokens"), usage.get("output_tokens"), cost_usd, ttft, duration,
                 output_tps, request_id, compare_group))
            run_id = int(cur.lastrowid or 0)
            self.db.execute("INSERT INTO runs_fts (rowid, prompt, reply) VALUES (?,?,?)",
                            (run_id, prompt, text))
        return run_id

    def list_runs(self, *, limit: int = 100, offset: int = 0, search: str | None = None,
                  model: str | None = None, status: str | None = None,
                  since: float | None = None, until: float | None = None) -> list[dict]:
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
               " cost_usd, ttft FROM runs" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
        with self.lock:
            return [dict(r) for r in self.db.execute(sql, [*args, limit, offset])]

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
        return run

    def mark_preferred(self, run_id: int) -> None:
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

    def list_versions(self, prompt_id: int) -> list[dict]:
        with self.lock:
            rows = [dict(r) for r in self.db.execute(
                "SELECT * FROM versions WHERE prompt_id = ? ORDER BY version DESC", (prompt_id,))]
        for row in rows:
            row["draft"] = json.loads(row["draft"])
            row["variables"] = json.loads(row["variables"] or "[]")
        return rows

    def save_prompt(self, name: str, draft: dict[str, Any], *, note: str | None = None,
                    variables: list[str] | None = None) -> int:
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


async def pane_store(app: Any) -> Any:
    """The app's store; while `workbench.services.store` does not exist, a MiniStore in its own
    file (workbench-panes.db) is installed on the app so history, library and compare work."""
    store = await app.wait_store()
    if store is not None:
        return store
    try:
        import workbench.services.store  # noqa: F401
    except ImportError:
        from workbench import paths

        def open_fallback() -> MiniStore:
            return MiniStore(paths.ensure(paths.data_dir()) / "workbench-panes.db")

        if getattr(app, "store", None) is None:
            app.store = await asyncio.to_thread(open_fallback)
        return app.store
    return None
