"""Safe cell text for workbooks: no formulas or links from user text, no illegal characters.

Text from reports, station lists and forms is untrusted. A string starting with ``=`` would be
stored as a live formula, and Excel turns a cell typed as ``+…``, ``-…`` or ``@…`` into one when
it is edited; so such text is written as a string cell with Excel's quote prefix (the ``'`` a
user would type). Control characters (from text pasted out of Word) make openpyxl fail and are
removed; text over Excel's limit of 32,767 characters per cell is cut with a marker.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_CELL = 32_767
# The control characters openpyxl refuses (as its ILLEGAL_CHARACTERS_RE), and lone surrogates,
# which cannot be written as UTF-8.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cut_marker(total: int) -> str:
    """What ends a cell whose text was cut: says how long the whole text was."""
    return f" … [cut: {total:,} characters in all; see the mission file]"


def clean_text(text: str, limit: int = MAX_CELL) -> str:
    """``text`` without illegal characters and no longer than ``limit`` (cut with a marker)."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if len(text) > limit:
        marker = cut_marker(len(text))
        text = text[: limit - len(marker)] + marker
    return text


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (or a link) if typed in."""
    return text.startswith(_FORMULA_START)


class SafeCells:
    """Turns values into what one write-only worksheet may safely hold.

    Plain values go through as they are (fast); text that looks like a formula becomes a
    string cell with the quote prefix.
    """

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws

    def text(self, value: str) -> Any:
        value = clean_text(value)
        if value.startswith(_FORMULA_START):
            cell = WriteOnlyCell(self.ws, value)
            cell.data_type = "s"  # never a formula, whatever openpyxl guessed from '='
            cell.quotePrefix = True
            return cell
        return value

    def row(self, values: list[Any]) -> list[Any]:
        """``values`` with every string made safe (other values unchanged)."""
        text = self.text
        return [text(v) if v.__class__ is str else v for v in values]
