"""The Files pane's table: its columns (narrower in an 80-column terminal) and cells."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from workbench.ui.widgets import files_data as fd


class FilesTable(DataTable):
    """The files; more load as the cursor nears the end."""

    HELP = """
## Files
Files stored with the Files API, newest first. **Enter** or **a** attaches the highlighted
file to the composer's current turn (PDF / plain text as a document, JPEG / PNG / GIF / WebP as
an image). **u** uploads, **s** saves (downloads) it to disk (only files made by tools or
skills), **d** deletes (after a confirm). **1**-**4** sort by name, type, size or date (again
reverses), **/** filters by name, **escape** clears, **ctrl+r** refreshes.
"""

    def set_columns(self, sort: tuple[int, bool] | None, narrow: bool) -> None:
        """Every column, the sorted one marked ▲/▼; all of them fit in 80 columns too (the
        detail panel then sits under the table)."""
        self.clear(columns=True)
        widths = ({"filename": 19, "mime_type": 14, "size_bytes": 9} if narrow
                  else {"filename": 28, "mime_type": 20, "size_bytes": 10})
        for i, (key, label) in enumerate(fd.SORTS):
            if sort and sort[0] == i:
                label += " ▼" if sort[1] else " ▲"
            self.add_column(label, key=key, width=widths.get(key, 16))
        self.add_column("Download", key="downloadable", width=8)

    @staticmethod
    def cells(f: dict[str, Any]) -> tuple[Any, ...]:
        return (f.get("filename") or "", f.get("mime_type") or "",
                Text(fd.human_size(f.get("size_bytes")), justify="right"),
                fd.when(f.get("created_at")),
                Text("yes", style="green") if f.get("downloadable") else Text("no", style="dim"))
