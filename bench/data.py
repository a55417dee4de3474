"""Synthetic mission files of any size for the benchmarks (election-day template, demo answers)."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import sqlite3
import uuid
from pathlib import Path

from db.demo import _answers, _registry
from db.forms import add_form
from db.mission import create_mission
from db.reports import content_sha, new_report_uuid
from db.stations import Station
from forms.templates import template
from forms.validate import validate


def make_mission(
    path: Path,
    reports: int,
    *,
    stations: int = 3000,
    seed: int = 1,
    distinct: int | None = None,
) -> Path:
    """A mission of ``reports`` election-day reports over ``stations`` stations.

    Each report has answers of its own, made by the demo generator for its station and
    validated, as in a real mission (numbers, times and comments differ from report to report;
    about 0.4 ms a report). ``distinct`` draws them from a pool of that many answer sets
    instead: quicker to make, but flattering to anything that profits from repeated answers.
    Reports are written with one executemany.
    """
    rng = random.Random(seed)
    eday = template("election_day")
    with create_mission(path, title=f"bench {reports}", synthetic=True) as m:
        add_form(m, eday.workbook, filename=eday.filename)
        registry = _registry(m, rng, stations)

        def answers_at(station: Station) -> str:
            answers = validate(eday.form, _answers(eday.form, rng, station, 0.15)).answers
            return json.dumps(answers, sort_keys=True, ensure_ascii=False)

        answers_of = answers_at  # each report its own answers, made for its station
        if distinct is not None and distinct < reports:
            pool = [answers_at(registry[i % len(registry)]) for i in range(distinct)]

            def answers_of(_station: Station) -> str:
                return rng.choice(pool)

        rows = []
        for _ in range(reports):
            station = rng.choice(registry)
            text = answers_of(station)
            rows.append(
                (
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    station.code,
                    "complete" if rng.random() > 0.03 else "draft",
                    text,
                    content_sha(
                        form_version=eday.form.version,
                        station_code=station.code,
                        region=None,
                        observer="bench",
                        status="complete",
                        deleted=False,
                        answers=json.loads(text),
                    ),
                )
            )
        with m.transaction():
            m.conn.executemany(
                "INSERT INTO reports (uuid, form_id, form_version, station_code, observer, device,"
                " status, revision, created, updated, started, answers, content_sha)"
                f" VALUES (?, 'eday', '{eday.form.version}', ?, 'bench', 'bench', ?, 1,"
                " '2026-12-06T10:00:00Z', '2026-12-06T10:00:00Z', '2026-12-06T10:00:00Z', ?, ?)",
                rows,
            )
    return path


def clone_with_new_ids(source: Path, path: Path, number: int) -> Path:
    """Copy mission file ``source`` to ``path`` as another laptop's file: that laptop's device id
    (``laptop-<number>``) on its reports and their history, report ids made for it as
    create_report makes them (``new_report_uuid``: the time each report was created, random bits
    from a generator seeded with ``number``; digests cover neither), and a new copy id."""
    shutil.copy(source, path)
    rng = random.Random(number)
    device = f"laptop-{number:05d}"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    (mission_id,) = conn.execute("SELECT mission_id FROM mission").fetchone()
    conn.execute("CREATE TEMP TABLE map (old TEXT PRIMARY KEY, new TEXT)")
    rows = conn.execute("SELECT uuid, created FROM reports ORDER BY rowid").fetchall()
    conn.executemany(
        "INSERT INTO map VALUES (?, ?)",
        [
            (
                old,
                new_report_uuid(
                    mission_id,
                    device,
                    clock_ms=int(dt.datetime.fromisoformat(created).timestamp() * 1000),
                    random_bits=rng.getrandbits(42),
                ),
            )
            for old, created in rows
        ],
    )
    conn.execute(
        "UPDATE history SET report_uuid = (SELECT new FROM map WHERE old = report_uuid),"
        " device = ?",
        (device,),
    )
    conn.execute(
        "UPDATE reports SET uuid = (SELECT new FROM map WHERE old = uuid), device = ?", (device,)
    )
    conn.execute("UPDATE mission SET copy_id = ?", (str(uuid.uuid4()),))
    conn.execute("COMMIT")
    conn.close()
    return path
