"""Highlighted, scrollable code (rich Syntax: no tree-sitter needed) and the bridge to
`workbench.services.export`, so the export screen stays about layout and keys."""

from __future__ import annotations

from typing import Any

from rich.syntax import Syntax
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.ui.plain import plain
from workbench.ui.widgets.find_bar import FindKeys, find_keys

# tab id -> (label, services.export format name, pygments lexer, file suffix)
FORMATS: dict[str, tuple[str, str, str, str]] = {
    "curl": ("curl", "curl", "bash", ".sh"),
    "python": ("Python", "python", "python", ".py"),
    "typescript": ("TypeScript", "typescript", "typescript", ".ts"),
}


def generate(fmt: str, body: dict[str, Any], *, stream: bool, base_url: str | None,
             api_version: str, betas: list[str] | tuple[str, ...] = (),
             platform: Any = None) -> str:
    """Code for `body` in `fmt`; the key is always read from ANTHROPIC_API_KEY by the code
    (or, for a cloud `platform`, from that platform's own credentials)."""
    from workbench.services import export

    return export.export_code(
        body, fmt, stream=stream, base_url=base_url, api_version=api_version, betas=list(betas),
        platform=platform,
    )


class CodeView(FindKeys, VerticalScroll, can_focus=True):
    """Read-only code with syntax highlighting; keeps the plain text for copy and save.
    `/` or ctrl+f finds in it (`screens/find.py`)."""

    BINDINGS = [Binding("slash,ctrl+f", "find", "Find", id="code.find", show=False),
                *find_keys("code")]

    def action_find(self) -> None:
        from workbench.ui.screens.find import open_find

        open_find(self, "the code", lambda: [self.query_one("#code-text")], view=self)

    HELP = """
## Code
The request as code. `c` copies it (OSC 52, works over SSH), `w` saves it to a file,
`s` toggles streaming, `1`/`2`/`3` switch between curl, Python and TypeScript.
The code reads the key from `ANTHROPIC_API_KEY`; it never contains your key.
"""

    DEFAULT_CSS = """
    CodeView { background: $surface; height: 1fr; padding: 0 1; }
    CodeView > Static { width: auto; }
    CodeView.-error > Static { color: $error; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.code = ""
        self.lexer = "text"

    def compose(self):
        yield Static(id="code-text")

    def show(self, code: str, lexer: str) -> None:
        if (bar := self.find_bar()) is not None:  # its marks are for the code shown until now
            bar.drop()
        self.code, self.lexer = code, lexer
        self.remove_class("-error")
        self.query_one("#code-text", Static).update(
            Syntax(code, lexer, theme="ansi_dark", line_numbers=True, word_wrap=False)
        )

    def show_error(self, text: str) -> None:
        self.code = ""
        self.add_class("-error")
        self.query_one("#code-text", Static).update(plain(text))
