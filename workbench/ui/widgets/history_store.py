"""The panes' access to the store (`workbench.services.store.Store`), opened by the app.

`MiniStore` is the name the first release used for the same store; kept as an alias.
"""

from __future__ import annotations

from typing import Any

from workbench.services.store import Store

MiniStore = Store


async def pane_store(app: Any) -> Any:
    """The app's store once open (None when the database could not be opened)."""
    return await app.wait_store()
