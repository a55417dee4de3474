"""The observers' roster: imported from a table (all rows or none), listed with teams."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.errors import InputError
from db.mission import create_mission, open_mission
from db.observers import add_observer, import_observers, list_observers


@pytest.fixture
def mission(tmp_path: Path) -> Path:
    path = tmp_path / "hq.pollcheck"
    with create_mission(path, title="Выборы") as m:
        add_observer(m, "Anna Petrova", "Team 1")
    return path


def _roster(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import__russian_titles__added_team_changed_and_unchanged_counted(
    mission: Path, tmp_path: Path
) -> None:
    roster = _roster(
        tmp_path,
        "ФИО,Команда\n  Айгуль   Сейткали ,Т-1\nЕрлан Ахметов,\nAnna Petrova,Team 2\n"
        "Айгуль Сейткали,Т-1\n",
    )
    with open_mission(mission) as m:
        result = import_observers(m, roster)
        observers = {o.name: o.team for o in list_observers(m)}
    assert (result.added, result.updated, result.unchanged) == (2, 1, 0)
    assert observers == {"Айгуль Сейткали": "Т-1", "Ерлан Ахметов": None, "Anna Petrova": "Team 2"}
    with open_mission(mission) as m:  # the same list again changes nothing
        again = import_observers(m, roster)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_import__rows_with_problems__each_named_and_nothing_stored(
    mission: Path, tmp_path: Path
) -> None:
    roster = _roster(tmp_path, "name,team\nErlan,T-1\n,T-2\nErlan,T-3\n")
    with open_mission(mission) as m, pytest.raises(InputError) as caught:
        import_observers(m, roster)
    assert (
        caught.value.message == "roster.csv: the observers were not imported; nothing was changed."
    )
    assert [str(p) for p in caught.value.problems] == [
        "roster.csv, row 3, column 'name': the observer's name is empty."
        " Type the name, or delete the row.",
        "roster.csv, row 4, column 'team': Erlan is listed twice, in team T-1 and in team T-3."
        " Keep one row for each observer.",
    ]
    with open_mission(mission, readonly=True) as m:
        assert [o.name for o in list_observers(m)] == ["Anna Petrova"]


def test_import__no_column_of_names__refused_naming_the_columns(
    mission: Path, tmp_path: Path
) -> None:
    roster = _roster(tmp_path, "who,where\nx,y\n")
    with open_mission(mission) as m, pytest.raises(InputError) as caught:
        import_observers(m, roster)
    (problem,) = caught.value.problems
    assert "no column of observers' names (its columns: 'who', 'where')" in str(problem)
    assert "имена" not in str(problem) and "наблюдател" in problem.text("ru")
