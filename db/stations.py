"""The station registry: storing, finding, counting and listing stations.

Reading station lists from CSV and XLSX files (preview and import) is :mod:`db.station_lists`;
this module is what the program needs to show and search the registry, kept small so that the
desktop program starts fast.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from db.mission import Mission, now

__all__ = [
    "Station",
    "add_station",
    "districts",
    "get_station",
    "list_stations",
    "normalise_key",
    "regions",
    "reports_per_station",
]

# The fields of a station that come from columns, in the order the registry shows them.
_FIELDS = ("code", "number", "region", "district", "name", "address", "registered_voters")

_MAX_INTEGER = 2**63 - 1  # what SQLite's INTEGER holds


class Station(NamedTuple):
    """One polling station. ``code`` is its key: numbers repeat across regions.

    A named tuple rather than a frozen dataclass: it costs a sixth of the start-up time to make,
    and less to fill (the first screen lists every station).
    """

    code: str
    number: str
    region: str | None = None
    district: str | None = None
    name: str | None = None
    address: str | None = None
    registered_voters: int | None = None
    # Columns of the imported list that are none of the above, header -> text, kept as given.
    attributes: Mapping[str, str] = MappingProxyType({})  # read-only: shared by all


def normalise_key(text: str) -> str:
    """``text`` folded for case-insensitive search in any script (SQLite folds ASCII only)."""
    return unicodedata.normalize("NFC", text).casefold()


# -- reading a station list --------------------------------------------------------------------


def add_station(mission: Mission, station: Station) -> None:
    """Store ``station``, replacing every field of a stored station with the same code.

    Raises:
        InputError: the station has no code or number, or a negative count of voters.
    """
    from db.errors import InputError, Phrase, Problem  # the catalog: not loaded at start

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
    folded: dict[str | None, str] = {}
    return sorted(_select(mission, where, params), key=lambda station: _sort_key(station, folded))


def reports_per_station(mission: Mission, *, form_id: str | None = None) -> dict[str, int]:
    """How many reports each station has (of ``form_id`` if given; deleted ones left out).

    Stations without reports are not listed. Counts only, without reading any answers: for
    lists of stations that show which were visited.
    """
    sql = (
        "SELECT station_code, count(*) FROM reports WHERE deleted = 0 AND station_code IS NOT NULL"
    )
    params: tuple[str, ...] = ()
    if form_id is not None:
        sql += " AND form_id = ?"
        params = (form_id,)
    return dict(mission.conn.execute(sql + " GROUP BY station_code", params).fetchall())


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
    # Stations often share their extra columns' values ({"urban": "no"}): each text is decoded
    # once, and every station gets its own copy.
    decoded: dict[str | None, dict[str, str]] = {}
    stations = []
    for code, number, region, district, name, address, voters, attributes in cursor:
        extra = decoded.get(attributes)
        if extra is None:
            extra = decoded[attributes] = json.loads(attributes or "{}")
        stations.append(Station(code, number, region, district, name, address, voters, dict(extra)))
    return stations


def _number_key(number: str) -> tuple[tuple[int, int, str], ...]:
    # Runs of digits compare as numbers, the rest as folded text: 9 < 10 < 186 < 186A < 186B.
    if number.isascii() and number.isdigit():
        return ((0, int(number), ""),)  # most station numbers: the same key, sooner
    return tuple(
        (0, int(run), "") if run[0] in "0123456789" else (1, 0, normalise_key(run))
        for run in re.findall(r"[0-9]+|[^0-9]+", number)
    )


def _sort_key(station: Station, folded: dict[str | None, str]) -> tuple[Any, ...]:
    # Stations with no region or district come after the named ones. ``folded`` remembers the
    # folded names: a registry has thousands of stations but few regions and districts.
    region, district = station.region, station.district
    if region not in folded:
        folded[region] = normalise_key(region or "")
    if district not in folded:
        folded[district] = normalise_key(district or "")
    return (
        region is None,
        folded[region],
        district is None,
        folded[district],
        _number_key(station.number),
        station.code,
    )
