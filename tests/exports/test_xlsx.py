"""The Excel workbook read back: sheets, headers, typed values, safety, and the round trip."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db.errors import InputError
from db.forms import add_form
from db.mission import Mission, create_mission
from db.reports_import import import_reports
from db.stations import Station, add_station
from db.tabulate import Filters, tabulate
from exports.cells import MAX_CELL, clean_text
from exports.errors import ExportCancelled, KnownError
from exports.xlsx import _sheet_title, export_xlsx
from tests.exports.conftest import FORM, HOSTILE, STATIONS, TOKEN

SHEETS = ["Reports", "problems", "Findings", "By region", "Coverage", "Checks", "Stations", "About"]


def export(m: Mission, tmp_path: Path, name: str = "out.xlsx", **kw: Any) -> openpyxl.Workbook:
    out = export_xlsx(m, tmp_path / name, form_id="visit", **kw)
    return openpyxl.load_workbook(out)


def table(ws: Any, header_rows: int = 2) -> list[dict[str, Any]]:
    """Rows of a sheet as dicts keyed by the names on row 1."""
    rows = list(ws.iter_rows(values_only=True))
    names = rows[0]
    return [dict(zip(names, r, strict=False)) for r in rows[header_rows:]]


def by_comment(rows: list[dict[str, Any]], start: str) -> dict[str, Any]:
    return next(r for r in rows if str(r["comment"] or "").startswith(start))


def test_export_xlsx__visit__every_sheet_with_frozen_header_and_filter(
    visit: Mission, tmp_path: Path
) -> None:
    wb = export(visit, tmp_path)

    assert wb.sheetnames == SHEETS
    for title in SHEETS[:-1]:
        ws = wb[title]
        assert ws.freeze_panes is not None, title
        assert ws.auto_filter.ref, title
    assert wb["Reports"].auto_filter.ref.startswith("A2:")
    assert wb["Reports"].column_dimensions["A"].width >= 30
    assert not list(tmp_path.glob(".*.tmp"))


def test_reports_sheet__labels__names_row_then_labels_row_and_typed_values(
    visit: Mission, tmp_path: Path
) -> None:
    ws = export(visit, tmp_path)["Reports"]
    names, labels = (
        next(ws.iter_rows(max_row=2, values_only=True)),
        next(iter(ws.iter_rows(min_row=2, max_row=2, values_only=True))),
    )
    header = dict(zip(names, labels, strict=True))
    assert list(names[:12]) == [
        "uuid",
        "revision",
        "station",
        "number",
        "region",
        "district",
        "observer",
        "status",
        "started",
        "submitted",
        "updated",
        "findings",
    ]
    assert header["sealed"] == "Box sealed?" and header["present/police"] == "Police officers"
    assert "problems" not in names and "category" not in names  # the repeat has its own sheet
    rows = table(ws)
    assert len(rows) == 5  # drafts are left out unless asked for
    first = by_comment(rows, "Қазақ")
    assert first["station"] == "ALM-108" and first["region"] == "Almaty"
    assert first["sealed"] == "No"
    assert first["present"] == "Police officers; Local officials"
    assert (first["present/police"], first["present/officials"], first["present/none"]) == (1, 1, 0)
    assert first["added"] == 150 and first["share"] == 0.25 and first["double"] == 300
    assert first["day"] == dt.datetime(2005, 12, 4)
    assert first["seen"] == dt.datetime(2005, 12, 4, 10, 30)
    assert first["arrival"] == "07:30"
    assert first["started"] == dt.datetime(2005, 12, 4, 9, 0)
    assert first["findings"] == 4  # sealed, present, added, category (in a repeat row)
    unanswered = by_comment(rows, "@SUM")
    assert unanswered["added"] is None and unanswered["present/police"] == 1


def test_reports_sheet__codes_in_russian__choice_names_and_russian_labels(
    visit: Mission, tmp_path: Path
) -> None:
    wb = export(visit, tmp_path, language="ru", values="codes")

    assert wb.sheetnames[0] == "Отчеты" and "О выгрузке" in wb.sheetnames
    ws = wb.worksheets[0]
    labels = next(iter(ws.iter_rows(min_row=2, max_row=2, values_only=True)))
    assert "Урна опечатана?" in labels and "Участок" in labels
    first = by_comment(table(ws), "Қазақ")
    assert (first["sealed"], first["present"]) == ("no", "police officials")


def test_reports_sheet__formula_like_answers__plain_text_cells(
    visit: Mission, tmp_path: Path
) -> None:
    out = export_xlsx(visit, tmp_path / "out.xlsx", form_id="visit")
    ws = openpyxl.load_workbook(out)["Reports"]
    comment_col = next(c for c in ws[1] if c.value == "comment").column
    cells = {ws.cell(r, comment_col).value: ws.cell(r, comment_col) for r in range(3, 8)}
    for text in HOSTILE[:3]:
        cell = cells[text]
        assert cell.data_type == "s" and cell.quotePrefix, text
    repeat = openpyxl.load_workbook(out)["problems"]
    minus = [c for row in repeat.iter_rows(min_row=3) for c in row if c.value == "-5"]
    assert minus and minus[0].data_type == "s" and minus[0].quotePrefix
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml and "<hyperlink" not in xml


def test_reports_sheet__same_answers_again_and_damaged_ones__each_cell_right(
    visit: Mission, tmp_path: Path
) -> None:
    # Cells made for an answer are remembered: that must not mix up 1 and True, reuse one
    # quoted cell, or fail on a list where an answer should be (a file edited by hand).
    given = [
        {"sealed": "no", "added": 1, "comment": HOSTILE[0]},
        {"sealed": "no", "added": True, "comment": HOSTILE[0]},
        {"sealed": ["no"], "added": 1.5, "share": "0,5", "present": "police", "comment": "x"},
    ]
    for n, answers in enumerate(given):
        visit.conn.execute(
            "INSERT INTO reports (uuid, form_id, form_version, station_code, observer, device,"
            " status, revision, created, updated, answers, content_sha) VALUES (?, 'visit', '1',"
            " 'SHY-186', 'x', 'x', 'complete', 1, '2005-12-04T10:00:00Z',"
            " '2005-12-04T10:00:00Z', ?, 'x')",
            (f"00000000-0000-4000-8000-00000000000{n}", json.dumps(answers)),
        )
    out = export_xlsx(visit, tmp_path / "out.xlsx", form_id="visit")
    ws = openpyxl.load_workbook(out)["Reports"]
    names = [c.value for c in ws[1]]
    rows = [dict(zip(names, row, strict=True)) for row in ws.iter_rows(min_row=3)]
    one, true, damaged = sorted(
        (r for r in rows if r["observer"].value == "x"), key=lambda r: r["uuid"].value
    )
    assert (one["added"].value, one["added"].data_type) == (1, "n")
    assert (true["added"].value, true["added"].data_type) == ("True", "s")
    for r in (one, true):
        assert r["comment"].value == HOSTILE[0] and r["comment"].quotePrefix
        assert r["sealed"].value == "No" and r["present/police"].value is None
    assert damaged["sealed"].value == "['no']" and damaged["added"].value == 1.5
    assert damaged["share"].value == "0,5" and damaged["present/police"].value == 1


def test_clean_text__control_characters_and_overlong__removed_and_cut() -> None:
    assert clean_text("a\x00b\x07c\x1fd\ttab\nline") == "abcd\ttab\nline"
    cut = clean_text("я" * 40_000)
    assert len(cut) == MAX_CELL and cut.endswith("40,000 characters in all; see the mission file]")


def test_reports_sheet__long_and_dirty_text__within_excel_limits(
    visit: Mission, tmp_path: Path
) -> None:
    from db.reports import create_report

    create_report(
        visit,
        "visit",
        device="d",
        station_code="AKM-54",
        status="complete",
        answers={"sealed": "yes", "comment": "Word\x0bpaste\x01d" + "ж" * 40_000},
    )
    rows = table(export(visit, tmp_path)["Reports"])
    comment = by_comment(rows, "Word")["comment"]
    assert comment.startswith("Wordpasted") and len(comment) == MAX_CELL
    assert "cut: 40,010 characters" in comment  # counted without the two control characters
    assert by_comment(rows, "Очень")["comment"].endswith(TOKEN)


def test_repeat_sheet__rows__linked_by_report_id_and_numbered(
    visit: Mission, tmp_path: Path
) -> None:
    wb = export(visit, tmp_path)
    reports = {r["uuid"]: r for r in table(wb["Reports"])}
    rows = table(wb["problems"])
    almaty = [r for r in rows if r["station"] == "ALM-108"]
    assert [(r["row"], r["category"], r["what"]) for r in almaty] == [
        (1, "Violence", "Толкали наблюдателя"),
        (2, "Other", "<b>unclosed <img src='/etc/passwd'/>"),
    ]
    assert all(reports[r["uuid"]]["station"] == r["station"] for r in rows)


def test_findings_sheet__figures__as_tabulated_with_a_bar_chart(
    visit: Mission, tmp_path: Path
) -> None:
    out = export_xlsx(visit, tmp_path / "out.xlsx", form_id="visit")
    rows = table(openpyxl.load_workbook(out)["Findings"], header_rows=1)
    tab = tabulate(visit, "visit")
    expected = [(q.label, q.finding.stations, q.finding.reports) for q in tab.findings()]  # type: ignore[union-attr]
    assert [
        (r["Finding"] if "Finding" in r else r["Label"], r["Stations"], r["Reports"]) for r in rows
    ] == expected
    sealed = next(r for r in rows if r["Question"] == "sealed")
    assert sealed["Share"] == pytest.approx(0.4)
    assert sealed["Stations by region"] == "Akmola: #54; Almaty: #108"
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert charts and "barChart" in z.read(charts[0]).decode()


def test_by_region_sheet__counts__add_up_to_the_whole(visit: Mission, tmp_path: Path) -> None:
    ws = export(visit, tmp_path)["By region"]
    rows = list(ws.iter_rows(values_only=True))
    regions = list(rows[0][6::2])
    assert regions == ["Akmola", "Almaty", "Шымкент"]
    sealed_no = next(r for r in rows[2:] if r[0] == "sealed" and r[2] == "no")
    assert sealed_no[4] == 2 and sum(sealed_no[6::2]) == 2
    # Akmola: 1 of 1 report answering; Almaty: 1 of 3
    assert sealed_no[6:8] == (1, 1.0) and sealed_no[8] == 1
    assert sealed_no[9] == pytest.approx(1 / 3, abs=1e-4)


def _insert(m: Mission, code: str | None, region: str | None, answers: Any, n: int) -> None:
    """A report written straight into the file (another version's answers, damaged ones)."""
    m.conn.execute(
        "INSERT INTO reports (uuid, form_id, form_version, station_code, region, observer,"
        " device, status, revision, created, updated, answers, content_sha) VALUES (?, 'visit',"
        " '1', ?, ?, 'x', 'x', 'complete', 1, '2005-12-04T10:00:00Z', '2005-12-04T10:00:00Z',"
        " ?, 'x')",
        (f"00000000-0000-4000-8000-0000000001{n:02}", code, region, json.dumps(answers)),
    )


@pytest.mark.parametrize("filters", [Filters(), Filters(region="Almaty", include_drafts=True)])
def test_by_region_sheet__any_answers__as_a_tabulation_of_each_region(
    visit: Mission, tmp_path: Path, filters: Filters
) -> None:
    for n, (code, region, answers) in enumerate(
        [
            ("ALM-361", None, {"sealed": "maybe", "present": "police police ghosts"}),
            ("AKM-54", None, {"sealed": "later", "present": None, "category": "violence"}),
            ("XXX-1", "Almaty", {"sealed": "no", "present": "", "problems": [{"category": 1}]}),
            ("XXX-2", None, {"sealed": ["no"], "present": {"a": 1}, "problems": "rows"}),
            ("XXX-3", None, {"sealed": "no", "category": "other"}),
            ("ALM-108", None, {"sealed": "yes", "present": {"a": 1}}),
            ("AKM-54", "Almaty", {"sealed": "no"}),  # the station's region counts
            ("SHY-186", "Almaty", {"problems": [{"category": [1]}, "x", {"category": "other"}]}),
            (None, "Akmola", {"sealed": "yes", "problems": [{"category": "x"}, {"category": "x"}]}),
        ]
    ):
        _insert(visit, code, region, answers, n)
    wb = export(visit, tmp_path, filters=filters)
    rows = list(wb["By region"].iter_rows(values_only=True))
    regions = list(rows[0][6::2])
    assert regions == (["Almaty"] if filters.region else ["Akmola", "Almaty", "Шымкент", "—"])
    for k, region in enumerate(regions):
        alone = tabulate(visit, "visit", filters=Filters(**{**filters.__dict__, "region": region}))
        expected = []
        for q in alone.questions:
            if q.answers and any(r[0] == q.name for r in rows[2:]):
                expected.append((q.name, None, q.answered, None))  # the "(answered)" row
                expected += [
                    (
                        q.name,
                        a.value,
                        a.tally.reports,
                        a.tally.percent / 100 if q.answered else None,
                    )
                    for a in q.answers
                ]
        seen = {(r[0], r[2]): (r[6 + 2 * k], r[7 + 2 * k]) for r in rows[2:]}
        for name, value, reports, share in expected:
            got = seen.pop((name, value))
            assert got == (reports, pytest.approx(share) if share else share), (region, name, value)
        assert all(reports == 0 for reports, _share in seen.values()), (region, seen)


def test_coverage_checks_stations_about__filled(visit: Mission, tmp_path: Path) -> None:
    wb = export(visit, tmp_path)
    coverage = table(wb["Coverage"], header_rows=1)
    assert {r["Region"]: r["Visited"] for r in coverage} == {"Akmola": 1, "Almaty": 2, "Шымкент": 1}
    checks = table(wb["Checks"], header_rows=1)
    assert any(r["Station"] == "ALM-108" and r["Check"].startswith("Duplicate") for r in checks)
    stations = {r["Station"]: r for r in table(wb["Stations"], header_rows=1)}
    assert set(stations) == {s[0] for s in STATIONS}
    assert stations["ALM-108"]["Reports"] == 2 and stations["ALM-108"]["Findings"] == 4
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Mission"] == "Test mission" and about["Mission file"] == "mission.pollcheck"
    assert about["Form version (latest)"] == "1" and about["Filters"] == "none"
    assert isinstance(about["Exported (UTC)"], dt.datetime)


def test_checks_sheet__in_russian__titles_and_details(visit: Mission, tmp_path: Path) -> None:
    wb = export(visit, tmp_path, language="ru")
    checks = table(wb["Проверки"], header_rows=1)
    (duplicate,) = [r for r in checks if r["Участок"] == "ALM-108"]
    assert duplicate["Проверка"].startswith("Повторные посещения")
    assert "2 отчета; они расходятся в ответах: " in duplicate["Подробности"]


def test_export_xlsx__filters__only_matching_reports(visit: Mission, tmp_path: Path) -> None:
    wb = export(visit, tmp_path, filters=Filters(region="Almaty", include_drafts=True))
    assert {r["station"] for r in table(wb["Reports"])} == {"ALM-108", "ALM-361"}
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Filters"] == "Region: Almaty; drafts included"


def test_export_xlsx__bad_language_or_values__input_error(visit: Mission, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(InputError, match="no language 'kk'"):
        export_xlsx(visit, folder / "x.xlsx", form_id="visit", language="kk")
    with pytest.raises(InputError, match="labels or codes"):
        export_xlsx(visit, folder / "x.xlsx", form_id="visit", values="names")
    assert not list(folder.iterdir())


def test_export_xlsx__cancelled__no_file_and_old_file_kept(visit: Mission, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "out.xlsx"
    out.write_bytes(b"old")
    calls: list[tuple[int, int]] = []
    with pytest.raises(ExportCancelled):
        export_xlsx(
            visit,
            out,
            form_id="visit",
            progress=lambda d, t: calls.append((d, t)),
            cancelled=lambda: len(calls) >= 2,
        )
    assert out.read_bytes() == b"old" and sorted(out.parent.iterdir()) == [out]
    # The abandoned workbook's sheets are closed at once, not whenever the garbage collector
    # gets to them: no file of it stays open (on Windows its folder could not be removed), and
    # nothing is left for a later collection to finish (an error then, wherever it happens).
    fds = Path("/proc/self/fd")
    if fds.is_dir():
        open_files = [os.readlink(fd) for fd in fds.iterdir() if fd.is_symlink()]
        assert not [f for f in open_files if str(out.parent) in f], open_files
    caught: list[Any] = []
    hook, sys.unraisablehook = sys.unraisablehook, caught.append
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert [str(c.exc_value) for c in caught] == []


def test_export_xlsx__missing_folder__known_error(visit: Mission, tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="cannot write the export"):
        export_xlsx(visit, tmp_path / "nope" / "out.xlsx", form_id="visit")


def test_sheet_title__forbidden_characters_and_clashes__valid_and_unique() -> None:
    assert _sheet_title("a/b\\c[d]e:f*g?h" + "x" * 40, []) == "a_b_c_d_e_f_g_h" + "x" * 16
    assert _sheet_title("Reports", ["reports"]) == "Reports (2)"


# -- the round trip through `reports import` ------------------------------------------------------


def _answers(m: Mission) -> dict[str, dict[str, Any]]:
    rows = m.conn.execute("SELECT uuid, answers FROM reports WHERE status = 'complete'")
    return {u: json.loads(a) for u, a in rows}


@pytest.mark.parametrize("values", ["labels", "codes"])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_round_trip__same_mission__every_report_unchanged(
    visit: Mission, tmp_path: Path, values: str, language: str
) -> None:
    out = export_xlsx(
        visit, tmp_path / "out.xlsx", form_id="visit", values=values, language=language
    )
    before = visit.conn.execute("SELECT count(*) FROM history").fetchone()[0]

    result = import_reports(visit, out, "visit", device="test-device")

    assert (result.added, result.updated, result.unchanged) == (0, 0, 5)
    assert visit.conn.execute("SELECT count(*) FROM history").fetchone()[0] == before


def test_round_trip__fresh_mission__same_answers_stations_and_times(
    visit: Mission, tmp_path: Path, xlsform: Callable[[str], Path]
) -> None:
    out = export_xlsx(visit, tmp_path / "out.xlsx", form_id="visit")
    with create_mission(tmp_path / "fresh.pollcheck", title="Fresh") as fresh:
        add_form(fresh, xlsform(FORM))
        for code, number, region, district, name in STATIONS:
            add_station(
                fresh,
                Station(code=code, number=number, region=region, district=district, name=name),
            )

        result = import_reports(fresh, out, "visit", device="test-device")

        assert result.added == 5
        assert _answers(fresh) == _answers(visit)
        cols = "uuid, station_code, region, observer, status, started"
        query = f"SELECT {cols} FROM reports WHERE status = 'complete' ORDER BY uuid"
        assert fresh.conn.execute(query).fetchall() == visit.conn.execute(query).fetchall()
        # and out again: the fresh mission exports what the first one did
        again = export_xlsx(fresh, tmp_path / "again.xlsx", form_id="visit")
        first = list(openpyxl.load_workbook(out)["Reports"].iter_rows(values_only=True))
        second = list(openpyxl.load_workbook(again)["Reports"].iter_rows(values_only=True))

        def strip(rows: list[Any]) -> list[Any]:
            # submitted and updated (columns 10 and 11) are the import's own times
            return sorted(tuple(v for i, v in enumerate(r) if i not in {9, 10}) for r in rows[2:])

        assert strip(first) == strip(second)


def test_import__export_with_a_changed_answer__updates_that_report_only(
    visit: Mission, tmp_path: Path
) -> None:
    out = export_xlsx(visit, tmp_path / "out.xlsx", form_id="visit")
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    col = next(c for c in ws[1] if c.value == "sealed").column
    uuid = ws.cell(3, 1).value
    ws.cell(3, col).value = "Да" if ws.cell(3, col).value == "No" else "Нет"
    wb.save(out)

    result = import_reports(visit, out, "visit", device="test-device")

    assert (result.updated, result.unchanged) == (1, 4)
    changed = visit.conn.execute("SELECT uuid FROM reports WHERE revision = 2").fetchall()
    assert changed == [(uuid,)]


REGION_FORM = """
| survey |
|  | type | name | label::English (en) | label::Russian (ru) |
|  | text | region | Region named in the report | Регион в отчёте |
|  | text | what | What happened | Что произошло |
| settings |
|  | form_id | version | default_language | station |
|  | note | 1 | English (en) | optional |
"""


def test_round_trip__question_called_region__report_region_column_kept_apart(
    mission: Mission, tmp_path: Path, xlsform: Callable[[str], Path]
) -> None:
    from db.reports import create_report

    add_form(mission, xlsform(REGION_FORM))
    create_report(
        mission,
        "note",
        device="d",
        region="Almaty",
        status="complete",
        answers={"region": "Алматы облысы", "what": "-5 voters"},
    )
    out = export_xlsx(mission, tmp_path / "out.xlsx", form_id="note")
    names = [c.value for c in openpyxl.load_workbook(out).worksheets[0][1]]
    assert "report_region" in names and "region" in names

    result = import_reports(mission, out, "note", device="test-device")

    assert (result.added, result.updated, result.unchanged) == (0, 0, 1)


def test_import__repeat_row_of_an_unknown_report__refused(visit: Mission, tmp_path: Path) -> None:
    out = export_xlsx(visit, tmp_path / "out.xlsx", form_id="visit")
    wb = openpyxl.load_workbook(out)
    wb["problems"].cell(3, 1).value = "00000000-0000-4000-8000-000000000000"
    wb.save(out)

    with pytest.raises(InputError) as exc:
        import_reports(visit, out, "visit", device="test-device")

    assert [p.code for p in exc.value.problems] == ["I108"]
    assert "sheet 'problems', row 3" in exc.value.problems[0].where


def test_export_xlsx__sheets_written_beside_the_export__not_in_the_system_temp(
    visit: Mission, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl.worksheet._writer as sheet_writer

    made: list[Path] = []
    real = sheet_writer.create_temporary_file

    def spy(suffix: str = "") -> str:
        name = real(suffix)
        made.append(Path(name))
        return name

    monkeypatch.setattr(sheet_writer, "create_temporary_file", spy)
    folder = tmp_path / "stick"
    folder.mkdir()
    export_xlsx(visit, folder / "out.xlsx", form_id="visit")

    assert len(made) == len(SHEETS)  # one file a sheet, while it is written
    assert all(p.parent.parent == folder and p.parent.name.startswith(".out.xlsx.") for p in made)
    assert sorted(p.name for p in folder.iterdir()) == ["out.xlsx"]  # all removed


def test_export_xlsx__killed_half_way__no_answers_left_in_the_system_temp(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from db.demo import make_demo

    mission = tmp_path / "big.pollcheck"
    make_demo(mission, stations=300, reports=3000)
    system_temp, folder = tmp_path / "system-temp", tmp_path / "stick"
    system_temp.mkdir()
    folder.mkdir()
    env = {**os.environ, "TMPDIR": str(system_temp), "TEMP": str(system_temp)}
    args = [
        sys.executable,
        "-m",
        "cli.main",
        "export",
        "xlsx",
        str(mission),
        str(folder / "x.xlsx"),
    ]
    proc = subprocess.Popen([*args, "--form", "eday"], env=env)
    deadline = time.monotonic() + 60
    # Killed while the sheets of reports are being written: a sheet's file exists beside it.
    while not any(folder.glob(".x.xlsx.*.parts-*/*")) and time.monotonic() < deadline:
        assert proc.poll() is None, "the export ended before it could be killed"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(system_temp.iterdir()) == []  # nothing of the reports on the laptop's disk
    assert not (folder / "x.xlsx").exists()  # and no half a workbook under the final name
    assert any(folder.glob(".x.xlsx.*.parts-*/*"))  # what is left is where the export was going
