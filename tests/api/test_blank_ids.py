"""A blank id (spaces, a tab) is refused locally like an empty one; a padded id is trimmed."""

from __future__ import annotations

import pytest

from workbench.api.client import ClaudeClient
from workbench.api.errors import InvalidIdError
from workbench.api.urls import segment


@pytest.mark.parametrize("blank", ["", " ", "  \t", "\n"])
async def test_a_blank_file_id_is_refused_before_sending(client: ClaudeClient, blank: str):
    """' ' reached the server as /v1/files/%20 and came back a 404 (trial finding)."""
    before = len(client.recorder)
    for call in (client.files.get, client.files.delete, client.batches.get,
                 client.skills.get, client.models.get):
        with pytest.raises(InvalidIdError, match="id is empty"):
            await call(blank)
    with pytest.raises(InvalidIdError, match="the file id is empty"):
        await client.files.download(blank, "/dev/null")
    assert len(client.recorder) == before  # nothing was sent


async def test_a_padded_file_id_is_trimmed(client: ClaudeClient, tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text("hello")
    uploaded = await client.files.upload(source)
    shown = await client.files.get(f"  {uploaded.id}\n")
    assert shown.id == uploaded.id
    assert client.recorder.exchanges[-1].url.endswith(f"/v1/files/{uploaded.id}")


def test_segment_trims() -> None:
    assert segment(" file_1 ") == "file_1"
    assert segment("é x") == "%C3%A9%20x"  # inner spaces are part of the id
    with pytest.raises(InvalidIdError, match="the file id is empty"):
        segment(" ", "file id")
