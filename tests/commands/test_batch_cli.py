"""`workbench batch` through the real CLI entry point against the emulator over loopback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

HEADERS = {"x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01"}


@pytest.fixture
def fast_url(make_emulator) -> str:
    return make_emulator(tokens_per_second=None, batch_seconds_per_request=0.01)


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """A dataset whose third row names an unknown model (so its result is `errored`)."""
    ds = tmp_path / "words.csv"
    ds.write_text("id,word,model\na1,cat,claude-haiku-4-5\na2,dog,claude-haiku-4-5\n"
                  "a3,fish,claude-nope-1\n")
    req = tmp_path / "req.json"
    req.write_text(json.dumps({"model": "{{model}}", "max_tokens": 40, "stream": True,
                               "messages": [{"role": "user", "content": "Say {{word}}"}]}))
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Translate {{word}} to French\n")
    return {"ds": ds, "req": req, "prompt": prompt}


def wait_ended(url: str, batch_id: str, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        b = httpx.get(f"{url}/v1/messages/batches/{batch_id}", headers=HEADERS).json()
        if b["processing_status"] == "ended":
            return b
        time.sleep(0.05)
    raise AssertionError(f"{batch_id} did not end")


def create(wb, url, inputs, *extra: str) -> str:
    code, out, err = wb("batch", "create", "--dataset", str(inputs["ds"]), "--request",
                        str(inputs["req"]), "--id-column", "id", *extra, url=url)
    assert code == 0, err
    (batch_id,) = out.split()
    return batch_id


def test_create_show_results_delete(wb, fast_url, inputs, tmp_path: Path):
    code, out, err = wb("batch", "create", "--dataset", str(inputs["ds"]), "--request",
                        str(inputs["req"]), "--id-column", "id", url=fast_url)
    assert code == 0, err
    batch_id = out.strip()
    assert batch_id.startswith("msgbatch_")
    assert "a1: " in err and '"content": "Say cat"' in err and '"stream"' not in err
    assert "3 requests" in err and "batch discount 50%" in err
    wait_ended(fast_url, batch_id)

    code, out, _ = wb("batch", "show", batch_id, url=fast_url)
    assert code == 0 and "status:       ended" in out
    assert "3 (2 succeeded, 1 errored)" in out and "local run:    run-" in out

    code, out, _ = wb("batch", "list", url=fast_url)
    row = next(ln for ln in out.splitlines() if ln.startswith(batch_id))
    assert "ended" in row and "2 succeeded, 1 errored" in row

    code, out, err = wb("batch", "results", batch_id, url=fast_url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["CUSTOM_ID", "TYPE", "STOP_REASON"]
    by_id = {ln.split()[0]: ln for ln in lines[1:]}
    assert set(by_id) == {"a1", "a2", "a3"}
    assert "succeeded" in by_id["a1"] and "→" in by_id["a1"]
    assert "errored" in by_id["a3"] and "claude-nope-1" in by_id["a3"]
    assert "3 result(s)" in err

    code, out, _ = wb("batch", "results", batch_id, "--json", "--type", "succeeded",
                      url=fast_url)
    items = [json.loads(ln) for ln in out.splitlines()]
    assert [i["custom_id"] for i in items] == ["a1", "a2"]
    assert all(i["result"]["message"]["role"] == "assistant" for i in items)

    dest = tmp_path / "out" / "results.jsonl"
    code, out, err = wb("batch", "results", batch_id, "-o", str(dest), url=fast_url)
    assert code == 0 and out.strip() == str(dest)
    assert [json.loads(ln)["custom_id"] for ln in dest.read_text().splitlines()] == \
        ["a1", "a2", "a3"]
    assert f"results {batch_id}: done" in err

    code, out, _ = wb("batch", "results", batch_id, "-o", str(dest), "--type", "errored",
                      "--json", url=fast_url)
    assert json.loads(out)["lines"] == 1
    assert json.loads(dest.read_text())["custom_id"] == "a3"

    code, out, _ = wb("batch", "delete", batch_id, url=fast_url)
    assert code == 0 and out.strip() == f"deleted {batch_id}"
    code, _, err = wb("batch", "show", batch_id, url=fast_url)
    assert code == 1 and "not_found_error" in err and batch_id in err


def test_json_outputs(wb, fast_url, inputs):
    code, out, _ = wb("batch", "create", "--dataset", str(inputs["ds"]), "--prompt",
                      str(inputs["prompt"]), "--model", "claude-haiku-4-5", "--max-tokens", "20",
                      "--json", url=fast_url)
    assert code == 0
    made = json.loads(out)
    assert made["requests"] == 3 and made["batches"] == 1 and made["complete"] is True
    assert made["variables"] == ["word"]
    assert [p["custom_id"] for p in made["preview"]] == ["row-1", "row-2", "row-3"]
    first = made["preview"][0]["params"]
    assert first["messages"][0]["content"] == "Translate cat to French"
    assert first["max_tokens"] == 20 and first["model"] == "claude-haiku-4-5"
    assert made["estimate"]["usd_upper_bound"] > 0
    (batch_id,) = made["batch_ids"]

    code, out, _ = wb("batch", "show", batch_id, "--json", url=fast_url)
    assert json.loads(out)["id"] == batch_id
    code, out, _ = wb("batch", "list", "--json", "--all", url=fast_url)
    assert batch_id in [b["id"] for b in json.loads(out)]
    wait_ended(fast_url, batch_id)
    code, out, _ = wb("batch", "delete", batch_id, "--json", url=fast_url)
    assert json.loads(out) == {"id": batch_id, "type": "message_batch_deleted"}


def test_dry_run_sends_nothing(wb, fast_url, inputs):
    code, out, err = wb("batch", "create", "--dataset", str(inputs["ds"]), "--request",
                        str(inputs["req"]), "--dry-run", url=fast_url)
    assert code == 0 and out == ""
    assert "row-1: " in err and "3 requests" in err
    code, out, _ = wb("batch", "list", "--json", url=fast_url)
    assert json.loads(out) == []
    code, out, _ = wb("batch", "create", "--dataset", str(inputs["ds"]), "--request",
                      str(inputs["req"]), "--dry-run", "--json", url=fast_url)
    assert json.loads(out)["dry_run"] is True and json.loads(out)["batch_ids"] == []


def test_from_saved_draft(wb, fast_url, inputs):
    from workbench.services.draft import Draft, Turn
    from workbench.services.drafts import save_draft

    draft = Draft(model="claude-haiku-4-5", max_tokens=33, system="Be brief",
                  turns=[Turn("user", "Spell {{word}}")])
    save_draft("default", draft.to_dict())
    code, out, err = wb("batch", "create", "--dataset", str(inputs["ds"]), "--from-draft",
                        "--dry-run", "--json", url=fast_url)
    assert code == 0, err
    params = json.loads(out)["preview"][1]["params"]
    assert params["messages"] == [{"role": "user", "content": "Spell dog"}]
    assert params["system"] == "Be brief" and params["max_tokens"] == 33

    code, _, err = wb("batch", "create", "--dataset", str(inputs["ds"]), "--from-draft",
                      "nosuchslot", url=fast_url)
    assert code == 2 and "no saved composer draft for 'nosuchslot'" in err


def test_large_dataset_is_split_and_every_id_printed(wb, fast_url, tmp_path, monkeypatch):
    """Over the per-batch limit (made small here) -> several batches, every id on stdout."""
    from workbench.services import datasets

    monkeypatch.setattr(datasets, "MAX_REQUESTS", 2)  # batch_runs reads it at call time
    ds = tmp_path / "five.jsonl"
    ds.write_text("".join(json.dumps({"n": i}) + "\n" for i in range(5)))
    prompt = tmp_path / "p.txt"
    prompt.write_text("Count to {{n}}")
    code, out, err = wb("batch", "create", "--dataset", str(ds), "--prompt", str(prompt),
                        url=fast_url)
    assert code == 0, err
    ids = out.split()
    assert len(ids) == 3 and len(set(ids)) == 3
    assert "in 3 batches (2, 2, 1)" in err
    sizes = []
    for bid in ids:
        b = httpx.get(f"{fast_url}/v1/messages/batches/{bid}", headers=HEADERS).json()
        sizes.append(sum(b["request_counts"].values()))
    assert sizes == [2, 2, 1]


def test_rerun_errored_from_local_run(wb, fast_url, inputs):
    batch_id = create(wb, fast_url, inputs)
    wait_ended(fast_url, batch_id)
    code, out, err = wb("batch", "rerun", batch_id, "--json", url=fast_url)
    assert code == 0, err
    again = json.loads(out)
    assert again["requests"] == 1 and again["preview"][0]["custom_id"] == "a3"
    assert again["preview"][0]["params"]["model"] == "claude-nope-1"
    (new_id,) = again["batch_ids"]
    assert new_id != batch_id


def test_rerun_expired_needs_dataset_when_not_made_here(wb, make_emulator, inputs):
    url = make_emulator(tokens_per_second=None, batch_seconds_per_request=30)
    reqs = [{"custom_id": f"a{i}", "params": {"model": "claude-haiku-4-5", "max_tokens": 40,
                                              "messages": [{"role": "user",
                                                            "content": f"Say {w}"}]}}
            for i, w in ((1, "cat"), (2, "dog"))]
    batch_id = httpx.post(f"{url}/v1/messages/batches", headers=HEADERS,
                          json={"requests": reqs}).json()["id"]

    code, _, err = wb("batch", "rerun", batch_id, url=url)
    assert code == 1 and "only an ended batch can be re-run" in err
    httpx.post(f"{url}/_emulator/batches/{batch_id}/finish", json={"outcome": "expired"},
               headers=HEADERS)

    code, _, err = wb("batch", "rerun", batch_id, url=url)
    assert code == 2 and "was not created by workbench here" in err and "--dataset" in err

    ds = inputs["ds"]
    ds.write_text("id,word,model\na1,cat,claude-haiku-4-5\na2,dog,claude-haiku-4-5\n")
    code, out, err = wb("batch", "rerun", batch_id, "--dataset", str(ds), "--request",
                        str(inputs["req"]), "--id-column", "id", "--dry-run", "--json", url=url)
    assert code == 0, err
    plan = json.loads(out)
    assert plan["requests"] == 2 and [p["custom_id"] for p in plan["preview"]] == ["a1", "a2"]


def test_rerun_from_a_dataset_that_does_not_match(wb, fast_url, inputs, tmp_path):
    """--dataset: the service rebuilds the requests; a wrong dataset or folder is said so."""
    batch_id = create(wb, fast_url, inputs)
    wait_ended(fast_url, batch_id)
    req = str(inputs["req"])
    code, _, err = wb("batch", "rerun", batch_id, "--dataset", str(inputs["ds"]), "--request",
                      req, "--dry-run", url=fast_url)  # no --id-column: row-N ids, not a3
    assert code == 2 and err == (f"workbench batch: none of the 1 failed custom_ids of "
                                 f"{batch_id} (a3) are among the original requests (a "
                                 "different dataset or --id-column?)\n")
    code, out, err = wb("batch", "rerun", batch_id, "--dataset", str(inputs["ds"]), "--request",
                        req, "--id-column", "id", "--dry-run", "--json", url=fast_url)
    assert code == 0 and [p["custom_id"] for p in json.loads(out)["preview"]] == ["a3"]
    # a folder is refused before anything is sent (this URL has no server)
    code, _, err = wb("batch", "rerun", batch_id, "--dataset", str(tmp_path), "--request", req,
                      url="http://127.0.0.1:9")
    assert code == 2 and f"{tmp_path}: is a folder" in err and "CSV" in err


def test_rerun_with_nothing_failed(wb, fast_url, tmp_path):
    ds = tmp_path / "ok.csv"
    ds.write_text("w\nx\n")
    prompt = tmp_path / "p.txt"
    prompt.write_text("Say {{w}}")
    code, out, _ = wb("batch", "create", "--dataset", str(ds), "--prompt", str(prompt),
                      "--model", "claude-haiku-4-5", url=fast_url)
    batch_id = out.strip()
    wait_ended(fast_url, batch_id)
    code, out, err = wb("batch", "rerun", batch_id, url=fast_url)
    assert code == 0 and out == "" and "nothing to re-run" in err


def test_cancel_and_refusals_while_processing(wb, make_emulator, inputs):
    url = make_emulator(tokens_per_second=None, batch_seconds_per_request=30)
    batch_id = create(wb, url, inputs)

    code, _, err = wb("batch", "results", batch_id, url=url)
    assert code == 1 and "results are available once it has ended" in err
    code, _, err = wb("batch", "delete", batch_id, url=url)
    assert code == 1 and "still processing" in err and f"workbench batch cancel {batch_id}" in err

    code, out, err = wb("batch", "cancel", batch_id, url=url)
    assert code == 0 and out.startswith(f"{batch_id}: canceling")

    httpx.post(f"{url}/_emulator/batches/{batch_id}/finish", headers=HEADERS)
    code, _, err = wb("batch", "cancel", batch_id, url=url)
    assert code == 1 and "400 invalid_request_error" in err and "cannot be canceled" in err


def test_bad_inputs(wb, fast_url, inputs, tmp_path):
    ds, req = str(inputs["ds"]), str(inputs["req"])
    code, _, err = wb("batch", "create", "--dataset", str(tmp_path / "no.csv"), "--request", req,
                      url=fast_url)
    assert code == 2 and "no.csv: no such file" in err
    code, _, err = wb("batch", "create", "--dataset", f"{tmp_path}/", "--request", req,
                      url=fast_url)
    assert code == 2 and err == (f"workbench batch: {tmp_path}: is a folder; a dataset is a CSV "
                                 "file (header row first) or a JSONL file (in it: words.csv)\n")
    code, _, err = wb("batch", "create", "--dataset", ds, "--request",
                      str(tmp_path / "none.json"), url=fast_url)
    assert code == 2 and "none.json: no such file" in err
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"model": ')
    code, _, err = wb("batch", "create", "--dataset", ds, "--request", str(bad_json),
                      url=fast_url)
    assert code == 2 and "not valid JSON" in err

    missing = tmp_path / "missing_var.csv"
    missing.write_text("id,other\nb1,x\n")
    code, _, err = wb("batch", "create", "--dataset", str(missing), "--request", req,
                      url=fast_url)
    assert code == 2 and "row 1" in err and "{{model}}" in err

    ragged = tmp_path / "ragged.csv"
    ragged.write_text("id,word,model\na1,cat,claude-haiku-4-5\na2,dog\n")
    code, _, err = wb("batch", "create", "--dataset", str(ragged), "--request", req,
                      url=fast_url)
    assert code == 2 and "row 2: 2 cells, the header has 3 columns" in err

    jl = tmp_path / "rows.jsonl"
    jl.write_text('{"word": "a", "model": "m"}\n[1, 2]\n')
    code, _, err = wb("batch", "create", "--dataset", str(jl), "--request", req, url=fast_url)
    assert code == 2 and "row 2 (line 2): expected a JSON object" in err

    dup = tmp_path / "dup.csv"
    dup.write_text("id,word,model\nx,cat,m\nx,dog,m\n")
    code, _, err = wb("batch", "create", "--dataset", str(dup), "--request", req,
                      "--id-column", "id", url=fast_url)
    assert code == 2 and "row 2: custom_id 'x' is used twice" in err

    code, _, err = wb("batch", "create", "--dataset", ds, "--request", str(tmp_path),
                      url=fast_url)
    assert code == 2 and f"{tmp_path} is a folder: give a file" in err

    code, _, err = wb("batch", "create", "--dataset", ds, "--prompt", str(inputs["prompt"]),
                      "--max-tokens", "999999", url=fast_url)  # checked before sending
    assert code == 2 and "max_tokens 999,999 is over" in err and "maximum output" in err
    code, _, err = wb("batch", "create", "--dataset", ds, "--prompt", str(inputs["prompt"]),
                      "--model", "claude-nope-1", url=fast_url)
    assert code == 2 and "unknown model 'claude-nope-1'" in err

    code, _, err = wb("batch", "create", "--dataset", ds, url=fast_url)
    assert code == 2 and "one of the arguments --request --prompt --from-draft" in err

    for action in ("show", "cancel", "delete", "results"):
        code, _, err = wb("batch", action, "msgbatch_nope", url=fast_url)
        assert code == 1 and "404 not_found_error" in err and "msgbatch_nope" in err, action
    code, _, err = wb("batch", "list", "--limit", "5000", url=fast_url)
    assert code == 2
    code, out, _ = wb("batch", "list", "--json", url=fast_url)
    assert json.loads(out) == []  # nothing was created by the bad inputs


def test_results_piped_into_head_is_not_an_error(fast_url, tmp_path):
    """`workbench batch results ID --json | head -1`: the reader leaves early, exit 0, quiet."""
    import os
    import subprocess
    import sys

    reqs = [{"custom_id": f"r{i}", "params": {"model": "claude-haiku-4-5", "max_tokens": 30,
                                              "messages": [{"role": "user", "content": "hi"}]}}
            for i in range(600)]
    batch_id = httpx.post(f"{fast_url}/v1/messages/batches", headers=HEADERS,
                          json={"requests": reqs}).json()["id"]
    httpx.post(f"{fast_url}/_emulator/batches/{batch_id}/finish", headers=HEADERS)
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "batch", "results", batch_id,
                             "--json", "--base-url", fast_url], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    first = json.loads(proc.stdout.readline())
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert first["custom_id"] == "r0"
    assert proc.stderr.read() == b""
