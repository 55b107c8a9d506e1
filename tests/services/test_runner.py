"""RunResult figures shown after a run."""

from __future__ import annotations

from workbench.api.types import Message
from workbench.services.runner import RunResult


def _message(output_tokens: int) -> Message:
    return Message.model_validate({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
        "content": [{"type": "text", "text": "Hi there"}], "stop_reason": "end_turn",
        "stop_sequence": None, "usage": {"input_tokens": 3, "output_tokens": output_tokens}})


def test_tokens_per_second_over_the_streamed_span():
    run = RunResult(body={}, started=0.0, first_token_at=1.0, last_token_at=3.0,
                    finished_at=3.5, message=_message(100), final_usage=True)
    assert run.tokens_per_second == 50.0


def test_a_reply_in_one_delta_is_measured_to_the_end_of_the_stream():
    run = RunResult(body={}, started=0.0, first_token_at=1.0, last_token_at=1.0,
                    finished_at=1.5, message=_message(4), final_usage=True)
    assert run.tokens_per_second == 8.0


def test_no_tokens_no_rate():
    assert RunResult(body={}, started=0.0, finished_at=1.0).tokens_per_second is None
