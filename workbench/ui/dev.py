"""For `textual run --dev workbench.ui.dev`: the app with the user's settings, in demo mode.

`textual run` takes an App instance (or a class it calls without arguments), not a factory, so
this module builds one when imported; nothing else imports it. `--dev` reloads the `.tcss`
files (the app's and each screen's `CSS_PATH`) as they are saved and connects to
`textual console`. Demo mode: the built-in emulator, no key needed, nothing billed.
"""

from __future__ import annotations

from workbench.ui.app import WorkbenchApp


def make_app(demo: bool = True) -> WorkbenchApp:
    """The app as `workbench [--demo]` makes it: settings from the user's config file."""
    from workbench import config

    settings = config.load()
    settings.demo = demo
    return WorkbenchApp(settings=settings)


app = make_app()
