"""Tests of db.reports_import: reports from a sheet (typed paper forms, KoBo/ODK exports)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db.errors import InputError
from db.forms import add_form
from db.mission import Mission
from db.reports import delete_report, get_report, report_history
from db.reports_import import import_reports
from db.stations import Station, add_station
from forms.templates import template

# A select_one with a finding, an integer with a constraint that is relevant only after 'yes',
# a select_multiple, a required text and a date; filled at a station.
VISIT = """
| survey   |                     |            |                     |                    |          |                  |                     |           |
|          | type                | name       | label::English (en) | label::Russian (ru) | required | relevant         | constraint          | finding   |
|          | select_one yn       | queue      | Long queue?         | Длинная очередь?    | yes      |                  |                     | . = 'yes' |
|          | integer             | queue_len  | How many waiting?   | Сколько ждут?       |          | ${queue} = 'yes' | . >= 0 and . <= 500 |           |
|          | select_multiple who | present    | Who was present?    | Кто присутствовал?  |          |                  |                     |           |
|          | text                | comment    | Comment             | Комментарий         | yes      |                  |                     |           |
|          | date                | visit_date | Date of visit       | Дата посещения      |          |                  |                     |           |
| choices  |                     |            |                     |                    |
|          | list_name           | name       | label::English (en) | label::Russian (ru) |
|          | yn                  | yes        | Yes                 | Да                  |
|          | yn                  | no         | No                  | Нет                 |
|          | who                 | police     | Police              | Полиция             |
|          | who                 | press      | Press               | Пресса              |
|          | who                 | officials  | Officials           | Чиновники           |
| settings |                     |            |                     |                    |
|          | form_id             | form_title | version             | default_language    | station  |
|          | visit               | Visit      | 1                   | English (en)        | {station} |
"""

HEADER = ["station", "observer", "uuid", "queue", "queue_len", "present", "comment", "visit_date"]
U1 = "0b7d5a6e-2f1c-4c53-9d0e-6a1f3c2b9e01"
U2 = "0b7d5a6e-2f1c-4c53-9d0e-6a1f3c2b9e02"
U3 = "0b7d5a6e-2f1c-4c53-9d0e-6a1f3c2b9e03"


@pytest.fixture
def visit(mission: Mission, xlsform: Callable[[str], Path]) -> Mission:
    """The mission with the form 'visit' (station required) and stations ALM-1 and ALM-2."""
    add_form(mission, xlsform(VISIT.replace("{station}", "required")))
    add_station(mission, Station(code="ALM-1", number="1", region="Алматы"))
    add_station(mission, Station(code="ALM-2", number="2", region="Алматы"))
    return mission


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def run(mission: Mission, path: Path, form_id: str = "visit", **kw: Any) -> Any:
    return import_reports(mission, path, form_id, device="test-device", **kw)


def snapshot(mission: Mission) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an import writes to, in a stable order."""
    return {
        table: mission.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        for table in ("reports", "history", "observers")
    }


def answers_by_station(mission: Mission) -> dict[str, dict[str, Any]]:
    rows = mission.conn.execute("SELECT station_code, answers FROM reports").fetchall()
    return {code: json.loads(answers) for code, answers in rows}


def history_count(mission: Mission) -> int:
    return int(mission.conn.execute("SELECT count(*) FROM history").fetchone()[0])


GOOD_ROWS = [
    HEADER,
    ["ALM-1", "Айгуль", U1, "yes", "12", "police press", "Всё спокойно", "2026-03-01"],
    ["ALM-2", "", U2, "no", "", "officials", "Очередей нет", ""],
]


# -- a good import -----------------------------------------------------------------------------


def test_import__utf8_csv__stores_answers_in_their_types(visit: Mission, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "reports.csv", GOOD_ROWS)

    result = run(visit, path)

    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    assert result.warnings == ()
    one = get_report(visit, U1)
    assert one.answers == {
        "queue": "yes",
        "queue_len": 12,
        "present": "police press",
        "comment": "Всё спокойно",
        "visit_date": "2026-03-01",
    }
    assert isinstance(one.answers["queue_len"], int)
    assert (one.station_code, one.observer, one.status, one.form_id) == (
        "ALM-1",
        "Айгуль",
        "complete",
        "visit",
    )
    two = get_report(visit, U2)
    assert two.answers == {"queue": "no", "present": "officials", "comment": "Очередей нет"}
    assert two.observer is None


def test_import__cp1251_csv_with_russian_labels__stores_choice_names(
    visit: Mission, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        ["ALM-1", "Ерлан", "", "Да", "7", "Полиция Пресса", "Ёлки-палки, № 5", "2026-03-02"],
        ["ALM-2", "Ерлан", "", "нет", "", "Чиновники", "Тихо", ""],
    ]
    path = write_csv(tmp_path / "reports.csv", rows, encoding="cp1251")
    assert "Да".encode("cp1251") in path.read_bytes()  # really not UTF-8

    result = run(visit, path)

    assert result.added == 2
    assert answers_by_station(visit) == {
        "ALM-1": {
            "queue": "yes",
            "queue_len": 7,
            "present": "police press",
            "comment": "Ёлки-палки, № 5",
            "visit_date": "2026-03-02",
        },
        "ALM-2": {"queue": "no", "present": "officials", "comment": "Тихо"},
    }
    observers = [r[0] for r in visit.conn.execute("SELECT name FROM observers")]
    assert observers == ["Ерлан"]


def test_import__xlsx_with_typed_cells__stores_answers_and_times(
    visit: Mission, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        [*HEADER, "status", "started", "submitted"],
        [
            "ALM-1",
            "Dana",
            U1.upper(),
            "Yes",
            42,
            "Press Police",
            "ok",
            dt.date(2026, 3, 1),
            "complete",
            dt.datetime(2026, 3, 1, 8, 15),
            "2026-03-01T10:30:00+06:00",
        ],
    ]
    path = write_xlsx(tmp_path / "reports.xlsx", rows)

    result = run(visit, path)

    assert result.added == 1
    report = get_report(visit, U1)  # the id is stored in its canonical (lowercase) form
    assert report.answers == {
        "queue": "yes",
        "queue_len": 42,
        "present": "press police",
        "comment": "ok",
        "visit_date": "2026-03-01",
    }
    assert report.started == "2026-03-01T08:15:00Z"
    assert report.submitted == "2026-03-01T04:30:00Z"  # converted to UTC


def test_import__history__has_one_row_per_report_after_first_import(
    visit: Mission, tmp_path: Path
) -> None:
    run(visit, write_csv(tmp_path / "reports.csv", GOOD_ROWS))

    rows = visit.conn.execute("SELECT report_uuid, revision FROM history ORDER BY 1").fetchall()

    assert rows == [(U1, 1), (U2, 1)]


def test_import__default_observer__used_for_rows_naming_none(
    visit: Mission, tmp_path: Path
) -> None:
    run(visit, write_csv(tmp_path / "reports.csv", GOOD_ROWS), observer="Clerk")

    assert get_report(visit, U1).observer == "Айгуль"
    assert get_report(visit, U2).observer == "Clerk"


# -- all or nothing ----------------------------------------------------------------------------


def test_import__many_bad_rows__lists_every_problem_and_writes_nothing(
    visit: Mission, tmp_path: Path
) -> None:
    run(visit, write_csv(tmp_path / "first.csv", GOOD_ROWS))
    before = snapshot(visit)
    rows = [
        [*HEADER, "extra"],
        ["ALM-9", "", "", "yes", "3", "", "c", "", ""],  # 2: unknown station
        ["ALM-1", "", "", "yes", "abc", "", "c", "", ""],  # 3: bad integer
        ["ALM-1", "", "", "maybe", "", "", "c", "", ""],  # 4: not a choice
        ["ALM-1", "", "", "yes", "900", "", "c", "", ""],  # 5: constraint broken
        ["ALM-1", "", "", "no", "", "", "", "", ""],  # 6: required missing, complete row
        ["ALM-1", "", "not-a-uuid", "no", "", "", "c", "", ""],  # 7: bad uuid
        ["ALM-1", "", U3, "no", "", "", "c", "", ""],  # 8: first of two with one id
        ["ALM-2", "", U3, "no", "", "", "c", "", ""],  # 9: the same id again
        ["ALM-1", "", U1, "no", "", "", "changed", "", ""],  # 10: a good update, not written
        ["ALM-2", "", "", "no", "", "ghosts", "c", "31/12/2026", ""],  # 11: choice, date
    ]
    path = write_csv(tmp_path / "bad.csv", rows)

    with pytest.raises(InputError) as exc:
        run(visit, path)

    wheres = [p.where for p in exc.value.problems]
    assert sorted(wheres) == sorted(
        [
            "bad.csv, column 'extra'",
            "bad.csv, row 2, column 'station'",
            "bad.csv, row 3, column 'queue_len'",
            "bad.csv, row 4, column 'queue'",
            "bad.csv, row 5, column 'queue_len'",
            "bad.csv, row 6, column 'comment'",
            "bad.csv, row 7, column 'uuid'",
            "bad.csv, row 9, column 'uuid'",
            "bad.csv, row 11, column 'present'",
            "bad.csv, row 11, column 'visit_date'",
        ]
    )
    assert all(p.fix for p in exc.value.problems)  # every problem says how to fix it
    by_where = {p.where: p for p in exc.value.problems}
    assert "ALM-9" in by_where["bad.csv, row 2, column 'station'"].what
    assert "'maybe'" in by_where["bad.csv, row 4, column 'queue'"].what
    assert "'ghosts'" in by_where["bad.csv, row 11, column 'present'"].what
    assert "row 8" in by_where["bad.csv, row 9, column 'uuid'"].what
    assert "no report was imported" in exc.value.message
    lines = exc.value.lines()
    assert len(lines) == 1 + len(wheres)
    assert snapshot(visit) == before


def test_import__bad_rows_in_russian__same_rows_columns_and_values(
    visit: Mission, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [[*HEADER, "status"], ["ALM-9", "", "", "yes", "", "", "", "", "maybe"]],
    )
    with pytest.raises(InputError) as exc:
        run(visit, path)
    assert exc.value.text("ru") == (
        "r.csv: ни один отчет не загружен; исправьте эти проблемы и загрузите файл снова."
    )
    texts = [p.text("ru") for p in exc.value.problems]
    assert texts[:2] == [
        "r.csv, строка 2, столбец «status»: «maybe» — не статус. Напишите draft или complete.",
        "r.csv, строка 2, столбец «station»: участка «ALM-9» нет в реестре миссии. Исправьте"
        " код или сначала загрузите список участков (pollcheck stations import).",
    ]
    assert [p.text("en") for p in exc.value.problems] == [str(p) for p in exc.value.problems]


def test_import__unknown_column__refused_with_its_name(visit: Mission, tmp_path: Path) -> None:
    rows = [[*HEADER, "queue_lenght"], ["ALM-1", "", "", "no", "", "", "c", "", "4"]]

    with pytest.raises(InputError) as exc:
        run(visit, write_csv(tmp_path / "typo.csv", rows))

    [problem] = exc.value.problems
    assert problem.where == "typo.csv, column 'queue_lenght'"
    assert "queue_lenght" in problem.what
    assert visit.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0


def test_import__no_station_column_on_station_form__refused(visit: Mission, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [["queue", "comment"], ["no", "c"]])

    with pytest.raises(InputError) as exc:
        run(visit, path)

    assert any("station" in p.what for p in exc.value.problems)
    assert visit.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0


def test_import__empty_station_on_station_form__refused_with_row(
    visit: Mission, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "r.csv", [["station", "queue", "comment"], ["", "no", "c"]])

    with pytest.raises(InputError) as exc:
        run(visit, path)

    assert [p.where for p in exc.value.problems] == ["r.csv, row 2, column 'station'"]


def test_import__header_only__refused(visit: Mission, tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        run(visit, write_csv(tmp_path / "r.csv", [HEADER]))

    assert any("no rows" in p.what for p in exc.value.problems)


def test_import__unknown_form__refused(visit: Mission, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no form 'nope'"):
        run(visit, write_csv(tmp_path / "r.csv", GOOD_ROWS), form_id="nope")


# -- drafts and leftovers ----------------------------------------------------------------------


def test_import__draft_rows__may_miss_required_answers_and_break_constraints(
    visit: Mission, tmp_path: Path
) -> None:
    rows = [
        ["station", "status", "uuid", "queue", "queue_len", "comment"],
        ["ALM-1", "draft", U1, "", "", ""],
        ["ALM-2", "Draft", U2, "yes", "900", ""],
    ]

    result = run(visit, write_csv(tmp_path / "r.csv", rows))

    assert result.added == 2
    assert get_report(visit, U1).status == "draft"
    assert get_report(visit, U1).answers == {}
    assert get_report(visit, U2).status == "draft"
    assert get_report(visit, U2).answers == {"queue": "yes", "queue_len": 900}


def test_import__draft_row_with_bad_integer__still_refused(visit: Mission, tmp_path: Path) -> None:
    rows = [["station", "status", "queue", "queue_len"], ["ALM-1", "draft", "yes", "a dozen"]]

    with pytest.raises(InputError) as exc:
        run(visit, write_csv(tmp_path / "r.csv", rows))

    assert [p.where for p in exc.value.problems] == ["r.csv, row 2, column 'queue_len'"]


def test_import__bad_status__refused(visit: Mission, tmp_path: Path) -> None:
    rows = [["station", "status", "queue", "comment"], ["ALM-1", "finished", "no", "c"]]

    with pytest.raises(InputError) as exc:
        run(visit, write_csv(tmp_path / "r.csv", rows))

    assert [p.where for p in exc.value.problems] == ["r.csv, row 2, column 'status'"]


def test_import__answer_not_relevant__dropped_with_warning_and_not_stored(
    visit: Mission, tmp_path: Path
) -> None:
    rows = [HEADER, ["ALM-1", "", U1, "no", "15", "", "c", ""]]

    result = run(visit, write_csv(tmp_path / "r.csv", rows))

    assert result.added == 1
    [warning] = result.warnings
    assert warning.where == "r.csv, row 2, column 'queue_len'"
    assert "dropped" in warning.what
    assert get_report(visit, U1).answers == {"queue": "no", "comment": "c"}
    [entry] = report_history(visit, U1)
    assert "queue_len" not in entry.answers


# -- importing again ---------------------------------------------------------------------------


def test_import__same_file_twice__second_changes_nothing(visit: Mission, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "reports.csv", GOOD_ROWS)
    run(visit, path)
    before = snapshot(visit)

    result = run(visit, path)

    assert (result.added, result.updated, result.unchanged) == (0, 0, 2)
    assert snapshot(visit) == before
    assert history_count(visit) == 2


def test_import__same_rows_with_kobo_style_ids__unchanged(visit: Mission, tmp_path: Path) -> None:
    run(visit, write_csv(tmp_path / "first.csv", GOOD_ROWS))
    before = snapshot(visit)
    kobo = [["_uuid" if h == "uuid" else h for h in GOOD_ROWS[0]]]
    kobo += [[*r[:2], "uuid:" + str(r[2]).upper(), *r[3:]] for r in GOOD_ROWS[1:]]

    result = run(visit, write_csv(tmp_path / "kobo.csv", kobo))

    assert (result.added, result.unchanged) == (0, 2)
    assert snapshot(visit) == before


def test_import__same_file_with_leftover_answer_twice__second_unchanged(
    visit: Mission, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "r.csv", [HEADER, ["ALM-1", "", U1, "no", "15", "", "c", ""]])
    run(visit, path)

    result = run(visit, path)

    assert (result.added, result.updated, result.unchanged) == (0, 0, 1)
    assert history_count(visit) == 1


def test_import__changed_content_same_uuid__updated_to_revision_2_with_history(
    visit: Mission, tmp_path: Path
) -> None:
    run(visit, write_csv(tmp_path / "first.csv", GOOD_ROWS))
    changed = [HEADER, GOOD_ROWS[1], ["ALM-2", "", U2, "yes", "30", "", "Очередь!", ""]]

    result = run(visit, write_csv(tmp_path / "second.csv", changed))

    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    report = get_report(visit, U2)
    assert report.revision == 2
    assert report.answers == {"queue": "yes", "queue_len": 30, "comment": "Очередь!"}
    history = report_history(visit, U2)
    assert [h.revision for h in history] == [1, 2]
    assert history[1].changes["answers"]["queue_len"] == [None, 30]
    assert history[1].changes["answers"]["present"] == ["officials", None]
    assert get_report(visit, U1).revision == 1
    assert history_count(visit) == 3


def test_import__new_rows_without_uuid__added_each_time(visit: Mission, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [HEADER, ["ALM-1", "", "", "no", "", "", "c", ""]])

    run(visit, path)
    result = run(visit, path)

    assert result.added == 1
    assert visit.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 2


def test_import__uuid_of_another_forms_report__refused_and_report_untouched(
    visit: Mission, tmp_path: Path, xlsform: Callable[..., Path]
) -> None:
    add_form(visit, xlsform(VISIT.replace("| visit ", "| other ").replace("{station}", "optional")))
    run(visit, write_csv(tmp_path / "first.csv", GOOD_ROWS), form_id="other")
    before = snapshot(visit)
    rows = [["station", "status", "uuid", "queue"], ["ALM-1", "draft", U1, "no"]]

    with pytest.raises(InputError) as exc:
        run(visit, write_csv(tmp_path / "r.csv", rows))

    [problem] = exc.value.problems
    assert problem.where == "r.csv, row 2, column 'uuid'"
    assert "'other'" in problem.what
    assert snapshot(visit) == before


def test_import__changed_row_for_deleted_report__refused_with_its_row(
    visit: Mission, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "first.csv", GOOD_ROWS)
    run(visit, path)
    delete_report(visit, U1, device="test-device")
    before = snapshot(visit)
    changed = [HEADER, [*GOOD_ROWS[1][:6], "changed", GOOD_ROWS[1][7]], GOOD_ROWS[2]]

    assert run(visit, path).unchanged == 2  # the same content: harmless, as before
    with pytest.raises(InputError) as exc:
        run(visit, write_csv(tmp_path / "changed.csv", changed))

    assert [p.where for p in exc.value.problems] == ["changed.csv, row 2, column 'uuid'"]
    assert "deleted" in exc.value.problems[0].what
    assert snapshot(visit) == before


# -- stations and regions ----------------------------------------------------------------------


def test_import__form_without_station__refuses_a_station_value(
    mission: Mission, tmp_path: Path, xlsform: Callable[..., Path]
) -> None:
    add_form(mission, xlsform(VISIT.replace("{station}", "absent")))
    add_station(mission, Station(code="ALM-1", number="1", region="Алматы"))
    rows = [
        ["station", "region", "queue", "comment"],
        ["", "Алматы", "no", "ok"],
        ["ALM-1", "", "no", "ok"],
    ]

    with pytest.raises(InputError) as exc:
        run(mission, write_csv(tmp_path / "r.csv", rows))

    [problem] = exc.value.problems
    assert problem.where == "r.csv, row 3, column 'station'"
    assert "not about one station" in problem.what
    assert mission.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0


def test_import__form_without_station__stores_region(
    mission: Mission, tmp_path: Path, xlsform: Callable[..., Path]
) -> None:
    add_form(mission, xlsform(VISIT.replace("{station}", "absent")))
    rows = [["region", "uuid", "queue", "comment"], ["Алматы", U1, "no", "ok"]]

    run(mission, write_csv(tmp_path / "r.csv", rows))

    report = get_report(mission, U1)
    assert (report.station_code, report.region) == (None, "Алматы")


def test_import__form_with_a_region_question__region_column_is_its_answer(
    mission: Mission, tmp_path: Path
) -> None:
    incident = template("critical_incident")
    add_form(mission, incident.workbook, filename=incident.filename)
    header = [
        "uuid",
        "incident_date",
        "incident_time",
        "at_station",
        "region",
        "location",
        "incident_category",
        "description",
        "witnessed_directly",
        "persons_involved",
        "observers_targeted",
        "action_taken",
        "evidence",
        "severity",
    ]
    row = [U1, "2026-01-05", "10:00", "no", "Алматы", "ул. Абая", "vote_buying", "Раздавали"]
    row += ["yes", "voters", "no", "none", "none", "minor"]

    result = run(mission, write_csv(tmp_path / "r.csv", [header, row]), form_id="incident")

    assert result.added == 1
    assert get_report(mission, U1).answers["region"] == "Алматы"


def test_import__kobo_group_path_headers__read_as_questions(visit: Mission, tmp_path: Path) -> None:
    rows = [
        ["station", "grp/queue", "grp/comment", "present", "present/police", "present/press"],
        ["ALM-1", "no", "calm", "police", "1", "0"],
    ]
    result = run(visit, write_csv(tmp_path / "kobo.csv", rows))
    assert result.added == 1
    assert answers_by_station(visit)["ALM-1"] == {
        "queue": "no",
        "comment": "calm",
        "present": "police",
    }


def test_import__slash_column_that_is_no_question__refused(visit: Mission, tmp_path: Path) -> None:
    rows = [["station", "queue", "comment", "grp/ghost"], ["ALM-1", "no", "c", "x"]]
    with pytest.raises(InputError) as err:
        run(visit, write_csv(tmp_path / "r.csv", rows))
    assert "'grp/ghost'" in str(err.value.problems[0])


def test_import__report_of_older_form_version__checked_against_its_version(
    visit: Mission, tmp_path: Path, xlsform: Callable[[str], Path]
) -> None:
    rows = [["station", "uuid", "queue", "comment"], ["ALM-1", U1, "no", "first"]]
    run(visit, write_csv(tmp_path / "r.csv", rows))
    # Version 2 makes a new question required; the old report stays a version-1 report.
    v2 = VISIT.replace("{station}", "required").replace("| Visit      | 1 ", "| Visit      | 2 ")
    v2 = v2.replace(
        "| date                | visit_date |",
        "| integer | extra | Extra | Extra | yes | | | |\n|  | date                | visit_date |",
    )
    add_form(visit, xlsform(v2))
    rows[1][3] = "second"
    result = run(visit, write_csv(tmp_path / "r2.csv", rows))
    assert result.updated == 1
    report = get_report(visit, U1)
    assert report.form_version == "1"
    assert report.answers["comment"] == "second"
