"""Mission → Merge files…, Merge log… and Prepare file for HQ: dry run per file, refusals, the
merge, the log."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from db.kit import make_kit, send_file
from db.merge import merge
from db.mission import open_mission
from db.reports import create_report, list_reports
from db.stations import Station, add_station
from gui.app import install_translators
from gui.main_window import MainWindow
from gui.merge_dialog import (
    NEW,
    OUTCOME,
    WHY,
    MergeDialog,
    MergeLogDialog,
    prepare_file_for_hq,
)
from gui.session import MissionSession
from gui.settings import Settings


@pytest.fixture
def session(eday_mission: Path, settings: Settings) -> Iterator[MissionSession]:
    s = MissionSession(open_mission(eday_mission), settings)
    yield s
    s.close()


@pytest.fixture
def observer_file(eday_mission: Path, tmp_path: Path) -> Path:
    """An observer's file of the mission with one report in it."""
    kit = make_kit(eday_mission, tmp_path / "kit.pollcheck", observer="Айгуль")
    with open_mission(kit) as m:
        create_report(m, "eday", device="observer-device", station_code="ALM-12")
    return send_file(kit, tmp_path / "from-observer.pollcheck")


def _cell(dialog: MergeDialog, row: int, col: int) -> str:
    item = dialog.table.item(row, col)
    return item.text() if item else ""


def _texts(table: QTableWidget) -> list[list[str]]:
    """A table's cells as shown, row by row."""
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_merge_dialog__good_and_damaged_files__dry_run_rows_then_merge_brings_reports(
    qtbot: QtBot, session: MissionSession, observer_file: Path, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.pollcheck"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x13" * 3000)
    dialog = MergeDialog(session)
    qtbot.addWidget(dialog)
    dialog.add_files([observer_file, damaged])
    assert (_cell(dialog, 0, OUTCOME), _cell(dialog, 0, NEW)) == ("will be merged", "1")
    assert _cell(dialog, 1, OUTCOME) == "will be refused" and _cell(dialog, 1, WHY)
    assert "damaged.pollcheck" in _cell(dialog, 1, WHY)
    assert list_reports(session.mission) == []  # a dry run writes nothing
    assert dialog.merge_button.isEnabled()

    with qtbot.waitSignal(session.reportsChanged):
        dialog.merge_button.click()
    assert _cell(dialog, 0, OUTCOME) == "merged"
    assert "log" in dialog.state.text()
    assert len(list_reports(session.mission)) == 1
    assert not dialog.merge_button.isEnabled()


def test_prepare_file__path_chosen__copy_written_that_opens(
    session: MissionSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "for-hq.pollcheck"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    assert prepare_file_for_hq(session) == out
    with open_mission(out, readonly=True) as copy:
        assert copy.info().title == "Выборы 2026"


def test_merge_menu__report_open__closed_for_the_merge_and_reopened(
    make_window: Callable[[], MainWindow],
    eday_mission: Path,
    observer_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    assert window.open_file(eday_mission)
    assert window.new_report("eday", "AST-3")
    uuid = window.report_page.report.uuid  # type: ignore[union-attr]
    during: list[object] = []

    def merge_now(dialog: MergeDialog) -> int:
        during.append(window.report_page.report)
        dialog.add_files([observer_file])
        dialog.run_merge()
        return 0

    monkeypatch.setattr(MergeDialog, "exec", merge_now)
    window.merge_files()
    assert during == [None]
    assert window.report_page.report is not None and window.report_page.report.uuid == uuid
    assert len(window.session.report_rows()) == 2  # type: ignore[union-attr]


def test_merge_dialog__interface_in_russian__refusal_reason_in_russian(
    qtbot: QtBot, session: MissionSession, tmp_path: Path, qapp: QApplication
) -> None:
    empty = tmp_path / "usb-stick.pollcheck"
    empty.write_bytes(b"")
    install_translators(qapp, "ru")
    try:
        dialog = MergeDialog(session)
        qtbot.addWidget(dialog)
        dialog.add_files([empty])
        why = _cell(dialog, 0, WHY)
    finally:
        install_translators(qapp, "en")
    assert why == (
        "usb-stick.pollcheck: файл пуст. Попросите наблюдателя сделать свежую копию командой"
        " «Подготовить файл для штаба» (pollcheck send) и объедините ее."
    )
    assert dialog.result is not None
    assert dialog.result.sources[0].reason.startswith("usb-stick.pollcheck: the file is empty.")


def test_merge_log__after_a_merge_and_a_refusal__latest_first_in_the_interface_language(
    qtbot: QtBot, session: MissionSession, observer_file: Path, tmp_path: Path, qapp: QApplication
) -> None:
    empty = MergeLogDialog(session)
    qtbot.addWidget(empty)
    assert empty.table.rowCount() == 0
    assert "No file has been merged" in empty.intro.text()

    bad = tmp_path / "usb-stick.pollcheck"
    bad.write_bytes(b"")
    merge(session.mission, [observer_file, bad])
    install_translators(qapp, "ru")
    try:
        dialog = MergeLogDialog(session)
        qtbot.addWidget(dialog)
        rows = _texts(dialog.table)
    finally:
        install_translators(qapp, "en")
    assert len(rows) == 2
    latest, first = rows
    assert first[1:8] == ["from-observer.pollcheck", "объединен", "1", "0", "0", "0", "0"]
    digest = hashlib.sha256(observer_file.read_bytes()).hexdigest()
    assert first[8] == digest[:12] + "…"
    assert latest[1:8] == ["usb-stick.pollcheck", "отклонен", "", "", "", "", ""]
    assert latest[8] == hashlib.sha256(b"").hexdigest()[:12] + "…"
    assert latest[9].startswith("usb-stick.pollcheck: файл пуст.")
    assert first[0] and len(first[0]) == len("2026-12-06 09:15")  # local time, to the minute
    assert dialog.details.text().startswith("usb-stick.pollcheck — SHA-256: e3b0c44298fc1c14")
    dialog.table.selectRow(1)  # the whole digest of the file selected, to be copied
    assert dialog.details.text().startswith(f"from-observer.pollcheck — SHA-256: {digest}; ")
    assert "observer-device" in dialog.details.text()


def test_merge_log_menu__opens_the_log_of_the_open_mission(
    make_window: Callable[[], MainWindow], eday_mission: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    assert window.open_file(eday_mission)
    shown: list[int] = []
    monkeypatch.setattr(MergeLogDialog, "exec", lambda d: shown.append(d.table.rowCount()) or 0)
    action = next(a for a in window.mission_actions if "log" in a.text())
    action.trigger()
    assert shown == [0]


def _drop(widget: QWidget, *paths: Path | str) -> bool:
    """Drag ``paths`` (local files, or URLs given as text) over ``widget`` and drop them there
    if it takes them; whether it did. (The handlers are called directly: Qt delivers drag
    events only during a real drag.)"""
    data = QMimeData()
    data.setUrls([QUrl(p) if isinstance(p, str) else QUrl.fromLocalFile(str(p)) for p in paths])
    args = (QPointF(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton)
    enter = QDragEnterEvent(QPoint(5, 5), *args[1:], Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    widget.dragEnterEvent(enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(*args, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(drop)
    return drop.isAccepted()


def test_merge_dialog__files_and_a_folder_dropped__added_as_if_chosen(
    qtbot: QtBot, session: MissionSession, observer_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "usb stick"
    folder.mkdir()
    (folder / "b-aigul.pollcheck").write_bytes(observer_file.read_bytes())
    (folder / "a-report.XLSX").write_bytes(b"PK\x03\x04")
    (folder / "notes.txt").write_text("not a source", encoding="utf-8")
    (folder / "sub.pollcheck").mkdir()  # a folder, whatever its name: not a file to merge
    dialog = MergeDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.acceptDrops()

    assert not _drop(dialog, "https://example.org/file.pollcheck")
    assert dialog.files == []
    assert _drop(dialog, folder)
    assert dialog.files == [folder / "a-report.XLSX", folder / "b-aigul.pollcheck"]
    assert _cell(dialog, 1, OUTCOME) == "will be merged"
    _drop(dialog, folder / "notes.txt")  # dropped by itself: added, and the dry run says why
    assert dialog.files[-1] == folder / "notes.txt"
    assert _cell(dialog, 2, OUTCOME) == "will be refused" and "notes.txt" in _cell(dialog, 2, WHY)


def test_main_window__one_mission_file_dropped__opened(
    make_window: Callable[[], MainWindow], eday_mission: Path, observer_file: Path
) -> None:
    window = make_window()
    assert window.acceptDrops()
    assert not _drop(window, eday_mission, observer_file)  # two: which one? neither
    assert window.session is None
    assert _drop(window, eday_mission)
    assert window.session is not None and window.session.path == eday_mission


def test_merge_dialog__log_button__opens_the_log_with_this_merge(
    qtbot: QtBot, session: MissionSession, observer_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = MergeDialog(session)
    qtbot.addWidget(dialog)
    dialog.add_files([observer_file])
    with qtbot.waitSignal(session.reportsChanged):
        dialog.merge_button.click()
    shown: list[str] = []
    monkeypatch.setattr(MergeLogDialog, "exec", lambda d: shown.append(d.logged[0].outcome) or 0)
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Merge log…")
    button.click()
    assert shown == ["merged"]


def test_merge_log__no_kit_made__kits_tab_says_how_to_make_one(
    qtbot: QtBot, session: MissionSession
) -> None:
    dialog = MergeLogDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.tabs.count() == 2 and dialog.kits_table.rowCount() == 0
    assert dialog.kits_summary.text() == (
        "No kit has been made from this file yet (Mission → Make observer kit…)."
    )


def test_merge_log__kits_tab__each_kit_and_whether_a_file_came_back(
    qtbot: QtBot, session: MissionSession, observer_file: Path, tmp_path: Path, qapp: QApplication
) -> None:
    # observer_file was sent from a kit made from this mission (kit.pollcheck, Айгуль's).
    mine = make_kit(session.mission, tmp_path / "aigul-kit.pollcheck", observer="Айгуль")
    make_kit(
        session.mission, tmp_path / "erlan-kit.pollcheck", observer="Ерлан", regions=["Astana"]
    )
    with open_mission(mine) as kit:
        create_report(kit, "eday", device="aigul-laptop", observer="Айгуль", station_code="AST-3")
    merge(session.mission, [send_file(mine, tmp_path / "aigul-sent.pollcheck"), observer_file])
    merge(session.mission, [observer_file])  # the same file again: back twice
    install_translators(qapp, "ru")
    try:
        dialog = MergeLogDialog(session)
        qtbot.addWidget(dialog)
        rows = _texts(dialog.kits_table)
        summary = dialog.kits_summary.text()
        tab = dialog.tabs.tabText(1)
    finally:
        install_translators(qapp, "en")
    assert tab == "Выданные комплекты"
    assert summary == "Из этого файла сделано 3 комплекта. Еще не вернули файл: Ерлан."
    assert rows[0][1:6] == ["kit.pollcheck", "Айгуль", "все", "2", "0"]
    assert rows[0][6].startswith("2 файла, последний ")
    assert rows[1][1:6] == ["aigul-kit.pollcheck", "Айгуль", "все", "2", "0"]
    assert rows[1][6].startswith("1 файл, последний ")
    assert rows[2][1:] == ["erlan-kit.pollcheck", "Ерлан", "Astana", "1", "0", "еще нет"]


def test_merge_dialog__registry_differs__notes_say_which_stations_in_the_dry_run(
    qtbot: QtBot, session: MissionSession, observer_file: Path, qapp: QApplication
) -> None:
    with open_mission(observer_file) as m:  # the observer corrected one station, added one
        add_station(m, Station(code="ALM-12", number="12", region="Алматы", name="Школа № 7"))
        add_station(m, Station(code="ALM-99", number="99", region="Алматы", name="Новая школа"))
    dialog = MergeDialog(session)
    qtbot.addWidget(dialog)
    dialog.add_files([observer_file])
    assert _cell(dialog, 0, OUTCOME) == "will be merged"
    assert _cell(dialog, 0, WHY) == (
        "1 station added to the registry. 1 station differs from this mission's registry and"
        " is kept as it is here: ALM-12."
    )
    assert dialog.table.horizontalHeaderItem(WHY).text() == "Notes"
    install_translators(qapp, "ru")
    try:
        dialog.dry_run()
        note = _cell(dialog, 0, WHY)
    finally:
        install_translators(qapp, "en")
    assert note == (
        "В реестр добавлен 1 участок. 1 участок отличается от реестра этой миссии и оставлен"
        " как здесь: ALM-12."
    )
    with qtbot.waitSignal(session.reportsChanged):
        dialog.merge_button.click()
    log = MergeLogDialog(session)  # the log says it too, for the file selected
    qtbot.addWidget(log)
    assert log.details.text().endswith(
        "; 1 station added; 1 station differing from the registry, kept as it was"
    )
