"""The main window: missions opened or refused, pages, reports reopened, deleted and restored."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCommandLinkButton, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from db.errors import KnownError
from db.mission import open_mission
from db.reports import get_report, list_reports
from gui import dialogs
from gui.app import Program
from gui.dialog_windows import CrashDialog, HistoryDialog
from gui.dialogs import show_crash
from gui.main_window import MainWindow
from gui.models import DUPLICATE_COLOUR, SORT_ROLE, ReportsModel
from gui.session import MissionSession
from gui.settings import Settings


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, Cyrillic too (qtbot.keyClicks aborts on non-ASCII: see PITFALLS.md)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def test_window__opens_demo__title_shows_file_and_reports_listed(
    make_window: Callable[[], MainWindow], demo: Path
) -> None:
    window = make_window()
    assert window.open_file(demo)
    assert str(demo.resolve()) in window.windowTitle()
    assert str(demo.resolve()) in window.where.text()
    assert "synthetic" in window.windowTitle()
    window.show_page(window.reports_page)
    assert window.reports_page.model.rowCount() == 40
    assert window.stations_page.model.rowCount() == 60


def test_window__not_a_mission__warns_and_keeps_nothing_open(
    make_window: Callable[[], MainWindow], tmp_path: Path, shown: list[QMessageBox]
) -> None:
    bad = tmp_path / "bad.pollcheck"
    bad.write_text("not a database")
    window = make_window()
    assert not window.open_file(bad)
    assert window.session is None
    assert window.outer.currentWidget() is window.start
    assert shown and "not a Pollcheck mission file" in shown[0].text()


def test_window__made_to_open_a_mission__start_page_never_made(
    qtbot: QtBot, settings: Settings, demo: Path
) -> None:
    window = MainWindow(settings, opening=True)
    qtbot.addWidget(window)
    window.show()
    assert window.open_file(demo)
    assert window.outer.currentWidget() is window.mission_view
    assert window.current_page() is window.stations_page
    assert window.stations_page.model.rowCount() == 60
    assert window._start is None


def test_window__made_to_open_a_file_that_is_not_a_mission__start_page_behind_the_message(
    qtbot: QtBot, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.pollcheck"
    bad.write_text("not a database")
    window = MainWindow(settings, opening=True)
    qtbot.addWidget(window)
    window.show()
    behind: list[QWidget] = []

    def present(box: QMessageBox) -> int:
        behind.append(window.outer.currentWidget())
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(dialogs, "_present", present)
    assert not window.open_file(bad)
    assert behind == [window.start]
    assert window.outer.currentWidget() is window.start
    assert window.windowTitle() == "Pollcheck"
    assert not window.close_mission_action.isEnabled()


def test_window__titles_and_navigation__larger_fonts_as_set_by_style_sheets(
    make_window: Callable[[], MainWindow], demo: Path
) -> None:
    window = make_window()
    assert window.open_file(demo)
    window.show_page(window.report_page)  # its widgets are made when first shown
    assert window.report_page.title.text() == "No report open"
    base = QApplication.font().pointSizeF()
    for widget, scale, bold in (
        (window.nav, 1.1, False),
        (window.stations_page.card.title, 1.2, True),
        (window.report_page.title, 1.25, True),
    ):
        widget.ensurePolished()
        font = widget.font()
        assert font.pointSizeF() == pytest.approx(base * scale)
        assert font.bold() is bold


def test_window__file_from_newer_version__clear_dialog_and_file_unchanged(
    make_window: Callable[[], MainWindow], demo: Path, shown: list[QMessageBox]
) -> None:
    conn = sqlite3.connect(demo)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = demo.read_bytes()
    window = make_window()
    assert not window.open_file(demo)
    assert "newer Pollcheck" in shown[0].text()
    assert demo.read_bytes() == before


def test_window__read_only_file__offers_read_only_and_nothing_can_change(
    make_window: Callable[[], MainWindow],
    demo: Path,
    shown: list[QMessageBox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gui.main_window as main_window

    real = main_window.open_mission

    def refuse_writing(path: Path, *, readonly: bool = False) -> object:
        if not readonly:
            raise KnownError(
                f"{path}: the mission file cannot be written (read-only file or media)."
            )
        return real(path, readonly=True)

    monkeypatch.setattr(main_window, "open_mission", refuse_writing)
    monkeypatch.setattr(main_window, "_writable", lambda _p: False)
    window = make_window()
    assert window.open_file(demo)
    assert "read-only" in shown[0].text()
    assert "[read-only]" in window.windowTitle()
    assert not window.new_report_action.isEnabled()
    uuid = list_reports(window.session.mission)[0].uuid
    assert window.open_report(uuid)
    assert not window.report_page.complete_button.isEnabled()


def test_window__report_left_open__next_start_reopens_it_where_it_was(
    make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    window = make_window()
    assert window.open_file(eday_mission)
    assert window.new_report("eday", "ALM-12")
    entry = window.report_page.entry
    entry.set_answer(("arrival_time",), "09:05")
    entry.set_answer(("visit_phases",), "voting")
    entry.set_answer(("observer_access",), "full")
    voting = next(i for i, s in enumerate(entry.sections) if s.group and s.group.name == "voting")
    entry.set_section(voting)
    entry.set_answer(("campaigning",), "no")
    uuid = window.report_page.report.uuid
    window.close()  # saves; the report stays the open one

    again = make_window()
    assert again.open_file(eday_mission)
    assert again.current_page() is again.report_page
    assert again.report_page.report.uuid == uuid
    assert again.report_page.entry.current_section() == voting
    answers = again.report_page.entry.answers()
    assert answers["arrival_time"] == "09:05" and answers["campaigning"] == "no"
    # Closing the report on purpose forgets it.
    assert again.report_page.close_report()
    again.close()
    third = make_window()
    assert third.open_file(eday_mission)
    assert third.report_page.report is None


def test_window__draft_opened_from_reports__answers_shown_and_editable(
    make_window: Callable[[], MainWindow], demo: Path
) -> None:
    window = make_window()
    assert window.open_file(demo)
    window.show_page(window.reports_page)
    page = window.reports_page
    page.status.setCurrentIndex(page.status.findData("draft"))
    assert page.proxy.rowCount() >= 1
    index = page.proxy.index(0, 0)
    report = page.model.report(page.proxy.mapToSource(index).row())
    page.table.setCurrentIndex(index)
    page.open_button.click()
    assert window.current_page() is window.report_page
    entry = window.report_page.entry
    for name, value in report.answers.items():
        if not isinstance(value, list):
            assert entry.answers()[name] == value
    entry.set_answer(("comments",), "Seen again later")
    assert window.report_page.save_now()
    with open_mission(demo, readonly=True) as m:
        assert get_report(m, report.uuid).answers["comments"] == "Seen again later"


def test_window__report_deleted__undo_brings_it_back(
    qtbot: QtBot, make_window: Callable[[], MainWindow], demo: Path
) -> None:
    window = make_window()
    assert window.open_file(demo)
    window.show_page(window.reports_page)
    page = window.reports_page
    page.table.setFocus()
    page.table.selectRow(0)
    uuid = page.model.report(page.proxy.mapToSource(page.table.currentIndex()).row()).uuid
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert page.model.rowCount() == 39
    assert not page.undo_bar.isHidden()
    with open_mission(demo, readonly=True) as m:
        assert get_report(m, uuid).deleted
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.model.rowCount() == 40
    assert page.undo_bar.isHidden()
    with open_mission(demo, readonly=True) as m:
        assert not get_report(m, uuid).deleted


def test_window__open_report_deleted__closed_first_and_its_answers_kept(
    make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    window = make_window()
    assert window.open_file(eday_mission)
    assert window.new_report("eday", "ALM-12")
    window.report_page.entry.set_answer(("arrival_time",), "07:40")
    window.show_page(window.reports_page)
    window.reports_page.table.selectRow(0)
    window.reports_page.delete_current()
    assert window.report_page.report is None
    with open_mission(eday_mission, readonly=True) as m:
        (report,) = list_reports(m, include_deleted=True)
        assert report.deleted and report.answers["arrival_time"] == "07:40"


def test_window__stations_searched_in_cyrillic__case_ignored(
    qtbot: QtBot, make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    window = make_window()
    assert window.open_file(eday_mission)
    page = window.stations_page
    assert page.proxy.rowCount() == 2
    page.search.setFocus()
    type_text(page.search, "алматы")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1, timeout=2000)
    assert page.model.station(0).code == "ALM-12"
    page.search.clear()
    type_text(page.search, "ШКОЛА")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1, timeout=2000)
    assert page.model.station(0).name == "Школа № 5"


def test_window__stations_filtered__by_region_and_visited(
    qtbot: QtBot, make_window: Callable[[], MainWindow], demo: Path
) -> None:
    window = make_window()
    assert window.open_file(demo)
    page = window.stations_page
    page.region.setCurrentIndex(page.region.findData("Capital City"))
    assert 0 < page.proxy.rowCount() < 60
    assert all(page.model.station(i).region == "Capital City" for i in range(page.model.rowCount()))
    page.region.setCurrentIndex(0)
    page.visited.setCurrentIndex(2)  # not visited
    not_visited = page.proxy.rowCount()
    page.visited.setCurrentIndex(1)  # visited
    assert page.proxy.rowCount() + not_visited == 60
    page.table.selectRow(0)
    assert page.card.station is not None
    assert page.card.reports.rowCount() >= 1


def test_window__station_chosen__its_reports_then_export_then_new_reports_in_tab_order(
    make_window: Callable[[], MainWindow], demo: Path
) -> None:
    window = make_window()
    assert window.open_file(demo)
    page = window.stations_page
    page.table.selectRow(0)
    QApplication.processEvents()  # the new-report buttons are shown from the event loop
    card = page.card
    assert card.table is not None and card.table.isVisible()
    after: list[QWidget] = []  # what Tab reaches after the list of stations, up to the pages
    widget = page.table.nextInFocusChain()
    while widget is not window.nav:
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            after.append(widget)
        widget = widget.nextInFocusChain()
    assert after[:2] == [card.table, card.export_button]
    assert after[2:] and all(isinstance(w, QCommandLinkButton) for w in after[2:])


def test_window__duplicate_visits__tinted_and_counted(
    make_window: Callable[[], MainWindow], demo: Path
) -> None:
    window = make_window()
    assert window.open_file(demo)
    window.show_page(window.reports_page)
    model = window.reports_page.model
    duplicates = [r for r in model.rows() if r.visits > 1]
    assert duplicates
    row = model.row_of(duplicates[0].report.uuid)
    index = model.index(row, ReportsModel.VISITS)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) == DUPLICATE_COLOUR
    assert "duplicate visit" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    same = [r for r in model.rows() if r.report.station_code == duplicates[0].report.station_code]
    assert len(same) == duplicates[0].visits


def test_window__save_fails_on_full_disk__banner_answers_kept_then_saved(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    eday_mission: Path,
    shown: list[QMessageBox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    assert window.open_file(eday_mission)
    assert window.new_report("eday", "ALM-12")
    page = window.report_page
    real = MissionSession.save
    failing = [True]

    def save(self: MissionSession, *args: object, **kwargs: object) -> object:
        if failing[0]:
            raise KnownError(
                "x.pollcheck: the disk is full; nothing of the last change was written."
            )
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MissionSession, "save", save)
    page.entry.set_answer(("arrival_time",), "11:11")
    assert not page.save_now()
    assert "disk is full" in page.banner.text() and not page.banner.isHidden()
    assert len(shown) == 1  # one dialog, not one per retry
    assert not page.save_now()
    assert len(shown) == 1
    assert page.entry.answers()["arrival_time"] == "11:11"
    failing[0] = False
    assert page.save_now()
    assert page.banner.isHidden()
    with open_mission(eday_mission, readonly=True) as m:
        assert list_reports(m)[0].answers["arrival_time"] == "11:11"


def test_window__history__each_save_listed_with_what_changed(
    make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    window = make_window()
    assert window.open_file(eday_mission)
    assert window.new_report("eday", "ALM-12")
    page = window.report_page
    page.entry.set_answer(("arrival_time",), "09:00")
    assert page.save_now()
    page.entry.set_answer(("arrival_time",), "09:30")
    assert page.save_now()
    page.show_history()
    (dialog,) = page.findChildren(HistoryDialog)
    assert dialog.tree.topLevelItemCount() == 3
    newest = dialog.tree.topLevelItem(0)
    assert "Test Observer" in newest.text(1)
    assert newest.child(0).text(0) == "Time of arrival at the polling station: 09:00 → 09:30"
    dialog.close()


def test_window__pages_added__listed_and_given_the_mission(
    make_window: Callable[[], MainWindow], demo: Path
) -> None:
    class Tabulation(QLabel):
        session: MissionSession | None = None

        def set_session(self, session: MissionSession | None) -> None:
            self.session = session

    window = make_window()
    page = Tabulation("tabulation")
    index = window.add_page("Tabulation", page)
    assert window.nav.item(index).text() == "Tabulation"
    assert window.open_file(demo)
    assert page.session is window.session
    window.show_page(page)
    assert window.pages.currentWidget() is page


def test_window__recent_files_cleared__none_listed(
    make_window: Callable[[], MainWindow], demo: Path, settings: Settings
) -> None:
    window = make_window()
    assert window.open_file(demo)
    assert settings.recent_files() == [str(demo.resolve())]
    assert settings.open_report(demo) is None
    window.clear_recent()
    assert settings.recent_files() == []
    assert window.close_mission()
    assert window.start.recent.item(0).text() == "No recent missions."


def test_window__language_switched__menus_and_qt_dialogs_in_russian_same_report(
    make_window: Callable[[], MainWindow], eday_mission: Path, settings: Settings
) -> None:
    from gui.app import install_translators

    window = make_window()
    program = Program(QApplication.instance(), settings)  # type: ignore[arg-type]
    program.window.close()
    program.window = window
    assert window.open_file(eday_mission)
    assert window.new_report("eday", "ALM-12")
    uuid = window.report_page.report.uuid
    settings.language = "ru"
    try:
        new = program.switch_language("ru")
        assert new is not window
        assert [a.text() for a in new.menuBar().actions()][:2] == ["&Миссия", "&Отчет"]
        assert new.report_page.report.uuid == uuid
        assert new.report_page.complete_button.text() == "Отметить как заполненный"
        box = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Cancel)
        assert box.button(QMessageBox.StandardButton.Cancel).text() == "Отмена"
        new.close()
    finally:
        install_translators(QApplication.instance(), "en")  # type: ignore[arg-type]


def test_crash__report_dialog__copyable_text_and_log_path(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        raise ZeroDivisionError("station 12 broke the counter")
    except ZeroDivisionError as exc:
        report = dialogs.crash_report(type(exc), exc, exc.__traceback__)
    assert "ZeroDivisionError: station 12 broke the counter" in report
    log = dialogs.write_log(report)
    assert log is not None and "station 12" in log.read_text(encoding="utf-8")
    dialog = CrashDialog(report, log)
    qtbot.addWidget(dialog)
    assert str(log) in dialog.log_label.text()
    dialog.copy()
    assert "ZeroDivisionError" in QApplication.clipboard().text()


def test_crash__without_error_windows__logged_and_written_to_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POLLCHECK_NO_ERR_WINDOWS", "1")
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        show_crash(type(exc), exc, exc.__traceback__)
    assert "RuntimeError: boom" in capsys.readouterr().err
    assert "RuntimeError: boom" in dialogs.log_path().read_text(encoding="utf-8")


def test_window__demo_asked_for__made_once_then_opened(
    make_window: Callable[[], MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gui.main_window as main_window

    monkeypatch.setattr(main_window, "DEMO_STATIONS", 12)
    monkeypatch.setattr(main_window, "DEMO_REPORTS", 6)
    window = make_window()
    assert window.open_demo()
    assert window.session is not None and window.session.info.synthetic
    assert main_window.demo_path().is_file()
    assert window.close_mission()
    assert window.open_demo()  # the second time it is only opened
    window.show_page(window.reports_page)
    assert window.reports_page.model.rowCount() == 6


def test_new_report_dialog__station_searched_in_cyrillic__form_and_station_chosen(
    qtbot: QtBot, make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    from gui.new_report import NewReportDialog

    window = make_window()
    assert window.open_file(eday_mission)
    assert window.session is not None
    dialog = NewReportDialog(window.session, None, window)
    qtbot.addWidget(dialog)
    assert dialog.results.count() == 2
    type_text(dialog.search, "школа")
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=2000)
    assert dialog.choice() == ("eday", "ALM-12", None)
    type_text(dialog.search, "xyz")
    qtbot.waitUntil(lambda: dialog.results.count() == 0, timeout=2000)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()  # the election-day form is filled at a station


def test_window__closed_and_opened_again__size_and_splitters_kept(
    make_window: Callable[[], MainWindow], demo: Path
) -> None:
    window = make_window()
    assert window.open_file(demo)
    window.resize(700, 520)  # the offscreen screen is 800×600: a geometry is kept within it
    window.stations_page.splitter.setSizes([700, 300])
    sizes = window.stations_page.splitter.sizes()
    window.close()
    again = make_window()
    again.restoreGeometry(again.settings.layout("window"))  # as at construction, before resize
    assert (again.width(), again.height()) == (700, 520)
    assert again.open_file(demo)
    assert again.stations_page.splitter.sizes() == sizes


def test_log__over_a_megabyte_at_start__rotated_two_kept(tmp_path: Path) -> None:
    from gui.app import _rotate

    log = tmp_path / "pollcheck.log"
    log.write_text("small", encoding="utf-8")
    _rotate(log, limit=10)
    assert log.read_text(encoding="utf-8") == "small"  # under the limit: left alone
    for text in ("first " * 5, "second " * 5, "third " * 5):
        log.write_text(text, encoding="utf-8")
        _rotate(log, limit=10)
        assert not log.exists()
    assert (tmp_path / "pollcheck.log.1").read_text(encoding="utf-8") == "third " * 5
    assert (tmp_path / "pollcheck.log.2").read_text(encoding="utf-8") == "second " * 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pollcheck.log.1", "pollcheck.log.2"]


def test_models_and_style__qt_values_written_out__same_as_qt(qapp: QApplication) -> None:
    from PySide6.QtCore import Qt

    from gui import models, style

    role = Qt.ItemDataRole
    assert role.DisplayRole.value == models.DISPLAY
    assert role.ToolTipRole.value == models.TOOLTIP
    assert role.TextAlignmentRole.value == models.ALIGNMENT
    assert role.BackgroundRole.value == models.BACKGROUND
    assert role.ForegroundRole.value == models.FOREGROUND
    assert role.UserRole.value + 1 == models.SORT_ROLE
    align = Qt.AlignmentFlag
    assert (align.AlignRight | align.AlignVCenter).value == models.RIGHT
    label = QLabel("<b>x</b>")
    style.plain_text(label)
    assert label.textFormat() == Qt.TextFormat.PlainText
    style.rich_text(label)
    assert label.textFormat() == Qt.TextFormat.RichText
    style.selectable(label)
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse


def test_stations__titles_and_order__registry_order_until_a_title_is_clicked(
    make_window: Callable[[], MainWindow], demo: Path
) -> None:
    window = make_window()
    assert window.open_file(demo)
    page = window.stations_page
    header = page.table.horizontalHeader()
    titles = [page.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert titles == ["No.", "Name", "Region", "District", "Reports"]
    registry = [page.model.station(r).code for r in range(page.model.rowCount())]
    shown = [
        page.model.station(page.proxy.mapToSource(page.proxy.index(r, 0)).row()).code
        for r in range(page.proxy.rowCount())
    ]
    assert shown == registry
    assert not header.isSortIndicatorShown()
    name = 1
    x = header.sectionViewportPosition(name) + header.sectionSize(name) // 2
    QTest.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    keys = [page.proxy.index(r, name).data(SORT_ROLE) for r in range(page.proxy.rowCount())]
    assert keys == sorted(keys)
    assert keys != [page.model.index(r, name).data(SORT_ROLE) for r in range(len(keys))]
    assert header.isSortIndicatorShown()
    assert header.sortIndicatorSection() == name
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert page.select(shown[5])
    selected = page.table.selectionModel().selectedRows()[0]
    assert page.model.station(page.proxy.mapToSource(selected).row()).code == shown[5]
