"""The emulator as a neighbour on a shared machine: keyed controls, loopback Host names only,
bodies bounded as they arrive, no storage left behind, a port clash said once."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

KEY = {"x-api-key": "sk-ant-hygiene", "anthropic-version": "2023-06-01"}


def test_controls_need_a_key(emulator_url: str) -> None:
    assert httpx.get(f"{emulator_url}/_emulator/health").json() == {"ok": True}
    made = httpx.post(f"{emulator_url}/_emulator/files", json={"filename": "a.txt", "size": 5})
    assert made.status_code == 401
    assert made.json()["error"]["type"] == "authentication_error"
    made = httpx.post(f"{emulator_url}/_emulator/files", json={"filename": "a.txt", "size": 5},
                      headers=KEY)
    assert made.status_code == 200
    raw = f"{emulator_url}/_emulator/files/{made.json()['id']}/raw"
    assert httpx.get(raw).status_code == 401
    assert len(httpx.get(raw, headers=KEY).content) == 5
    assert httpx.post(f"{emulator_url}/_emulator/batches/x/finish").status_code == 401


@pytest.mark.parametrize(("host", "served"), [
    ("127.0.0.1:{port}", True), ("localhost:{port}", True), ("LOCALHOST", True),
    ("[::1]:{port}", True), ("evil.example:{port}", False), ("127.0.0.1.evil.example", False),
    ("", False),
])
def test_host_header_is_a_loopback_name(emulator_url: str, host: str, served: bool) -> None:
    port = emulator_url.rsplit(":", 1)[1]
    r = httpx.get(f"{emulator_url}/v1/models", headers={**KEY, "host": host.format(port=port)})
    if served:
        assert r.status_code == 200, r.text
    else:
        assert r.status_code == 403 and "loopback" in r.json()["error"]["message"]
        assert r.headers["request-id"]


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_declared_length_over_the_limit_is_refused_before_reading(emulator_url: str) -> None:
    with socket.create_connection(("127.0.0.1", _port(emulator_url)), timeout=10) as s:
        s.sendall(b"POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: k\r\n"
                  b"anthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n"
                  b"content-length: 209715200\r\n\r\n")
        head = s.recv(65536)
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    assert b"request_too_large" in head or b"request-id" in head


@pytest.mark.parametrize("path", ["/v1/messages", "/v1/messages/count_tokens", "/_emulator/files"])
def test_chunked_body_is_counted_as_it_arrives(emulator_url: str, path: str) -> None:
    """200 MB offered without a length: the 413 comes once the route's limit is passed, while
    the client is still sending, and the server read little more than the limit."""
    block = b"x" * (1024 * 1024)
    sent = 0
    with socket.create_connection(("127.0.0.1", _port(emulator_url)), timeout=30) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nhost: localhost\r\nx-api-key: k\r\n"
                  "anthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n"
                  "transfer-encoding: chunked\r\n\r\n".encode())
        chunk = f"{len(block):x}\r\n".encode() + block + b"\r\n"
        answer = b""
        while sent < 200 * len(block):
            readable, _, _ = select.select([s], [], [], 0)
            if readable:
                answer = s.recv(65536)
                break
            try:
                s.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(block)
        if not answer:
            s.settimeout(10)
            answer = s.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 40 * len(block), sent  # the messages limit is 32 MB (controls: 1 MB)


def _start(tmp: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "workbench", "emulator", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _leftovers(tmp: Path) -> list[str]:
    return [p.name for p in tmp.iterdir() if p.name.startswith("workbench-emulator-")]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_storage_is_removed_on_signals(tmp_path: Path, sig: signal.Signals) -> None:
    proc = _start(tmp_path, "--port", "0", "--full-speed")
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "listening on http://127.0.0.1:" in first, first
        url = first.split("listening on ", 1)[1].strip()
        up = httpx.post(f"{url}/v1/files", headers=KEY,
                        files={"file": ("n.txt", b"hello", "text/plain")})
        assert up.status_code == 200
        assert _leftovers(tmp_path)  # the upload is on disk while it runs
        proc.send_signal(sig)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _leftovers(tmp_path) == []


def test_port_clash_is_the_only_message(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _start(tmp_path, "--port", str(port))
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"workbench emulator: cannot listen on 127.0.0.1:{port}: Address already in use"]
    assert _leftovers(tmp_path) == []


def test_thread_storage_goes_with_the_store(tmp_path: Path, monkeypatch) -> None:
    """The in-process emulator (demo mode, tests) removes its storage when stopped."""
    import tempfile

    from workbench.emulator.config import EmulatorConfig
    from workbench.emulator.server import EmulatorThread

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    emu = EmulatorThread(EmulatorConfig())
    emu.start()
    assert _leftovers(tmp_path)
    emu.stop()
    deadline = time.monotonic() + 5
    while _leftovers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _leftovers(tmp_path) == []
