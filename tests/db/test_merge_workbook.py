"""Merging Pollcheck workbooks (the Reports sheet of an Excel export) by the rules of mission files.

Real files throughout: a mission's reports are exported with ``exports.xlsx.export_xlsx``,
edited with openpyxl as a coordinator would in Excel, and merged into the HQ mission file.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import textwrap
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cli.main import main
from db.forms import add_form
from db.merge import check_source, list_conflicts, merge, source_kind
from db.mission import create_mission, open_mission
from db.reports import create_report, get_report, report_history
from db.stations import Station, add_station
from exports.xlsx import export_xlsx
from forms.tables import write_workbook

VISIT = """
| survey   |                     |          |                     |
|          | type                | name     | label::English (en) |
|          | select_one yn       | queue    | Long queue?         |
|          | select_multiple who | present  | Who was present?    |
|          | integer             | voters   | Voters              |
|          | text                | comment  | Comment             |
|          | begin_repeat        | problems | Problems            |
|          | text                | what     | What happened       |
|          | end_repeat          |          |                     |
| choices  |                     |          |                     |
|          | list_name           | name     | label::English (en) |
|          | yn                  | yes      | Yes                 |
|          | yn                  | no       | No                  |
|          | who                 | police   | Police officers     |
|          | who                 | official | Officials           |
| settings |                     |          |                     |
|          | form_id             | version  |                     |
|          | visit               | 1        |                     |
"""
STATIONS = [
    Station(code="ALM-1", number="1", region="Алматы", district="Медеуский"),
    Station(code="ALM-2", number="2", region="Алматы", district="Бостандыкский"),
    Station(code="AST-1", number="1", region="Астана", district="Есильский"),
]


@pytest.fixture(scope="module")
def hq_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """HQ with the form 'visit', three stations and three reports; copy it, never change it."""
    folder = tmp_path_factory.mktemp("hq")
    path = folder / "hq.pollcheck"
    with create_mission(path, title="Выборы 2026") as m:
        add_form(m, write_workbook(textwrap.dedent(VISIT), folder / "visit.xlsx"))
        for s in STATIONS:
            add_station(m, s)
        for station, observer, answers in (
            (
                "ALM-1",
                "Айгуль",
                {
                    "queue": "yes",
                    "present": "police official",
                    "voters": 12,
                    "comment": "Урна не опечатана",
                    "problems": [{"what": "Толкали"}, {"what": "Кричали"}],
                },
            ),
            ("ALM-2", "Marat", {"queue": "no", "present": "police"}),
            ("AST-1", "Айгуль", {"queue": "no", "voters": 3}),
        ):
            create_report(
                m,
                "visit",
                device=f"laptop-{observer}",
                observer=observer,
                station_code=station,
                answers=answers,
                status="complete",
            )
    return path


@pytest.fixture
def hq(hq_base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "hq.pollcheck"
    shutil.copy(hq_base, path)
    return path


def export(mission_path: Path, out: Path, **kw: Any) -> Path:
    with open_mission(mission_path, readonly=True) as m:
        return export_xlsx(m, out, form_id="visit", **kw)


def uuid_at(mission_path: Path, station: str) -> str:
    with open_mission(mission_path, readonly=True) as m:
        (uuid,) = m.conn.execute(
            "SELECT uuid FROM reports WHERE station_code = ?", (station,)
        ).fetchone()
    return str(uuid)


def edit_book(book: Path, uuid: str, *, bump: int = 1, **cells: Any) -> None:
    """Change cells of one report's row on the Reports sheet, and its revision by ``bump``."""
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    names = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=3):
        if row[names.index("uuid")].value == uuid:
            row[names.index("revision")].value += bump
            for name, value in cells.items():
                row[names.index(name)].value = value
            break
    else:
        raise AssertionError(f"no row of report {uuid}")
    wb.save(book)


def state(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Reports, history, conflicts and observers, as sorted rows (without local ids)."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return {
            "reports": sorted(conn.execute("SELECT * FROM reports")),
            "history": sorted(
                conn.execute(
                    "SELECT report_uuid, revision, saved, observer, device, content_sha"
                    " FROM history"
                )
            ),
            "conflicts": sorted(conn.execute("SELECT report_uuid, revision FROM conflicts")),
            "observers": sorted(conn.execute("SELECT name FROM observers")),
        }
    finally:
        conn.close()


def merge_into(target: Path, *sources: Path, dry_run: bool = False) -> Any:
    with open_mission(target) as m:
        return merge(m, list(sources), dry_run=dry_run)


def last_log(target: Path) -> dict[str, Any]:
    with open_mission(target, readonly=True) as m:
        cur = m.conn.execute("SELECT * FROM merges ORDER BY id DESC LIMIT 1")
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


# -- merged by the rules -----------------------------------------------------------------------


def test_merge_workbook__one_answer_edited_and_revision_bumped__newer_others_unchanged(
    hq: Path, tmp_path: Path
) -> None:
    book = export(hq, tmp_path / "book.xlsx")
    uuid = uuid_at(hq, "ALM-2")
    edit_book(book, uuid, queue="Yes")  # a label, as the export wrote them
    before = state(hq)

    (result,) = merge_into(hq, book).sources

    assert (result.kind, result.outcome, result.problems) == ("workbook", "merged", ())
    assert (result.reports_new, result.reports_newer, result.reports_unchanged) == (0, 1, 2)
    assert (result.reports_older, result.conflicts, result.history_added) == (0, 0, 1)
    assert "workbook:book.xlsx" in result.devices  # the unchanged keep their devices
    with open_mission(hq, readonly=True) as m:
        report = get_report(m, uuid)
        assert (report.revision, report.answers) == (2, {"queue": "yes", "present": "police"})
        assert report.device == "workbook:book.xlsx"
        saves = report_history(m, uuid)
        assert [(h.revision, h.device) for h in saves] == [
            (1, "laptop-Marat"),
            (2, "workbook:book.xlsx"),
        ]
    after = state(hq)
    others = [r for r in after["reports"] if r[0] != uuid]
    assert others == [r for r in before["reports"] if r[0] != uuid]
    log = last_log(hq)
    assert log["file_sha256"] == hashlib.sha256(book.read_bytes()).hexdigest()
    assert (log["outcome"], log["copy_id"], log["reports_newer"]) == ("merged", None, 1)
    notes = json.loads(log["details"])["notes"]
    assert "no mission id" in notes[0] and "Выборы 2026" in notes[0]


def test_merge_workbook__unedited_export_with_repeats_and_labels__nothing_new(
    hq: Path, tmp_path: Path
) -> None:
    before = state(hq)
    for values in ("labels", "codes"):
        book = export(hq, tmp_path / f"{values}.xlsx", values=values)
        (result,) = merge_into(hq, book).sources
        assert (result.outcome, result.reports_unchanged, result.history_added) == (
            "nothing new",
            3,
            0,
        ), result.problems
    assert state(hq) == before


def test_merge_workbook__twice__second_changes_nothing(hq: Path, tmp_path: Path) -> None:
    book = export(hq, tmp_path / "book.xlsx")
    edit_book(book, uuid_at(hq, "AST-1"), voters=30, comment="Очередь")
    first = merge_into(hq, book).sources[0]
    assert (first.outcome, first.reports_newer) == ("merged", 1)
    after_first = state(hq)

    second = merge_into(hq, book).sources[0]

    assert (second.outcome, second.reports_unchanged, second.history_added) == (
        "nothing new",
        3,
        0,
    )
    assert state(hq) == after_first


def test_merge_workbook__same_revision_other_content__conflict_recorded(
    hq: Path, tmp_path: Path
) -> None:
    book = export(hq, tmp_path / "book.xlsx")
    uuid = uuid_at(hq, "ALM-2")
    edit_book(book, uuid, bump=0, comment="исправлено в Excel")

    (result,) = merge_into(hq, book).sources

    assert (result.outcome, result.conflicts, result.history_added) == ("merged", 1, 1)
    (conflict,) = list_conflicts(open_mission(hq, readonly=True))
    assert (conflict.report_uuid, conflict.revision, conflict.settled) == (uuid, 1, False)
    with open_mission(hq, readonly=True) as m:
        versions = {h.answers.get("comment") for h in report_history(m, uuid)}
    assert versions == {None, "исправлено в Excel"}  # both versions kept
    # merging it again finds nothing new: the conflict is recorded once
    assert merge_into(hq, book).sources[0].outcome == "nothing new"


def test_merge_workbook__older_revision__older_and_kept(hq: Path, tmp_path: Path) -> None:
    book = export(hq, tmp_path / "book.xlsx")
    uuid = uuid_at(hq, "ALM-1")
    edit_book(book, uuid, bump=1, comment="revision 2 from Excel")
    merge_into(hq, book)
    old = export(hq, tmp_path / "old.xlsx")  # revision 2
    edit_book(old, uuid, bump=-1, comment="something else")  # back at revision 1

    (result,) = merge_into(hq, old).sources

    assert (result.reports_older, result.reports_unchanged, result.conflicts) == (1, 2, 1)
    with open_mission(hq, readonly=True) as m:
        assert get_report(m, uuid).answers["comment"] == "revision 2 from Excel"


def test_merge_workbook__dry_run_and_check_source__target_untouched(
    hq: Path, tmp_path: Path
) -> None:
    book = export(hq, tmp_path / "book.xlsx")
    edit_book(book, uuid_at(hq, "ALM-2"), queue="Yes")
    before = state(hq)
    with open_mission(hq, readonly=True) as m:
        assert check_source(book, m) == []
    (result,) = merge_into(hq, book, dry_run=True).sources
    assert (result.outcome, result.reports_newer) == ("merged", 1)
    assert state(hq) == before
    assert source_kind(book) == "workbook"


# -- refused -----------------------------------------------------------------------------------


def test_merge_workbook__import_style_sheet_without_ids__refused_with_reason(
    hq: Path, tmp_path: Path
) -> None:
    book = tmp_path / "typed.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["station", "observer", "queue", "comment"])
    ws.append(["ALM-1", "Айгуль", "yes", "typed from paper"])
    wb.save(book)
    before = state(hq)

    (result,) = merge_into(hq, book).sources

    assert (result.kind, result.outcome) == ("workbook", "refused")
    assert [p.code for p in result.problems] == ["M113"]
    assert "no report ids" in result.reason
    assert "pollcheck reports import" in result.problems[0].fix
    assert state(hq) == before
    log = last_log(hq)
    assert (log["outcome"], log["file_sha256"]) == (
        "refused",
        hashlib.sha256(book.read_bytes()).hexdigest(),
    )


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_merge_workbook__damaged__refused(hq: Path, tmp_path: Path, damage: str) -> None:
    data = export(hq, tmp_path / "good.xlsx").read_bytes()
    book = tmp_path / "book.xlsx"
    book.write_bytes(data[: len(data) // 2] if damage == "truncated" else data[:4] + b"x" * 500)
    before = state(hq)

    (result,) = merge_into(hq, book).sources

    assert (result.kind, result.outcome) == ("workbook", "refused")
    assert result.problems[0].code == "M103"
    assert state(hq) == before


def test_merge_workbook__bad_rows__refused_with_every_problem(hq: Path, tmp_path: Path) -> None:
    book = export(hq, tmp_path / "book.xlsx")
    edit_book(book, uuid_at(hq, "ALM-1"), bump=0, station="NOPE-9")
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    names = [c.value for c in ws[1]]
    ws.cell(row=4, column=names.index("revision") + 1, value="two")
    ws.cell(row=5, column=names.index("voters") + 1, value="many")
    wb.save(book)
    before = state(hq)

    (result,) = merge_into(hq, book).sources

    assert result.outcome == "refused"
    codes = [p.code for p in result.problems]
    assert codes[0] == "M117" and {"I105", "I110", "M117"} <= set(codes[1:])
    where = " ".join(p.where for p in result.problems)
    assert "column 'station'" in where and "column 'revision'" in where
    assert "column 'voters'" in where
    assert state(hq) == before


def test_merge_workbook__form_not_in_target__refused(hq: Path, tmp_path: Path) -> None:
    book = export(hq, tmp_path / "book.xlsx")
    other = tmp_path / "other.pollcheck"
    with create_mission(other, title="Другая миссия"):
        pass

    (result,) = merge_into(other, book).sources

    assert (result.outcome, result.problems[0].code) == ("refused", "M118")


# -- the command line --------------------------------------------------------------------------


def test_cli_merge__workbook__merged_through_the_same_core(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = export(hq, tmp_path / "book.xlsx")
    edit_book(book, uuid_at(hq, "ALM-2"), queue="Yes")

    assert main(["merge", str(hq), str(book)]) == 0
    out = capsys.readouterr().out
    assert "book.xlsx" in out and "merged" in out and "1 of 1 file merged" in out

    assert main(["merge", str(hq), str(book), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["kind"], row["outcome"], row["reports_unchanged"]) == (
        "workbook",
        "nothing new",
        3,
    )


def test_merge_workbook__dry_run__scratch_files_beside_the_target_then_removed(
    hq: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A dry run copies the whole target, and a workbook becomes a mission: neither may land in
    # the system's temporary folder, where a merge killed half-way would leave them.
    import db.merge as merging

    made: list[Path] = []
    real = merging.scratch_folder

    def spy(beside: Path, prefix: str) -> Path:
        made.append(real(beside, prefix))
        return made[-1]

    monkeypatch.setattr(merging, "scratch_folder", spy)
    book = export(hq, tmp_path / "book.xlsx")
    edit_book(book, uuid_at(hq, "ALM-2"), queue="Yes")
    (result,) = merge_into(hq, book, dry_run=True).sources
    assert result.outcome == "merged"

    assert {p.name.split("-")[1] for p in made} == {"dry", "workbook"}  # both kinds of scratch
    # Beside the target (a dry run's workbook mission beside the target's copy, within it).
    assert all(hq.parent in p.parents and p.name.startswith(".pollcheck-") for p in made)
    assert not any(p.exists() for p in made)  # removed when the merge ended


def test_scratch_folder__mission_folder_not_writable__system_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from db.merge import scratch_folder

    real = tempfile.mkdtemp

    def refusing(*args: Any, **kw: Any) -> str:
        if kw.get("dir") is not None:
            raise PermissionError("read-only medium")
        return real(*args, **kw)

    monkeypatch.setattr(tempfile, "mkdtemp", refusing)
    folder = scratch_folder(tmp_path / "cd" / "hq.pollcheck", "pollcheck-dry-run-")
    try:
        assert folder.parent == Path(tempfile.gettempdir()) and folder.is_dir()
    finally:
        folder.rmdir()
