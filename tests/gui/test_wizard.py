"""The New mission wizard: a mission made from it; a station list previewed, bad rows shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from db.forms import list_forms
from db.mission import open_mission
from db.stations import list_stations
from gui.app import install_translators
from gui.settings import Settings
from gui.wizard import NewMissionWizard

GOOD = "номер;регион;район;название\n12;Алматы;Бостандыкский;Школа № 5\n13;Алматы;Медеуский;Лицей\n7;Astana;Esil;Library\n"
BAD = (
    "number,region,name\n12,Almaty,School 5\n,Almaty,No number here\n12,Almaty,Same station again\n"
)


def _wizard(qtbot: QtBot, settings: Settings, folder: Path) -> NewMissionWizard:
    settings.last_folder = str(folder)
    wizard = NewMissionWizard(settings)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def test_wizard__filled_in_and_finished__mission_with_forms_and_stations(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    stations = tmp_path / "stations.csv"
    stations.write_bytes(GOOD.encode("cp1251"))  # as Russian Excel saves it
    wizard = _wizard(qtbot, settings, tmp_path)
    page = wizard.mission_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no title yet
    qtbot.keyClicks(page.title, "Parliamentary election 2026")
    qtbot.keyClicks(page.country, "Kazakhstan")
    target = tmp_path / "Parliamentary-election-2026.pollcheck"
    assert page.path.text() == str(target)
    wizard.next()
    assert wizard.currentPage() is wizard.forms_page
    assert wizard.forms_page.chosen() == (("election_day", "critical_incident"), ())
    wizard.next()
    wizard.stations_page.set_file(stations)
    assert "3 stations will be imported" in wizard.stations_page.summary.text()
    assert "cp1251" in wizard.stations_page.summary.text()
    assert wizard.stations_page.table.item(0, 3).text() == "Бостандыкский"
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    assert "Kazakhstan" in wizard.summary_page.text.text()
    assert not target.exists()  # nothing is written before the last page
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.created == target
    with open_mission(target, readonly=True) as m:
        assert m.info().title == "Parliamentary election 2026"
        assert m.info().country == "Kazakhstan"
        assert {f.form_id for f in list_forms(m)} == {"eday", "incident"}
        assert [s.code for s in list_stations(m)] == ["ASTANA-7", "АЛМАТЫ-12", "АЛМАТЫ-13"]


def test_wizard__station_list_with_bad_rows__every_problem_shown_and_nothing_imported(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    stations = tmp_path / "stations.csv"
    stations.write_text(BAD, encoding="utf-8")
    wizard = _wizard(qtbot, settings, tmp_path)
    qtbot.keyClicks(wizard.mission_page.title, "Test")
    wizard.next()
    wizard.next()
    page = wizard.stations_page
    page.set_file(stations)
    problems = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert len(problems) == 2
    assert problems[0].startswith(
        "stations.csv, row 3, column 'number': the station number is missing."
    )
    assert "row 4" in problems[1] and "row 2" in problems[1]
    assert "2 problems" in page.summary.text() and "Nothing will be imported" in page.summary.text()
    assert not page.problems.isHidden()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    # Fixing the file and checking again clears them.
    stations.write_text(
        "number,region,name\n12,Almaty,School 5\n14,Almaty,Library\n", encoding="utf-8"
    )
    page.again.click()
    assert page.problems.isHidden()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    # Or going on without a list.
    stations.write_text(BAD, encoding="utf-8")
    page.again.click()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.skip.click()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.created is not None
    with open_mission(wizard.created, readonly=True) as m:
        assert list_stations(m) == []


def test_wizard__file_exists_already__refused_before_anything_is_written(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "Test.pollcheck").write_text("someone's file")
    wizard = _wizard(qtbot, settings, tmp_path)
    qtbot.keyClicks(wizard.mission_page.title, "Test")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "exists already" in wizard.mission_page.warning.text()
    assert (tmp_path / "Test.pollcheck").read_text() == "someone's file"


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    """The interface in Russian for one test, then in English again."""
    install_translators(qapp, "ru")
    yield
    install_translators(qapp, "en")


def test_wizard__interface_in_russian__station_problems_and_form_errors_in_russian(
    qtbot: QtBot,
    settings: Settings,
    tmp_path: Path,
    russian: None,
    shown: list[QMessageBox],
) -> None:
    stations = tmp_path / "stations.csv"
    stations.write_text(BAD, encoding="utf-8")
    settings.language = "ru"
    wizard = _wizard(qtbot, settings, tmp_path)
    page = wizard.stations_page
    page.set_file(stations)
    problems = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert problems == [
        "stations.csv, строка 3, столбец «number»: не указан номер участка."
        " Введите номер или удалите строку.",
        "stations.csv, строка 4, столбец «number»: регион и номер дают код «ALMATY-12», как и в"
        " строке 2; две строки описывают один участок. Удалите одну из двух строк или добавьте"
        " столбец «код», который их различает.",
    ]
    # A file that is not a table at all: the error and its problem, in Russian.
    (tmp_path / "stations.doc").write_text("x")
    page.set_file(tmp_path / "stations.doc")
    assert (
        page.problems.item(0)
        .text()
        .startswith("stations.doc: файлы «.doc» нельзя прочитать как таблицу.")
    )
    # A workbook that is no form: the dialog speaks Russian, the log keeps English.
    assert not wizard.forms_page.add_workbook(stations)
    box = shown[-1]
    assert box.text() == (
        "stations.csv: это не книга Excel (.xlsx). Сохраните форму из Excel или LibreOffice"
        " как .xlsx и добавьте ее снова."
    )
