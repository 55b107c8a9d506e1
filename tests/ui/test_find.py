"""Find in place (issue 13, item 6): `/` or ctrl+f docks a find bar at the bottom of the pane
searched; the text stays where the user was reading, every match is marked (the current one
stronger), the bar says "k of n", enter / shift+enter (n / N in the text) step and wrap, esc
closes with the focus and the scroll position kept. Reply, transcript, inspector, code view,
an editor and the notices log; pictures at 120x36 and 80x24."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Static

from tests.ui.conftest import wait_until
from workbench.ui.widgets.find_bar import FindBar
from workbench.ui.widgets.find_marks import LIMIT, AreaUnit, MarkedLines, StaticUnit

SIZES = {"120x36": (120, 36), "80x24": (80, 24)}
CITIES = ["Oslo", "Bergen", "Tromsø"]
REPLY = "\n\n".join(
    f"Day {i}: the weather in {CITIES[i % 3]} is mild; the ferry to Oslo leaves at {8 + i}:00."
    for i in range(1, 13)) + "\n\nLiteral markup stays text: [bold]x[/] and [red]y[/red].\n"


@pytest.fixture(autouse=True)
def fresh_find():
    """The last search is offered again by design: each test starts with none."""
    FindBar.last_query = ""
    yield
    FindBar.last_query = ""


async def ready(app, pilot):
    screen = app.screen
    await wait_until(pilot, lambda: screen.settled)
    return screen


async def with_reply(app, pilot, text: str = REPLY, number: int = 1):
    screen = app.screen
    reply = screen.transcript.add_reply("claude-sonnet-5-5", number)
    reply.add_text(text)
    await wait_until(pilot, lambda: reply.is_mounted)
    await reply.finish("complete")
    await wait_until(pilot, lambda: reply.query(".reply-body"))
    return reply


async def open_bar(pilot, view_key: str = "slash") -> FindBar:
    await pilot.press(view_key)
    screen = pilot.app.screen
    await wait_until(pilot, lambda: bool(screen.query(FindBar)))
    bar = screen.query_one(FindBar)
    await wait_until(pilot, lambda: bar.has_focus_within)
    return bar


async def find(pilot, bar: FindBar, query: str) -> None:
    bar.field.value = ""
    await pilot.press(*query)
    await wait_until(pilot, lambda: bar.field.value == query)
    await pilot.pause(0.05)


def count(bar: FindBar) -> str:
    return str(bar.query_one("#find-count", Static).render())


def runs(bar: FindBar) -> tuple[list[str], list[str]]:
    """The marked texts as drawn: (soft ones, the strong one(s)), read from the rendered
    segments' styles (Statics: two matches side by side read as one) or the styled lines
    (TextAreas)."""
    soft = bar.get_component_rich_style("find--match", partial=True)
    strong = bar.get_component_rich_style("find--current", partial=True)
    found: dict[str, list[str]] = {"soft": [], "strong": []}
    for unit in bar.units.values():
        if isinstance(unit, StaticUnit) and unit.overlay is not None:
            rows = [[(seg.text, seg.style) for seg in unit.overlay.render_line(y)]
                    for y in range(len(unit.overlay.strips))]
        elif isinstance(unit, AreaUnit):  # each span is one match
            for y in range(unit.widget.document.line_count):
                line = unit.widget.get_line(y)
                for span in line.spans:
                    kind = ("strong" if span.style.bgcolor == strong.bgcolor
                            else "soft" if span.style.bgcolor == soft.bgcolor else None)
                    if kind:
                        found[kind].append(line.plain[span.start:span.end])
            continue
        else:
            continue
        for row in rows:
            kind, text = None, ""
            for piece, style in row:
                now = ("strong" if style is not None and style.bgcolor == strong.bgcolor
                       else "soft" if style is not None and style.bgcolor == soft.bgcolor
                       else None)
                if now != kind and kind is not None:
                    found[kind].append(text)
                    text = ""
                kind = now
                text = text + piece if now else ""
            if kind is not None:
                found[kind].append(text)
    return found["soft"], found["strong"]


# --- the reply / the transcript --------------------------------------------------------------------
async def test_every_match_is_marked_in_place_and_the_current_one_is_distinct(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(app, pilot)
        await with_reply(app, pilot)
        await pilot.press("alt+v")
        screen.transcript.scroll_home(animate=False)
        await pilot.pause(0.05)
        body = screen.transcript.query_one(".reply-body")
        where = body.region
        bar = await open_bar(pilot)
        assert bar.parent is screen.transcript and bar.styles.dock == "bottom"
        await find(pilot, bar, "oslo")
        await wait_until(pilot, lambda: count(bar) == "1 of 16")
        soft, strong = runs(bar)
        assert strong == ["Oslo"] and len(soft) == 15 and set(soft) == {"Oslo"}
        overlay = screen.transcript.query_one(MarkedLines)  # over the reply, in its very box
        assert overlay.region == where and body.region == where
        first = bar.current
        await pilot.press("enter")
        await wait_until(pilot, lambda: count(bar) == "2 of 16")
        assert bar.current == first + 1
        soft, strong = runs(bar)
        assert strong == ["Oslo"] and len(soft) == 15


async def test_enter_and_shift_enter_wrap_and_no_match_is_said(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(app, pilot)
        await with_reply(app, pilot)
        await pilot.press("alt+v")
        screen.transcript.scroll_home(animate=False)
        await wait_until(pilot, lambda: screen.transcript.scroll_y == 0)
        bar = await open_bar(pilot)
        await find(pilot, bar, "bergen")
        await wait_until(pilot, lambda: count(bar) == "1 of 4")
        await pilot.press("shift+enter")
        await wait_until(pilot, lambda: count(bar) == "4 of 4")
        await pilot.press("enter")
        await wait_until(pilot, lambda: count(bar) == "1 of 4")
        await pilot.press("up")
        await wait_until(pilot, lambda: count(bar) == "4 of 4")
        await pilot.press("down", "ctrl+n")
        await wait_until(pilot, lambda: count(bar) == "2 of 4")
        await pilot.press("up")
        await wait_until(pilot, lambda: count(bar) == "1 of 4")
        await find(pilot, bar, "zebra")
        await wait_until(pilot, lambda: count(bar) == "no match")
        assert runs(bar) == ([], []) and bar.query_one("#find-count").has_class("-none")


async def test_markup_like_text_is_found_as_written(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await with_reply(app, pilot)
        await pilot.press("alt+v")
        bar = await open_bar(pilot)
        await find(pilot, bar, "[bold]x[/]")
        await wait_until(pilot, lambda: count(bar) == "1 of 1")
        assert runs(bar) == ([], ["[bold]x[/]"])
        await find(pilot, bar, "[RED]Y")  # case-insensitive by default; alt+c matches case
        await wait_until(pilot, lambda: count(bar) == "1 of 1")
        await pilot.press("alt+c")
        await wait_until(pilot, lambda: count(bar) == "no match")
        await pilot.press("alt+c")
        await wait_until(pilot, lambda: count(bar) == "1 of 1")


async def test_closing_gives_back_the_focus_and_keeps_the_place(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(app, pilot)
        await with_reply(app, pilot, REPLY * 4)
        await pilot.press("alt+v")
        transcript = screen.transcript
        transcript.scroll_home(animate=False)
        await wait_until(pilot, lambda: transcript.scroll_y == 0)
        bar = await open_bar(pilot)
        await find(pilot, bar, "tromsø")
        await wait_until(pilot, lambda: count(bar) == "1 of 16")
        assert transcript.scroll_y == 0  # on screen already: nothing moved
        await pilot.press("shift+enter")  # the last one, far below: scrolled to
        await wait_until(pilot, lambda: count(bar) == "16 of 16" and transcript.scroll_y > 0)
        await pilot.pause(0.1)
        unit, start, end = bar.matches[bar.current]
        row = unit.lines.pieces(start, end)[0][0]
        viewport = transcript.scrollable_content_region
        assert viewport.y <= unit.screen_y(row) < viewport.bottom - 2  # above the bar
        place = transcript.scroll_y
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.query(FindBar))
        await wait_until(pilot, lambda: not screen.query(MarkedLines))
        assert screen.focused is transcript
        await pilot.pause(0.1)
        # where it was, but for the bar's rows given back at the very end of the text
        assert transcript.scroll_y == min(place, transcript.max_scroll_y)
        assert place - transcript.scroll_y <= bar.outer_size.height


async def test_in_the_text_n_and_shift_n_step_and_esc_closes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(app, pilot)
        await with_reply(app, pilot)
        await with_reply(app, pilot, "A second reply about Oslo.", number=2)
        await pilot.press("alt+v")
        screen.transcript.scroll_home(animate=False)
        bar = await open_bar(pilot)
        await find(pilot, bar, "oslo")
        await wait_until(pilot, lambda: count(bar) == "1 of 17")  # both replies
        await pilot.press("tab")
        await wait_until(pilot, lambda: screen.focused is screen.transcript)
        await pilot.press("n")
        await wait_until(pilot, lambda: count(bar) == "2 of 17")
        await pilot.press("N")
        await wait_until(pilot, lambda: count(bar) == "1 of 17")
        await pilot.press("slash")  # back to the field, the same bar
        await wait_until(pilot, lambda: bar.field.has_focus)
        assert len(screen.query(FindBar)) == 1
        await pilot.press("tab", "escape")
        await wait_until(pilot, lambda: not screen.query(FindBar))
        assert screen.focused is screen.transcript


async def test_a_long_reply_marks_the_first_ten_thousand_and_says_so(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        await with_reply(app, pilot, "ab " * 12_000)
        await pilot.press("alt+v")
        bar = await open_bar(pilot)
        await find(pilot, bar, "ab")
        await wait_until(pilot, lambda: count(bar) == f"1 of {LIMIT:,}+")
        assert len(bar.matches) == LIMIT
        assert f"only the first {LIMIT:,} are marked" in str(bar.query_one("#find-keys").render())
        started = time.perf_counter()
        await pilot.press("enter")
        await wait_until(pilot, lambda: count(bar) == f"2 of {LIMIT:,}+")
        assert time.perf_counter() - started < 3  # a screenful is drawn, not the reply


# --- the inspector, a code view, an editor, the notices log ------------------------------------
async def test_find_in_the_inspector_marks_the_tab_text(make_app) -> None:
    from workbench.ui.screens.compose_modals import InspectorScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await ready(app, pilot)
        compose.turn_list.editors[0].area.focus()
        await pilot.press(*"Tell me about lighthouses")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: compose.session.last_result is not None
                         and not compose.session.running)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, InspectorScreen))
        inspector = app.screen
        inspector.query_one("TextArea").focus()
        bar = await open_bar(pilot)
        assert bar.parent.id == "tab-request"
        await find(pilot, bar, "lighthouses")
        await wait_until(pilot, lambda: count(bar).endswith("of 1"))
        assert runs(bar) == ([], ["lighthouses"])
        await find(pilot, bar, "content")  # the header and the body
        await wait_until(pilot, lambda: len(bar.matches) >= 2)
        soft, strong = runs(bar)
        assert [s.lower() for s in strong] == ["content"]
        assert len(soft) == len(bar.matches) - 1
        await pilot.press("escape")  # closes find, not the inspector
        await wait_until(pilot, lambda: not inspector.query(FindBar))
        assert app.screen is inspector and runs(bar) == ([], [])
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is compose)


async def test_find_in_the_code_view(emulator_url) -> None:
    from tests.ui.test_export import make_app as export_app
    from tests.ui.test_export import open_export

    app = export_app(emulator_url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_export(app, pilot)
        view = screen.query_one("#code")
        view.focus()
        bar = await open_bar(pilot)
        assert bar.parent is view
        await find(pilot, bar, "claude-haiku-5-5")
        await wait_until(pilot, lambda: count(bar) == "1 of 1")
        assert runs(bar) == ([], ["claude-haiku-5-5"])
        await find(pilot, bar, "anthropic")
        await wait_until(pilot, lambda: len(bar.matches) > 1)
        soft, strong = runs(bar)
        assert len(strong) == 1 and strong[0].lower() == "anthropic"
        assert len(soft) == len(bar.matches) - 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.query(FindBar))
        assert screen.focused is view and not screen.query(MarkedLines)


async def find_in_a_turn(app, pilot, text: str, query: str):
    """Type `text` into the first turn, ctrl+f, search `query`: (composer, turn area, bar)."""
    compose = await ready(app, pilot)
    area = compose.turn_list.editors[0].area
    area.focus()
    await pilot.press(*text)
    await pilot.press("ctrl+f")
    bar = await wait_for_bar(pilot)
    await find(pilot, bar, query)
    return compose, area, bar


async def test_find_in_a_turn_marks_it_and_leaves_the_cursor_on_the_match(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose, area, bar = await find_in_a_turn(app, pilot, "apple pie, apple tart, APPLE cake",
                                                  "apple")
        assert bar.parent is compose.editor
        await wait_until(pilot, lambda: count(bar) == "1 of 3")
        soft, strong = runs(bar)
        assert strong == ["apple"] and sorted(soft) == ["APPLE", "apple"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: count(bar) == "2 of 3")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not compose.query(FindBar))
        assert compose.focused is area and area.cursor_location == (0, 11)
        assert runs(bar) == ([], [])


async def wait_for_bar(pilot) -> FindBar:
    screen = pilot.app.screen
    await wait_until(pilot, lambda: bool(screen.query(FindBar)))
    return screen.query_one(FindBar)


async def test_find_in_the_notices_log(make_app) -> None:
    from workbench.ui.screens.notices import NoticesScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(app, pilot)
        for word in ("first", "second", "third"):
            app.notify(f"the {word} notice about [b]markup[/b]", markup=False)
        await pilot.press("alt+n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoticesScreen))
        notices = app.screen
        bar = await open_bar(pilot)
        await find(pilot, bar, "[b]markup[/b]")
        await wait_until(pilot, lambda: count(bar) == "1 of 3")
        soft, strong = runs(bar)
        assert strong == ["[b]markup[/b]"] and len(soft) == 2
        await pilot.press("escape")
        await wait_until(pilot, lambda: not notices.query(FindBar))
        assert app.screen is notices


# --- pictures ------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
def test_find_over_a_reply(snap_compare, make_app, size) -> None:
    async def before(pilot) -> None:
        app = pilot.app
        screen = await ready(app, pilot)
        await with_reply(app, pilot)
        await pilot.press("alt+v")
        screen.transcript.scroll_home(animate=False)
        bar = await open_bar(pilot)
        await find(pilot, bar, "oslo")
        await wait_until(pilot, lambda: count(bar).endswith("of 16"))
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: count(bar).startswith("3 of"))
        app._set_status("default · api.example")
        app._show_costs("$0.0123 session · $0.4500 today")
        await pilot.pause(0.2)

    assert snap_compare(make_app(), terminal_size=SIZES[size], run_before=before)


async def test_a_wider_pane_is_drawn_and_searched_again(make_app) -> None:
    """alt+m with find open: the reply wraps anew, and so do the marks over it."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await ready(app, pilot)
        await with_reply(app, pilot)
        await pilot.press("alt+v")
        bar = await open_bar(pilot)
        await find(pilot, bar, "oslo")
        await wait_until(pilot, lambda: count(bar).endswith("of 16"))
        narrow = screen.transcript.query_one(MarkedLines).region.width
        await pilot.press("alt+m")
        await wait_until(pilot, lambda: screen.maximized is not None)
        body = screen.transcript.query_one(".reply-body")
        await wait_until(pilot, lambda: [o.region for o in screen.transcript.query(MarkedLines)]
                         == [body.region] and body.region.width > narrow)
        await wait_until(pilot, lambda: count(bar).endswith("of 16"))
        soft, strong = runs(bar)
        assert strong == ["Oslo"] and len(soft) == 15


async def test_marks_in_a_turn_are_on_screen_at_once(make_app) -> None:
    """The marks are drawn when the query is typed, not at the next repaint for another
    reason (a TextArea keeps its drawn lines until told to redraw)."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        _, _, bar = await find_in_a_turn(app, pilot, "the cat sat on the mat", "at")
        await wait_until(pilot, lambda: count(bar) == "1 of 3")
        strong = bar.get_component_rich_style("find--current", partial=True)
        colour = strong.bgcolor.get_truecolor().hex.lower()
        await wait_until(pilot, lambda: colour in app.export_screenshot().lower())


async def test_the_composer_keys_work_from_the_find_field(make_app) -> None:
    """alt+m and alt+p from the field run their bindings, as a terminal sends them (ESC m:
    Textual's key alt+m with the character "m"), instead of typing a letter; `/` is typed."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        compose = await ready(app, pilot)
        await with_reply(app, pilot)
        await pilot.press("alt+v")
        bar = await open_bar(pilot)
        await find(pilot, bar, "a/b")
        field = bar.field
        field.post_message(events.Key("alt+m", "m"))
        await wait_until(pilot, lambda: compose.maximized is not None)
        field.post_message(events.Key("alt+p", "p"))
        await wait_until(pilot, lambda: compose.side.is_open)
        assert field.value == "a/b"
