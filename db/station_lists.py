"""Reading station lists (CSV, XLSX) into the registry: a preview of what would change, and
the import itself, all or nothing, with every problem and where it is."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.errors import InputError, Items, Phrase, Problem
from db.mission import Mission, now
from db.stations import (
    _FIELDS,
    _INSERT,
    _MAX_INTEGER,
    _UPDATE,
    Station,
    _row,
    _select,
)

if TYPE_CHECKING:
    from db.tables import Table

__all__ = ["StationImport", "StationPreview", "import_stations", "preview_stations"]


# Headers accepted for each field, compared after _header_key (case and '_' vs ' ' do not count).
_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "station code", "код", "код участка"),
    "number": ("number", "station number", "номер", "номер участка", "№", "№ участка"),
    "region": ("region", "регион", "область"),
    "district": ("district", "район"),
    "name": ("name", "название", "наименование"),
    "address": ("address", "адрес"),
    "registered_voters": (
        "registered voters",
        "voters",
        "избирателей",
        "число избирателей",
        "зарегистрировано избирателей",
    ),
}


# Whole numbers as people type them: '1234', '1 234', and the no-break spaces Russian Excel
# puts between thousands. Commas are refused: '1,234' is 1.234 in a Russian locale.
_WHOLE = re.compile(r"[0-9]+(?:[ \u00a0\u202f][0-9]+)*")
_SPACES = re.compile(r"[ \u00a0\u202f]")


@dataclass(frozen=True)
class StationPreview:
    """What importing a station list would do, for a wizard to show before anything is written.

    ``stations`` holds the rows without problems, in the file's order. ``added``, ``updated``
    and ``unchanged`` hold codes as compared with the mission (empty without a mission).
    """

    table: Table
    stations: tuple[Station, ...]
    problems: tuple[Problem, ...]
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]


@dataclass(frozen=True)
class StationImport:
    """What an import did: counts of stations added, updated and left as they were."""

    added: int
    updated: int
    unchanged: int
    encoding: str | None


def _header_key(header: str) -> str:
    return " ".join(header.replace("_", " ").split()).casefold()


# The fields as problems name them ("both give the station's registered voters").
_FIELD_NAMES = {
    "code": Phrase("field.code"),
    "number": Phrase("field.number"),
    "region": Phrase("field.region"),
    "district": Phrase("field.district"),
    "name": Phrase("field.name"),
    "address": Phrase("field.address"),
    "registered_voters": Phrase("field.registered_voters"),
}

_HEADER_FIELDS = {_header_key(alias): f for f, aliases in _ALIASES.items() for alias in aliases}


def _slug(text: str) -> str:
    """Uppercased letters and digits of any script; every other run of characters is one '-'."""
    upper = unicodedata.normalize("NFC", text).upper()
    return "-".join(re.findall(r"[^\W_]+", upper))


def _code_from(region: str, number: str) -> str:
    return f"{_slug(region)}-{_slug(number)}"


@dataclass(frozen=True)
class _Read:
    table: Table
    stations: tuple[Station, ...]
    problems: tuple[Problem, ...]
    # The fields whose columns the file has: only these are changed in stations it updates.
    columns: frozenset[str]


def _read(path: str | Path, encoding: str | None) -> _Read:
    from db.tables import read_table  # imported on first use: start-up time (csv, zipfile)

    table = read_table(path, encoding=encoding)
    problems: list[Problem] = []
    columns: dict[str, str] = {}  # field -> header as written
    for header in table.headers:
        name = _HEADER_FIELDS.get(_header_key(header))
        if name is None:
            continue
        if name in columns:
            problems.append(
                Problem.of(
                    "S208",
                    table.place(1, header),
                    first=columns[name],
                    second=header,
                    field=_FIELD_NAMES[name],
                )
            )
            continue
        columns[name] = header
    extra = [h for h in table.headers if h not in columns.values()]
    derive = "code" not in columns

    if not table.headers:
        problems.append(Problem.of("S201", table.place()))
        return _Read(table, (), tuple(problems), frozenset())
    if "number" not in columns:
        problems.append(Problem.of("S202", table.place(1)))
    if derive and "region" not in columns:
        problems.append(Problem.of("S203", table.place(1)))
    if not table.rows:
        problems.append(Problem.of("S204", table.place()))
    if problems:
        # Without these columns every row would repeat the same problem; say it once.
        return _Read(table, (), tuple(problems), frozenset(columns))

    stations: list[Station] = []
    first_row: dict[str, int] = {}
    for row, cells in table.rows:
        row_problems: list[Problem] = []

        def cell(name: str, cells: dict[str, str] = cells) -> str:
            return cells[columns[name]] if name in columns else ""

        number = cell("number")
        if not number:
            row_problems.append(Problem.of("S205", table.place(row, columns["number"])))
        region = cell("region")
        if derive:
            code = _code_from(region, number) if _slug(region) and number else ""
            if not _slug(region):
                where = table.place(row, columns["region"])
                row_problems.append(
                    Problem.of("S206", where)
                    if not region
                    else Problem.of("S206", where, "letters", region=region)
                )
        else:
            code = cell("code")
            if not code:
                row_problems.append(Problem.of("S207", table.place(row, columns["code"])))
        text = cell("registered_voters")
        voters, voters_problem = _voters(text)
        if voters_problem is not None:
            where = table.place(row, columns["registered_voters"])
            row_problems.append(Problem.of("S209", where, voters_problem or None, text=text))
        if code:
            # Checked even on rows with other problems, so that one round of fixes is enough.
            if code in first_row:
                row_problems.append(_duplicate(table, columns, derive, row, first_row[code], code))
            else:
                first_row[code] = row
        if row_problems:
            problems.extend(row_problems)
            continue
        stations.append(
            Station(
                code=code,
                number=number,
                region=region or None,
                district=cell("district") or None,
                name=cell("name") or None,
                address=cell("address") or None,
                registered_voters=voters,
                attributes={h: cells[h] for h in extra},
            )
        )
    return _Read(table, tuple(stations), tuple(problems), frozenset(columns))


def _voters(text: str) -> tuple[int | None, str | None]:
    """The count of registered voters in ``text`` (None when empty), and None; or None and
    what is wrong with it: the variant of problem S209 (``""`` for the plain one)."""
    if not text:
        return None, None
    if not _WHOLE.fullmatch(text):
        if text.lstrip().startswith("-"):
            return None, "negative"
        if "," in text or "." in text:
            return None, "separators"
        return None, ""
    value = int(_SPACES.sub("", text))
    if value > _MAX_INTEGER:
        return None, "large"
    return value, None


def _duplicate(
    table: Table, columns: Mapping[str, str], derive: bool, row: int, first: int, code: str
) -> Problem:
    if derive:
        return Problem.of(
            "S210", table.place(row, columns["number"]), "derived", code=code, first=first
        )
    return Problem.of("S210", table.place(row, columns["code"]), code=code, first=first)


# -- comparing with the registry ---------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    added: tuple[Station, ...]
    updated: tuple[Station, ...]  # as they will be stored
    unchanged: tuple[str, ...]


def _plan(mission: Mission, read: _Read) -> _Plan:
    stored = {s.code: s for s in _select(mission, "", ())}
    added: list[Station] = []
    updated: list[Station] = []
    unchanged: list[str] = []
    for station in read.stations:
        old = stored.get(station.code)
        if old is None:
            added.append(station)
            continue
        new = _merged(old, station, read.columns)
        if new == old:
            unchanged.append(station.code)
        else:
            updated.append(new)
    return _Plan(tuple(added), tuple(updated), tuple(unchanged))


def _merged(old: Station, new: Station, columns: frozenset[str]) -> Station:
    """``old`` changed by the columns the file has; a field without a column keeps its value.

    So a list of just codes and counts of voters updates the counts and nothing else. Extra
    columns are merged the same way: the file's columns replace theirs, others are kept.
    """
    values: dict[str, Any] = {
        f: getattr(new if f in columns else old, f) for f in _FIELDS if f != "code"
    }
    return Station(
        code=old.code,
        attributes={**old.attributes, **new.attributes},
        **values,
    )


# -- the public operations ---------------------------------------------------------------------


def preview_stations(
    path: str | Path, mission: Mission | None = None, *, encoding: str | None = None
) -> StationPreview:
    """Read and check a station list and compare it with ``mission``; writes nothing.

    Columns are matched by header, ignoring case and treating '_' as a space: ``code``,
    ``number``, ``region``, ``district``, ``name``, ``address``, ``registered_voters``, or the
    Russian код, номер, регион/область, район, название/наименование, адрес,
    избирателей/число избирателей/зарегистрировано избирателей. Every other column is kept in
    the station's ``attributes``.

    Without a ``code`` column each station's code is made from its region and number: each is
    uppercased (any script) and every run of characters other than letters and digits becomes
    one ``-``, then they are joined by ``-``: "Almaty", "186" -> ``ALMATY-186``; "Алматы",
    "186" -> ``АЛМАТЫ-186``; "North Kazakhstan", "12/a" -> ``NORTH-KAZAKHSTAN-12-A``. Region
    and number are then required on every row.

    Raises:
        InputError: the file cannot be read as a table at all (see :func:`db.tables.read_table`).
            Problems with the stations in it are returned in ``problems`` instead.
    """
    read = _read(path, encoding)
    if mission is None:
        return StationPreview(read.table, read.stations, read.problems, (), (), ())
    plan = _plan(mission, read)
    return StationPreview(
        read.table,
        read.stations,
        read.problems,
        added=tuple(s.code for s in plan.added),
        updated=tuple(s.code for s in plan.updated),
        unchanged=plan.unchanged,
    )


def import_stations(
    mission: Mission, path: str | Path, *, encoding: str | None = None
) -> StationImport:
    """Import a station list into ``mission``: all of it, or nothing if anything is wrong.

    Stations are matched by code. New ones are added; known ones are updated where the file
    differs (only the fields the file has columns for; their ``updated`` time is set), and left
    untouched where it does not. Stations the file does not list are kept. See
    :func:`preview_stations` for the columns and how codes are made.

    Raises:
        InputError: the file cannot be read, or has problems; ``problems`` lists every one of
            them, and nothing was written.
    """
    read = _read(path, encoding)
    if read.problems:
        n = len(read.problems)
        raise InputError(
            Phrase(
                "stations.problems",
                where=Items(read.table.place(), shown=None),
                n=n,
            ),
            read.problems,
        )
    with mission.transaction() as conn:
        # Compared inside the transaction, so the counts are those of what was written.
        plan = _plan(mission, read)
        stamp = now()
        conn.executemany(_INSERT, [_row(s, stamp) for s in plan.added])
        conn.executemany(_UPDATE, [_row(s, stamp) for s in plan.updated])
    return StationImport(
        added=len(plan.added),
        updated=len(plan.updated),
        unchanged=len(plan.unchanged),
        encoding=read.table.encoding,
    )
