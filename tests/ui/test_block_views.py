"""The one renderer reads every recorded real reply: each block is shown, none dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from workbench.ui.widgets.block_views import layout, message_group

CORPUS = Path(__file__).resolve().parents[1] / "data" / "recorded-api"
if not CORPUS.is_dir():  # ../shared/recorded-api beside the checkout
    CORPUS = next((p / "shared" / "recorded-api" for p in Path(__file__).resolve().parents
                   if (p / "shared" / "recorded-api").is_dir()), None)
MESSAGES = [CORPUS / r["body_file"] for r in json.loads((CORPUS / "manifest.json").read_text())
            if r["kind"] == "message"] if CORPUS is not None else []


def plain(renderable) -> str:
    console = Console(width=160, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


@pytest.mark.skipif(not MESSAGES, reason="no recorded corpus next to the checkout")
@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.stem)
def test_every_recorded_block_is_shown(path: Path) -> None:
    message = json.loads(path.read_text())
    lay = layout(message["content"], stop_reason=message.get("stop_reason"),
                 stop_details=message.get("stop_details"))
    text = plain(message_group(message))
    kinds = {b["type"] for b in message["content"]}
    shown = {p.block_type for p in lay.parts} | ({"text"} if any(
        p.kind == "markdown" for p in lay.parts) else set())
    results = {k for k in kinds if k.endswith("_tool_result")}
    assert kinds - results <= shown  # results are drawn in their call's fold
    if message.get("stop_reason") == "pause_turn":
        assert "Paused" in text


def test_unknown_blocks_are_shown_raw_and_text_is_not_markup() -> None:
    content = [{"type": "hologram", "beam": "[bold]x[/bold]"},
               {"type": "text", "text": "a\x1b[31mred"}]
    text = plain(message_group({"content": content}))
    assert "hologram (shown raw" in text and '"beam": "[bold]x[/bold]"' in text
    assert "\x1b" not in text


def test_citations_are_numbered_once_per_source() -> None:
    cite = {"type": "char_location", "cited_text": "A. ", "document_index": 0,
            "document_title": "d.txt", "start_char_index": 0, "end_char_index": 3}
    content = [{"type": "text", "text": "x", "citations": [cite]},
               {"type": "text", "text": " y", "citations": [cite]}]
    lay = layout(content)
    assert lay.parts[0].markdown == "x[1] y[1]" and len(lay.sources) == 1
    assert "“A.” — d.txt, characters 0–3" in plain(message_group({"content": content}))


def test_refusal_and_redacted_thinking() -> None:
    text = plain(message_group({
        "content": [{"type": "redacted_thinking", "data": "abc"}],
        "stop_reason": "refusal",
        "stop_details": {"type": "refusal", "category": "cyber", "explanation": "No."}}))
    assert "[redacted thinking: 3 encrypted characters, sent back unchanged]" in text
    assert "Refused (stop_reason refusal) · category cyber" in text and "No." in text
