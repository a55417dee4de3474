"""The exports on a synthetic mission of the election-day template, in one run.

Run: .venv/bin/python -m bench.bench_exports [REPORTS [ROUNDS]]   (defaults: 30000, 3)
The workbook and bare openpyxl are timed alternately ROUNDS times, the findings report ROUNDS
times; medians are reported (the machine is shared: single runs moved by ±10%).
Prints:
- the workbook (export_xlsx, everything from the mission file to the saved file) against
  writing the same cells with bare openpyxl write-only mode (the values read back from our
  workbook, no styles, nothing computed); target 1.3x or less;
- station summaries (export_pdf kind=stations) for the reports of 300 stations, in pages per
  second; target 200 or more;
- the findings report (export_pdf kind=findings) over every report; target 5 s or less;
- the time the core's tabulate() and run_checks() take, which the exports call, and whether
  the exports ran the checks in a second process (only when a core is idle: see
  exports/aside.py).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import openpyxl
import pypdf

from bench.data import make_mission
from db.checks import run_checks
from db.mission import open_mission
from db.tabulate import tabulate
from exports.aside import ASIDE_FROM, idle_core
from exports.pdf import export_pdf
from exports.xlsx import export_xlsx


def _timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def _bare(cells: list[tuple[str, list[tuple[Any, ...]]]], out: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    for title, rows in cells:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(out)


def _aside(reports: int) -> str:
    """Where the export about to start works out its checks (exports/aside.py decides the
    same way, from the load, a moment later)."""
    if reports < ASIDE_FROM:
        return f"checks in the export's process (fewer than {ASIDE_FROM:,} reports)"
    if idle_core():
        return "checks in a second process (a core was idle)"
    return "checks in the export's process (no idle core)"


def _runs(seconds: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in seconds)


def main(reports: int, rounds: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made, path = _timed(lambda: make_mission(folder / "bench.pollcheck", reports))
        print(f"mission of {reports} reports made in {made:.1f} s")
        with open_mission(path, readonly=True) as m:
            t_tab, _ = _timed(lambda: tabulate(m, "eday"))
            t_checks, _ = _timed(lambda: run_checks(m, form_id="eday"))
            print(f"core: tabulate {t_tab:.2f} s, run_checks {t_checks:.2f} s")

            out = folder / "out.xlsx"
            aside = _aside(reports)
            ours_runs = [_timed(lambda: export_xlsx(m, out, form_id="eday"))[0]]
            book = openpyxl.load_workbook(out, read_only=True)
            cells = [(ws.title, list(ws.iter_rows(values_only=True))) for ws in book.worksheets]
            book.close()
            count = sum(sum(v is not None for v in r) for _t, rows in cells for r in rows)
            bare_runs = [_timed(lambda: _bare(cells, folder / "bare.xlsx"))[0]]
            for _ in range(rounds - 1):  # alternately, so that both meet the same machine
                ours_runs.append(_timed(lambda: export_xlsx(m, out, form_id="eday"))[0])
                bare_runs.append(_timed(lambda: _bare(cells, folder / "bare.xlsx"))[0])
            ours, bare = statistics.median(ours_runs), statistics.median(bare_runs)
            print(
                f"workbook: export_xlsx {ours:.2f} s, bare openpyxl write-only {bare:.2f} s "
                f"for the same {count:,} cells (medians of {rounds}: "
                f"{_runs(ours_runs)} / {_runs(bare_runs)}): ratio {ours / bare:.2f}x "
                f"(target <= 1.3x); {out.stat().st_size / 1e6:.1f} MB; {aside}"
            )

            codes = [
                c for (c,) in m.conn.execute("SELECT code FROM stations ORDER BY code LIMIT 300")
            ]
            pdf = folder / "stations.pdf"
            t_pdf, _ = _timed(
                lambda: export_pdf(m, pdf, kind="stations", form_id="eday", stations=codes)
            )
            pages = len(pypdf.PdfReader(pdf).pages)
            print(
                f"station summaries: {pages} pages in {t_pdf:.2f} s = {pages / t_pdf:.0f} "
                "pages/s (target >= 200)"
            )

            findings = folder / "findings.pdf"
            aside = _aside(reports)
            runs = [
                _timed(lambda: export_pdf(m, findings, kind="findings", form_id="eday"))[0]
                for _ in range(rounds)
            ]
            t_find = statistics.median(runs)
            pages = len(pypdf.PdfReader(findings).pages)
            print(
                f"findings report: {pages} pages in {t_find:.2f} s (median of {rounds}: "
                f"{_runs(runs)}; target <= 5 s); {aside}"
            )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 30_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 3,
    )
