"""The emulator over plain HTTP: shapes, validation, faults, pagination, batches, files, skills."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time

import httpx
import pytest

H = {"x-api-key": "k", "anthropic-version": "2023-06-01"}
MODEL = "claude-haiku-4-5"


def body(text: str = "Tell me about rivers", **extra) -> dict:
    return {"model": MODEL, "max_tokens": 300, "messages": [{"role": "user", "content": text}],
            **extra}


@pytest.fixture
def http(emulator_url: str):
    with httpx.Client(base_url=emulator_url, headers=H, timeout=30) as c:
        yield c


def events_of(text: str) -> list[tuple[str, dict]]:
    out = []
    for chunk in text.strip().split("\n\n"):
        name = re.search(r"^event: (.+)$", chunk, re.M).group(1)
        data = json.loads(re.search(r"^data: (.+)$", chunk, re.M).group(1))
        assert data["type"] == name
        out.append((name, data))
    return out


def test_headers_and_message_shape(http) -> None:
    r = http.post("/v1/messages", json=body())
    assert r.status_code == 200
    assert r.headers["request-id"].startswith("req_")
    assert r.headers["anthropic-organization-id"]
    assert "anthropic-ratelimit-requests-remaining" in r.headers
    m = r.json()
    assert m["type"] == "message" and m["id"].startswith("msg_") and m["role"] == "assistant"
    assert m["stop_reason"] == "end_turn" and "rivers" in m["content"][0]["text"].lower()
    assert set(m["usage"]) >= {"input_tokens", "output_tokens", "cache_creation_input_tokens",
                               "cache_read_input_tokens", "service_tier"}


def test_replies_are_deterministic_and_code_when_asked(http) -> None:
    a = http.post("/v1/messages", json=body("Write a python function to parse dates")).json()
    b = http.post("/v1/messages", json=body("Write a python function to parse dates")).json()
    assert a["content"] == b["content"]
    assert "```python" in a["content"][0]["text"]


def test_stream_event_order_and_usage(http) -> None:
    r = http.post("/v1/messages", json=body(stream=True))
    assert r.headers["content-type"].startswith("text/event-stream")
    events = events_of(r.text)
    names = [n for n, _ in events if n != "ping"]
    assert names[0] == "message_start" and names[-2:] == ["message_delta", "message_stop"]
    assert names[1] == "content_block_start" and names[-3] == "content_block_stop"
    deltas = [d["delta"]["text"] for n, d in events if n == "content_block_delta"]
    whole = http.post("/v1/messages", json=body()).json()
    assert "".join(deltas) == whole["content"][0]["text"]
    final_usage = events[-2][1]["usage"]
    assert final_usage["output_tokens"] == len(deltas) == whole["usage"]["output_tokens"]


def test_count_tokens_matches_usage(http) -> None:
    b = body("Count me please, with some more words in here")
    counted = http.post("/v1/messages/count_tokens", json={k: b[k] for k in ("model", "messages")})
    assert counted.json()["input_tokens"] == http.post("/v1/messages", json=b).json()["usage"]["input_tokens"]


def test_max_tokens_and_stop_sequences(http) -> None:
    cut = http.post("/v1/messages", json=body(max_tokens=5)).json()
    assert cut["stop_reason"] == "max_tokens" and cut["usage"]["output_tokens"] == 5
    full = http.post("/v1/messages", json=body()).json()["content"][0]["text"]
    word = full.split()[3]
    stopped = http.post("/v1/messages", json=body(stop_sequences=[word])).json()
    assert stopped["stop_reason"] == "stop_sequence" and stopped["stop_sequence"] == word
    assert word not in stopped["content"][0]["text"]


def test_thinking_block_first_with_signature(http) -> None:
    m = http.post("/v1/messages", json=body(max_tokens=2000, thinking={
        "type": "enabled", "budget_tokens": 1024})).json()
    assert m["content"][0]["type"] == "thinking" and m["content"][0]["signature"]
    events = events_of(http.post("/v1/messages", json=body(max_tokens=2000, stream=True, thinking={
        "type": "enabled", "budget_tokens": 1024})).text)
    kinds = [d["delta"]["type"] for n, d in events if n == "content_block_delta"]
    assert kinds[0] == "thinking_delta" and "signature_delta" in kinds and kinds[-1] == "text_delta"


def test_tool_use_input_valid_for_schema(http) -> None:
    tools = [{"name": "lookup_order", "description": "Find an order by number",
              "input_schema": {"type": "object", "required": ["order_id", "include_items"],
                               "properties": {"order_id": {"type": "integer", "minimum": 100,
                                                           "maximum": 999},
                                              "include_items": {"type": "boolean"},
                                              "status": {"enum": ["open", "shipped"]}}}}]
    m = http.post("/v1/messages", json=body("Please lookup order 123", tools=tools)).json()
    assert m["stop_reason"] == "tool_use"
    use = m["content"][-1]
    assert use["type"] == "tool_use" and use["id"].startswith("toolu_")
    assert 100 <= use["input"]["order_id"] <= 999 and use["input"]["include_items"] is True
    assert use["input"]["status"] in ("open", "shipped")
    none = http.post("/v1/messages", json=body("Please lookup order 123", tools=tools,
                                               tool_choice={"type": "none"})).json()
    assert none["stop_reason"] == "end_turn"


def test_prefill_is_continued(http) -> None:
    m = http.post("/v1/messages", json={"model": MODEL, "max_tokens": 100, "messages": [
        {"role": "user", "content": "Name a colour"},
        {"role": "assistant", "content": "The colour is"}]}).json()
    assert m["content"][0]["text"].startswith(" ")


@pytest.mark.parametrize(("headers", "payload", "status", "etype", "fragment"), [
    ({"anthropic-version": "2023-06-01"}, body(), 401, "authentication_error", "x-api-key"),
    ({"x-api-key": "k"}, body(), 400, "invalid_request_error", "anthropic-version"),
    (H, {"max_tokens": 10, "messages": []}, 400, "invalid_request_error", "model"),
    (H, body(model="claude-nope"), 404, "not_found_error", "claude-nope"),
    (H, {"model": MODEL, "messages": []}, 400, "invalid_request_error", "max_tokens"),
    (H, body(max_tokens=999_999), 400, "invalid_request_error", "maximum allowed"),
    (H, {"model": MODEL, "max_tokens": 5, "messages": [{"role": "bot", "content": "x"}]}, 400,
     "invalid_request_error", "messages.0.role"),
    (H, body(thinking={"type": "enabled", "budget_tokens": 500}), 400, "invalid_request_error",
     "budget_tokens"),
    (H, body(tools=[{"name": "x", "input_schema": {"type": "array"}}]), 400,
     "invalid_request_error", "tools.0.input_schema"),
    (H, body(tools=[{"name": "x\n", "input_schema": {"type": "object"}}]), 400,
     "invalid_request_error", "tools.0.name"),
    ({**H, "anthropic-version": "2026-10-21"}, body(temperature=0.2), 400,
     "invalid_request_error", "temperature"),
])
def test_validation_errors(emulator_url, headers, payload, status, etype, fragment) -> None:
    r = httpx.post(f"{emulator_url}/v1/messages", headers=headers, json=payload)
    assert r.status_code == status
    err = r.json()
    assert err["type"] == "error" and err["error"]["type"] == etype
    assert fragment in err["error"]["message"]
    assert err["request_id"] == r.headers["request-id"]


def test_bearer_auth_and_body_too_large(http, emulator_url) -> None:
    r = httpx.post(f"{emulator_url}/v1/messages", json=body(),
                   headers={"authorization": "Bearer k", "anthropic-version": "2026-10-21"})
    assert r.status_code == 200
    big = httpx.post(f"{emulator_url}/v1/messages", headers={**H, "content-type": "application/json"},
                     content=b"x" * (33 * 1024 * 1024))
    assert big.status_code == 413 and big.json()["error"]["type"] == "request_too_large"


@pytest.mark.parametrize(("fault", "status", "etype"), [
    ("429", 429, "rate_limit_error"), ("500", 500, "api_error"), ("529", 529, "overloaded_error")])
def test_fault_header(http, fault, status, etype) -> None:
    r = http.post("/v1/messages", json=body(), headers={"x-emulator-fault": fault})
    assert r.status_code == status and r.json()["error"]["type"] == etype
    if fault == "429":
        assert float(r.headers["retry-after"]) >= 0 and "retry-after-ms" in r.headers


def test_fault_rates_from_config(make_emulator) -> None:
    url = make_emulator(fault_rate_529=1.0, tokens_per_second=None)
    r = httpx.post(f"{url}/v1/messages", headers=H, json=body())
    assert r.status_code == 529
    assert httpx.get(f"{url}/v1/models", headers=H).status_code == 200  # only messages


def test_cut_stream_and_error_event(http) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/v1/messages", json=body(stream=True), headers={"x-emulator-fault": "cut"})
    r = http.post("/v1/messages", json=body(stream=True),
                  headers={"x-emulator-fault": "overloaded-event"})
    names = [n for n, _ in events_of(r.text)]
    assert names[-1] == "error" and "message_stop" not in names


def test_paced_stream_takes_time(make_emulator) -> None:
    url = make_emulator(tokens_per_second=200)
    t0 = time.monotonic()
    r = httpx.post(f"{url}/v1/messages", headers=H, json=body(max_tokens=60, stream=True))
    assert r.status_code == 200 and time.monotonic() - t0 >= 0.25


def test_models_pagination_style_a(http) -> None:
    page = http.get("/v1/models", params={"limit": 4}).json()
    assert len(page["data"]) == 4 and page["has_more"] and page["first_id"] == page["data"][0]["id"]
    nxt = http.get("/v1/models", params={"limit": 4, "after_id": page["last_id"]}).json()
    assert nxt["data"][0]["id"] not in [m["id"] for m in page["data"]]
    back = http.get("/v1/models", params={"limit": 4, "before_id": nxt["first_id"]}).json()
    assert [m["id"] for m in back["data"]] == [m["id"] for m in page["data"]]
    retired = http.get("/v1/models", params={"lifecycle[]": "retired"}).json()["data"]
    assert retired and all(m["lifecycle"] == "retired" for m in retired)
    caps = page["data"][0]["capabilities"]
    assert set(caps) >= {"batch", "citations", "thinking", "effort", "server_tools"}


def test_batch_lifecycle_and_results(http, emulator_url) -> None:
    reqs = [{"custom_id": f"r-{i}", "params": body(f"Question {i}")} for i in range(3)]
    reqs.append({"custom_id": "bad", "params": {"model": MODEL, "max_tokens": 5, "messages": []}})
    b = http.post("/v1/messages/batches", json={"requests": reqs}).json()
    assert b["processing_status"] == "in_progress" and b["request_counts"]["processing"] == 4
    # Not ended yet: no delete, no results. Asked of a batch that takes 50 s here (this one
    # ends in 0.2 s, which a loaded machine can spend before the next request).
    long = http.post("/v1/messages/batches", json={"requests": [
        {"custom_id": f"l-{i}", "params": body("Long")} for i in range(1000)]}).json()
    assert http.delete(f"/v1/messages/batches/{long['id']}").status_code == 400
    assert http.get(f"/v1/messages/batches/{long['id']}/results").status_code == 400
    http.post(f"/v1/messages/batches/{long['id']}/cancel")
    deadline = time.monotonic() + 10
    while (got := http.get(f"/v1/messages/batches/{b['id']}").json())["processing_status"] != "ended":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert got["request_counts"] == {"processing": 0, "succeeded": 3, "errored": 1,
                                     "canceled": 0, "expired": 0}
    assert got["results_url"].startswith(emulator_url)
    lines = [json.loads(x) for x in http.get(got["results_url"]).text.splitlines()]
    by_id = {x["custom_id"]: x["result"] for x in lines}
    assert by_id["r-0"]["type"] == "succeeded"
    assert by_id["r-0"]["message"]["usage"]["service_tier"] == "batch"
    assert by_id["bad"]["type"] == "errored" and by_id["bad"]["error"]["error"]["type"] == "invalid_request_error"
    assert http.post(f"/v1/messages/batches/{b['id']}/cancel").status_code == 400  # ended
    assert http.delete(f"/v1/messages/batches/{b['id']}").json()["type"] == "message_batch_deleted"
    assert http.get(f"/v1/messages/batches/{b['id']}").status_code == 404


def test_batch_cancel_and_expire(make_emulator) -> None:
    url = make_emulator(batch_seconds_per_request=5.0)
    with httpx.Client(base_url=url, headers=H) as http:
        reqs = [{"custom_id": f"r{i}", "params": body()} for i in range(2)]
        b = http.post("/v1/messages/batches", json={"requests": reqs}).json()
        canceling = http.post(f"/v1/messages/batches/{b['id']}/cancel").json()
        assert canceling["processing_status"] == "canceling" and canceling["cancel_initiated_at"]
        b2 = http.post("/v1/messages/batches", json={"requests": reqs}).json()
        ended = http.post(f"{url}/_emulator/batches/{b2['id']}/finish", json={"outcome": "expired"}).json()
        assert ended["processing_status"] == "ended" and ended["request_counts"]["expired"] == 2
        results = [json.loads(x)["result"]["type"] for x in
                   http.get(f"/v1/messages/batches/{b2['id']}/results").text.splitlines()]
        assert results == ["expired", "expired"]


def test_batch_validation(http) -> None:
    dup = [{"custom_id": "a", "params": body()}, {"custom_id": "a", "params": body()}]
    assert "not unique" in http.post("/v1/messages/batches", json={"requests": dup}).json()["error"]["message"]
    bad = [{"custom_id": "no spaces!", "params": body()}]
    assert "custom_id" in http.post("/v1/messages/batches", json={"requests": bad}).json()["error"]["message"]
    for cid in ("a\n", "x" * 65):  # a trailing newline is not let through by "$"
        bad = [{"custom_id": cid, "params": body()}]
        r = http.post("/v1/messages/batches", json={"requests": bad})
        assert r.status_code == 400 and "custom_id" in r.json()["error"]["message"], cid


def test_files_upload_list_download_delete(http, emulator_url) -> None:
    data = bytes(range(256)) * 4000
    up = http.post("/v1/files", files={"file": ("dir/data.bin", data, "application/octet-stream")}).json()
    assert up["filename"] == "data.bin" and up["size_bytes"] == len(data) and not up["downloadable"]
    raw = httpx.get(f"{emulator_url}/_emulator/files/{up['id']}/raw", headers=H).content
    assert raw == data
    refused = http.get(f"/v1/files/{up['id']}/content")
    assert refused.status_code == 400
    assert refused.json()["error"]["details"]["error_code"] == "file_not_downloadable"
    made = httpx.post(f"{emulator_url}/_emulator/files", headers=H,
                      json={"filename": "out.bin", "size": 3_000_000}).json()
    got = http.get(f"/v1/files/{made['id']}/content")
    assert got.status_code == 200 and len(got.content) == 3_000_000
    page = http.get("/v1/files", params={"limit": 1}).json()
    assert len(page["data"]) == 1 and page["next_page"].startswith("page_")
    page2 = http.get("/v1/files", params={"limit": 1, "page": page["next_page"]}).json()
    assert page2["data"][0]["id"] != page["data"][0]["id"]
    assert http.delete(f"/v1/files/{up['id']}").json() == {"id": up["id"], "type": "file_deleted"}
    assert http.get(f"/v1/files/{up['id']}").status_code == 404


def test_code_execution_with_skills_creates_a_downloadable_file(http) -> None:
    m = http.post("/v1/messages", json=body(
        "Build a spreadsheet", container={"skills": [{"type": "anthropic", "skill_id": "xlsx",
                                                      "version": "latest"}]},
        tools=[{"type": "code_execution_20250825", "name": "code_execution"}])).json()
    assert m["container"]["skills"] == [{"type": "anthropic", "skill_id": "xlsx", "version": "20251013"}]
    files = http.get("/v1/files").json()["data"]
    assert any(f["downloadable"] and f["filename"] == "output.csv" for f in files)


def test_skills_and_versions(http) -> None:
    skill_md = b"---\nname: demo-skill\ndescription: A demo\n---\nDo things.\n"
    made = http.post("/v1/skills", files=[("files[]", ("demo/SKILL.md", skill_md, "text/markdown"))]).json()
    assert made["display_name"] == "demo-skill" and made["source"] == {"type": "custom"}
    missing = http.post("/v1/skills", files=[("files[]", ("demo/README.md", b"x", "text/plain"))])
    assert missing.status_code == 400 and "SKILL.md" in missing.json()["error"]["message"]
    v2 = http.post(f"/v1/skills/{made['id']}/versions",
                   files=[("files[]", ("demo/SKILL.md", skill_md, "text/markdown"))]).json()
    latest = http.get(f"/v1/skills/{made['id']}/versions/latest").json()
    assert latest["id"] == v2["id"] and latest["name"] == "demo-skill"
    assert http.delete(f"/v1/skills/{made['id']}").status_code == 400  # versions remain
    for v in http.get(f"/v1/skills/{made['id']}/versions").json()["data"]:
        http.delete(f"/v1/skills/{made['id']}/versions/{v['id']}")
    assert http.delete(f"/v1/skills/{made['id']}").json()["type"] == "skill_deleted"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl not installed")
def test_docs_curl_example_against_the_cli_emulator() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "emulator", "--port", "0",
                             "--full-speed"], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        url = re.search(r"(http://\S+)", line).group(1)
        for _ in range(100):
            try:
                httpx.get(f"{url}/_emulator/health")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        out = subprocess.run(
            ["curl", "-sS", f"{url}/v1/messages", "--header", "x-api-key: sk-ant-example",
             "--header", "anthropic-version: 2023-06-01", "--header", "content-type: application/json",
             "--data", '{"model":"claude-opus-5","max_tokens":1024,'
                       '"messages":[{"role":"user","content":"Hello, world"}]}'],
            capture_output=True, text=True, timeout=30)
        message = json.loads(out.stdout)
        assert message["type"] == "message" and message["model"] == "claude-opus-5"
        assert message["content"][0]["type"] == "text" and message["stop_reason"] == "end_turn"
    finally:
        proc.terminate()
        proc.wait(10)


def upload(http, name: str, data: bytes, mime: str) -> str:
    return http.post("/v1/files", files={"file": (name, data, mime)}).json()["id"]


def test_reply_names_attached_documents_and_images(http) -> None:
    doc = upload(http, "notes.txt", b"some notes", "text/plain")
    img = upload(http, "pic.png", b"\x89PNG not really", "image/png")
    content = [{"type": "document", "title": "notes.txt",
                "source": {"type": "file", "file_id": doc}},
               {"type": "image", "source": {"type": "file", "file_id": img}},
               {"type": "text", "text": "Summarise these"}]
    r = http.post("/v1/messages", json=body(messages=[{"role": "user", "content": content}]))
    assert r.status_code == 200
    text = r.json()["content"][0]["text"]
    assert text.startswith(f"I read the document notes.txt and the image {img}.")


def _not_found(r: httpx.Response, *names: str) -> str:
    assert r.status_code == 404, r.text
    error = r.json()["error"]
    assert error["type"] == "not_found_error"
    assert all(n in error["message"] for n in names), error["message"]
    return error["message"]


def test_unknown_file_ids_are_404_naming_the_id(http) -> None:
    good = upload(http, "a.pdf", b"%PDF-1.4 tiny", "application/pdf")
    cases = {
        "messages.0.content.1.source.file_id": [
            {"type": "document", "source": {"type": "file", "file_id": good}},
            {"type": "document", "source": {"type": "file", "file_id": "file_nope1"}}],
        "messages.0.content.0.source.file_id": [
            {"type": "image", "source": {"type": "file", "file_id": "file_nope1"}}],
        "messages.0.content.0.file_id": [{"type": "container_upload", "file_id": "file_nope1"}],
        "messages.0.content.0.content.0.source.file_id": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": [
                {"type": "image", "source": {"type": "file", "file_id": "file_nope1"}}]}],
    }
    for where, content in cases.items():
        params = body(messages=[{"role": "user", "content": [
            *content, {"type": "text", "text": "Read it"}]}])
        _not_found(http.post("/v1/messages", json=params), "file_nope1", where)
        _not_found(http.post("/v1/messages", json={**params, "stream": True}), "file_nope1")
        count = {k: v for k, v in params.items() if k != "max_tokens"}
        _not_found(http.post("/v1/messages/count_tokens", json=count), "file_nope1", where)
    ok = body(messages=[{"role": "user", "content": [
        {"type": "document", "source": {"type": "file", "file_id": good}},
        {"type": "text", "text": "Read it"}]}])
    assert http.post("/v1/messages", json=ok).status_code == 200
    http.delete(f"/v1/files/{good}")  # a deleted file is unknown too
    _not_found(http.post("/v1/messages", json=ok), good)
    missing = body(messages=[{"role": "user", "content": [{"type": "container_upload"}]}])
    assert http.post("/v1/messages", json=missing).status_code == 400


def test_unknown_container_skills_are_404_naming_the_id(http) -> None:
    tools = [{"type": "code_execution_20250825", "name": "code_execution"}]

    def ask(*skills: dict) -> httpx.Response:
        return http.post("/v1/messages", json=body("Make a sheet", tools=tools,
                                                   container={"skills": list(skills)}))

    xlsx = {"type": "anthropic", "skill_id": "xlsx", "version": "latest"}
    assert ask(xlsx).status_code == 200
    _not_found(ask(xlsx, {"type": "custom", "skill_id": "skill_nope", "version": "latest"}),
               "container.skills.1.skill_id", "skill_nope")
    _not_found(ask({**xlsx, "version": "19990101"}), "container.skills.0.version", "19990101",
               "xlsx")
    assert ask({**xlsx, "version": "20251013"}).status_code == 200
    assert ask({"type": "custom"}).status_code == 400


def test_batch_request_naming_an_unknown_file_is_an_errored_result(make_emulator) -> None:
    url = make_emulator(tokens_per_second=None, batch_seconds_per_request=0.01)
    with httpx.Client(base_url=url, headers=H, timeout=30) as http:
        bad_doc = [{"type": "document", "source": {"type": "file", "file_id": "file_gone"}},
                   {"type": "text", "text": "Read it"}]
        reqs = [{"custom_id": "ok", "params": body()},
                {"custom_id": "bad-file", "params": body(messages=[
                    {"role": "user", "content": bad_doc}])},
                {"custom_id": "bad-skill", "params": body(container={"skills": [
                    {"type": "custom", "skill_id": "skill_gone"}]})}]
        made = http.post("/v1/messages/batches", json={"requests": reqs})
        assert made.status_code == 200  # the batch is accepted; the bad requests error alone
        done = http.post(f"/_emulator/batches/{made.json()['id']}/finish").json()
        assert done["request_counts"]["succeeded"] == 1 and done["request_counts"]["errored"] == 2
        lines = [json.loads(x) for x in http.get(done["results_url"]).text.splitlines()]
        results = {x["custom_id"]: x["result"] for x in lines}
        assert results["ok"]["type"] == "succeeded"
        for cid, name in (("bad-file", "file_gone"), ("bad-skill", "skill_gone")):
            assert results[cid]["type"] == "errored"
            error = results[cid]["error"]["error"]
            assert error["type"] == "not_found_error" and name in error["message"]


def test_a_file_in_a_block_that_cannot_take_its_type_is_400(http) -> None:
    png = upload(http, "a.png", b"\x89PNG\r\n\x1a\n tiny", "image/png")
    csv = upload(http, "a.csv", b"a,b\n1,2\n", "text/csv")
    pdf = upload(http, "a.pdf", b"%PDF-1.4 tiny", "application/pdf")

    def ask(block: dict) -> httpx.Response:
        return http.post("/v1/messages", json=body(messages=[{"role": "user", "content": [
            block, {"type": "text", "text": "Look"}]}]))

    def source(kind: str, file_id: str) -> dict:
        return {"type": kind, "source": {"type": "file", "file_id": file_id}}

    for block, name in ((source("document", png), png), (source("image", csv), csv),
                        (source("image", pdf), pdf), (source("document", csv), csv)):
        r = ask(block)
        assert r.status_code == 400, r.text
        error = r.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert name in error["message"] and "messages.0.content.0.source.file_id" in error["message"]
    assert ask(source("image", png)).status_code == 200
    assert ask(source("document", pdf)).status_code == 200
    assert ask({"type": "container_upload", "file_id": csv}).status_code == 200


def test_a_container_skill_of_the_wrong_type_is_400(http) -> None:
    tools = [{"type": "code_execution_20250825", "name": "code_execution"}]

    def ask(skill: dict) -> httpx.Response:
        return http.post("/v1/messages", json=body("Make a sheet", tools=tools,
                                                   container={"skills": [skill]}))

    r = ask({"type": "custom", "skill_id": "xlsx"})
    assert r.status_code == 400 and "anthropic skill" in r.json()["error"]["message"]
    assert ask({"skill_id": "xlsx"}).status_code == 400  # type is required
    assert ask({"type": "anthropic", "skill_id": "xlsx"}).status_code == 200


def test_an_errored_batch_result_keeps_the_error_code(make_emulator) -> None:
    url = make_emulator(tokens_per_second=None, batch_seconds_per_request=0.01)
    with httpx.Client(base_url=url, headers=H, timeout=30) as http:
        old = http.post("/_emulator/files", json={"filename": "old.txt", "size": 10,
                                                  "mime_type": "text/plain",
                                                  "expires_in": -5}).json()["id"]
        doc = [{"type": "document", "source": {"type": "file", "file_id": old}},
               {"type": "text", "text": "Read it"}]
        direct = http.post("/v1/messages", json=body(messages=[{"role": "user", "content": doc}]))
        assert direct.status_code == 404
        assert direct.json()["error"]["details"] == {"error_code": "file_expired"}
        made = http.post("/v1/messages/batches", json={"requests": [
            {"custom_id": "old", "params": body(messages=[{"role": "user", "content": doc}])}]})
        done = http.post(f"/_emulator/batches/{made.json()['id']}/finish").json()
        line = json.loads(http.get(done["results_url"]).text.splitlines()[0])
        assert line["result"]["type"] == "errored"
        error = line["result"]["error"]["error"]
        assert error["type"] == "not_found_error"
        assert error["details"] == {"error_code": "file_expired"}


def test_skill_front_matter_is_yaml(http) -> None:
    """A folded multi-line description is read whole; bad YAML is a 400 that says where."""
    skill_md = b"---\nname: folded\ndescription: >\n  Two lines\n  of text.\n---\nBody\n"
    made = http.post("/v1/skills", files=[("files[]", ("f/SKILL.md", skill_md, "text/markdown"))])
    version = http.get(f"/v1/skills/{made.json()['id']}/versions/latest").json()
    assert version["description"] == "Two lines of text."
    bad = b"---\nname: x\ndescription: a: b\n---\n"
    refused = http.post("/v1/skills", files=[("files[]", ("b/SKILL.md", bad, "text/markdown"))])
    assert refused.status_code == 400
    assert "not valid YAML (line 3" in refused.json()["error"]["message"]
