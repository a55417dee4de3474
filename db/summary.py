"""A mission at a glance: its forms and counts of stations, observers and reports."""

from __future__ import annotations

from dataclasses import dataclass

from db.forms import FormRecord, list_forms
from db.mission import Mission, MissionInfo


@dataclass(frozen=True)
class MissionSummary:
    mission: MissionInfo
    forms: list[FormRecord]
    stations: int
    regions: int
    observers: int
    reports: dict[str, int]  # draft, complete, deleted


def mission_summary(mission: Mission) -> MissionSummary:
    """What ``pollcheck info`` prints: latest form versions and the counts."""
    one = mission.conn.execute
    stations, regions = one("SELECT count(*), count(DISTINCT region) FROM stations").fetchone()
    counts = {"draft": 0, "complete": 0, "deleted": 0}
    for status, deleted, n in one(
        "SELECT status, deleted, count(*) FROM reports GROUP BY status, deleted"
    ):
        key = "deleted" if deleted else status
        counts[key] += n
    return MissionSummary(
        mission=mission.info(),
        forms=[f for f in list_forms(mission) if f.latest],
        stations=stations,
        regions=regions,
        observers=one("SELECT count(*) FROM observers").fetchone()[0],
        reports=counts,
    )
