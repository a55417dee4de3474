"""Mission → Make observer kit…: the choices, what the kit will hold, the kit written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from db.kit import list_kits
from db.mission import open_mission
from db.observers import add_observer
from db.reports import create_report, list_reports
from db.stations import Station, add_station, list_stations
from gui.kit_dialog import KitDialog
from gui.main_window import MainWindow
from gui.session import MissionSession
from gui.settings import Settings


@pytest.fixture
def session(eday_mission: Path, settings: Settings) -> Iterator[MissionSession]:
    with open_mission(eday_mission) as m:
        add_observer(m, "Айгуль", "Team 1")
        add_observer(m, "Erlan")
        create_report(m, "eday", device="hq", observer="Айгуль", station_code="ALM-12")
        create_report(m, "eday", device="hq", observer="Айгуль", station_code="AST-3")
        create_report(m, "eday", device="hq", observer="Erlan", station_code="AST-3")
    s = MissionSession(open_mission(eday_mission), settings)
    yield s
    s.close()


def _tick(dialog: KitDialog, region: str) -> None:
    for i in range(dialog.regions.count()):
        item = dialog.regions.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == region:
            item.setCheckState(Qt.CheckState.Checked)


def test_kit_dialog__observer_and_region__summary_then_kit_with_only_those(
    qtbot: QtBot, session: MissionSession, tmp_path: Path, shown: list[QMessageBox]
) -> None:
    dialog = KitDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.observer_name() is None
    assert dialog.summary.text() == "The kit will hold 2 stations and no reports."
    dialog.observer.setCurrentIndex(dialog.observer.findData("Айгуль"))
    assert dialog.observer.currentText() == "Айгуль (Team 1)"
    assert dialog.summary.text() == "The kit will hold 2 stations and 2 reports of Айгуль."
    _tick(dialog, "Алматы")
    assert dialog.chosen_regions() == ["Алматы"]
    assert dialog.summary.text() == "The kit will hold 1 station and 2 reports of Айгуль."

    out = tmp_path / "Айгуль kit.pollcheck"
    assert dialog.make(out) == out
    with open_mission(out, readonly=True) as kit:
        assert [s.code for s in list_stations(kit)] == ["ALM-12"]
        assert sorted(r.observer for r in list_reports(kit)) == ["Айгуль", "Айгуль"]
        assert kit.info().mission_id == session.mission.info().mission_id
    assert str(out) in shown[-1].text() and "1 station" in shown[-1].text()


def test_kit_dialog__a_new_observer_typed__kit_without_reports(
    qtbot: QtBot, session: MissionSession, tmp_path: Path
) -> None:
    dialog = KitDialog(session)
    qtbot.addWidget(dialog)
    dialog.observer.setEditText("  Новый   наблюдатель ")
    assert dialog.observer_name() == "Новый наблюдатель"
    assert (
        dialog.summary.text() == "The kit will hold 2 stations and 0 reports of Новый наблюдатель."
    )
    out = dialog.make(tmp_path / "new.pollcheck")
    assert out is not None
    with open_mission(out, readonly=True) as kit:
        assert list_reports(kit) == [] and len(list_stations(kit)) == 2


def test_kit_dialog__folder_gone__error_shown_nothing_written(
    qtbot: QtBot, session: MissionSession, tmp_path: Path, shown: list[QMessageBox]
) -> None:
    dialog = KitDialog(session)
    qtbot.addWidget(dialog)
    out = tmp_path / "gone" / "kit.pollcheck"
    assert dialog.make(out) is None
    assert not out.parent.exists() and dialog.written is None
    assert "gone" in shown[-1].text()


def test_kit_dialog__path_chosen__suggests_the_observers_name(
    qtbot: QtBot, session: MissionSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = KitDialog(session)
    qtbot.addWidget(dialog)
    dialog.observer.setEditText('Anna "A/B"')
    suggested: list[str] = []

    def choose(*args: object, **kwargs: object) -> tuple[str, str]:
        suggested.append(str(args[2]))
        return str(tmp_path / "chosen.pollcheck"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    dialog.choose_and_make()
    assert Path(suggested[0]).name == "Anna _A_B_ kit.pollcheck"  # no character Windows refuses
    assert dialog.written == tmp_path / "chosen.pollcheck" and dialog.written.exists()


def test_make_kit_menu__open_report_saved_first_then_the_dialog(
    make_window: Callable[[], MainWindow], eday_mission: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    assert window.open_file(eday_mission)
    assert window.new_report("eday", "AST-3")
    saved: list[bool] = []
    monkeypatch.setattr(window.report_page, "save_now", lambda: saved.append(True))
    opened: list[int] = []
    monkeypatch.setattr(KitDialog, "exec", lambda d: opened.append(d.regions.count()) or 0)
    action = next(a for a in window.mission_actions if "kit" in a.text())
    action.trigger()
    assert saved == [True] and opened == [2]


def test_kit_dialog__one_kit_per_observer__made_listed_and_existing_files_left_alone(
    qtbot: QtBot, session: MissionSession, tmp_path: Path, shown: list[QMessageBox]
) -> None:
    folder = tmp_path / "kits"
    folder.mkdir()
    (folder / "Erlan kit.pollcheck").write_text("someone's file", encoding="utf-8")
    dialog = KitDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.observers() == ["Erlan", "Айгуль"] or dialog.observers() == ["Айгуль", "Erlan"]
    _tick(dialog, "Astana")
    made = dialog.make_all(folder)
    assert made == [folder / "Айгуль kit.pollcheck"]
    assert (folder / "Erlan kit.pollcheck").read_text(encoding="utf-8") == "someone's file"
    with open_mission(made[0], readonly=True) as kit:
        assert [s.code for s in list_stations(kit)] == ["AST-3"]
        assert [r.observer for r in list_reports(kit)] == ["Айгуль", "Айгуль"]
    assert [k.observer for k in list_kits(session.mission)] == ["Айгуль"]
    text = shown[-1].text()
    assert text.startswith(f"1 kit written to:\n{folder}")
    assert "a file of that name is there already: Erlan kit.pollcheck" in text


def test_kit_dialog__roster_imported__observers_listed_and_bad_roster_said(
    qtbot: QtBot, session: MissionSession, tmp_path: Path, shown: list[QMessageBox]
) -> None:
    dialog = KitDialog(session)
    qtbot.addWidget(dialog)
    bad = tmp_path / "bad.csv"
    bad.write_text("who\nx\n", encoding="utf-8")
    assert not dialog.import_roster(bad)
    assert "bad.csv" in shown[-1].text() and sorted(dialog.observers()) == ["Erlan", "Айгуль"]
    roster = tmp_path / "roster.csv"
    roster.write_text("name,team\nZhanna,Team 3\nErlan,Team 2\n", encoding="utf-8")
    assert dialog.import_roster(roster)
    assert sorted(dialog.observers()) == ["Erlan", "Zhanna", "Айгуль"]
    assert dialog.observer.findText("Zhanna (Team 3)") > 0
    assert dialog.summary.text().startswith("1 observer added from the list. The kit will hold")


def test_kit_dialog__station_without_a_region__counted_as_the_kit_will_hold_it(
    qtbot: QtBot, session: MissionSession, tmp_path: Path
) -> None:
    add_station(session.mission, Station(code="X-1", number="1"))  # no region
    dialog = KitDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "The kit will hold 3 stations and no reports."
    out = dialog.make(tmp_path / "all.pollcheck")
    assert out is not None
    with open_mission(out, readonly=True) as kit:
        assert len(list_stations(kit)) == 3
