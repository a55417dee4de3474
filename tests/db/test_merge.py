"""Merging mission files: the rules for reports, forms, stations and the log, and the laws.

Everything runs on real mission files in temporary folders, made with Pollcheck's own functions
(kits, reports saved and deleted, files sent). The property tests check that any set of observer
files, merged in any order, grouping and number of times, gives the same target, equal to a plain
model of the rules.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from db.checks import run_checks
from db.forms import add_form, get_form, list_forms, view_name
from db.kit import make_kit, send_file
from db.merge import check_source, list_conflicts, merge
from db.mission import create_mission, open_mission
from db.reports import create_report, delete_report, get_report, report_history, save_report
from db.stations import Station, add_station, get_station
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
|          | visit         | Visit      | {version}           |
"""
STATIONS = [
    Station(code="ALM-1", number="1", region="Алматы", district="Медеуский"),
    Station(code="ALM-2", number="2", region="Алматы", district="Бостандыкский"),
    Station(code="AST-1", number="1", region="Астана", district="Есильский"),
]


@pytest.fixture(scope="module")
def hq_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An HQ mission file with the form 'visit' and three stations; copy it, never change it."""
    folder = tmp_path_factory.mktemp("hq")
    path = folder / "hq.pollcheck"
    with create_mission(path, title="Выборы 2026") as m:
        add_form(m, write_workbook(textwrap.dedent(VISIT.format(version="1")), folder / "v1.xlsx"))
        for s in STATIONS:
            add_station(m, s)
    return path


@pytest.fixture
def hq(hq_base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "hq.pollcheck"
    shutil.copy(hq_base, path)
    return path


def kit(hq: Path, out: Path, observer: str | None = None) -> Path:
    return make_kit(hq, out, observer=observer)


def visit(
    path: Path,
    *,
    observer: str = "Айгуль",
    station: str = "ALM-1",
    queue: str = "no",
    comment: str = "",
    device: str | None = None,
) -> str:
    """Create a report in the mission file ``path``; its uuid."""
    with open_mission(path) as m:
        answers = {"queue": queue, **({"comment": comment} if comment else {})}
        return create_report(
            m,
            "visit",
            device=device or f"laptop-{observer}",
            observer=observer,
            station_code=station,
            answers=answers,
        ).report.uuid


def edit(path: Path, uuid: str, *, device: str = "laptop", **answers: str) -> None:
    with open_mission(path) as m:
        save_report(m, uuid, device=device, answers={**get_report(m, uuid).answers, **answers})


def state(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What the laws compare: everything but local ids, times of finding and the merge log."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return {
            "reports": sorted(conn.execute("SELECT * FROM reports")),
            "history": sorted(conn.execute(f"SELECT {_HISTORY} FROM history")),
            "conflicts": sorted(
                conn.execute(
                    "SELECT report_uuid, revision, content_sha_a, content_sha_b, winner"
                    " FROM conflicts"
                )
            ),
            "forms": sorted(conn.execute("SELECT form_id, version, seq, definition FROM forms")),
            "stations": sorted(
                conn.execute(
                    "SELECT code, number, region, district, name, address, registered_voters,"
                    " attributes, search_key FROM stations"
                )
            ),
            "observers": sorted(conn.execute("SELECT name, team FROM observers")),
        }
    finally:
        conn.close()


_HISTORY = (
    "report_uuid, revision, saved, observer, device, form_version, station_code, region,"
    " status, deleted, answers, changes, content_sha"
)


def merged(target: Path, *sources: Path) -> list[Any]:
    with open_mission(target) as m:
        result = merge(m, list(sources))
    assert not result.refused, [s.reason for s in result.refused]
    return list(result.sources)


def integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return ok and conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


# -- reports -----------------------------------------------------------------------------------


def test_merge__observer_file__reports_history_and_observer_copied(
    hq: Path, tmp_path: Path
) -> None:
    obs = kit(hq, tmp_path / "obs.pollcheck")
    uuid = visit(obs, comment="Тихо")
    edit(obs, uuid, comment="Очередь")
    (result,) = merged(hq, send_file(obs, tmp_path / "sent.pollcheck"))
    assert (result.outcome, result.reports_new, result.history_added) == ("merged", 1, 2)
    with open_mission(hq) as m:
        report = get_report(m, uuid)
        assert report.answers == {"queue": "no", "comment": "Очередь"}
        assert [h.revision for h in report_history(m, uuid)] == [1, 2]
        assert m.conn.execute("SELECT team FROM observers WHERE name = 'Айгуль'").fetchone()
    assert integrity_ok(hq)


def test_merge__same_file_twice__changes_nothing_and_says_so(hq: Path, tmp_path: Path) -> None:
    obs = kit(hq, tmp_path / "obs.pollcheck")
    visit(obs)
    first, second = merged(hq, obs, obs)
    before = state(hq)
    (third,) = merged(hq, obs)
    assert first.outcome == "merged"
    for again in (second, third):
        assert again.outcome == "nothing new"
        assert (again.reports_new, again.reports_newer, again.reports_unchanged) == (0, 0, 1)
        assert again.history_added == again.conflicts == 0
    assert state(hq) == before


def test_merge__edited_after_first_send__newer_version_replaces(hq: Path, tmp_path: Path) -> None:
    obs = kit(hq, tmp_path / "obs.pollcheck")
    uuid = visit(obs, comment="first")
    early = send_file(obs, tmp_path / "early.pollcheck")
    edit(obs, uuid, comment="second")
    late = send_file(obs, tmp_path / "late.pollcheck")
    # Out of order: the later file first, then the earlier one, which changes nothing.
    a, b = merged(hq, late, early)
    assert (a.reports_new, b.reports_older, b.outcome) == (1, 1, "nothing new")
    with open_mission(hq) as m:
        assert get_report(m, uuid).answers["comment"] == "second"
    other = tmp_path / "other.pollcheck"
    shutil.copy(kit(hq, tmp_path / "k.pollcheck"), other)
    c, d = merged(other, early, late)
    assert (c.reports_new, d.reports_newer) == (1, 1)
    assert state(other)["reports"] == state(hq)["reports"]


def test_merge__two_observers_one_station__two_reports(hq: Path, tmp_path: Path) -> None:
    a = kit(hq, tmp_path / "a.pollcheck")
    b = kit(hq, tmp_path / "b.pollcheck")
    visit(a, observer="Айгуль", station="ALM-1")
    visit(b, observer="Ерлан", station="ALM-1")
    merged(hq, a, b)
    with open_mission(hq) as m:
        rows = m.conn.execute("SELECT observer FROM reports WHERE station_code = 'ALM-1'")
        assert sorted(r[0] for r in rows) == ["Айгуль", "Ерлан"]


def _forked(hq: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    """One report, then the file copied (as with a file manager) to a second laptop."""
    a = kit(hq, tmp_path / "a.pollcheck")
    uuid = visit(a, comment="base")
    b = tmp_path / "b.pollcheck"
    shutil.copy(a, b)
    return a, b, uuid


def test_merge__same_revision_other_content__conflict_recorded_both_kept(
    hq: Path, tmp_path: Path
) -> None:
    a, b, uuid = _forked(hq, tmp_path)
    edit(a, uuid, comment="from a", device="laptop-a")
    edit(b, uuid, comment="from b", device="laptop-b")
    results = merged(hq, a, b)
    assert [r.conflicts for r in results] == [0, 1]
    with open_mission(hq) as m:
        (conflict,) = list_conflicts(m)
        shas = {h.answers["comment"]: h for h in report_history(m, uuid) if h.revision == 2}
        assert set(shas) == {"from a", "from b"}  # both versions kept
        report = get_report(m, uuid)
    assert conflict.revision == 2 and not conflict.settled
    assert conflict.winner == max(conflict.content_sha_a, conflict.content_sha_b)
    assert report.content_sha == conflict.winner
    with open_mission(hq, readonly=True) as m:  # and `pollcheck check` lists it
        (listed,) = next(c for c in run_checks(m).checks if c.name == "conflicts").findings
    assert listed.report_ids == (uuid,) and "revision 2 exists in two versions" in listed.detail
    # Which version was kept, and the other, as a coordinator can follow them up: who saved
    # each, on which device, when.
    kept, other = conflict.saved_kept, conflict.saved_other
    assert kept is not None and other is not None
    assert {kept.device, other.device} == {"laptop-a", "laptop-b"}
    assert report.answers["comment"] == f"from {kept.device[-1]}"  # the version kept
    assert kept.time == shas[f"from {kept.device[-1]}"].saved and kept.time.endswith("Z")
    when = kept.time.replace("T", " ")[:16]
    observer = shas["from a"].observer
    assert f"the rule kept the one saved by {observer} on {kept.device} at {when} UTC" in (
        listed.detail
    )
    assert f"not the one saved by {observer} on {other.device} at " in listed.detail
    assert listed.detail_in("ru").count("сохраненный") == 2
    assert f"оставлен вариант, сохраненный наблюдателем {observer} на {kept.device}" in (
        listed.detail_in("ru")
    )
    # The other order: the same winner, the same conflict.
    other = tmp_path / "other.pollcheck"
    shutil.copy(kit(hq, tmp_path / "k.pollcheck"), other)
    merged(other, b, a)
    assert state(other) == state(hq)


def test_merge__file_bringing_both_versions_of_a_new_report__conflict_recorded(
    hq: Path, tmp_path: Path
) -> None:
    a, b, uuid = _forked(hq, tmp_path)
    edit(a, uuid, comment="from a", device="laptop-a")
    edit(b, uuid, comment="from b", device="laptop-b")
    region = kit(hq, tmp_path / "region.pollcheck")
    merged(region, a, b)
    (result,) = merged(hq, send_file(region, tmp_path / "region-sent.pollcheck"))
    assert (result.reports_new, result.conflicts) == (1, 1)
    assert state(hq)["conflicts"] == state(region)["conflicts"]
    with open_mission(hq) as m:
        (conflict,) = list_conflicts(m)
    assert conflict.report_uuid == uuid and conflict.revision == 2


def test_merge__deletion_at_same_revision__deletion_wins(hq: Path, tmp_path: Path) -> None:
    a, b, uuid = _forked(hq, tmp_path)
    with open_mission(a) as m:
        delete_report(m, uuid, device="laptop-a", observer="Координатор")
    edit(b, uuid, comment="kept?", device="laptop-b")
    for order in ((a, b), (b, a)):
        target = tmp_path / f"t{order[0].stem}.pollcheck"
        shutil.copy(kit(hq, tmp_path / f"k{order[0].stem}.pollcheck"), target)
        merged(target, *order)
        with open_mission(target) as m:
            report = get_report(m, uuid)
            (conflict,) = list_conflicts(m)
        assert report.deleted and report.revision == 2
        assert conflict.winner == report.content_sha


def test_merge__higher_revision__wins_over_deletion(hq: Path, tmp_path: Path) -> None:
    a, b, uuid = _forked(hq, tmp_path)
    with open_mission(a) as m:
        delete_report(m, uuid, device="laptop-a")
    edit(b, uuid, comment="two", device="laptop-b")
    edit(b, uuid, comment="three", device="laptop-b")
    merged(hq, b, a)
    with open_mission(hq) as m:
        report = get_report(m, uuid)
    assert not report.deleted and report.revision == 3


def test_merge__large_source_written_row_by_row__same_target(
    hq: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source of many reports is written one row per statement (its statement journal would
    grow with it), a small one with one statement per table: the same rules either way."""
    import db.merge

    a, b, uuid = _forked(hq, tmp_path)
    edit(a, uuid, comment="from a", device="laptop-a")  # a conflict at revision 2
    edit(b, uuid, comment="from b", device="laptop-b")
    edit(b, uuid, comment="again", device="laptop-b")  # b goes on to revision 3
    other = visit(a, observer="Берик", station="ALM-2")
    with open_mission(a) as m:
        delete_report(m, other, device="laptop-a")
    visit(b, observer="Дана", station="AST-1")
    small, large = tmp_path / "small.pollcheck", tmp_path / "large.pollcheck"
    shutil.copy(hq, small)
    shutil.copy(hq, large)
    merged(small, a, b, a)
    monkeypatch.setattr(db.merge, "_STATEMENT_REPORTS", 0)  # every source is "large"
    statements: list[str] = []
    real = db.merge._Merger.apply

    def apply(self: Any, *args: Any) -> Any:
        self.conn.set_trace_callback(statements.append)
        try:
            return real(self, *args)
        finally:
            self.conn.set_trace_callback(None)

    monkeypatch.setattr(db.merge._Merger, "apply", apply)
    merged(large, a, b, a)
    assert any(s.startswith("INSERT INTO main.reports") and "VALUES" in s for s in statements)
    assert state(large) == state(small)
    assert len(state(small)["reports"]) == 3 and len(state(small)["conflicts"]) == 1


def test_merge__wal_copied_while_merging__thread_gone_and_wal_empty_after(
    hq: Path, tmp_path: Path
) -> None:
    """The WAL is copied into the file from a thread of its own during a merge; when the merge
    returns, that thread and its connection are gone and the WAL is empty, so a copy of the
    mission file made then is whole."""
    import threading
    import time

    files = []
    for i in range(3):
        f = kit(hq, tmp_path / f"o{i}.pollcheck")
        visit(f, observer=f"Наблюдатель {i}", station="ALM-1")
        files.append(f)
    seen: list[str] = []

    def slow(done: int, total: int) -> None:
        seen.extend(t.name for t in threading.enumerate())
        time.sleep(0.15)  # the thread checkpoints every 0.1 s

    with open_mission(hq) as m:
        result = merge(m, files, progress=slow)
        assert [s.outcome for s in result.sources] == ["merged"] * 3
        assert "pollcheck-checkpoint" in seen
        assert "pollcheck-checkpoint" not in {t.name for t in threading.enumerate()}
        wal = Path(f"{hq}-wal")
        assert not wal.exists() or wal.stat().st_size == 0
    assert integrity_ok(hq)


def test_merge__regions_then_hq__equals_everything_at_once(hq: Path, tmp_path: Path) -> None:
    files = []
    for i, (observer, station) in enumerate([("A", "ALM-1"), ("B", "ALM-2"), ("C", "AST-1")]):
        f = kit(hq, tmp_path / f"o{i}.pollcheck", observer)
        visit(f, observer=observer, station=station)
        files.append(f)
    once = tmp_path / "once.pollcheck"
    shutil.copy(hq, once)
    merged(once, *files)
    north, south = kit(hq, tmp_path / "north.pollcheck"), kit(hq, tmp_path / "south.pollcheck")
    merged(north, files[0], files[1])
    merged(south, files[2])
    merged(
        hq, send_file(north, tmp_path / "n.pollcheck"), send_file(south, tmp_path / "s.pollcheck")
    )
    assert state(hq) == state(once)


# -- forms, stations, observers ----------------------------------------------------------------


def test_merge__newer_form_version_in_source__added_and_latest(hq: Path, tmp_path: Path) -> None:
    target = kit(hq, tmp_path / "region.pollcheck")  # made before version 2 existed
    with open_mission(hq) as m:
        add_form(
            m, write_workbook(textwrap.dedent(VISIT.format(version="2")), tmp_path / "v2.xlsx")
        )
    obs = kit(hq, tmp_path / "obs.pollcheck")
    uuid = visit(obs)
    (result,) = merged(target, obs)
    assert result.forms_added == ("visit version 2",)
    with open_mission(target) as m:
        assert get_form(m, "visit").version == "2"
        assert get_report(m, uuid).form_version == "2"
        assert [f.version for f in list_forms(m) if f.latest] == ["2"]
    # Read as other tools do: SQLite 3.40 does not let trusted_schema=OFF connections run
    # json_extract() in a view.
    plain = sqlite3.connect(target)
    row = plain.execute(f'SELECT uuid FROM "{view_name("visit")}"').fetchall()
    plain.close()
    assert row == [(uuid,)]
    assert check_source(target, _open_ro(hq)) == []


def _open_ro(path: Path) -> Any:
    return open_mission(path, readonly=True)


def test_merge__same_form_version_other_definition__reported_target_kept(
    hq: Path, tmp_path: Path
) -> None:
    obs = kit(hq, tmp_path / "obs.pollcheck")
    raw = sqlite3.connect(obs)
    raw.execute("UPDATE forms SET title = 'Changed elsewhere'")
    raw.commit()
    raw.close()
    # A changed title is not the definition: change the definition itself.
    raw = sqlite3.connect(obs)
    definition = json.loads(raw.execute("SELECT definition FROM forms").fetchone()[0])
    definition["title"] = "Визит (другой)"
    raw.execute("UPDATE forms SET definition = ?", (json.dumps(definition, ensure_ascii=False),))
    raw.execute("DROP VIEW reports_visit")  # a missing view is not hostile
    raw.commit()
    raw.close()
    (result,) = merged(hq, obs)
    assert result.forms_differing == ("visit version 1",)
    with open_mission(hq) as m:
        assert get_form(m, "visit").title == "Visit"


def test_merge__station_registries_differ__new_added_differing_reported(
    hq: Path, tmp_path: Path
) -> None:
    obs = kit(hq, tmp_path / "obs.pollcheck")
    with open_mission(obs) as m:
        add_station(m, Station(code="ALM-1", number="1", region="Алматы", name="Школа № 7"))
        add_station(m, Station(code="ALM-99", number="99", region="Алматы", name="Новая школа"))
    (result,) = merged(hq, obs)
    assert result.stations_added == 1
    assert result.stations_differing == ("ALM-1",)
    with open_mission(hq) as m:
        assert get_station(m, "ALM-1") == STATIONS[0]  # the target's is kept
        new = get_station(m, "ALM-99")
        assert new is not None and new.name == "Новая школа"
        found = m.conn.execute(
            "SELECT code FROM stations WHERE search_key LIKE '%новая%'"
        ).fetchall()
        log = json.loads(m.conn.execute("SELECT details FROM merges").fetchone()[0])
    assert found == [("ALM-99",)]
    assert log["stations_differing"] == ["ALM-1"]


def test_merge__log__records_file_sha_copy_devices_and_counts(hq: Path, tmp_path: Path) -> None:
    obs = kit(hq, tmp_path / "obs.pollcheck")
    visit(obs, device="laptop-7")
    bad = tmp_path / "notes.pollcheck"
    bad.write_text("not a mission", encoding="utf-8")
    with open_mission(hq) as m:
        merge(m, [obs, bad])
        rows = m.conn.execute(
            "SELECT file_name, file_sha256, copy_id, devices, reports_new, outcome, reason"
            " FROM merges ORDER BY id"
        ).fetchall()
    with open_mission(obs, readonly=True) as o:
        copy_id = o.info().copy_id
    sha = hashlib.sha256(obs.read_bytes()).hexdigest()
    assert rows[0] == ("obs.pollcheck", sha, copy_id, '["laptop-7"]', 1, "merged", None)
    assert rows[1][0] == "notes.pollcheck" and rows[1][5] == "refused"
    assert "not a Pollcheck mission file" in rows[1][6]


# -- dry run, progress, cancelling ---------------------------------------------------------------


def test_merge__dry_run__same_table_and_target_untouched(hq: Path, tmp_path: Path) -> None:
    obs = kit(hq, tmp_path / "obs.pollcheck")
    visit(obs)
    bad = tmp_path / "bad.pollcheck"
    bad.write_bytes(b"PK\x03\x04" + os.urandom(200))
    before = state(hq)
    with open_mission(hq, readonly=True) as m:
        dry = merge(m, [obs, obs, bad], dry_run=True)
        logged = m.conn.execute("SELECT count(*) FROM merges").fetchone()[0]
    assert state(hq) == before and logged == 0
    with open_mission(hq) as m:
        real = merge(m, [obs, obs, bad])
    assert dry.dry_run and not real.dry_run
    assert [s.as_dict() for s in dry.sources] == [s.as_dict() for s in real.sources]
    assert [s.outcome for s in real.sources] == ["merged", "nothing new", "refused"]


def test_merge__progress_and_cancel__reported_and_rest_skipped(hq: Path, tmp_path: Path) -> None:
    files = [kit(hq, tmp_path / f"o{i}.pollcheck") for i in range(3)]
    for f in files:
        visit(f)
    seen: list[tuple[int, int]] = []
    with open_mission(hq) as m:
        result = merge(
            m, files, progress=lambda d, t: seen.append((d, t)), cancelled=lambda: len(seen) > 2
        )
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert [s.outcome for s in result.sources] == ["merged", "merged", "skipped"]
    assert result.cancelled


# -- where sources come from ---------------------------------------------------------------------


def test_merge__path_with_quote_space_and_cyrillic__merges(hq: Path, tmp_path: Path) -> None:
    folder = tmp_path / "O'Brien наблюдатели #1 ?"
    folder.mkdir()
    obs = kit(hq, folder / "отчёт 'Айгуль' 50%.pollcheck")
    visit(obs)
    with open_mission(hq) as m:
        assert check_source(obs, m) == []
    (result,) = merged(hq, obs)
    assert result.reports_new == 1


_READ_ONLY_MERGE = """
import sys
from pathlib import Path
from db.merge import merge
from db.mission import open_mission
with open_mission(Path(sys.argv[1])) as m:
    r = merge(m, [Path(p) for p in sys.argv[2:]])
print([(s.outcome, s.reports_new, s.reason) for s in r.sources])
"""


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="read-only media are simulated by dropping root for a folder only root may write",
)
def test_merge__read_only_media__wal_file_merges_sent_file_merges(hq: Path, tmp_path: Path) -> None:
    # A folder that the (unprivileged) merging process may read but not write: a locked USB
    # stick. One file as a file manager copies it (WAL mode), one made by 'send'.
    media = Path(tempfile.mkdtemp(prefix="pollcheck-ro-"))
    work = Path(tempfile.mkdtemp(prefix="pollcheck-rw-"))
    try:
        obs = kit(hq, tmp_path / "obs.pollcheck")
        visit(obs)
        copied = media / "copied.pollcheck"
        shutil.copy(obs, copied)
        raw = sqlite3.connect(copied)
        raw.execute("PRAGMA journal_mode = WAL")
        raw.close()
        sent = send_file(obs, media / "sent.pollcheck")
        target = work / "hq.pollcheck"
        shutil.copy(hq, target)
        for p in (media, copied, sent):
            p.chmod(0o555 if p.is_dir() else 0o444)
        os.chown(work, 65534, 65534)
        os.chown(target, 65534, 65534)
        result = subprocess.run(
            [
                *("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
                *(sys.executable, "-c", _READ_ONLY_MERGE, str(target), str(copied), str(sent)),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "POLLCHECK_CONFIG_DIR": str(work)},
            check=False,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "[('merged', 1, ''), ('nothing new', 0, '')]"
        assert sorted(os.listdir(media)) == ["copied.pollcheck", "sent.pollcheck"]
    finally:
        media.chmod(0o755)
        shutil.rmtree(media, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


def test_merge__file_open_in_pollcheck__committed_saves_merged(hq: Path, tmp_path: Path) -> None:
    obs = kit(hq, tmp_path / "obs.pollcheck")
    with open_mission(obs) as live:  # the program still has it open; saves sit in the -wal
        create_report(live, "visit", device="d", observer="A", station_code="ALM-1")
        with open_mission(hq) as m:
            (result,) = merge(m, [obs]).sources
    assert result.reports_new == 1


def test_merge__older_schema_source__merges(hq: Path, tmp_path: Path) -> None:
    obs = kit(hq, tmp_path / "obs.pollcheck")
    visit(obs)
    raw = sqlite3.connect(obs)
    raw.execute("DROP TABLE conflicts")
    raw.execute("DROP TABLE merges")
    raw.execute("DROP TABLE kits")  # from 5
    raw.execute("CREATE INDEX history_report ON history (report_uuid, revision)")  # until 4
    raw.execute("PRAGMA user_version = 2")
    raw.close()
    (result,) = merged(hq, obs)
    assert result.reports_new == 1


def test_merge__source_is_the_target__refused(hq: Path) -> None:
    with open_mission(hq) as m:
        (result,) = merge(m, [hq]).sources
    assert result.refused and result.problems[0].code == "M115"


def test_merge__workbook__refused_until_supported(hq: Path, tmp_path: Path) -> None:
    book = write_workbook(textwrap.dedent(VISIT.format(version="1")), tmp_path / "reports.xlsx")
    with open_mission(hq) as m:
        (result,) = merge(m, [book]).sources
    assert result.kind == "workbook" and result.problems[0].code == "M113"


def test_check_source__good_file__no_problems_and_nothing_written(hq: Path, tmp_path: Path) -> None:
    obs = kit(hq, tmp_path / "obs.pollcheck")
    visit(obs)
    before = state(hq)
    with open_mission(hq) as m:
        assert check_source(obs, m) == []
        assert m.conn.execute("SELECT count(*) FROM merges").fetchone()[0] == 0
    assert state(hq) == before


# -- the laws, on real files ---------------------------------------------------------------------

# An observer's working day: reports created, edited, deleted and restored; files sent now and
# then (a file may be sent, edited, and sent again); a laptop's file copied to another laptop
# (both then edit the same reports: conflicting revisions).
_OBSERVERS = ("Айгуль", "Ерлан", "Olena")
_edit = st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, 3), st.sampled_from("ab"))
_delete = st.tuples(st.just("delete"), st.integers(0, 2), st.integers(0, 3), st.booleans())
# The same report changed on the two laptops that share it: a conflict, or (same comment) the
# same change made twice apart.
_clash = st.tuples(
    st.just("clash"), st.integers(0, 3), st.sampled_from("ab"), st.sampled_from("ab")
)
_op = st.one_of(
    _clash,
    _edit,
    _delete,
    st.tuples(st.just("create"), st.integers(0, 2), st.sampled_from([s.code for s in STATIONS])),
    st.tuples(st.just("send"), st.integers(0, 2)),
    st.tuples(st.just("fork"), st.integers(0, 2), st.integers(0, 2)),
)
# Every day starts alike: reports on two laptops, one file sent, and laptop 0's file copied to
# laptop 2, so that what follows edits shared reports on two laptops.
_MORNING: list[tuple[Any, ...]] = [
    ("create", 0, "ALM-1"),
    ("create", 0, "ALM-2"),
    ("create", 1, "AST-1"),
    ("send", 0),
    ("fork", 0, 2),
]


def _scratch() -> tempfile.TemporaryDirectory[str]:
    # Many small files, each commit fsync'd: in memory (tmpfs) where there is one, which keeps
    # the examples quick; the files are the same.
    shm = Path("/dev/shm")  # noqa: S108 - a private TemporaryDirectory is made inside it
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    return tempfile.TemporaryDirectory(prefix="pollcheck-laws-", dir=where)


def _day(hq: Path, folder: Path, ops: list[tuple[Any, ...]]) -> list[Path]:
    """Play ``ops`` on observers' files made from ``hq``; the files they sent, in order."""
    laptops = [kit(hq, folder / f"laptop{i}.pollcheck", _OBSERVERS[i]) for i in range(3)]
    sent: list[Path] = []
    for op in [*_MORNING, *ops]:
        if op[0] == "clash":
            for who, comment in ((0, op[2]), (2, op[3])):
                _change(laptops[who], who, ("edit", who, op[1], comment))
            continue
        who = op[1]
        path = laptops[who]
        if op[0] == "fork":
            if op[2] != who:
                shutil.copy(path, laptops[op[2]])
            continue
        if op[0] == "send":
            sent.append(send_file(path, folder / f"sent{len(sent)}.pollcheck"))
            continue
        _change(path, who, op)
    for i, path in enumerate(laptops):  # everyone sends at the end of the day
        sent.append(send_file(path, folder / f"final{i}.pollcheck"))
    return sent


def _change(path: Path, who: int, op: tuple[Any, ...]) -> None:
    with open_mission(path) as m:
        uuids = [r[0] for r in m.conn.execute("SELECT uuid FROM reports ORDER BY created, uuid")]
        if op[0] == "create":
            create_report(
                m, "visit", device=f"dev{who}", observer=_OBSERVERS[who], station_code=op[2]
            )
            return
        if not uuids:
            return
        uuid = uuids[op[2] % len(uuids)]
        report = get_report(m, uuid)
        if op[0] == "edit" and not report.deleted:
            save_report(m, uuid, device=f"dev{who}", answers={"queue": "yes", "comment": op[3]})
        elif op[0] == "delete" and report.deleted != op[3]:
            delete_report(m, uuid, device=f"dev{who}", deleted=op[3], observer=_OBSERVERS[who])


def _model(hq: Path, sources: list[Path]) -> dict[str, list[tuple[Any, ...]]]:
    """The rules, plainly: greatest version per report; history and conflicts as sets."""
    reports: dict[str, tuple[Any, ...]] = {}
    history: set[tuple[Any, ...]] = set()  # every save, once
    observers: set[tuple[Any, ...]] = set()

    def report_key(r: tuple[Any, ...]) -> tuple[Any, ...]:
        # revision, deleted, content_sha, answers, updated, created, device, started, submitted
        return (r[9], r[8], r[15], r[14], r[11], r[10], r[6], r[12] is not None, r[12] or "")
        # (submitted is None in these reports: drafts)

    for path in [hq, *sources]:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        for r in conn.execute("SELECT * FROM reports"):
            if r[0] not in reports or report_key(r) > report_key(reports[r[0]]):
                reports[r[0]] = r
        history.update(conn.execute(f"SELECT {_HISTORY} FROM history"))
        observers.update(conn.execute("SELECT name, team FROM observers"))
        conn.close()
    conflicts = set()
    by_revision: dict[tuple[str, int], set[tuple[int, str]]] = {}
    for h in history:
        by_revision.setdefault((h[0], h[1]), set()).add((h[9], h[12]))
    for (uuid, revision), versions in by_revision.items():
        for a, b in itertools.combinations(sorted(versions, key=lambda v: v[1]), 2):
            conflicts.add((uuid, revision, a[1], b[1], max(a, b)[1]))
    expected = state(hq)
    expected["reports"] = sorted(reports.values())
    expected["history"] = sorted(history)
    expected["conflicts"] = sorted(conflicts)
    expected["observers"] = sorted(observers)
    return expected


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.tuples(_clash, _delete, st.lists(_op, max_size=12)).map(lambda t: [t[0], t[1], *t[2]]),
    order=st.randoms(use_true_random=False),
    regions=st.integers(1, 3),
)
def test_merge__any_order_grouping_and_repeats__same_target_as_the_model(
    hq_base: Path, ops: list[tuple[Any, ...]], order: Any, regions: int
) -> None:
    with _scratch() as tmp:
        folder = Path(tmp)
        hq = folder / "hq.pollcheck"
        shutil.copy(hq_base, hq)
        sources = _day(hq, folder, ops)
        model = _model(hq, sources)
        event(f"conflicts: {min(len(model['conflicts']), 2)}")
        event(f"deleted reports: {any(r[8] for r in model['reports'])}")
        event(f"files: {min(len(sources) // 3 * 3, 9)}+")

        at_once = folder / "at-once.pollcheck"
        shutil.copy(hq, at_once)
        merged(at_once, *sources)

        # Another order, some files twice, then the whole lot again.
        shuffled = folder / "shuffled.pollcheck"
        shutil.copy(hq, shuffled)
        again = sources + order.sample(sources, k=min(3, len(sources)))
        order.shuffle(again)
        merged(shuffled, *again)
        merged(shuffled, *sources)

        # Regions first (each a kit of its own), then HQ merges the regions' files.
        grouped = folder / "grouped.pollcheck"
        shutil.copy(hq, grouped)
        groups: list[list[Path]] = [[] for _ in range(regions)]
        for path in sources:
            groups[order.randrange(regions)].append(path)
        region_files = []
        for i, group in enumerate(groups):
            region = make_kit(hq, folder / f"region{i}.pollcheck")
            merged(region, *group)
            region_files.append(send_file(region, folder / f"region{i}-sent.pollcheck"))
        merged(grouped, *region_files)

        expected = state(at_once)
        assert expected == model
        assert state(shuffled) == expected
        assert state(grouped) == expected
        assert integrity_ok(at_once) and integrity_ok(grouped)


@settings(max_examples=10, deadline=None)
@given(ops=st.lists(_op, min_size=1, max_size=10))
def test_merge__target_merged_into_itself_via_copies__idempotent(
    hq_base: Path, ops: list[tuple[Any, ...]]
) -> None:
    with _scratch() as tmp:
        folder = Path(tmp)
        hq = folder / "hq.pollcheck"
        shutil.copy(hq_base, hq)
        sources = _day(hq, folder, ops)
        merged(hq, *sources)
        before = state(hq)
        copy = send_file(hq, folder / "copy.pollcheck")
        results = merged(hq, copy, *sources)
        assert state(hq) == before
        assert {r.outcome for r in results} == {"nothing new"}
