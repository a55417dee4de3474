"""Tests of the `pollcheck` command line: the contract of each subcommand and of its mistakes.

Most checks call ``cli.main.main`` in-process; a few run the real entry point in a subprocess
(what users run), where a traceback or a wrong exit code would show.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main
from db.mission import create_mission, open_mission

VISIT = """
| survey   |               |            |                     |                     |          |                  |                     |
|          | type          | name       | label::English (en) | label::Russian (ru) | required | relevant         | constraint          |
|          | select_one yn | queue      | Long queue?         | Длинная очередь?    | yes      |                  |                     |
|          | integer       | queue_len  | How many waiting?   | Сколько ждут?       |          | ${queue} = 'yes' | . >= 0 and . <= 500 |
|          | text          | comment    | Comment             | Комментарий         | yes      |                  |                     |
| choices  |               |            |                     |                     |
|          | list_name     | name       | label::English (en) | label::Russian (ru) |
|          | yn            | yes        | Yes                 | Да                  |
|          | yn            | no         | No                  | Нет                 |
| settings |               |            |                     |                     |
|          | form_id       | form_title | version             | default_language    |
|          | visit         | {title}    | {version}           | English (en)        |
"""

STATIONS_CSV = (
    "code,number,region,district,name\n"
    "ALM-1,1,Алматы,Медеуский,Школа № 12\n"
    "ALM-2,2,Алматы,Бостандыкский,Дом культуры\n"
    "AST-1,1,Астана,Есильский,Лицей\n"
)
U1 = "5c1f0b7e-8a52-4d0e-9f3b-2b6d1e7a4c01"
U2 = "5c1f0b7e-8a52-4d0e-9f3b-2b6d1e7a4c02"
REPORTS_CSV = (
    "station,observer,uuid,queue,queue_len,comment\n"
    f"ALM-1,Айгуль,{U1},yes,12,Всё спокойно\n"
    f"ALM-2,Ерлан,{U2},no,,Тихо\n"
)

Run = Callable[..., subprocess.CompletedProcess[str]]


def visit_form(xlsform: Callable[..., Path], *, title: str = "Visit", version: str = "1") -> Path:
    return xlsform(VISIT.replace("{title}", title).replace("{version}", version))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """Run the CLI in-process; its exit code, stdout and stderr."""
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def pollcheck(tmp_path: Path) -> Run:
    """Run the real `pollcheck` entry point in a subprocess, in tmp_path, with the test's env."""
    script = Path(sys.executable).with_name("pollcheck")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "gui.launcher"]

    def run(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *(str(a) for a in args)],
            cwd=tmp_path,
            # os.environ after the autouse fixture isolated the settings and the device id.
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def visit_mission(
    tmp_path: Path, xlsform: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> Path:
    """A mission with the form 'visit' and three stations, made through the CLI."""
    path = tmp_path / "visit.pollcheck"
    stations = tmp_path / "stations.csv"
    stations.write_text(STATIONS_CSV, encoding="utf-8")
    assert cli(capsys, "new", path, "--title", "Visits", "--form", visit_form(xlsform))[0] == 0
    assert cli(capsys, "stations", "import", path, stations)[0] == 0
    return path


@pytest.fixture
def with_reports(visit_mission: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """``visit_mission`` with the two reports of REPORTS_CSV imported."""
    sheet = tmp_path / "reports.csv"
    sheet.write_text(REPORTS_CSV, encoding="utf-8")
    assert cli(capsys, "reports", "import", visit_mission, sheet, "--form", "visit")[0] == 0
    return visit_mission


def one_line_error(err: str) -> None:
    """A user's mistake: said in one line (argparse adds its usage line first), no traceback."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if not line.startswith("usage:")]
    assert len(lines) == 1, err
    assert lines[0].strip()


# -- new ---------------------------------------------------------------------------------------


def test_new__two_templates__creates_mission_with_both_forms(
    pollcheck: Run, tmp_path: Path
) -> None:
    result = pollcheck(
        "new",
        "m.pollcheck",
        "--title",
        "Mission 2026",
        "--template",
        "election_day",
        "--template",
        "critical_incident",
        "--country",
        "Kazakhstan",
        "--election-date",
        "2026-12-06",
    )

    assert result.returncode == 0, result.stderr
    assert "form eday version" in result.stdout
    assert "form incident version" in result.stdout
    assert "Created mission 'Mission 2026'" in result.stdout
    with open_mission(tmp_path / "m.pollcheck", readonly=True) as m:
        info = m.info()
        forms = sorted(r[0] for r in m.conn.execute("SELECT form_id FROM forms"))
    assert (info.title, info.country, info.election_date) == (
        "Mission 2026",
        "Kazakhstan",
        "2026-12-06",
    )
    assert forms == ["eday", "incident"]


def test_new__form_workbook__adds_that_form(
    tmp_path: Path, xlsform: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "m.pollcheck"

    code, out, _ = cli(capsys, "new", target, "--title", "T", "--form", visit_form(xlsform))

    assert code == 0
    assert "form visit version 1: added" in out
    code, out, _ = cli(capsys, "forms", "list", target, "--json")
    assert [(f["form_id"], f["version"]) for f in json.loads(out)] == [("visit", "1")]


def test_new__onto_existing_file__exit_1_and_file_unchanged(
    visit_mission: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256(visit_mission)

    code, _, err = cli(capsys, "new", visit_mission, "--title", "Again")

    assert code == 1
    one_line_error(err)
    assert "exists already" in err
    assert sha256(visit_mission) == before


def test_new__missing_form_file__exit_1_and_no_mission_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, "new", tmp_path / "m.pollcheck", "--title", "T", "--form", "no.xlsx")

    assert code == 1
    one_line_error(err)
    assert "no.xlsx" in err
    assert not (tmp_path / "m.pollcheck").exists()


def test_new__two_forms_that_clash__exit_1_and_no_mission_left(
    tmp_path: Path, xlsform: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    first = visit_form(xlsform)
    other = visit_form(xlsform, title="Visit, reworded")  # same id and version
    target = tmp_path / "m.pollcheck"

    code, _, err = cli(capsys, "new", target, "--title", "T", "--form", first, "--form", other)

    assert code == 1
    assert "Raise 'version'" in err
    assert list(tmp_path.glob("m.pollcheck*")) == []
    assert cli(capsys, "new", target, "--title", "T", "--form", first)[0] == 0


def test_new__bad_election_date__exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(
        capsys, "new", tmp_path / "m.pollcheck", "--title", "T", "--election-date", "6.12.2026"
    )

    assert code == 1
    one_line_error(err)
    assert "YYYY-MM-DD" in err


# -- info --------------------------------------------------------------------------------------


def test_info__text__shows_title_forms_and_counts(
    with_reports: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "info", with_reports)

    assert code == 0
    assert "Mission:   Visits" in out
    assert "SYNTHETIC" not in out
    assert "Stations:  3 in 2 regions" in out
    assert "Observers: 2" in out
    assert "visit" in out and "2 reports" in out
    assert "Reports:   0 draft, 2 complete, 0 deleted" in out


def test_info__json__gives_counts(with_reports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "info", with_reports, "--json")

    assert code == 0
    data = json.loads(out)
    assert data["mission"]["title"] == "Visits"
    assert data["mission"]["synthetic"] is False
    assert (data["stations"], data["regions"], data["observers"]) == (3, 2, 2)
    assert data["reports"] == {"draft": 0, "complete": 2, "deleted": 0}
    assert [(f["form_id"], f["reports"]) for f in data["forms"]] == [("visit", 2)]


def test_info__empty_mission__says_how_to_add_a_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_mission(tmp_path / "m.pollcheck", title="Empty").close()

    code, out, _ = cli(capsys, "info", tmp_path / "m.pollcheck")

    assert code == 0
    assert "pollcheck forms add" in out


# -- forms -------------------------------------------------------------------------------------


def test_forms_templates__text__lists_three_templates_in_both_languages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "forms", "templates")

    assert code == 0
    for name in ("election_day", "critical_incident", "lto_weekly"):
        assert any(line.startswith(name) for line in out.splitlines()), name
    assert out.count("languages en/ru") == 3
    assert "    en: Critical incident" in out
    assert "    ru: Критический инцидент" in out


def test_forms_templates__json__gives_ids_stations_and_titles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "forms", "templates", "--json")

    assert code == 0
    rows = {r["name"]: r for r in json.loads(out)}
    assert list(rows) == ["election_day", "critical_incident", "lto_weekly"]
    assert [rows[n]["station"] for n in rows] == ["required", "optional", "absent"]
    for r in rows.values():
        assert sorted(r["languages"]) == ["en", "ru"]
        assert set(r["title"]) == {"en", "ru"}
        assert r["questions"] > 0


def test_forms_add__same_then_new_version__unchanged_then_new_version(
    visit_mission: Path, xlsform: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    same = visit_form(xlsform)  # byte-identical to the form the mission was made with
    newer = visit_form(xlsform, title="Visit v2", version="2")

    assert cli(capsys, "forms", "add", visit_mission, same)[1] == (
        "form visit version 1: already there, unchanged\n"
    )
    assert cli(capsys, "forms", "add", visit_mission, newer)[1] == (
        "form visit version 2: added as a new version\n"
    )
    code, out, _ = cli(capsys, "forms", "list", visit_mission)
    assert code == 0
    lines = [line for line in out.splitlines() if "visit" in line]
    assert len(lines) == 2
    assert lines[0].startswith("  visit") and lines[1].startswith("* visit")
    assert "Visit v2" in lines[1]


def test_forms_add__another_form__added(
    visit_mission: Path, xlsform: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    markdown = VISIT.replace("| visit ", "| visit2 ").replace("{title}", "Second visit")
    other = xlsform(markdown.replace("{version}", "1"), "visit2.xlsx")

    code, out, _ = cli(capsys, "forms", "add", visit_mission, other)

    assert code == 0
    assert out == "form visit2 version 1: added\n"
    code, out, _ = cli(capsys, "forms", "list", visit_mission, "--json")
    assert sorted(f["form_id"] for f in json.loads(out) if f["latest"]) == ["visit", "visit2"]


def test_forms_add__same_version_other_content__exit_1_telling_to_raise_version(
    visit_mission: Path, xlsform: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256(visit_mission)
    reworded = visit_form(xlsform, title="Visit, reworded")

    code, out, err = cli(capsys, "forms", "add", visit_mission, reworded)

    assert code == 1
    assert out == ""
    one_line_error(err)
    assert "version '1'" in err and "Raise 'version'" in err
    code, out, _ = cli(capsys, "forms", "list", visit_mission, "--json")
    assert [f["title"] for f in json.loads(out)] == ["Visit"]
    assert sha256(visit_mission) == before


def test_forms_list__json__every_version_with_counts(
    with_reports: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "forms", "list", with_reports, "--json")

    assert code == 0
    [form] = json.loads(out)
    assert (form["form_id"], form["version"], form["latest"], form["reports"]) == (
        "visit",
        "1",
        True,
        2,
    )


def test_forms_export__then_add_the_export__unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "m.pollcheck"
    assert cli(capsys, "new", target, "--title", "T", "--template", "critical_incident")[0] == 0
    out_path = tmp_path / "incident.xlsx"

    code, out, _ = cli(capsys, "forms", "export", target, "incident", out_path)

    assert code == 0
    assert f"Wrote {out_path}" in out
    assert out_path.read_bytes()[:2] == b"PK"
    code, out, _ = cli(capsys, "forms", "add", target, out_path)
    assert code == 0
    assert "already there, unchanged" in out


def test_forms_export__unknown_form__exit_1_naming_the_forms(
    visit_mission: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, "forms", "export", visit_mission, "eday", tmp_path / "x.xlsx")

    assert code == 1
    one_line_error(err)
    assert "no form 'eday'" in err and "visit" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_forms_export__missing_folder__exit_1_not_a_crash(
    visit_mission: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "no such folder" / "visit.xlsx"

    code, _, err = cli(capsys, "forms", "export", visit_mission, "visit", out_path)

    assert code == 1
    one_line_error(err)
    assert str(out_path) in err
    assert "internal error" not in err


# -- stations ----------------------------------------------------------------------------------


def test_stations_import__csv__counts_added_then_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_mission(tmp_path / "m.pollcheck", title="T").close()
    table = tmp_path / "stations.csv"
    table.write_bytes(STATIONS_CSV.encode("cp1251"))

    code, out, _ = cli(capsys, "stations", "import", tmp_path / "m.pollcheck", table)

    assert code == 0
    assert out == "Stations (read as cp1251): 3 added, 0 updated, 0 unchanged\n"
    code, out, _ = cli(capsys, "stations", "import", tmp_path / "m.pollcheck", table)
    assert out == "Stations (read as cp1251): 0 added, 0 updated, 3 unchanged\n"


def test_stations_import__bad_csv__exit_1_every_problem_one_per_line(
    pollcheck: Run, visit_mission: Path, tmp_path: Path
) -> None:
    before = sha256(visit_mission)
    (tmp_path / "bad.csv").write_text(
        "code,number,region,registered_voters\n"
        "ALM-9,,Алматы,100\n"  # row 2: no number
        "ALM-10,10,Алматы,-5\n"  # row 3: negative voters
        "ALM-10,11,Алматы,7\n",  # row 4: the code again
        encoding="utf-8",
    )

    result = pollcheck("stations", "import", visit_mission.name, "bad.csv")

    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert "nothing was imported" in lines[0]
    problems = lines[1:]
    assert len(problems) == 3
    assert "row 2" in problems[0] and "number" in problems[0]
    assert "row 3" in problems[1] and "registered_voters" in problems[1]
    assert "row 4" in problems[2] and "ALM-10" in problems[2]
    assert sha256(visit_mission) == before


def test_stations_list__region_json__only_that_region(
    visit_mission: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "stations", "list", visit_mission, "--region", "Алматы", "--json")

    assert code == 0
    stations = json.loads(out)
    # Sorted by region, then district: Бостандыкский before Медеуский.
    assert [s["code"] for s in stations] == ["ALM-2", "ALM-1"]
    assert stations[1]["name"] == "Школа № 12"
    assert stations[1]["district"] == "Медеуский"


def test_stations_list__text__one_line_each_and_a_count(
    visit_mission: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "stations", "list", visit_mission, "--search", "лицей")

    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("AST-1")
    assert lines[-1] == "1 station"


# -- reports -----------------------------------------------------------------------------------


def test_reports_import__good_sheet__counts_and_warnings_on_stderr(
    visit_mission: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "reports.csv"
    sheet.write_text(REPORTS_CSV + "AST-1,,,no,40,leftover\n", encoding="utf-8")

    code, out, err = cli(capsys, "reports", "import", visit_mission, sheet, "--form", "visit")

    assert code == 0
    assert out == "Reports: 3 added, 0 updated, 0 unchanged\n"
    [warning] = err.splitlines()
    assert warning.startswith("warning: reports.csv, row 4, column 'queue_len'")
    code, out, err = cli(capsys, "reports", "import", visit_mission, sheet, "--form", "visit")
    assert out == "Reports: 1 added, 0 updated, 2 unchanged\n"  # the row without uuid is new


def test_reports_import__bad_sheet__exit_1_every_problem_and_nothing_written(
    pollcheck: Run, visit_mission: Path, tmp_path: Path
) -> None:
    (tmp_path / "bad.csv").write_text(
        "station,queue,queue_len,comment,colour\n"
        "ALM-7,no,,c,\n"  # row 2: unknown station
        "ALM-1,yes,lots,c,\n"  # row 3: not a whole number
        "ALM-1,no,,,\n",  # row 4: the required comment
        encoding="utf-8",
    )

    result = pollcheck("reports", "import", visit_mission.name, "bad.csv", "--form", "visit")

    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert "no report was imported" in lines[0]
    for key in (
        "column 'colour'",
        "row 2, column 'station'",
        "row 3, column 'queue_len'",
        "row 4, column 'comment'",
    ):
        assert sum(key in line for line in lines[1:]) == 1, key
    assert len(lines) == 5
    with open_mission(visit_mission, readonly=True) as m:
        assert m.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0


def test_reports_import__unknown_form__exit_1(
    visit_mission: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "reports.csv"
    sheet.write_text(REPORTS_CSV, encoding="utf-8")

    code, _, err = cli(capsys, "reports", "import", visit_mission, sheet, "--form", "eday")

    assert code == 1
    one_line_error(err)
    assert "no form 'eday'" in err


def test_reports_list__json__the_imported_reports(
    with_reports: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "reports", "list", with_reports, "--json")

    assert code == 0
    reports = {r["uuid"]: r for r in json.loads(out)}
    assert set(reports) == {U1, U2}
    assert reports[U1]["station_code"] == "ALM-1"
    assert reports[U1]["observer"] == "Айгуль"
    assert reports[U1]["answers"] == {"queue": "yes", "queue_len": 12, "comment": "Всё спокойно"}
    assert reports[U2]["status"] == "complete"


def test_reports_list__filters__station_and_status(
    with_reports: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "reports", "list", with_reports, "--station", "ALM-2")

    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(U2) and lines[-1] == "1 report"
    code, out, _ = cli(capsys, "reports", "list", with_reports, "--status", "draft")
    assert out == "0 reports\n"


def test_reports_show__history__each_revision_and_labels(
    with_reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = tmp_path / "changed.csv"
    changed.write_text(f"station,uuid,queue,queue_len,comment\nALM-2,{U2},yes,3,Очередь\n")
    code, out, _ = cli(capsys, "reports", "import", with_reports, changed, "--form", "visit")
    assert out == "Reports: 0 added, 1 updated, 0 unchanged\n"

    code, out, _ = cli(capsys, "reports", "show", with_reports, U2, "--history")

    assert code == 0
    assert f"Report {U2}: Visit v1" in out
    assert "revision 2" in out
    assert "  Long queue?: Yes" in out
    assert "  How many waiting?: 3" in out
    history = [line for line in out.splitlines() if line.startswith("  rev ")]
    assert len(history) == 2
    assert history[0].startswith("  rev 1 ") and history[1].startswith("  rev 2 ")
    assert "answers changed: comment, queue, queue_len" in history[1]
    code, out, _ = cli(capsys, "reports", "show", with_reports, U2, "--language", "ru")
    assert "  Длинная очередь?: Да" in out


def test_reports_show__json_history__revisions(
    with_reports: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "reports", "show", with_reports, U1, "--history", "--json")

    assert code == 0
    data = json.loads(out)
    assert data["uuid"] == U1
    assert [h["revision"] for h in data["history"]] == [1]


def test_reports_show__unknown_uuid__exit_1(
    with_reports: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(
        capsys, "reports", "show", with_reports, "00000000-0000-0000-0000-0000000000"
    )

    assert code == 1
    one_line_error(err)
    assert "no report" in err


# -- demo --------------------------------------------------------------------------------------


def test_demo__then_info__synthetic_with_hundreds_of_reports(pollcheck: Run) -> None:
    made = pollcheck("demo", "demo.pollcheck")
    assert made.returncode == 0, made.stderr
    assert "synthetic" in made.stdout

    result = pollcheck("info", "demo.pollcheck", "--json")

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["mission"]["synthetic"] is True
    assert 200 <= sum(data["reports"].values()) <= 1000
    assert data["stations"] >= 100


def test_demo__info_text__marks_synthetic_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "d.pollcheck"
    assert cli(capsys, "demo", target, "--stations", "20", "--reports", "30")[0] == 0

    code, out, _ = cli(capsys, "info", target)

    assert code == 0
    assert "[SYNTHETIC DEMO DATA]" in out.splitlines()[0]


# -- the user's mistakes -----------------------------------------------------------------------


def test_unknown_subcommand__exit_1_one_clear_line(pollcheck: Run) -> None:
    result = pollcheck("frobnicate", "m.pollcheck")

    assert result.returncode == 1
    one_line_error(result.stderr)
    assert "invalid choice: 'frobnicate'" in result.stderr


def test_unknown_option__exit_1(visit_mission: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["info", str(visit_mission), "--colour"])

    assert exc.value.code == 1
    one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize(
    "args",
    [
        ["info", "{missing}"],
        ["forms", "list", "{missing}"],
        ["reports", "list", "{missing}"],
        ["stations", "import", "{mission}", "{missing}"],
        ["reports", "import", "{mission}", "{missing}", "--form", "visit"],
        ["forms", "add", "{mission}", "{missing}"],
    ],
    ids=lambda a: "_".join(a[:2]),
)
def test_missing_file__exit_1_one_line(
    args: list[str], visit_mission: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.csv"
    argv = [a.format(missing=missing, mission=visit_mission) for a in args]

    code, out, err = cli(capsys, *argv)

    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    assert "nowhere.csv" in err
    assert "internal error" not in err


def test_not_a_mission__random_bytes__exit_1_and_file_unchanged(
    pollcheck: Run, tmp_path: Path
) -> None:
    path = tmp_path / "random.pollcheck"
    path.write_bytes(bytes(range(256)) * 40)
    before = sha256(path)

    result = pollcheck("info", path.name)

    assert result.returncode == 1
    one_line_error(result.stderr)
    assert "not a Pollcheck mission file" in result.stderr
    assert sha256(path) == before


@pytest.mark.parametrize("command", [["info"], ["forms", "list"], ["stations", "list"]])
def test_not_a_mission__text_file__exit_1_one_line(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes, not a mission.\n" * 50, encoding="utf-8")
    before = sha256(path)

    code, _, err = cli(capsys, *command, path)

    assert code == 1
    one_line_error(err)
    assert "not a Pollcheck mission file" in err
    assert sha256(path) == before


def another_programs_database(tmp_path: Path) -> Path:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


def test_not_a_mission__another_programs_database__exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = another_programs_database(tmp_path)

    code, _, err = cli(capsys, "stations", "import", path, tmp_path / "s.csv")

    assert code == 1
    one_line_error(err)
    assert "not a Pollcheck mission file" in err


def test_not_a_mission__another_programs_database__file_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = another_programs_database(tmp_path)
    before = sha256(path)

    cli(capsys, "stations", "import", path, tmp_path / "s.csv")

    assert sha256(path) == before


def test_newer_mission__exit_1_says_newer_pollcheck_and_file_unchanged(
    pollcheck: Run,
    visit_mission: Path,
    tmp_path: Path,
    xlsform: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    conn = sqlite3.connect(visit_mission)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = sha256(visit_mission)

    result = pollcheck("info", visit_mission.name)

    assert result.returncode == 1
    one_line_error(result.stderr)
    assert "newer Pollcheck" in result.stderr
    newer = visit_form(xlsform, version="2")
    code, _, err = cli(capsys, "forms", "add", visit_mission, newer)
    assert code == 1
    one_line_error(err)
    assert "newer Pollcheck" in err
    assert sha256(visit_mission) == before


def test_group_without_subcommand__exit_1_with_its_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for group in ("forms", "stations", "reports"):
        code, _, err = cli(capsys, group)
        assert code == 1
        assert f"usage: pollcheck {group}" in err


def test_no_arguments__exit_1_with_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 1
    assert "usage: pollcheck" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["new"],
        ["info"],
        ["forms"],
        ["forms", "templates"],
        ["forms", "add"],
        ["forms", "list"],
        ["forms", "export"],
        ["stations"],
        ["stations", "import"],
        ["stations", "list"],
        ["reports"],
        ["reports", "import"],
        ["reports", "list"],
        ["reports", "show"],
        ["demo"],
    ],
    ids=lambda c: "_".join(c) or "top",
)
def test_help__every_subcommand__exit_0_with_usage(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*command, "--help"])

    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: pollcheck" + "".join(f" {c}" for c in command))


def test_help__through_the_entry_point__exit_0(pollcheck: Run) -> None:
    result = pollcheck("reports", "import", "--help")

    assert result.returncode == 0
    assert "--form" in result.stdout
    assert result.stderr == ""


def test_launcher__mistyped_subcommand_alone__usage_error_not_the_window(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gui import launcher

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        launcher.main(["tabulte"])
    assert exc.value.code == 1
    assert "invalid choice: 'tabulte'" in capsys.readouterr().err
