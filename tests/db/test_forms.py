"""Forms in the mission file: versions, the original workbook, and the demo mission built on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from db.demo import make_demo
from db.errors import InputError, NotFoundError
from db.forms import add_form, export_workbook, get_form, list_forms
from db.mission import Mission, open_mission
from db.reports import list_reports
from forms.validate import validate

V1 = """
| survey |
|  | type | name | label |
|  | text | a | A |
| settings |
|  | form_id | version |
|  | f | 1 |
"""


def test_add__new_then_same_then_new_version(
    mission: Mission, xlsform: Callable[..., Path]
) -> None:
    assert add_form(mission, xlsform(V1)).status == "added"
    assert add_form(mission, xlsform(V1)).status == "unchanged"
    v2 = V1.replace("| f | 1 |", "| f | 2 |").replace(
        "| text | a | A |", "| text | a | A |\n|  | integer | b | B |"
    )
    assert add_form(mission, xlsform(v2)).status == "new_version"
    records = list_forms(mission)
    assert [(r.version, r.latest) for r in records] == [("1", False), ("2", True)]
    assert {q.name for q in get_form(mission, "f").questions()} == {"a", "b"}
    assert {q.name for q in get_form(mission, "f", "1").questions()} == {"a"}


def test_add__same_version_other_content__refused_with_the_fix(
    mission: Mission, xlsform: Callable[..., Path]
) -> None:
    add_form(mission, xlsform(V1))
    changed = V1.replace("| text | a | A |", "| text | a | Changed |")
    with pytest.raises(InputError, match="Raise 'version'"):
        add_form(mission, xlsform(changed))
    assert len(list_forms(mission)) == 1


def test_export__gives_the_original_workbook(
    mission: Mission, xlsform: Callable[..., Path], tmp_path: Path
) -> None:
    source = xlsform(V1)
    add_form(mission, source)
    out = export_workbook(mission, "f", tmp_path / "out.xlsx")
    assert out.read_bytes() == source.read_bytes()
    assert add_form(mission, out).status == "unchanged"


def test_get__unknown_form__names_the_forms_there(
    mission: Mission, xlsform: Callable[..., Path]
) -> None:
    add_form(mission, xlsform(V1))
    with pytest.raises(NotFoundError, match="Its forms: f"):
        get_form(mission, "eday")


def test_demo__synthetic_registry_and_valid_complete_reports(tmp_path: Path) -> None:
    info = make_demo(tmp_path / "demo.pollcheck", stations=120, reports=150, seed=7)
    assert info.synthetic and "synthetic" in info.title
    with open_mission(tmp_path / "demo.pollcheck", readonly=True) as m:
        regions = m.conn.execute("SELECT count(DISTINCT region) FROM stations").fetchone()[0]
        assert regions >= 5
        reports = list_reports(m, form_id="eday")
        assert len(reports) == 150
        complete = [r for r in reports if r.status == "complete"]
        assert len(complete) > 100
        form = get_form(m, "eday")
        assert all(validate(form, r.answers).ok for r in complete)
        stations = [r.station_code for r in reports]
        assert len(set(stations)) < len(stations)  # some stations were visited twice
        findings = sum(len(validate(form, r.answers).findings) for r in complete)
        assert findings > 0


def test_observers__added_with_team_and_listed(mission: Mission) -> None:
    from db.observers import add_observer, list_observers

    add_observer(mission, "  Anna   Petrova ", "Team 1")
    add_observer(mission, "Marat", None)
    add_observer(mission, "Anna Petrova")  # no team given: keeps the one it has
    assert [(o.name, o.team) for o in list_observers(mission)] == [
        ("Anna Petrova", "Team 1"),
        ("Marat", None),
    ]


def test_add__same_form_saved_again__unchanged(
    mission: Mission, xlsform: Callable[..., Path]
) -> None:
    import openpyxl

    first, second = xlsform(V1), xlsform(V1)
    book = openpyxl.load_workbook(second)
    book.properties.creator = "someone else"  # saved again: other bytes, same content
    book.save(second)
    assert first.read_bytes() != second.read_bytes()
    add_form(mission, first)
    assert add_form(mission, second).status == "unchanged"


def test_view__form_ids_with_dash_and_underscore__two_views(
    mission: Mission, xlsform: Callable[..., Path]
) -> None:
    import sqlite3

    add_form(mission, xlsform(V1.replace("| f | 1 |", "| a-b | 1 |")))
    add_form(mission, xlsform(V1.replace("| f | 1 |", "| a_b | 1 |")))
    views = {
        r[0]
        for r in sqlite3.connect(mission.path).execute(
            "SELECT name FROM sqlite_master WHERE type = 'view'"
        )
    }
    assert {"reports_a-b", "reports_a_b"} <= views
