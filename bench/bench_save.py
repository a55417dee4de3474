"""Saving reports (validation, history, one fsync'd transaction each) against bare SQLite inserts.

Prints the time per save of both and the ratio. Run: .venv/bin/python bench/bench_save.py [N]
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from db.demo import _answers
from db.forms import add_form
from db.mission import create_mission
from db.reports import create_report
from db.stations import Station, add_station
from forms.templates import template


def main(n: int = 300) -> None:
    eday = template("election_day")
    rng = random.Random(1)
    station = Station(code="CAP-1", number="1", region="Capital City", registered_voters=1500)
    answers = [_answers(eday.form, rng, station, 0.1) for _ in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        base = sqlite3.connect(Path(tmp) / "bare.db", isolation_level=None)
        base.execute("PRAGMA journal_mode = WAL")
        base.execute("PRAGMA synchronous = FULL")
        base.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, answers TEXT)")
        t0 = time.perf_counter()
        for a in answers:
            base.execute("BEGIN")
            base.execute("INSERT INTO r (answers) VALUES (?)", (json.dumps(a),))
            base.execute("COMMIT")
        bare = (time.perf_counter() - t0) / n
        base.close()
        with create_mission(Path(tmp) / "m.pollcheck", title="bench") as m:
            add_form(m, eday.workbook, filename=eday.filename)
            add_station(m, station)
            t0 = time.perf_counter()
            for a in answers:
                create_report(m, "eday", device="bench", station_code="CAP-1", answers=a)
            ours = (time.perf_counter() - t0) / n
    print(f"bare insert+commit: {bare * 1000:.2f} ms/save")
    print(f"create_report:      {ours * 1000:.2f} ms/save")
    print(f"ratio:              {ours / bare:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
