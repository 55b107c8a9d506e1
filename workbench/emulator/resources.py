"""Models, Message Batches, Files and Skills routes."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse

from workbench.api.rules import (
    BATCH_LIMIT,
    BATCH_MAX_REQUESTS,
    CUSTOM_ID_PATTERN,
    FILE_LIMIT,
    SKILL_LIMIT,
    FrontMatterError,
    custom_id_ok,
    front_matter,
    missing_skill_fields,
)
from workbench.emulator.catalogue import find_model, model_infos
from workbench.emulator.context import Call, too_large
from workbench.emulator.errors import APIProblem, error_body
from workbench.emulator.state import Batch, Skill, SkillVersionRecord, StoredFile, new_id
from workbench.emulator.validate import (
    bad,
    check_messages_body,
    check_references,
    find_file,
    find_skill,
)


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", "20")
    try:
        limit = int(raw)
    except ValueError:
        raise bad("limit: Input should be a valid integer") from None
    if not 1 <= limit <= 1000:
        raise bad("limit: Input should be between 1 and 1000")
    return limit


def page_by_id(request: Request, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Style A: before_id / after_id / limit; items are newest first."""
    limit = _limit(request)
    ids = [i["id"] for i in items]
    after, before = request.query_params.get("after_id"), request.query_params.get("before_id")
    if after:
        if after not in ids:
            raise APIProblem("not_found_error", f"after_id: {after} not found")
        start = ids.index(after) + 1
        window = items[start:start + limit]
        has_more = start + limit < len(items)
    elif before:
        if before not in ids:
            raise APIProblem("not_found_error", f"before_id: {before} not found")
        end = ids.index(before)
        window = items[max(0, end - limit):end]
        has_more = end - limit > 0
    else:
        window = items[:limit]
        has_more = limit < len(items)
    return {"data": window, "has_more": has_more,
            "first_id": window[0]["id"] if window else None,
            "last_id": window[-1]["id"] if window else None}


def page_by_cursor(request: Request, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Style B: limit / page token -> next_page."""
    limit = _limit(request)
    token = request.query_params.get("page")
    start = 0
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.removeprefix("page_") + "==").decode())
        except (ValueError, UnicodeDecodeError):
            raise bad(f"page: invalid page token {token!r}") from None
    window = items[start:start + limit]
    nxt = start + limit
    next_page = ("page_" + base64.urlsafe_b64encode(str(nxt).encode()).decode().rstrip("="))\
        if nxt < len(items) else None
    return {"data": window, "next_page": next_page, "has_more": next_page is not None}


# models ------------------------------------------------------------------------------------
async def list_models(request: Request, call: Call) -> Response:
    wanted = request.query_params.getlist("lifecycle[]") or ["active", "deprecated"]
    items = [m for m in model_infos() if m["lifecycle"] in wanted]
    return JSONResponse(page_by_id(request, items), headers=call.headers)


async def get_model(request: Request, call: Call) -> Response:
    model_id = request.path_params["model_id"]
    info = find_model(model_id)
    if info is None:
        raise APIProblem("not_found_error", f"model: {model_id}")
    return JSONResponse(info, headers=call.headers)


# batches -----------------------------------------------------------------------------------
def _batch(call: Call, batch_id: str) -> Batch:
    batch = call.state.batches.get(batch_id)
    if batch is None:
        raise APIProblem("not_found_error", f"message batch {batch_id} not found")
    return batch


async def create_batch(request: Request, call: Call) -> Response:
    body = await call.json_body(BATCH_LIMIT)
    requests = body.get("requests") if isinstance(body, dict) else None
    if not isinstance(requests, list):
        raise bad("requests: Field required")
    if not 1 <= len(requests) <= BATCH_MAX_REQUESTS:
        raise bad(f"requests: a batch holds 1 to {BATCH_MAX_REQUESTS:,} requests "
                  f"(got {len(requests):,})")
    seen: set[str] = set()
    stored: list[str] = []
    for i, item in enumerate(requests):
        if not isinstance(item, dict) or not isinstance(item.get("params"), dict):
            raise bad(f"requests.{i}.params: Field required")
        cid = item.get("custom_id")
        if not custom_id_ok(cid):
            raise bad(f"requests.{i}.custom_id: String should match pattern "
                      f"'{CUSTOM_ID_PATTERN}'")
        if cid in seen:
            raise bad(f"requests.{i}.custom_id: {cid!r} is not unique within the batch")
        seen.add(cid)
        if item["params"].get("stream"):
            raise bad(f"requests.{i}.params.stream: streaming is not supported in batches")
        record: dict[str, Any] = {"custom_id": cid, "params": item["params"]}
        try:  # a bad request is an errored result, not a rejected batch
            check_messages_body(item["params"], call.version)
            check_references(item["params"], call.state)
        except APIProblem as problem:
            record["__invalid__"] = problem.message
            record["__error_type__"] = problem.error_type
            if problem.error_code:
                record["__error_code__"] = problem.error_code
        stored.append(json.dumps(record, separators=(",", ":")))
    batch = call.state.add_batch(stored)
    return JSONResponse(call.state.batch_json(batch, base_url(request)), headers=call.headers)


async def list_batches(request: Request, call: Call) -> Response:
    with call.state.lock:
        batches = sorted(call.state.batches.values(), key=lambda b: b.created_at, reverse=True)
    url = base_url(request)
    items = [call.state.batch_json(b, url) for b in batches]
    return JSONResponse(page_by_id(request, items), headers=call.headers)


async def get_batch(request: Request, call: Call) -> Response:
    batch = _batch(call, request.path_params["batch_id"])
    return JSONResponse(call.state.batch_json(batch, base_url(request)), headers=call.headers)


async def cancel_batch(request: Request, call: Call) -> Response:
    batch = _batch(call, request.path_params["batch_id"])
    now = time.time()
    if batch.ended_at(now) is not None and batch.ended_at(now) <= now:
        raise bad(f"message batch {batch.id} has already ended and cannot be canceled")
    if batch.cancel_at is None:
        batch.cancel_at = now
    return JSONResponse(call.state.batch_json(batch, base_url(request)), headers=call.headers)


async def delete_batch(request: Request, call: Call) -> Response:
    batch = _batch(call, request.path_params["batch_id"])
    now = time.time()
    ended = batch.ended_at(now)
    if ended is None or ended > now:
        raise bad(f"message batch {batch.id} is still processing; cancel it and wait for it "
                  "to end before deleting it")
    with call.state.lock:
        del call.state.batches[batch.id]
    return JSONResponse({"id": batch.id, "type": "message_batch_deleted"}, headers=call.headers)


def result_lines(call: Call, batch: Batch) -> Iterator[bytes]:
    """One JSONL line per request, built lazily (a 100,000-request batch streams)."""
    from workbench.emulator.messages import build_message

    now = time.time()
    done = batch.done_count(now)
    rest = "expired" if batch.forced_outcome == "expired" else "canceled"
    chunk: list[bytes] = []
    plans: dict[str, Any] = {}
    for i, raw in enumerate(batch.requests):
        record = json.loads(raw)
        cid = record["custom_id"]
        if i >= done:
            result: dict[str, Any] = {"type": rest}
        elif "__invalid__" in record:
            result = {"type": "errored", "error": error_body(
                record.get("__error_type__", "invalid_request_error"), record["__invalid__"],
                call.request_id, record.get("__error_code__"))}
        else:
            result = {"type": "succeeded",
                      "message": build_message(call, record["params"], "batch", plans)}
        chunk.append(json.dumps({"custom_id": cid, "result": result},
                                separators=(",", ":")).encode() + b"\n")
        if len(chunk) >= 200:
            yield b"".join(chunk)
            chunk = []
    if chunk:
        yield b"".join(chunk)


async def batch_results(request: Request, call: Call) -> Response:
    batch = _batch(call, request.path_params["batch_id"])
    now = time.time()
    ended = batch.ended_at(now)
    if ended is None or ended > now:
        raise bad(f"message batch {batch.id} has not ended yet; results are available once "
                  "processing_status is 'ended'")
    return StreamingResponse(result_lines(call, batch), media_type="application/binary",
                             headers=call.headers)


# files ---------------------------------------------------------------------------------------
def _file(call: Call, file_id: str) -> StoredFile:
    return find_file(call.state, file_id)


async def upload_file(request: Request, call: Call) -> Response:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > FILE_LIMIT + 1024 * 1024:
        raise too_large(int(length), FILE_LIMIT)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise bad("Content-Type must be multipart/form-data with a part named 'file'")
    file_id, path = call.state.new_file_path()
    async with request.form(max_files=1, max_part_size=FILE_LIMIT) as form:
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise bad("file: Field required (a multipart part named 'file')")
        size = 0
        with path.open("wb") as out:
            while chunk := await upload.read(1 << 20):
                size += len(chunk)
                if size > FILE_LIMIT:
                    out.close()
                    path.unlink(missing_ok=True)
                    raise too_large(size, FILE_LIMIT)
                out.write(chunk)
        expires = form.get("expires_in_seconds")
        expires_at = None
        if isinstance(expires, str) and expires:
            if not expires.isdigit() or not 3600 <= int(expires) <= 7_776_000:
                path.unlink(missing_ok=True)
                raise bad("expires_in_seconds: must be between 3600 and 7776000")
            expires_at = time.time() + int(expires)
        name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        mime = upload.content_type or "application/octet-stream"
    if not name:
        name = "unnamed." + (mime.rsplit("/", 1)[-1] or "bin")
    stored = call.state.add_file(StoredFile(file_id, name[:500], mime, size, time.time(), path,
                                            expires_at=expires_at))
    return JSONResponse(stored.meta(), headers=call.headers)


async def list_files(request: Request, call: Call) -> Response:
    ids = request.query_params.getlist("ids[]")
    items = [f.meta() for f in call.state.file_list() if not ids or f.id in ids]
    return JSONResponse(page_by_cursor(request, items), headers=call.headers)


async def get_file(request: Request, call: Call) -> Response:
    return JSONResponse(_file(call, request.path_params["file_id"]).meta(), headers=call.headers)


async def download_file(request: Request, call: Call) -> Response:
    stored = _file(call, request.path_params["file_id"])
    if not stored.downloadable:
        raise APIProblem("invalid_request_error",
                         f"File {stored.id} is not downloadable: only files created by tools "
                         "(code execution, skills) can be downloaded",
                         error_code="file_not_downloadable")
    return FileResponse(stored.path, media_type=stored.mime_type, headers=call.headers,
                        filename=stored.filename)


async def delete_file(request: Request, call: Call) -> Response:
    stored = _file(call, request.path_params["file_id"])
    with call.state.lock:
        call.state.files.pop(stored.id, None)
    stored.path.unlink(missing_ok=True)
    return JSONResponse({"id": stored.id, "type": "file_deleted"}, headers=call.headers)


# skills --------------------------------------------------------------------------------------
def _skill(call: Call, skill_id: str) -> Skill:
    return find_skill(call.state, skill_id)


async def _read_skill_parts(request: Request) -> tuple[dict[str, int], dict[str, str], str | None]:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > SKILL_LIMIT:
        raise too_large(int(length), SKILL_LIMIT)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise bad("Content-Type must be multipart/form-data with parts named 'files[]'")
    sizes: dict[str, int] = {}
    skill_md = None
    async with request.form(max_files=1000, max_part_size=SKILL_LIMIT) as form:
        display = form.get("display_name") or form.get("display_title")
        for upload in form.getlist("files[]") + form.getlist("files"):
            if isinstance(upload, str):
                continue
            data = await upload.read()
            name = (upload.filename or "").lstrip("/")
            sizes[name] = len(data)
            if name.count("/") == 1 and name.endswith("/SKILL.md"):
                skill_md = data.decode("utf-8", "replace")
    if not sizes:
        raise bad("files: at least one file is required (multipart parts named 'files[]')")
    tops = {n.split("/", 1)[0] for n in sizes}
    if len(tops) != 1 or any("/" not in n for n in sizes):
        raise bad("files: all files must be under one top-level folder (e.g. my-skill/SKILL.md)")
    if skill_md is None:
        raise bad("files: SKILL.md is required at the top of the skill folder")
    try:
        meta = front_matter(skill_md)
    except FrontMatterError as exc:
        raise bad(f"SKILL.md: {exc}") from None
    if missing_skill_fields(meta):
        raise bad("SKILL.md: front matter must set 'name' and 'description'")
    return sizes, meta, display if isinstance(display, str) else None


async def create_skill(request: Request, call: Call) -> Response:
    sizes, meta, display = await _read_skill_parts(request)
    now = time.time()
    skill = Skill(new_id("skill"), display or meta["name"], "custom", now, now)
    skill.versions.append(SkillVersionRecord(str(int(now * 1_000_000)), skill.id, meta["name"],
                                             meta["description"], now, sizes))
    with call.state.lock:
        call.state.skills[skill.id] = skill
    return JSONResponse(skill.json(), headers=call.headers)


async def list_skills(request: Request, call: Call) -> Response:
    source = request.query_params.get("source")
    with call.state.lock:
        skills = sorted(call.state.skills.values(), key=lambda s: s.created_at, reverse=True)
    items = [s.json() for s in skills if not source or s.source == source]
    return JSONResponse(page_by_cursor(request, items), headers=call.headers)


async def get_skill(request: Request, call: Call) -> Response:
    return JSONResponse(_skill(call, request.path_params["skill_id"]).json(), headers=call.headers)


async def delete_skill(request: Request, call: Call) -> Response:
    skill = _skill(call, request.path_params["skill_id"])
    if skill.source != "custom":
        raise APIProblem("permission_error", "Anthropic-provided skills cannot be deleted")
    if skill.versions:
        raise bad(f"skill {skill.id} still has {len(skill.versions)} version(s); delete them "
                  "first")
    with call.state.lock:
        call.state.skills.pop(skill.id, None)
    return JSONResponse({"id": skill.id, "type": "skill_deleted"}, headers=call.headers)


async def create_version(request: Request, call: Call) -> Response:
    skill = _skill(call, request.path_params["skill_id"])
    if skill.source != "custom":
        raise APIProblem("permission_error", "Anthropic-provided skills cannot be changed")
    sizes, meta, _ = await _read_skill_parts(request)
    now = time.time()
    version = SkillVersionRecord(str(int(now * 1_000_000)), skill.id, meta["name"],
                                 meta["description"], now, sizes)
    skill.versions.append(version)
    skill.updated_at = now
    return JSONResponse(version.json(), headers=call.headers)


async def list_versions(request: Request, call: Call) -> Response:
    skill = _skill(call, request.path_params["skill_id"])
    items = [v.json() for v in reversed(skill.versions)]
    return JSONResponse(page_by_cursor(request, items), headers=call.headers)


def _version(skill: Skill, version: str) -> SkillVersionRecord:
    if version == "latest" and skill.versions:
        return skill.versions[-1]
    for v in skill.versions:
        if v.id == version:
            return v
    raise APIProblem("not_found_error", f"version {version} of skill {skill.id} not found")


async def get_version(request: Request, call: Call) -> Response:
    skill = _skill(call, request.path_params["skill_id"])
    return JSONResponse(_version(skill, request.path_params["version"]).json(),
                        headers=call.headers)


async def delete_version(request: Request, call: Call) -> Response:
    skill = _skill(call, request.path_params["skill_id"])
    if skill.source != "custom":
        raise APIProblem("permission_error", "Anthropic-provided skills cannot be changed")
    version = _version(skill, request.path_params["version"])
    skill.versions.remove(version)
    return JSONResponse({"id": version.id, "type": "skill_version_deleted"},
                        headers=call.headers)
