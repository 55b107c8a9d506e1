"""How a reply streams: settled Markdown blocks drawn once, the block being written redrawn in
a fixed-height area (no screen relayout per draw), one widget per reply once finished."""

from __future__ import annotations

from textual.widgets import Static

from tests.ui.conftest import wait_until
from workbench.ui.widgets.reply_view import split_settled


def settled(text: str) -> str:
    return text[:split_settled(text)]


def test_split_settled_at_blank_lines_outside_fences() -> None:
    assert settled("Para one.\n\nPara two") == "Para one.\n\n"
    assert settled("Para one.\n\nPara two\n\nThree is being wr") == "Para one.\n\nPara two\n\n"
    assert settled("Still the first paragraph\nsecond line\n") == ""
    # a blank line inside a code fence does not end a block; the fence's end does
    code = "Intro.\n\n```py\nx = 1\n\ny = 2\n"
    assert settled(code) == "Intro.\n\n"
    assert settled(code + "```\n\nAfter\n") == code + "```\n\n"
    # an indented line after a blank one continues the list item above: no cut there
    assert settled("- a\n\n  more of a\n") == ""
    assert settled("- a\n\n  more of a\n\n- b\n") == "- a\n\n  more of a\n\n"
    # an unfinished last line: a new block, unless it may still become a fence or indent
    assert settled("# Title\n\nPa") == "# Title\n\n"
    assert settled("# Title\n\n``") == ""
    assert settled("- a\n\n ") == ""


async def test_streaming_reply_settles_blocks_and_collapses_at_the_end(make_app,
                                                                        make_emulator) -> None:
    paced = make_emulator(tokens_per_second=120)
    app = make_app(paced)
    async with app.run_test(size=(140, 42)) as pilot:
        compose = app.screen
        await wait_until(pilot, lambda: compose.settled)
        compose.turn_list.editors[0].area.text = "Write a long essay about the history of bridges"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: bool(compose.session.replies))
        reply = compose.session.replies[0]
        await wait_until(pilot, lambda: bool(reply.query(".reply-settled")), timeout=15)
        live = reply.query_one(".reply-live", Static)
        # the block being written has a fixed height with room to grow, and fits in it
        assert live.styles.height is not None and live.styles.height.cells
        assert live.styles.height.cells >= len(reply._lines(live.content))
        # settled blocks hold the start of the reply's text, as Markdown drawn once
        first = reply.query(".reply-settled").first(Static).content
        assert first.markup.split()[0] in reply.text
        await pilot.press("escape")  # cancelled: collapsed like a finished reply, text kept
        await wait_until(pilot, lambda: not compose.session.running)
        await pilot.pause(0.1)
        assert reply.status == "cancelled" and reply.text
        # finished: the head, text and stats in a single widget
        assert not reply.query(".reply-settled") and not reply.query(".reply-live")
        assert len(reply.query(".reply-body")) == 1 and len(reply.children) == 1
