"""200 MB through our client, byte for byte, with bounded memory.

The client runs in a fresh subprocess so its peak RSS (`ru_maxrss`) measures the transfer
alone: the baseline is taken after the imports and the client's construction, the peak after
the transfer. The emulator runs in this process and stores uploads on disk; its
`/_emulator/files` controls give the stored bytes and make a "tool-created" downloadable file.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

MB = 1024 * 1024
SIZE = 200 * MB
RSS_LIMIT_MB = 50
CONTROL = {"x-api-key": "sk-ant-test-control"}  # the emulator's controls want a key

CHILD = r"""
import asyncio, hashlib, json, resource, sys
from workbench.api.client import ClaudeClient

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux

async def main(action, url, arg, dest):
    client = ClaudeClient(api_key="sk-ant-test", base_url=url, max_retries=0, timeout=120)
    seen = []
    def progress(done, total):
        seen.append(done)
    await client.files.list(limit=1)  # warm: connection pool, pydantic models
    before = peak_mb()
    if action == "upload":
        meta = await client.files.upload(arg, progress=progress)
        out = {"id": meta.id, "size": meta.size_bytes}
    else:
        await client.files.download(arg, dest, progress=progress)
        out = {}
    after = peak_mb()
    await client.aclose()
    out.update(before=before, after=after, last_progress=seen[-1] if seen else None,
               progress_calls=len(seen))
    print(json.dumps(out))

asyncio.run(main(*sys.argv[1:5]))
"""


def run_child(action: str, url: str, arg: str, dest: str = "") -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, action, url, arg, dest],
                       capture_output=True, text=True, timeout=300,
                       cwd=Path(__file__).resolve().parents[2])
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def random_file(path: Path, size: int) -> str:
    """Written in 1 MB chunks; returns its sha256."""
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for _ in range(size // MB):
            chunk = os.urandom(MB)
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def streamed_sha256(url: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    n = 0
    with httpx.stream("GET", url, timeout=120, headers=CONTROL) as r:
        r.raise_for_status()
        for chunk in r.iter_bytes(MB):
            digest.update(chunk)
            n += len(chunk)
    return digest.hexdigest(), n


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(MB):
            digest.update(chunk)
    return digest.hexdigest()


def test_upload_200mb_stored_bytes_match(make_emulator, tmp_path: Path):
    url = make_emulator(tokens_per_second=None)
    src = tmp_path / "big.bin"
    want = random_file(src, SIZE)

    out = run_child("upload", url, str(src))
    assert out["size"] == SIZE
    assert out["last_progress"] == SIZE and out["progress_calls"] > 10
    growth = out["after"] - out["before"]
    assert growth < RSS_LIMIT_MB, f"client RSS grew {growth:.1f} MB during a 200 MB upload"

    got, n = streamed_sha256(f"{url}/_emulator/files/{out['id']}/raw")
    assert n == SIZE and got == want


def test_download_200mb_generated_file_byte_for_byte(make_emulator, tmp_path: Path):
    url = make_emulator(tokens_per_second=None)
    meta = httpx.post(f"{url}/_emulator/files", timeout=120, headers=CONTROL,
                      json={"filename": "big-output.bin", "size": SIZE}).json()
    assert meta["downloadable"] is True and meta["size_bytes"] == SIZE
    want, n = streamed_sha256(f"{url}/_emulator/files/{meta['id']}/raw")
    assert n == SIZE

    dest = tmp_path / "out" / "big-output.bin"
    out = run_child("download", url, meta["id"], str(dest))
    assert out["last_progress"] == SIZE
    growth = out["after"] - out["before"]
    assert growth < RSS_LIMIT_MB, f"client RSS grew {growth:.1f} MB during a 200 MB download"
    assert dest.stat().st_size == SIZE and file_sha256(dest) == want
    assert not [p for p in dest.parent.iterdir() if p.name.endswith(".part")]
