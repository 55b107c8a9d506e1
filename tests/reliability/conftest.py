"""The UI tests' fixtures, for the Pilot tests here (an app pointed at a hostile server)."""

from tests.ui.conftest import make_app, no_cursor_blink  # noqa: F401
