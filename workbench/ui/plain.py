"""Text that did not come from us, made safe to show (the rule is in workbench.safe_text).

Widgets take it as Content/Text objects, never as markup strings; notices go through the App's
`notify` (`DataNotices`), which cleans and scrubs every message whoever sends it.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.text import Text
from textual.content import Content

from workbench.safe_text import clean


def plain(text: Any, multiline: bool = True) -> Content | Text:
    """`text` as Content: shown as it is (no markup), terminal controls removed. A Content or
    Text passes unchanged (it is not read as markup; see compat.strip_terminal_controls)."""
    if isinstance(text, Content | Text):
        return text
    return Content(clean(text, multiline))


def plain_text(text: Any, multiline: bool = False, **kwargs: Any) -> Text:
    """`text` as a Rich Text (for a DataTable cell or a Rich renderable): no markup, no controls."""
    return Text(clean(text, multiline), **kwargs)


def safe_cell(value: Any) -> Any:
    """A table cell: a string gets its markup escaped (a DataTable reads a string as Rich markup:
    `[/]` would raise, `[@click=…]` act); a Text keeps its style with its characters cleaned;
    numbers and other renderables pass."""
    if isinstance(value, str):  # stays a string (what get_row_at gives back), markup escaped
        return escape(clean(value))
    if isinstance(value, Text):
        cleaned = clean(value.plain)
        if cleaned != value.plain:
            return Text(cleaned, style=value.style, no_wrap=value.no_wrap,
                        overflow=value.overflow, end="")
    return value


def scrub_shown(app: Any, text: str) -> str:
    """`text` with any `sk-ant-…` key and the app client's own key (any shape) masked: for what
    is shown or copied from exchanges, which a server may have filled with the key."""
    from workbench.services.keys import scrub_keys

    client = getattr(app, "client", None)
    text = scrub_keys(text)
    return client.scrub(text) if client is not None else text


class DataNotices:
    """App mixin: every notice is data. Its message and title are cleaned of terminal controls,
    any API key in them is masked, and it is never read as markup: notices quote names, ids and
    error messages from servers and files, and none of ours needs markup."""

    client: Any

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        from workbench.services.keys import scrub_keys

        client = getattr(self, "client", None)

        def safe(text: str, multiline: bool) -> str:
            text = scrub_keys(clean(text, multiline))
            return client.scrub(text) if client is not None else text

        super().notify(safe(str(message), True), title=safe(str(title), False),  # type: ignore[misc]
                       severity=severity, timeout=timeout, markup=False)
