"""XLSForm workbooks written as markdown tables, for tests and for the built-in templates' sources.

The layout is pyxform's own test convention: a row whose first cell names a sheet starts that
sheet; the rows after it leave the first cell empty and hold the sheet's header and rows::

    | survey   |               |            |                     |
    |          | type          | name       | label::English (en) |
    |          | select_one yn | box_sealed | Ballot box sealed?  |
    | choices  |               |            |                     |
    |          | list_name     | name       | label::English (en) |
    |          | yn            | yes        | Yes                 |

A literal ``|`` inside a cell is written ``\\|``.

Run as ``python -m forms.tables DIR`` to rebuild every ``DIR/*.md`` into ``DIR/*.xlsx``.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import openpyxl

from forms.files import write_atomically

_SPLIT = re.compile(r"(?<!\\)\|")


def parse_markdown(text: str) -> dict[str, list[list[str]]]:
    """Sheets of a markdown XLSForm: ``{"survey": [header, row, …], …}`` with cells as strings."""
    sheets: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip().replace("\\|", "|") for c in _SPLIT.split(line)[1:-1]]
        if cells and all(re.fullmatch(r":?-+:?", c) for c in cells if c):
            continue  # a markdown separator row (| --- | --- |)
        if cells and cells[0]:
            current = sheets.setdefault(cells[0], [])
            continue
        if current is None:
            raise ValueError(f"line {lineno}: a table row comes before any sheet name")
        current.append(cells[1:])
    for rows in sheets.values():
        width = max((len(r) for r in rows), default=0)
        # Trailing empty columns come from ragged tables; drop them so headers stay clean.
        while width and all(len(r) < width or not r[width - 1] for r in rows):
            width -= 1
        for r in rows:
            del r[width:]
            r.extend([""] * (width - len(r)))
    return sheets


def workbook_bytes(text: str) -> bytes:
    """The ``.xlsx`` workbook described by markdown ``text``."""
    wb = openpyxl.Workbook()
    default = wb.active
    for name, rows in parse_markdown(text).items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    if default is not None:
        wb.remove(default)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value: str) -> str | None:
    # Everything stays text, as XLSForm authors type it: "0" in a default is a string.
    return value if value != "" else None


def write_workbook(text: str, path: Path) -> Path:
    """Write the workbook for markdown ``text`` to ``path`` atomically."""
    return write_atomically(path, workbook_bytes(text))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m forms.tables DIR", file=sys.stderr)
        return 2
    folder = Path(args[0])
    for source in sorted(folder.glob("*.md")):
        target = write_workbook(source.read_text(encoding="utf-8"), source.with_suffix(".xlsx"))
        print(f"{source} -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
