"""The station registry: importing station lists, and finding, counting and listing stations."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.errors import InputError, Items, Phrase, Problem
from db.mission import Mission, now

if TYPE_CHECKING:
    from db.tables import Table

__all__ = [
    "Station",
    "StationImport",
    "StationPreview",
    "add_station",
    "districts",
    "get_station",
    "import_stations",
    "list_stations",
    "normalise_key",
    "preview_stations",
    "regions",
]

# The fields of a station that come from columns, in the order the registry shows them.
_FIELDS = ("code", "number", "region", "district", "name", "address", "registered_voters")

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
_MAX_INTEGER = 2**63 - 1  # what SQLite's INTEGER holds


@dataclass(frozen=True)
class Station:
    """One polling station. ``code`` is its key: numbers repeat across regions."""

    code: str
    number: str
    region: str | None = None
    district: str | None = None
    name: str | None = None
    address: str | None = None
    registered_voters: int | None = None
    # Columns of the imported list that are none of the above, header -> text, kept as given.
    attributes: Mapping[str, str] = field(default_factory=dict)


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


def normalise_key(text: str) -> str:
    """``text`` folded for case-insensitive search in any script (SQLite folds ASCII only)."""
    return unicodedata.normalize("NFC", text).casefold()


# -- reading a station list --------------------------------------------------------------------


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
                "stations.problems" if n == 1 else "stations.problems.many",
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


def add_station(mission: Mission, station: Station) -> None:
    """Store ``station``, replacing every field of a stored station with the same code.

    Raises:
        InputError: the station has no code or number, or a negative count of voters.
    """
    code, number = station.code.strip(), station.number.strip()
    problems = []
    here = (Phrase("place.station", code=code),)
    if not code:
        problems.append(Problem.of("S207", (Phrase("place.the_station"),), "station"))
    if not number:
        problems.append(Problem.of("S205", here, "station"))
    voters = station.registered_voters
    if voters is not None and not 0 <= voters <= _MAX_INTEGER:
        problems.append(Problem.of("S209", here, "station", voters=voters))
    if problems:
        raise InputError(Phrase("stations.cannot_store", code=code), problems)
    with mission.transaction() as conn:
        row = _row(station, now())
        row["code"], row["number"] = code, number
        conn.execute(_INSERT + _ON_CONFLICT, row)


def get_station(mission: Mission, code: str) -> Station | None:
    """The station with exactly this code, or None."""
    found = _select(mission, "WHERE code = ?", (code,))
    return found[0] if found else None


def list_stations(
    mission: Mission,
    *,
    region: str | None = None,
    district: str | None = None,
    search: str | None = None,
) -> list[Station]:
    """Stations, optionally of one region and/or district, and matching ``search``.

    ``search`` matches part of the code, number, name, address, region or district, ignoring
    case in any script ('алматы' finds 'АЛМАТЫ'). Stations come sorted by region, district,
    number as people count ('9' before '10', '186' before '186A'), then code.
    """
    clauses: list[str] = []
    params: list[str] = []
    if region is not None:
        clauses.append("region = ?")
        params.append(region)
    if district is not None:
        clauses.append("district = ?")
        params.append(district)
    needle = normalise_key(search.strip()) if search else ""
    if needle:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("search_key LIKE ? ESCAPE '\\'")
        params.append(f"%{escaped}%")
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return sorted(_select(mission, where, params), key=_sort_key)


def regions(mission: Mission) -> list[tuple[str, int]]:
    """Each region with its number of stations, sorted; stations with no region are left out."""
    rows = mission.conn.execute(
        "SELECT region, count(*) FROM stations WHERE region IS NOT NULL GROUP BY region"
    ).fetchall()
    return sorted(((r, n) for r, n in rows), key=lambda t: (normalise_key(t[0]), t[0]))


def districts(mission: Mission, region: str | None = None) -> list[tuple[str, str, int]]:
    """Each (region, district) with its number of stations, sorted, of one region if given.

    Stations with no region or no district are left out.
    """
    sql = (
        "SELECT region, district, count(*) FROM stations"
        " WHERE region IS NOT NULL AND district IS NOT NULL"
    )
    params: tuple[str, ...] = ()
    if region is not None:
        sql += " AND region = ?"
        params = (region,)
    rows = mission.conn.execute(sql + " GROUP BY region, district", params).fetchall()
    return sorted(
        ((r, d, n) for r, d, n in rows),
        key=lambda t: (normalise_key(t[0]), t[0], normalise_key(t[1]), t[1]),
    )


# -- storage -----------------------------------------------------------------------------------

_COLUMNS = (*_FIELDS, "attributes", "search_key", "updated")
_INSERT = (
    f"INSERT INTO stations ({', '.join(_COLUMNS)}) VALUES ({', '.join(':' + c for c in _COLUMNS)})"
)
_ON_CONFLICT = " ON CONFLICT (code) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in _COLUMNS if c != "code"
)
_UPDATE = (
    "UPDATE stations SET "
    + ", ".join(f"{c} = :{c}" for c in _COLUMNS if c != "code")
    + " WHERE code = :code"
)


def _search_key(station: Station) -> str:
    parts = (
        station.code,
        station.number,
        station.name,
        station.address,
        station.region,
        station.district,
    )
    return normalise_key(" ".join(p for p in parts if p))


def _row(station: Station, stamp: str) -> dict[str, Any]:
    return {
        "code": station.code,
        "number": station.number,
        "region": station.region,
        "district": station.district,
        "name": station.name,
        "address": station.address,
        "registered_voters": station.registered_voters,
        "attributes": json.dumps(dict(station.attributes), ensure_ascii=False),
        "search_key": _search_key(station),
        "updated": stamp,
    }


def _select(mission: Mission, where: str, params: Iterable[str]) -> list[Station]:
    cursor: sqlite3.Cursor = mission.conn.execute(
        "SELECT code, number, region, district, name, address, registered_voters, attributes"
        f" FROM stations {where}",
        tuple(params),
    )
    return [
        Station(
            code=code,
            number=number,
            region=region,
            district=district,
            name=name,
            address=address,
            registered_voters=voters,
            attributes=json.loads(attributes or "{}"),
        )
        for code, number, region, district, name, address, voters, attributes in cursor
    ]


def _number_key(number: str) -> tuple[tuple[int, int, str], ...]:
    # Runs of digits compare as numbers, the rest as folded text: 9 < 10 < 186 < 186A < 186B.
    return tuple(
        (0, int(run), "") if run[0] in "0123456789" else (1, 0, normalise_key(run))
        for run in re.findall(r"[0-9]+|[^0-9]+", number)
    )


def _sort_key(station: Station) -> tuple[Any, ...]:
    # Stations with no region or district come after the named ones.
    return (
        station.region is None,
        normalise_key(station.region or ""),
        station.district is None,
        normalise_key(station.district or ""),
        _number_key(station.number),
        station.code,
    )
