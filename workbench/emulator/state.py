"""What the emulator remembers while it runs: files (on disk), batches, skills, containers.

Everything lives in one temporary folder per emulator, removed when it stops. Large things
(uploads, batch requests) are kept on disk or as compact JSON, never as big Python objects.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from workbench.emulator.config import EmulatorConfig


def rfc3339(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id(prefix: str) -> str:
    return f"{prefix}_011C" + secrets.token_urlsafe(16).replace("-", "a").replace("_", "b")[:20]


@dataclass
class StoredFile:
    id: str
    filename: str
    mime_type: str
    size_bytes: int
    created_at: float
    path: Path
    downloadable: bool = False
    expires_at: float | None = None

    def meta(self) -> dict[str, Any]:
        return {"id": self.id, "type": "file", "filename": self.filename,
                "mime_type": self.mime_type, "size_bytes": self.size_bytes,
                "created_at": rfc3339(self.created_at), "downloadable": self.downloadable,
                "expires_at": rfc3339(self.expires_at)}


@dataclass
class Batch:
    id: str
    requests: list[str]               # compact JSON of each {"custom_id", "params"}
    created_at: float
    duration: float
    cancel_at: float | None = None
    forced_end: float | None = None
    forced_outcome: str | None = None  # "expired" when ended by the control endpoint
    archived: bool = False

    def elapsed_fraction(self, now: float) -> float:
        if self.duration <= 0:
            return 1.0
        return min(1.0, max(0.0, (now - self.created_at) / self.duration))

    def ended_at(self, now: float) -> float | None:
        if self.forced_end is not None:
            return self.forced_end
        if self.cancel_at is not None:
            return self.cancel_at + min(1.0, self.duration)  # canceling takes a moment
        end = self.created_at + self.duration
        return end if now >= end else None

    def done_count(self, now: float) -> int:
        """How many requests have finished processing by `now`."""
        stop = now
        if self.cancel_at is not None:
            stop = min(stop, self.cancel_at)
        if self.forced_end is not None:
            stop = min(stop, self.forced_end)
        if self.forced_end is not None and self.forced_outcome is None:
            return len(self.requests)
        return int(len(self.requests) * self.elapsed_fraction(stop))


@dataclass
class SkillVersionRecord:
    id: str
    skill_id: str
    name: str
    description: str
    created_at: float
    files: dict[str, int] = field(default_factory=dict)  # relative path -> size

    def json(self) -> dict[str, Any]:
        return {"id": self.id, "type": "skill_version", "skill_id": self.skill_id,
                "name": self.name, "description": self.description,
                "created_at": rfc3339(self.created_at)}


@dataclass
class Skill:
    id: str
    display_name: str
    source: str
    created_at: float
    updated_at: float
    versions: list[SkillVersionRecord] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        latest = self.versions[-1].id if self.versions else None
        return {"id": self.id, "type": "skill", "display_name": self.display_name,
                "latest_version_id": latest, "source": {"type": self.source},
                "created_at": rfc3339(self.created_at), "updated_at": rfc3339(self.updated_at)}


ANTHROPIC_SKILLS = {
    "pptx": ("PowerPoint", "Create and edit presentations"),
    "xlsx": ("Excel", "Create and analyse spreadsheets"),
    "docx": ("Word", "Create and edit documents"),
    "pdf": ("PDF", "Fill, merge and extract PDFs"),
}


class State:
    """Thread-safe store behind the routes."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.root = Path(tempfile.mkdtemp(prefix="workbench-emulator-"))
        # removed by close(), else when the store is collected or the interpreter exits
        self._remove = weakref.finalize(self, shutil.rmtree, self.root, True)
        (self.root / "files").mkdir()
        self.lock = threading.RLock()
        self.files: dict[str, StoredFile] = {}
        self.batches: dict[str, Batch] = {}
        self.skills: dict[str, Skill] = {}
        base = datetime(2025, 10, 13, tzinfo=UTC).timestamp()
        for sid, (title, desc) in ANTHROPIC_SKILLS.items():
            version = SkillVersionRecord("20251013", sid, sid, desc, base)
            self.skills[sid] = Skill(sid, title, "anthropic", base, base, [version])

    def close(self) -> None:
        self._remove()

    # files --------------------------------------------------------------------------------
    def new_file_path(self) -> tuple[str, Path]:
        file_id = new_id("file")
        return file_id, self.root / "files" / file_id

    def add_file(self, stored: StoredFile) -> StoredFile:
        with self.lock:
            self.files[stored.id] = stored
        return stored

    def file_list(self) -> list[StoredFile]:
        with self.lock:
            return sorted(self.files.values(), key=lambda f: f.created_at, reverse=True)

    def make_generated_file(self, filename: str, size: int, mime_type: str) -> StoredFile:
        """A file 'created by a tool': downloadable, deterministic bytes, written in chunks."""
        file_id, path = self.new_file_path()
        pattern = (f"{filename} generated by the workbench emulator\n".encode() * 64)
        with path.open("wb") as out:
            left = size
            chunk = pattern * max(1, (1 << 20) // len(pattern))
            while left > 0:
                piece = chunk[:left]
                out.write(piece)
                left -= len(piece)
        return self.add_file(StoredFile(file_id, filename, mime_type, size, time.time(), path,
                                        downloadable=True))

    def container_for(self, body: dict[str, Any], plan: Any) -> dict[str, Any]:
        """Code execution ran: a container, and an output file that can be downloaded."""
        container = body.get("container")
        skills = container.get("skills", []) if isinstance(container, dict) else []
        resolved = []
        for s in skills:
            skill = self.skills.get(s.get("skill_id", ""))
            version = s.get("version", "latest")
            if skill and version == "latest" and skill.versions:
                version = skill.versions[-1].id
            resolved.append({"type": s.get("type"), "skill_id": s.get("skill_id"),
                             "version": version})
        report = "\n".join(["item,value", *(f"row{i},{i * 7}" for i in range(1, 11))]) + "\n"
        if plan.server_counts is None:  # else server_tools made what the code saved
            self.make_generated_file("output.csv", len(report.encode()), "text/csv")
        return {"id": new_id("container"),
                "expires_at": rfc3339(time.time() + 3600), "skills": resolved}

    # batches ------------------------------------------------------------------------------
    def add_batch(self, requests: list[str]) -> Batch:
        per = self.config.batch_seconds_per_request
        duration = min(len(requests) * per, self.config.batch_max_seconds)
        batch = Batch(new_id("msgbatch"), requests, time.time(), duration)
        with self.lock:
            self.batches[batch.id] = batch
        return batch

    def batch_json(self, batch: Batch, base_url: str) -> dict[str, Any]:
        now = time.time()
        n = len(batch.requests)
        done = batch.done_count(now)
        ended = batch.ended_at(now)
        if ended is not None and ended > now:
            ended = None
        counts = {"processing": n - done, "succeeded": 0, "errored": 0, "canceled": 0,
                  "expired": 0}
        if ended is not None:
            counts["processing"] = 0
            rest = n - done
            if batch.forced_outcome == "expired":
                counts["expired"] = rest
            else:
                counts["canceled"] = rest
        errored = sum(1 for r in batch.requests[:done] if '"__invalid__"' in r)
        counts["succeeded"] = done - errored
        counts["errored"] = errored
        if ended is not None:
            status = "ended"
        elif batch.cancel_at is not None:
            status = "canceling"
        else:
            status = "in_progress"
        return {
            "id": batch.id, "type": "message_batch", "processing_status": status,
            "request_counts": counts, "created_at": rfc3339(batch.created_at),
            "expires_at": rfc3339(batch.created_at + timedelta(hours=24).total_seconds()),
            "ended_at": rfc3339(ended), "cancel_initiated_at": rfc3339(batch.cancel_at),
            "archived_at": None,
            "results_url": f"{base_url}/v1/messages/batches/{batch.id}/results" if ended else None,
        }

    @staticmethod
    def dump(obj: Any) -> str:
        return json.dumps(obj, separators=(",", ":"))
