"""Merging damaged, foreign and hostile files, and a merge killed half-way.

Each bad file is merged between two good ones: it is refused with its own clear reason, nothing
of it reaches the target, the good files still merge, and the target passes integrity_check.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.data import clone_with_new_ids
from db.forms import add_form
from db.kit import make_kit, send_file
from db.merge import check_source, merge
from db.mission import create_mission, open_mission
from db.reports import create_report
from db.stations import Station, add_station
from forms.tables import write_workbook

VISIT = """
| survey   |               |            |                     |
|          | type          | name       | label::English (en) |
|          | select_one yn | queue      | Long queue?         |
|          | text          | comment    | Comment             |
| choices  |               |            |                     |
|          | list_name     | name       | label::English (en) |
|          | yn            | yes        | Yes                 |
|          | yn            | no         | No                  |
| settings |               |            |                     |
|          | form_id       | form_title | version             |
|          | visit         | Visit      | 1                   |
"""


def _mission(path: Path, folder: Path, title: str = "Выборы 2026") -> Path:
    with create_mission(path, title=title) as m:
        add_form(m, write_workbook(textwrap.dedent(VISIT), folder / f"{path.stem}.xlsx"))
        add_station(m, Station(code="ALM-1", number="1", region="Алматы"))
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """HQ, two good observer files, and a file of another mission with one report."""
    folder = tmp_path_factory.mktemp("faults")
    hq = _mission(folder / "hq.pollcheck", folder)
    files = {"hq": hq}
    for name in ("good1", "good2", "victim"):
        path = make_kit(hq, folder / f"{name}.pollcheck", observer=name)
        with open_mission(path) as m:
            for i in range(3):
                create_report(
                    m,
                    "visit",
                    device=name,
                    observer=name,
                    station_code="ALM-1",
                    answers={"queue": "no", "comment": f"{name} {i}"},
                )
        files[name] = send_file(path, folder / f"{name}-sent.pollcheck")
    other = _mission(folder / "other.pollcheck", folder, title="Другая миссия")
    with open_mission(other) as m:
        create_report(m, "visit", device="x", observer="x", station_code="ALM-1")
    files["other"] = other
    return files


def _sql(*statements: str, foreign_keys: bool = False) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        for statement in statements:
            conn.execute(statement)
        conn.close()

    return damage


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def _overwrite_reports_page(path: Path) -> None:
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'reports'").fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(os.urandom(page_size))


def _not_sqlite(path: Path) -> None:
    path.write_text("Отчёт наблюдателя\nучасток 1: всё спокойно\n", encoding="utf-8")


def _zip_renamed(path: Path) -> None:
    data = path.read_bytes()
    path.unlink()
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("victim.pollcheck", data)


def _other_program(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE reports (uuid TEXT)")
    conn.close()


def _tampered_answers(path: Path) -> None:
    _sql("""UPDATE reports SET answers = '{"comment": "подделка", "queue": "yes"}'""")(path)


def _version_gone(path: Path) -> None:
    # A report of version 7, whose form row was then removed by another program.
    book = write_workbook(textwrap.dedent(VISIT).replace("| 1 ", "| 7 "), path.with_name("v7.xlsx"))
    with open_mission(path) as m:
        add_form(m, book)
        create_report(m, "visit", device="d", observer="o", station_code="ALM-1")
    _sql("DELETE FROM forms WHERE version = '7'")(path)


# What breaks the file, what the refusal's code is, and words its message must hold.
CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "truncated": (_truncate, "M103", "damaged"),
    "random bytes": (_random_bytes, "M102", "not a Pollcheck mission file"),
    "a page overwritten": (_overwrite_reports_page, "M103", "damaged"),
    "not sqlite at all": (_not_sqlite, "M102", "not a Pollcheck mission file"),
    "a zip renamed": (_zip_renamed, "M102", "ZIP archive"),
    "empty": (lambda p: p.write_bytes(b""), "M102", "empty"),
    "another program's database": (_other_program, "M104", "another program"),
    "a newer schema": (_sql("PRAGMA user_version = 99"), "M105", "newer Pollcheck"),
    "a view in place of a table": (
        _sql("DROP TABLE observers", "CREATE VIEW observers AS SELECT 'x' AS name"),
        "M106",
        "a view in place of the table 'observers'",
    ),
    "a trigger": (
        _sql(
            "CREATE TRIGGER t AFTER INSERT ON reports BEGIN DELETE FROM stations; END",
        ),
        "M106",
        "a trigger 't'",
    ),
    "an extra table": (_sql("CREATE TABLE notes (x)"), "M106", "an unexpected table 'notes'"),
    "an extra column": (
        _sql("ALTER TABLE reports ADD COLUMN extra TEXT"),
        "M106",
        "that is not Pollcheck's",
    ),
    "a view of its own": (
        _sql("CREATE VIEW reports_spy AS SELECT * FROM reports"),
        "M107",
        "reports_spy",
    ),
    "a per-form view changed": (
        _sql("DROP VIEW reports_visit", "CREATE VIEW reports_visit AS SELECT 1 AS uuid"),
        "M107",
        "reports_visit",
    ),
    "answers changed without their digest": (_tampered_answers, "M109", "does not match"),
    "a forged digest": (
        _sql(f"UPDATE reports SET content_sha = '{'0' * 64}'"),
        "M109",
        "does not match",
    ),
    "answers that are not an object": (
        _sql("UPDATE reports SET answers = '[1, 2]'"),
        "M110",
        "never writes",
    ),
    "answers that are not JSON": (
        _sql("UPDATE reports SET answers = '{oops'"),
        "M110",
        "never writes",
    ),
    "a revision of zero": (
        _sql("PRAGMA ignore_check_constraints = ON", "UPDATE reports SET revision = 0"),
        "M110",
        "never writes",
    ),
    "reports of a form version nobody has": (_version_gone, "M111", "form visit version 7"),
    # A save that was the report as it is now, changed in the history alone: its digest is
    # worked out, not taken from the report's.
    "a save in the history changed without its digest": (
        _sql("""UPDATE history SET answers = '{"comment": "подделка"}'"""),
        "M109",
        "does not match",
    ),
    "a digest that is not one": (
        _sql("UPDATE reports SET content_sha = 'not a digest'"),
        "M110",
        "never writes",
    ),
    "a save's changes that are not JSON": (
        _sql("UPDATE history SET changes = '{oops'"),
        "M110",
        "never writes",
    ),
    "a new station with fewer than no voters": (
        _sql(
            "INSERT INTO stations (code, number, registered_voters, updated)"
            " VALUES ('NEW-1', '1', -5, '2026-12-06T08:00:00Z')"
        ),
        "M110",
        "NEW-1",
    ),
}


def _counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT count(*) FROM reports").fetchone()[0],
            conn.execute("SELECT count(*) FROM history").fetchone()[0],
        )
    finally:
        conn.close()


def _integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


@pytest.mark.parametrize("case", list(CASES))
def test_merge__bad_file_between_good_ones__refused_clearly_others_merge(
    base: dict[str, Path], tmp_path: Path, case: str
) -> None:
    damage, code, words = CASES[case]
    hq = tmp_path / "hq.pollcheck"
    shutil.copy(base["hq"], hq)
    bad = tmp_path / "victim.pollcheck"
    shutil.copy(base["victim"], bad)
    damage(bad)
    with open_mission(hq) as m:
        problems = check_source(bad, m)
        result = merge(m, [base["good1"], bad, base["good2"]])
        log = m.conn.execute("SELECT file_name, outcome, reason FROM merges ORDER BY id").fetchall()
    good1, refused, good2 = result.sources
    assert (good1.outcome, refused.outcome, good2.outcome) == ("merged", "refused", "merged")
    assert [p.code for p in refused.problems] == [code], refused.reason
    assert words in refused.reason
    assert refused.problems[0].where == "victim.pollcheck" and refused.problems[0].fix
    assert problems == list(refused.problems)  # check_source says the same, beforehand
    assert _counts(hq) == (6, 6)  # the good files' reports only
    assert _integrity_ok(hq)
    assert log[1] == ("victim.pollcheck", "refused", refused.reason)


def test_merge__file_of_another_mission__refused_naming_both(
    base: dict[str, Path], tmp_path: Path
) -> None:
    hq = tmp_path / "hq.pollcheck"
    shutil.copy(base["hq"], hq)
    with open_mission(hq) as m:
        (result,) = merge(m, [base["other"]]).sources
    assert result.problems[0].code == "M108"
    assert "'Другая миссия'" in result.reason and "not to 'Выборы 2026'" in result.reason
    assert _counts(hq) == (0, 0)


def test_merge__refusals_in_russian__same_file_facts_and_fix(
    base: dict[str, Path], tmp_path: Path
) -> None:
    hq = tmp_path / "hq.pollcheck"
    shutil.copy(base["hq"], hq)
    damaged = tmp_path / "usb-stick.pollcheck"
    shutil.copy(base["victim"], damaged)
    _truncate(damaged)
    with open_mission(hq) as m:
        other, broken = merge(m, [base["other"], damaged]).sources
    assert other.reason_text("en") == other.reason
    message = other.problems[0].message
    assert message is not None
    ids = dict(message.values)
    assert other.reason_text("ru") == (
        f"other.pollcheck: этот файл относится к миссии «Другая миссия» ({ids['mission_id']}),"
        f" а не к «Выборы 2026» ({ids['target_id']}). Объедините его с файлом его миссии или"
        " попросите нужный файл."
    )
    assert broken.reason.startswith("usb-stick.pollcheck: the file is damaged (SQLITE_")
    assert broken.reason_text("ru").startswith("usb-stick.pollcheck: файл поврежден (SQLITE_")
    assert broken.reason_text("ru").endswith(
        "Попросите наблюдателя сделать свежую копию командой «Подготовить файл для штаба»"
        " (pollcheck send) и объедините ее."
    )


def test_merge__report_of_another_form_with_the_same_uuid__refused(
    base: dict[str, Path], tmp_path: Path
) -> None:
    hq = tmp_path / "hq.pollcheck"
    shutil.copy(base["hq"], hq)
    bad = tmp_path / "victim.pollcheck"
    shutil.copy(base["victim"], bad)
    with open_mission(hq) as m:
        merge(m, [bad])
        known = m.conn.execute("SELECT uuid FROM reports LIMIT 1").fetchone()[0]
    # Another laptop makes a report of another form with the same id.
    other = make_kit(base["hq"], tmp_path / "other.pollcheck")
    book = write_workbook(
        textwrap.dedent(VISIT).replace("| visit ", "| incident "), tmp_path / "incident.xlsx"
    )
    with open_mission(other) as m:
        add_form(m, book)
        create_report(m, "incident", uuid=known, device="d", station_code="ALM-1")
    with open_mission(hq) as m:
        (result,) = merge(m, [other]).sources
    assert result.problems[0].code == "M112"


# -- a merge killed half-way ---------------------------------------------------------------------

_MERGER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from db.merge import merge
    from db.mission import open_mission

    def progress(done, total):
        print(done, flush=True)

    with open_mission(Path(sys.argv[1])) as m:
        merge(m, [Path(p) for p in sys.argv[2:]], progress=progress)
    """
)


def _clones(source: Path, folder: Path, count: int) -> list[Path]:
    """Copies of ``source`` with new report ids (digests do not cover ids), as other laptops."""
    return [clone_with_new_ids(source, folder / f"obs{i:02d}.pollcheck", i) for i in range(count)]


def _state(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    try:
        return {
            "reports": sorted(conn.execute("SELECT * FROM reports")),
            "history": sorted(
                conn.execute(
                    "SELECT report_uuid, revision, saved, device, answers, content_sha FROM history"
                )
            ),
        }
    finally:
        conn.close()


def test_merge__killed_half_way__committed_sources_whole_and_rerun_completes(
    base: dict[str, Path], tmp_path: Path
) -> None:
    observer = make_kit(base["hq"], tmp_path / "observer.pollcheck", observer="Айгуль")
    with open_mission(observer) as m, m.transaction():
        for i in range(150):
            create_report(
                m,
                "visit",
                device="laptop",
                observer="Айгуль",
                station_code="ALM-1",
                answers={"queue": "yes", "comment": f"очередь {i} " + "x" * 400},
            )
    sources = _clones(send_file(observer, tmp_path / "sent.pollcheck"), tmp_path, 10)
    hq = tmp_path / "hq.pollcheck"
    shutil.copy(base["hq"], hq)
    proc = subprocess.Popen(
        [sys.executable, "-c", _MERGER, str(hq), *map(str, sources)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.stdout.readline().strip() == "3":  # three merged, the fourth one under way
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()

    assert _integrity_ok(hq)
    with open_mission(hq) as m:
        done = [r[0] for r in m.conn.execute("SELECT file_name FROM merges ORDER BY id")]
    assert 3 <= len(done) < len(sources)
    assert done == [p.name for p in sources[: len(done)]]  # whole sources, in order
    expected = tmp_path / "expected.pollcheck"
    shutil.copy(base["hq"], expected)
    with open_mission(expected) as m:
        merge(m, sources[: len(done)])
    assert _state(hq) == _state(expected)  # exactly the sources that committed

    with open_mission(hq) as m:
        rerun = merge(m, sources)
    with open_mission(expected) as m:
        merge(m, sources[len(done) :])
    assert [s.outcome for s in rerun.sources[: len(done)]] == ["nothing new"] * len(done)
    assert {s.outcome for s in rerun.sources[len(done) :]} == {"merged"}
    assert _state(hq) == _state(expected)
    assert _counts(hq) == (1500, 1500)
