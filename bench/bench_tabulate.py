"""Tabulating the election-day template against reading the same answers with one plain query.

Run: .venv/bin/python bench/bench_tabulate.py [REPORTS ...]   (default: 30000 300000)
Prints, for each size, the medians of several runs of: the plain query (fetching every report's
answers and decoding them), and tabulate(); their ratio; and each size against the first.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.data import make_mission
from db.mission import open_mission
from db.tabulate import tabulate


def _median(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(sizes: list[int]) -> None:
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = make_mission(Path(tmp) / f"m{size}.pollcheck", size)
            runs = 5 if size <= 50_000 else 3
            with open_mission(path, readonly=True) as m:

                def plain() -> None:
                    rows = m.conn.execute(
                        "SELECT r.uuid, r.station_code, s.region, r.answers FROM reports r"
                        " LEFT JOIN stations s ON s.code = r.station_code"
                        " WHERE r.form_id = 'eday' AND r.deleted = 0 AND r.status = 'complete'"
                    ).fetchall()
                    for row in rows:
                        json.loads(row[3])

                base = _median(plain, runs)
                ours = _median(lambda: tabulate(m, "eday"), runs)
            first = first or ours
            print(
                f"{size:>8} reports: plain query {base:.3f} s, tabulate {ours:.3f} s, "
                f"ratio {ours / base:.2f}x, vs first size {ours / first:.1f}x"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [30_000, 300_000])
