"""The Files pane's table: its columns (narrower in an 80-column terminal) and cells."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from workbench.ui.widgets import files_data as fd
from workbench.ui.widgets.flex_table import FlexTable, cell


class FilesTable(FlexTable):
    """The files; more load as the cursor nears the end. The name gives way (cut with …, the
    detail panel shows it whole) so size, date and download stay whole beside the panel."""

    HELP = """
## Files
Files stored with the Files API, newest first. **Enter** or **a** attaches the highlighted
file to the composer's current turn (PDF / plain text as a document, JPEG / PNG / GIF / WebP as
an image). **u** uploads, **s** saves (downloads) it to disk (only files made by tools or
skills), **d** deletes (after a confirm). **1**-**4** sort by name, type, size or date (again
reverses), **/** filters by name, **escape** clears, **ctrl+r** refreshes.
"""

    _download = True

    def set_columns(self, sort: tuple[int, bool] | None, narrow: bool) -> None:
        """The columns, the sorted one marked ▲/▼; all of them fit in 80 columns too (the
        detail panel then sits under the table). Wide, the panel beside says whether a file
        can be downloaded: that column makes room for the name."""
        self.clear(columns=True)
        widths = {"mime_type": 14, "size_bytes": 9} if narrow else {"mime_type": 16,
                                                                     "size_bytes": 10}
        for i, (key, label) in enumerate(fd.SORTS):
            if sort and sort[0] == i:
                label += " ▼" if sort[1] else " ▲"
            if key == "filename":
                self.add_column(label, key=key)  # the width left: see flex
            else:
                self.add_column(label, key=key, width=widths.get(key, 16))
        self._download = narrow
        if narrow:
            self.add_column("Download", key="downloadable", width=8)
        self.flex(filename=12)

    def cells(self, f: dict[str, Any]) -> tuple[Any, ...]:
        """A file's cells for the columns shown."""
        cells = (cell(f.get("filename")), cell(f.get("mime_type")),
                 Text(fd.human_size(f.get("size_bytes")), justify="right"),
                 fd.when(f.get("created_at")))
        if not self._download:
            return cells
        return (*cells,
                Text("yes", style="green") if f.get("downloadable") else Text("no", style="dim"))
