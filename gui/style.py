"""Style sheets that more than one window uses, so that the lists look alike everywhere."""

from __future__ import annotations

# The navigation list of the main window and the sections list of a report.
LIST_STYLE = "QListWidget::item { padding: 4px 6px; }"
