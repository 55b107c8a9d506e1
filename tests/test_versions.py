"""Which fields each anthropic-version accepts."""

from __future__ import annotations

from workbench.api.versions import strip_for_version, version_problems


def test_classic_version_accepts_sampling() -> None:
    assert version_problems({"temperature": 0.5, "messages": []}, "2023-06-01") == []


def test_2026_rejects_sampling_document_in_assistant_and_user_citations() -> None:
    body = {
        "temperature": 1.0, "top_p": 0.9,
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "x", "citations": [{"type": "char_location"}]}]},
            {"role": "assistant", "content": [{"type": "document", "source": {"type": "text", "data": "d"}}]},
        ],
    }
    problems = version_problems(body, "2026-10-21")
    assert any("temperature" in p for p in problems)
    assert any("top_p" in p for p in problems)
    assert any("messages.0" in p and "citations" in p for p in problems)
    assert any("messages.1" in p and "document" in p for p in problems)
    assert "temperature" not in strip_for_version(body, "2026-10-21")


def test_unknown_version() -> None:
    assert "unknown anthropic-version" in version_problems({}, "2020-01-01")[0]
