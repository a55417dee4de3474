"""The demo mission: a fictional registry and reports made from the templates (synthetic)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from db.forms import add_form
from db.mission import Mission, MissionInfo, create_mission
from db.observers import add_observer
from db.reports import create_report, new_report_uuid
from db.stations import Station, add_station
from forms.model import Form, Group, Question
from forms.templates import templates
from forms.validate import validate

COUNTRY = "Demoland (fictional)"
ELECTION_DATE = "2026-12-06"
ELECTION_DAY = (2026, 12, 6)
DEVICE = "demo-generator"  # the device id every demo report is saved by
# Fictional regions and their districts; the capital has the most stations.
REGIONS: dict[str, tuple[str, ...]] = {
    "Capital City": ("Central", "Riverside", "Old Town", "University"),
    "Northern Oblast": ("Kolsky", "Severny", "Lake District"),
    "Southern Oblast": ("Yuzhny", "Steppe", "Port Marin"),
    "Eastern Oblast": ("Vostok", "Altan", "Mining Valley"),
    "Western Oblast": ("Zapad", "Border", "Green Hills"),
    "Coastal Oblast": ("Aktal", "Bay"),
}
OBSERVERS = [
    ("Anna Petrova", "Team 1"),
    ("Marat Seitkali", "Team 1"),
    ("Olena Koval", "Team 2"),
    ("Giorgi Beridze", "Team 2"),
    ("Aida Nurlanova", "Team 3"),
    ("Tomas Novak", "Team 3"),
    ("Irina Smirnova", "Team 4"),
    ("Arman Bekov", "Team 4"),
    ("Maria Ionescu", "Team 5"),
    ("Dmitri Volkov", "Team 5"),
    ("Zhanna Ospanova", "Team 6"),
    ("Levan Kapanadze", "Team 6"),
]
_STREETS = (
    "Lenin St",
    "Abay Ave",
    "School Lane",
    "Central Sq",
    "Railway St",
    "Park Ave",
    "Library Rd",
    "Victory St",
    "Garden St",
    "Market St",
)
_PLACES = (
    "School No. {n}",
    "House of Culture",
    "Secondary School No. {n}",
    "University Hall",
    "Sports Complex",
    "Hospital No. {n}",
    "College of Technology",
    "Library No. {n}",
)


def make_demo(
    path: Path,
    *,
    stations: int = 300,
    reports: int = 400,
    seed: int = 2005,
    progress: Callable[[int, int], None] | None = None,
) -> MissionInfo:
    """Create the demo mission at ``path``: every built-in form, ``stations`` stations and
    ``reports`` election-day reports (with drafts and duplicate visits), all plainly synthetic."""
    rng = random.Random(seed)
    with create_mission(
        path,
        title="DEMO: Presidential election in Demoland (synthetic data)",
        country=COUNTRY,
        election_date=ELECTION_DATE,
        synthetic=True,
    ) as mission:
        for t in templates():
            add_form(mission, t.workbook, filename=t.filename)
        for name, team in OBSERVERS:
            add_observer(mission, name, team)
        registry = _registry(mission, rng, stations)
        _reports(mission, rng, registry, reports, progress)
        return mission.info()


def _registry(mission: Mission, rng: random.Random, count: int) -> list[Station]:
    weights = [3 if r == "Capital City" else 1 for r in REGIONS]
    made: list[Station] = []
    numbers: dict[str, int] = {}
    with mission.transaction():
        for _ in range(count):
            region = rng.choices(list(REGIONS), weights)[0]
            numbers[region] = numbers.get(region, 0) + rng.randint(1, 6)
            number = str(numbers[region])
            district = rng.choice(REGIONS[region])
            station = Station(
                code=f"{region.split()[0].upper()[:3]}-{number}",
                number=number,
                region=region,
                district=district,
                name=rng.choice(_PLACES).format(n=rng.randint(1, 90)),
                address=f"{rng.randint(1, 120)} {rng.choice(_STREETS)}, {district}",
                registered_voters=rng.randint(400, 2900),
                attributes={"urban": rng.choice(["yes", "no"])},
            )
            add_station(mission, station)
            made.append(station)
    return made


def _reports(
    mission: Mission,
    rng: random.Random,
    registry: list[Station],
    count: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    form = next(t.form for t in templates() if t.form.form_id == "eday")
    # Some regions have more trouble than others, as in real statements.
    trouble = {region: rng.uniform(0.03, 0.25) for region in REGIONS}
    visited = rng.sample(registry, k=min(len(registry), max(1, int(count * 0.9))))
    plan = list(visited)
    while len(plan) < count:
        plan.append(rng.choice(visited))  # a second team at the same station: a duplicate visit
    mission_id = mission.info().mission_id
    with mission.transaction():
        for i, station in enumerate(plan):
            observer, _team = rng.choice(OBSERVERS)
            answers = _answers(form, rng, station, trouble[station.region or ""])
            status = "complete" if validate(form, answers).ok and rng.random() > 0.05 else "draft"
            bits = rng.getrandbits(128)  # drawn in this order since the first demo: same demo
            hour, minute = rng.randint(6, 20), rng.randint(0, 59)
            started = dt.datetime(*ELECTION_DAY, hour, minute, tzinfo=dt.UTC)
            create_report(
                mission,
                form.form_id,
                device=DEVICE,
                observer=observer,
                station_code=station.code,
                answers=answers,
                status=status,
                uuid=new_report_uuid(
                    mission_id,
                    DEVICE,
                    clock_ms=int(started.timestamp() * 1000),
                    random_bits=bits,
                ),
                started=started.strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
            if progress:
                progress(i + 1, len(plan))


def _answers(form: Form, rng: random.Random, station: Station, trouble: float) -> dict[str, Any]:
    """Plausible answers: problems (answers that are findings) with probability ``trouble``."""
    answers: dict[str, Any] = {}
    voters = station.registered_voters or 1000
    added = rng.randint(0, 40) if rng.random() > trouble else rng.randint(60, 700)
    issued = int((voters + added) * rng.uniform(0.45, 0.8))
    cast = issued - rng.randint(0, 5)
    invalid = rng.randint(0, max(1, cast // 50))
    split = _split(rng, cast - invalid, 5)
    results = {
        "voters_on_list": voters,
        "voters_added": added,
        "res_registered": voters,
        "res_voters_added": added,
        "res_ballots_received": voters + 200,
        "res_ballots_issued": issued,
        "res_ballots_cast": cast,
        "res_invalid": invalid,
        **{f"res_candidate_{i + 1}": n for i, n in enumerate(split)},
    }
    arrival = rng.randint(7 * 60, 18 * 60)
    times = {
        "arrival_time": arrival,
        "departure_time": arrival + rng.randint(20, 90),
        "problem_time": arrival + rng.randint(1, 15),
    }

    def fill(items: tuple[Question | Group, ...], target: dict[str, Any]) -> None:
        def lookup(name: str) -> Any:
            return target.get(name, answers.get(name))

        for item in items:
            if item.relevant is not None and not item.relevant.evaluate_bool(lookup):
                continue
            if isinstance(item, Group):
                if item.repeat:
                    rows = []
                    for _ in range(rng.choice([0, 0, 0, 1, 2]) if trouble > 0.1 else 0):
                        row: dict[str, Any] = {}
                        fill(item.children, row)
                        rows.append(row)
                    if rows:
                        target[item.name] = rows
                else:
                    fill(item.children, target)
                continue
            if not item.takes_answer or item.calculation is not None:
                continue
            value = _value(form, item, rng, trouble, results, times, lookup)
            if value is not None:
                target[item.name] = value

    fill(form.children, answers)
    return answers


def _value(
    form: Form,
    q: Question,
    rng: random.Random,
    trouble: float,
    results: dict[str, int],
    times: dict[str, int],
    lookup: Callable[[str], Any],
) -> Any:
    if q.name in results:
        return results[q.name]
    if q.name in times:
        minutes = min(times[q.name], 23 * 60 + 59)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if q.type == "select_one":
        choices = form.choice_list(q)
        if q.name == "res_consistent":
            return "yes"
        bad = [c.name for c in choices if _finding(q, c.name, lookup)]
        good = [c.name for c in choices if c.name not in bad]
        if bad and (not good or rng.random() < trouble):
            return rng.choice(bad)
        return good[0] if good and rng.random() < 0.7 else rng.choice(good or bad)
    if q.type == "select_multiple":
        names = [c.name for c in form.choice_list(q)]
        if "none" in names and rng.random() > trouble:
            return "none"
        options = [n for n in names if n != "none"]
        if q.name == "visit_phases":
            return rng.choice(["opening voting", "voting", "voting", "voting closing", "closing"])
        return " ".join(sorted(rng.sample(options, k=min(len(options), rng.randint(1, 2)))))
    if q.type in ("integer", "decimal"):
        problem = rng.random() < trouble
        for _ in range(30):
            value = rng.randint(1, 30) if problem else rng.choice([0, 0, 0, 1, 2])
            allowed = q.constraint is None or q.constraint.evaluate_bool(lookup, value)
            if allowed and (problem or not _finding(q, str(value), lookup)):
                return value
        return None
    if q.type == "text":
        if q.required is None and rng.random() > 0.3:
            return None
        return rng.choice(
            [
                "Chair was cooperative.",
                "Crowded corridor at the entrance.",
                "Председатель УИК отказался ответить на вопросы.",
                "Seen from the doorway; the commission was informed.",
            ]
        )
    if q.type == "date":
        return ELECTION_DATE
    if q.type == "time":
        return f"{rng.randint(8, 19):02d}:{rng.randint(0, 59):02d}"
    if q.type == "datetime":
        return (
            dt.datetime.fromisoformat(ELECTION_DATE) + dt.timedelta(hours=rng.randint(8, 19))
        ).isoformat()
    return None


def _finding(q: Question, value: str, lookup: Callable[[str], Any]) -> bool:
    return q.finding is not None and q.finding.evaluate_bool(lookup, value)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    weights = [rng.uniform(0.2, 3) for _ in range(parts)]
    weights[0] *= 4  # a dominant candidate
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[0] += total - sum(shares)
    return shares
