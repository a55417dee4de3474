"""Reads the tables users bring (CSV or XLSX) into headers and numbered rows of text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from db.errors import InputError, Items, Phrase, Problem, place

__all__ = ["MAX_BYTES", "Table", "read_table"]

# Far above any station list or report export (100,000 rows of 20 columns is ~40 MB), far below
# what an old laptop can hold in memory as Python strings.
MAX_BYTES = 200 * 1024 * 1024
# A workbook is a zip: its parts can unpack to far more than the file's size (a zip bomb).
_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024

_CSV_SUFFIXES = (".csv", ".txt")
_XLSX_SUFFIXES = (".xlsx",)
_DELIMITERS = (",", ";", "\t")
# C0 control characters other than tab, LF, VT, FF, CR: text pasted from Word carries a few,
# binary files are full of them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Table:
    """A table as the user wrote it: headers and rows of stripped text.

    ``rows`` holds ``(row number, {header: text})`` pairs; the row number is the one the user
    sees in Excel or a text editor (the header is row 1, the first data row 2), and it keeps
    counting over the empty rows that are skipped. Missing cells are ``''``.
    """

    path: Path
    headers: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    encoding: str | None
    sheet: str | None

    def where(self, row: int | None = None, column: str | None = None) -> str:
        """Where something is, as problems name it: ``"x.csv, row 4, column 'number'"``."""
        return ", ".join(p.text() for p in self.place(row, column))

    def place(self, row: int | None = None, column: str | None = None) -> tuple[Phrase, ...]:
        """Where something is, part by part (see :func:`forms.messages.place`)."""
        return place(self.path.name, sheet=self.sheet, row=row, column=column or None)


def read_table(path: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """Read a ``.csv``/``.txt`` or ``.xlsx`` table.

    CSV text is decoded with ``encoding`` when given, else as UTF-8 (with or without a BOM), else
    as Windows-1251 (what Russian Excel writes); the delimiter is the one of ``,`` ``;`` and tab
    that splits the header into the most columns. XLSX cells are read as stored (formulas are
    never evaluated: their cached results are read), from the first worksheet unless ``sheet``
    names another.

    The first non-empty row is the header. Columns with no header and no data are dropped.

    Raises:
        InputError: the file is missing, too large, of another kind, unreadable, or its header or
            rows are malformed; ``problems`` lists every problem found.
    """
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    if suffix in _XLSX_SUFFIXES:
        # ``encoding`` means nothing for a workbook (cells are Unicode): it is ignored, so a
        # wizard may pass on the choice it remembers from the last CSV.
        grid, sheet_name = _read_xlsx(path, sheet)
        return _build(path, grid, encoding=None, sheet=sheet_name)
    text, used = _decode(path, encoding)
    return _build(path, _parse_csv(path, text), encoding=used, sheet=None)


# -- the file ----------------------------------------------------------------------------------


def _fail(path: Path, code: str, variant: str | None = None, /, **values: object) -> InputError:
    problem = Problem.of(code, place(path.name), variant, **values)
    return InputError(Phrase("table.file", problem=problem), [problem])


def _check_file(path: Path) -> None:
    if not path.exists():
        raise _fail(path, "T101", path=str(path))
    if not path.is_file():
        raise _fail(path, "T101", "folder")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise _fail(path, "T103")
    if suffix not in _CSV_SUFFIXES + _XLSX_SUFFIXES:
        if not path.suffix:
            raise _fail(path, "T102", "none")
        raise _fail(path, "T102", suffix=path.suffix)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _fail(path, "T104", size=size // (1024 * 1024), limit=MAX_BYTES // (1024 * 1024))


def _decode(path: Path, encoding: str | None) -> tuple[str, str]:
    data = path.read_bytes()
    _refuse_other_formats(path, data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise _fail(path, "T109", "unknown", encoding=encoding) from None
        except UnicodeDecodeError as exc:
            raise _fail(path, "T109", encoding=encoding, byte=exc.start + 1) from None
        return _check_text(path, text), encoding
    if data.startswith(_UTF8_BOM):
        candidates: Sequence[str] = ("utf-8-sig",)
    elif data.startswith(_UTF16_BOMS):
        # Excel's "Unicode Text (*.txt)" is UTF-16 with a BOM: unambiguous, so read it.
        candidates = ("utf-16",)
    elif b"\x00" in data:
        # Text in UTF-8 or cp1251 has no NUL bytes; binary files are full of them.
        raise _binary(path)
    else:
        # In this order, never a generic detector: a short cp1251 list of Russian place names
        # is guessed as cp1250 by detectors and garbled. UTF-8 fails loudly on cp1251 text.
        candidates = ("utf-8", "cp1251")
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        return _check_text(path, text), candidate
    raise _fail(path, "T105")


def _refuse_other_formats(path: Path, data: bytes) -> None:
    if data.startswith(b"PK\x03\x04"):
        raise _fail(path, "T105", "zip")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(path, "T103", "office")


def _check_text(path: Path, text: str) -> str:
    if text.startswith("\ufeff"):
        # A BOM left by an explicit 'utf-8' (or 'utf-16-le') would become part of the first header.
        text = text[1:]
    # Decoding alone cannot tell text from binary: cp1251 maps almost every byte to a letter.
    # Binary is full of NULs and control characters; a real table has none or a stray few.
    if "\x00" in text or len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise _binary(path)
    return text


def _binary(path: Path) -> InputError:
    return _fail(path, "T105", "binary")


# -- CSV ---------------------------------------------------------------------------------------


def _parse_csv(path: Path, text: str) -> list[list[str]]:
    delimiter = _sniff(text)
    # newline='' lets the csv module see line breaks inside quoted cells as they are.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        # One record per row, as Excel shows the file; a quoted cell spanning lines is one row.
        return [list(record) for record in reader]
    except csv.Error as exc:
        # Only a cell over the csv module's 128 KB limit gets here (NULs were refused before):
        # an unclosed quote swallowing the rest of the file, or not a table at all.
        raise _fail(path, "T108", line=reader.line_num, error=str(exc)) from None


def _sniff(text: str) -> str:
    """The delimiter that splits the first non-empty line into the most cells."""
    sample = text[:65536]
    best, best_count = ",", 1
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
        try:
            header = next((r for r in reader if any(c.strip() for c in r)), [])
        except csv.Error:
            continue
        # Ties keep the earlier delimiter: ',' before ';' before tab.
        if len(header) > best_count:
            best, best_count = delimiter, len(header)
    return best


# -- XLSX --------------------------------------------------------------------------------------


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[list[str]], str]:
    import openpyxl  # here, not at the top: the desktop program starts without it (0.1 s)

    with path.open("rb") as fh:
        # openpyxl is given our own file handle, so no zip handle is left open when it fails.
        try:
            with zipfile.ZipFile(fh) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            raise _not_a_workbook(path) from None
        if unpacked > _MAX_UNPACKED_BYTES:
            raise _fail(path, "T104", "unpacked", size=unpacked // (1024 * 1024))
        fh.seek(0)
        try:
            # read_only streams rows; data_only reads formulas' cached results and never
            # evaluates anything. defusedxml (a dependency) makes openpyxl refuse XML bombs.
            workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception:
            # A file someone else made: whatever openpyxl trips on is the file's fault.
            raise _not_a_workbook(path) from None
        try:
            names = [ws.title for ws in workbook.worksheets]
            if not names:
                raise _fail(path, "T107", "none")
            name = names[0] if sheet is None else sheet
            if name not in names:
                listed = Items((Phrase("quoted", text=n) for n in names), shown=None)
                raise _fail(path, "T107", sheet=sheet, sheets=listed)
            worksheet = workbook.worksheets[names.index(name)]
            # Some programs write a wrong size into the sheet; read until the rows end instead.
            worksheet.reset_dimensions()
            try:
                grid = [
                    [_cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)
                ]
            except Exception:
                raise _not_a_workbook(path) from None
        finally:
            workbook.close()
    return grid, name


def get_column_letter(index: int) -> str:
    """Excel's letters for column ``index`` (1-based): openpyxl's, imported when needed."""
    from openpyxl.utils import get_column_letter as letters

    return str(letters(index))


def _not_a_workbook(path: Path) -> InputError:
    return _fail(path, "T106")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # 15 significant digits is what Excel shows and stores: 0.1+0.2 reads '0.3'.
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


# -- headers and rows --------------------------------------------------------------------------


def _at(path: Path, sheet: str | None, row: int, index: int, header: str) -> tuple[Phrase, ...]:
    """Where a cell is; its column named by its header, or by its letter when it has none."""
    if header:
        return place(path.name, sheet=sheet, row=row, column=header)
    return place(path.name, sheet=sheet, row=row, letter=get_column_letter(index + 1))


def _build(
    path: Path, grid: Iterable[Sequence[str]], *, encoding: str | None, sheet: str | None
) -> Table:
    numbered = [(n, [c.strip() for c in cells]) for n, cells in enumerate(grid, start=1)]
    # Fully empty rows are skipped; the numbers of the rows after them stay the file's own.
    numbered = [(n, cells) for n, cells in numbered if any(cells)]
    if not numbered:
        return Table(path=path, headers=(), rows=(), encoding=encoding, sheet=sheet)
    header_row, raw_headers = numbered[0]
    data = numbered[1:]
    # The header ends at its last named cell: trailing ';;;' from Excel is not a column.
    width = max((i + 1 for i, h in enumerate(raw_headers) if h), default=0)
    raw_headers = raw_headers[:width]

    problems: list[Problem] = []
    keep: list[int] = []
    seen: dict[str, int] = {}
    for i, header in enumerate(raw_headers):
        if not header:
            if any(i < len(cells) and cells[i] for _, cells in data):
                problems.append(Problem.of("T110", _at(path, sheet, header_row, i, "")))
            # Blank spacer columns are dropped: there is nothing in them to keep.
            continue
        keep.append(i)
        first = seen.setdefault(header.casefold(), i)
        if first != i:
            problems.append(
                Problem.of(
                    "T111",
                    _at(path, sheet, header_row, i, header),
                    letter=get_column_letter(i + 1),
                    first=get_column_letter(first + 1),
                    header=raw_headers[first],
                )
            )

    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in data:
        extra = next((i for i in range(width, len(cells)) if cells[i]), None)
        if extra is not None:
            problems.append(
                Problem.of(
                    "T112",
                    _at(path, sheet, number, extra, ""),
                    value=_clip(cells[extra]),
                    last=get_column_letter(width),
                    letter=get_column_letter(extra + 1),
                )
            )
        rows.append((number, {raw_headers[i]: cells[i] if i < len(cells) else "" for i in keep}))
    if problems:
        n = len(problems)
        raise InputError(
            Phrase(
                "table.problems",
                where=Items(place(path.name, sheet=sheet), shown=None),
                n=n,
            ),
            problems,
        )
    headers = tuple(raw_headers[i] for i in keep)
    return Table(path=path, headers=headers, rows=tuple(rows), encoding=encoding, sheet=sheet)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
