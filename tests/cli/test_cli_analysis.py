"""`pollcheck tabulate`, `check` and `sample`: text that reads like a findings section, and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main
from db.mission import Mission

# The mission of tests/db/test_tabulate.py, built by its fixture.
from tests.db.test_tabulate import m as _m  # noqa: F401 - the fixture, reused

pytestmark = pytest.mark.usefixtures("_m")


@pytest.fixture
def path(_m: Mission) -> Path:  # noqa: F811 - the fixture's value
    return _m.path


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_tabulate__text__findings_with_stations_by_region(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "tabulate", path, "--form", "visit")
    assert code == 0
    assert "6 reports from 5 stations" in out
    sealed = out.index("Box sealed? [sealed: . = 'no']")
    block = out[sealed : sealed + 300]
    assert "2 stations, 3 reports, 50.00% of 6 answered" in block
    assert "Akmola: #54" in block and "Almaty: #108" in block


def test_tabulate__russian__words_and_labels(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "tabulate", path, "--form", "visit", "--language", "ru")
    assert code == 0
    assert "6 отчетов с 5 участков" in out
    assert "Урна опечатана?" in out and "Нарушения, по числу участков" in out


def test_tabulate__json__shape_and_filters(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "tabulate",
        path,
        "--form",
        "visit",
        "--json",
        "--region",
        "Almaty",
        "--by",
        "district",
    )
    data = json.loads(out)
    assert code == 0 and data["reports"] == 4 and data["by"] == "district"
    no = data["questions"][0]["answers"][1]
    assert (no["value"], no["reports"], no["stations"]) == ("no", 2, 1)
    assert no["groups"] == [
        {"group": "Almaty / Medeu", "reports": 2, "stations": 1, "station_codes": ["ALM-108"]}
    ]


def test_tabulate__bad_date_or_form__exit_1(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "tabulate", path, "--form", "visit", "--from", "04.12.2005")
    assert code == 1 and "YYYY-MM-DD" in err
    code, _, err = run(capsys, "tabulate", path, "--form", "nope")
    assert code == 1 and "no form 'nope'" in err


def test_sample__declare_then_intervals_in_json(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "sample", path)
    assert code == 0 and "No sample" in out
    code, out, _ = run(capsys, "sample", path, "--design", "simple")
    assert code == 0 and "simple random" in out
    _, out, _ = run(capsys, "tabulate", path, "--form", "visit", "--json")
    assert json.loads(out)["questions"][0]["answers"][1]["ci95"] is not None
    code, _, err = run(capsys, "sample", path, "--design", "stratified", "--column", "ghost")
    assert code == 1 and "'ghost'" in err


def test_check__text_and_json(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", path)
    assert code == 0 and "Duplicate visits (one station, one form, several reports): 1" in out
    code, out, _ = run(capsys, "check", path, "--json")
    data = json.loads(out)
    dup = next(c for c in data["checks"] if c["check"] == "duplicates")
    assert dup["count"] == 1 and dup["items"][0]["station_code"] == "ALM-108"
    assert any(
        c["region"] == "Akmola" and c["not_visited"] == ["AKM-534"] for c in data["coverage"]
    )


def test_check__in_russian__titles_and_details(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", path, "--language", "ru")
    assert (
        code == 0 and "Повторные посещения (один участок, одна форма, несколько отчетов): 1" in out
    )
    assert "форма visit: 2 отчета; они расходятся в ответах: " in out
    assert "Duplicate" not in out and "disagree" not in out
    code, out, _ = run(capsys, "check", path, "--language", "ru", "--json")
    dup = next(c for c in json.loads(out)["checks"] if c["check"] == "duplicates")
    assert dup["title"].startswith("Повторные") and "2 отчета" in dup["items"][0]["detail"]


def test_check__registry_numbers__from_the_template_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], xlsform: Callable[[str], Path]
) -> None:
    from db.forms import add_form
    from db.mission import create_mission
    from db.reports import create_report
    from db.stations import Station, add_station
    from forms.templates import template

    with create_mission(tmp_path / "r.pollcheck", title="T") as m:
        eday = template("election_day")
        add_form(m, eday.workbook, filename=eday.filename)
        add_station(m, Station(code="A-1", number="1", region="R", registered_voters=500))
        create_report(
            m,
            "eday",
            device="d",
            station_code="A-1",
            answers={
                "visit_phases": "closing",
                "observer_access": "full",
                "results_copied": "yes",
                "res_consistent": "no",
                "res_registered": 600,
                "res_voters_added": 10,
                "res_ballots_issued": 520,
            },
        )
        # Only complete reports are checked; this draft stands for one typed in as it was.
        m.conn.execute("UPDATE reports SET status = 'complete'")
    code, out, err = run(capsys, "check", tmp_path / "r.pollcheck", "--json")
    assert code == 0, err
    data = json.loads(out)
    numbers = next(c for c in data["checks"] if c["check"] == "registry_numbers")
    details = {i["question"]: i for i in numbers["items"]}
    assert details["res_ballots_issued"]["limit"] == 510
    assert details["res_registered"]["registry"] == 500
