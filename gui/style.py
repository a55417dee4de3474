"""Style sheets that more than one window uses, so that the lists look alike everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# The navigation list of the main window and the sections list of a report.
LIST_STYLE = "QListWidget::item { padding: 4px 6px; }"


def larger_font(widget: QWidget, scale: float, *, bold: bool = False) -> str:
    """Style-sheet declarations for ``widget``'s own font ``scale`` times as large (and bold).

    What ``font = widget.font()``, ``font.setPointSizeF(font.pointSizeF() * scale)`` and
    ``widget.setFont(font)`` do, without a QFont reaching Python: PySide6 builds QFont's enums
    (~80 members, slowly) the first time one does, and the first screen needs no other.
    """
    size = widget.fontInfo().pointSizeF() * scale
    return f"font-size: {size!r}pt;" + (" font-weight: bold;" if bold else "")


# Label settings through Qt's property system, with Qt's own values (tests/gui/test_app.py
# checks them): a QLabel made at start-up then names no Qt enum, which would make PySide6 build
# the whole Qt namespace (94 enums, ~20 ms) before the window is up.
def plain_text(label: QWidget) -> None:
    """``label.setTextFormat(Qt.TextFormat.PlainText)``: text that is never read as markup."""
    label.setProperty("textFormat", 0)


def rich_text(label: QWidget) -> None:
    """``label.setTextFormat(Qt.TextFormat.RichText)``."""
    label.setProperty("textFormat", 1)


def selectable(label: QWidget) -> None:
    """``label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)``."""
    label.setProperty("textInteractionFlags", 1)
