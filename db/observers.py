"""The mission's observers: the names reports carry, with their teams.

HQ can import its roster (a CSV or XLSX table with a column of names and, if it likes, one of
teams) so that kits can be made for each observer before any report is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from db.errors import InputError, Phrase, Problem
from db.mission import Mission, now

# Column titles a roster's columns are known by (compared without case, "_" as a space).
_NAME_COLUMNS = {"name", "observer", "observer name", "имя", "наблюдатель", "фио"}
_TEAM_COLUMNS = {"team", "observer team", "команда", "группа"}


@dataclass(frozen=True)
class Observer:
    name: str
    team: str | None


def add_observer(mission: Mission, name: str, team: str | None = None) -> Observer:
    """Add an observer, or set the team of one the mission has."""
    name = " ".join(name.split())
    if not name:
        raise InputError("An observer needs a name.")
    with mission.transaction():
        mission.conn.execute(
            "INSERT INTO observers (name, team, added) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET team = coalesce(excluded.team, team)",
            (name, team, now()),
        )
    return Observer(name, team)


def list_observers(mission: Mission) -> list[Observer]:
    """Every observer, by team and name."""
    rows = mission.conn.execute(
        "SELECT name, team FROM observers ORDER BY team IS NULL, team, name"
    ).fetchall()
    return [Observer(name, team) for name, team in rows]


@dataclass(frozen=True)
class ObserverImport:
    """What a roster import did: observers added, whose team changed, and left as they were."""

    added: int
    updated: int
    unchanged: int
    encoding: str | None


def import_observers(
    mission: Mission, path: str | Path, *, encoding: str | None = None
) -> ObserverImport:
    """Add the observers of a roster table to the mission: all rows or none.

    The table needs a column of names (``name``, ``observer``, ``имя``, ``наблюдатель``,
    ``ФИО``); a column of teams (``team``, ``команда``, ``группа``) sets each one's team. An
    observer the mission has already keeps the name and takes the roster's team, if it gives one.

    Raises:
        InputError: the file cannot be read, has no column of names, or rows have problems
            (each named with its row and column); nothing was stored.
    """
    from db.tables import read_table  # on first use: start-up time (csv, zipfile)

    table = read_table(path, encoding=encoding)

    def column(names: set[str]) -> str | None:
        return next(
            (h for h in table.headers if " ".join(h.replace("_", " ").split()).casefold() in names),
            None,
        )

    name_column, team_column = column(_NAME_COLUMNS), column(_TEAM_COLUMNS)
    cannot = Phrase("observers.cannot_import", path=table.path.name)
    if name_column is None:
        headers = ", ".join(repr(h) for h in table.headers) or "-"
        raise InputError(cannot, [Problem.of("O101", table.place(1), headers=headers)])
    problems: list[Problem] = []
    roster: dict[str, str | None] = {}
    for number, cells in table.rows:
        name = " ".join(cells.get(name_column, "").split())
        team = " ".join(cells.get(team_column, "").split()) or None if team_column else None
        if not name:
            problems.append(Problem.of("O102", table.place(number, name_column)))
        elif name in roster and roster[name] != team and team_column:
            problems.append(
                Problem.of(
                    "O103",
                    table.place(number, team_column),
                    name=name,
                    first=roster[name] or "-",
                    second=team or "-",
                )
            )
        else:
            roster[name] = team
    if problems:
        raise InputError(cannot, problems)
    added = updated = 0
    with mission.transaction() as conn:
        for name, team in roster.items():
            row = conn.execute("SELECT team FROM observers WHERE name = ?", (name,)).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO observers (name, team, added) VALUES (?, ?, ?)",
                    (name, team, now()),
                )
                added += 1
            elif team is not None and row[0] != team:
                conn.execute("UPDATE observers SET team = ? WHERE name = ?", (team, name))
                updated += 1
    return ObserverImport(added, updated, len(roster) - added - updated, table.encoding)
