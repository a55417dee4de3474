"""The mission's observers: the names reports carry, with their teams."""

from __future__ import annotations

from dataclasses import dataclass

from db.errors import InputError
from db.mission import Mission, now


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
