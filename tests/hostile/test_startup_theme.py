"""An unknown theme (a typo in --theme, or a user theme file deleted after it was chosen) falls
back to the default with a notice, even when its name is markup."""

from __future__ import annotations

from tests.ui.conftest import wait_until


async def test_unknown_theme_falls_back_with_a_notice(make_app) -> None:
    app = make_app(theme="deleted-theme[/]\x1b]0;t\x07")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: any("not found" in n.message
                                            for n in app._notifications))
        assert app.theme == "workbench-warm" and app.is_running
        notice = next(n.message for n in app._notifications if "not found" in n.message)
        assert "deleted-theme[/]" in notice and "\x1b" not in notice
