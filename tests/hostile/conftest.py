"""The hostile-input suite reuses the UI fixtures (an app wired to the emulator)."""

import pytest

from tests.ui.conftest import anyio_backend, make_app, no_cursor_blink  # noqa: F401


@pytest.fixture
def own_emulator(make_emulator) -> str:
    """A fresh emulator: lists hold only what the test puts there."""
    return make_emulator(tokens_per_second=None)
