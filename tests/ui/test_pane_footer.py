"""PaneFooter's fitting rule: wide style if all fits, then compact, then shorter descriptions,
then whole keys left out (the spare ones first), never a key cut in the middle."""

from __future__ import annotations

from textual.binding import Binding

from workbench.ui.widgets.pane_footer import _Key, fit


def key(display: str, full: str, short: str | None = None, spare: bool = False) -> _Key:
    return _Key(Binding(display, "x", full), display, True, "", spare, full, short or full)


KEYS = [key("^r", "Run"), key("alt+a", "Append reply", "Append"), key("f1", "Help"),
        key("^s", "Save prompt", "Save", spare=True), key("alt+x", "Code", spare=True)]


def width(keys: list[_Key], compact: bool, shown: list[int], short: set[int]) -> int:
    return sum(keys[i].width(compact, i in short) for i in shown)


def test_wide_style_when_everything_fits() -> None:
    room = sum(k.width(False, False) for k in KEYS)
    assert fit(KEYS, room, room, wide_ok=True) == (False, [0, 1, 2, 3, 4], set())
    # asked for compact (below NARROW): compact even with room
    assert fit(KEYS, room, room, wide_ok=False)[0] is True


def test_shorter_descriptions_before_leaving_keys_out() -> None:
    full = sum(k.width(True, False) for k in KEYS)
    compact, shown, short = fit(KEYS, 0, full - 1 - 7, wide_ok=True)  # 7 short of it
    assert compact and shown == [0, 1, 2, 3, 4]
    assert short == {3}  # the first keys keep their whole descriptions
    assert width(KEYS, True, shown, short) <= full - 7


def test_spare_keys_go_first_and_all_together() -> None:
    main = sum(KEYS[i].width(True, False) for i in (0, 1, 2))
    compact, shown, short = fit(KEYS, 0, main - 1 + 5, wide_ok=True)  # no room for both spares
    assert compact and shown == [0, 1, 2] and short == set()
    # 15 columns: 'alt+a Append' does not fit after '^r Run'; the shorter 'f1 Help' after it does
    compact, shown, short = fit(KEYS, 0, 14, wide_ok=True)
    assert shown == [0, 2] and width(KEYS, True, shown, short) <= 15
