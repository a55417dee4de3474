"""The main window: a start page, then the open mission's pages beside a navigation list.

Pages are added with :meth:`MainWindow.add_page`; a page that has ``set_session(session)`` is
given the open mission (or None when it closes). The window title and the status bar say where
the data lives.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.device import config_dir
from db.errors import KnownError, PollcheckError
from db.mission import SUFFIX, open_mission
from gui.dialogs import (
    _present,
    dropped_files,
    interface_language,
    log_path,
    no_err_windows,
    show_error,
    show_info,
)
from gui.report_page import ReportPage
from gui.reports_page import ReportsPage
from gui.session import MissionSession
from gui.settings import Settings
from gui.start_page import StartPage
from gui.stations_page import StationsPage
from gui.style import LIST_STYLE, larger_font, selectable

if TYPE_CHECKING:  # QEvent's 183-member enum is made only when Qt hands us an event
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent

    from db.mission import Mission

log = logging.getLogger("pollcheck")

DEMO_STATIONS = 300
DEMO_REPORTS = 400


def demo_path() -> Path:
    """Where the demo mission is made the first time it is asked for."""
    return config_dir() / "demo" / f"demo{SUFFIX}"


class LazyPage(QWidget):
    """A page built the first time it is shown (its module is imported only then).

    It sits in a scroll area, so that a page wider than a small screen scrolls instead of
    pushing the window off the screen.
    """

    def __init__(self, factory: Callable[[], QWidget]) -> None:
        super().__init__()
        self.factory = factory
        self.page: QWidget | None = None
        self.session: MissionSession | None = None
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

    def set_session(self, session: MissionSession | None) -> None:
        self.session = session
        if self.page is not None:
            self.page.set_session(session)  # type: ignore[attr-defined]

    def shown(self) -> None:
        if self.page is None:
            self.page = self.factory()
            self.scroll.setWidget(self.page)
            if self.session is not None:
                self.page.set_session(self.session)  # type: ignore[attr-defined]
        shown = getattr(self.page, "shown", None)
        if shown is not None:
            shown()


class MainWindow(QMainWindow):
    """Start page without a mission; Stations, Reports and the open Report with one.

    ``opening``: a mission file is opened right after the window is made (the program was
    started on it). The start page is then made only if the file cannot be opened, before the
    message says why: the window shows it behind the message, as when it is made at once.
    """

    languageChangeRequested = Signal(str)

    def __init__(self, settings: Settings | None = None, *, opening: bool = False) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.session: MissionSession | None = None
        self._start: StartPage | None = None

        self.nav = QListWidget()
        self.nav.setAccessibleName(self.tr("Pages"))
        self.nav.setMinimumWidth(110)
        self.nav.setStyleSheet(f"QListWidget {{ {larger_font(self.nav, 1.1)} }} {LIST_STYLE}")
        self.pages = QStackedWidget()
        self._lazy: set[QWidget] = set()  # pages given the mission only when first shown
        self._pending: set[QWidget] = set()
        self.nav.currentRowChanged.connect(self._on_nav)
        self.mission_view = QWidget()
        row = QHBoxLayout(self.mission_view)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.outer = QStackedWidget()
        # Shown only until show_mission() puts the start page or the mission in its place: a
        # window made to open a file lays out neither page twice, nor the start page at all.
        self._blank = QWidget()
        self.outer.addWidget(self._blank)
        self.outer.addWidget(self.mission_view)
        self.setCentralWidget(self.outer)
        self.setAcceptDrops(True)  # a mission file dropped on the window opens

        self.stations_page = StationsPage()
        self.reports_page = ReportsPage()
        self.report_page = ReportPage()
        self.add_page(self.tr("Stations"), self.stations_page)
        self.add_page(self.tr("Reports"), self.reports_page)
        self.report_index = self.add_page(self.tr("Report"), self.report_page)
        self.tabulation_page = LazyPage(self._make_tabulation)
        self.add_page(self.tr("Tabulation"), self.tabulation_page, lazy=True)
        for page in (self.stations_page, self.reports_page):
            page.openReport.connect(self.open_report)
        self.stations_page.newReport.connect(self.new_report)
        self.stations_page.card.exportRequested.connect(
            lambda code: self.export(fmt="pdf-stations", stations=[code])
        )
        self.reports_page.newReport.connect(lambda: self.new_report(None, None))
        self.reports_page.historyRequested.connect(self._history)
        self.report_page.reportClosed.connect(self._on_report_closed)

        self.where = QLabel()
        selectable(self.where)
        self.statusBar().addPermanentWidget(self.where, 1)
        self._menus()
        # The first time: as large as fits, up to 1200×720 (a 1366×768 laptop at 150 % scaling
        # has 911×512 pixels to show it in). Later: as the observer left it.
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            free = screen.availableGeometry()
            self.resize(min(1200, free.width()), min(720, free.height()))
        geometry = self.settings.layout("window")
        if geometry is not None:
            self.restoreGeometry(geometry)
        for name, splitter in self._splitters().items():
            state = self.settings.layout(name)
            if state is not None:
                splitter.restoreState(state)
        if opening:
            self._enable_actions()
            self.setWindowTitle("Pollcheck")
        else:
            self.show_mission()

    @property
    def start(self) -> StartPage:
        """The start page (shown without a mission), made when first needed."""
        if self._start is None:
            self._start = StartPage(self.settings)
            self._start.chooseFile.connect(self.choose_file)
            self._start.openFile.connect(self.open_file)
            self._start.newMission.connect(self.new_mission)
            self._start.openDemo.connect(self.open_demo)
            self.outer.addWidget(self._start)
        return self._start

    # -- pages ------------------------------------------------------------------------------
    def add_page(self, title: str, widget: QWidget, *, lazy: bool = False) -> int:
        """Add a page to the navigation; returns its index.

        A page with ``set_session(session)`` is given the open mission (None when it closes).
        A ``lazy`` page gets it only when it is first shown: for pages that compute a lot.
        """
        index = self.pages.addWidget(widget)
        self.nav.addItem(QListWidgetItem(title))
        widest = max(
            self.nav.fontMetrics().horizontalAdvance(self.nav.item(i).text())
            for i in range(self.nav.count())
        )
        self.nav.setFixedWidth(widest + 40)
        if lazy:
            self._lazy.add(widget)
        if self.session is not None:
            self._give_session(widget)
        return index

    def _give_session(self, widget: QWidget) -> None:
        setter = getattr(widget, "set_session", None)
        if setter is None:
            return
        if self.session is not None and widget in self._lazy and widget is not self.current_page():
            self._pending.add(widget)
            return
        self._pending.discard(widget)
        setter(self.session)

    def _on_nav(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        widget = self.pages.currentWidget()
        if widget in self._pending:
            self._give_session(widget)
        self._shown(widget)

    def _shown(self, widget: QWidget | None) -> None:
        """Tell a page (``shown()``) that it is now the one on screen."""
        shown = getattr(widget, "shown", None)
        if shown is not None and self.outer.currentWidget() is self.mission_view:
            shown()

    def show_page(self, widget: QWidget) -> None:
        index = self.pages.indexOf(widget)
        if index >= 0:
            self.nav.setCurrentRow(index)

    def current_page(self) -> QWidget:
        return self.pages.currentWidget()

    def _splitters(self) -> dict[str, QSplitter]:
        return {"stations": self.stations_page.splitter}

    # -- menus ------------------------------------------------------------------------------
    def _action(
        self, menu: object, text: str, slot: Callable[[], object], *keys: QKeySequence | str
    ) -> QAction:
        # Not QAction(text, self): that overload makes PySide6 build QIcon's 151-member enum.
        action = QAction(self)
        action.setText(text)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        mission = bar.addMenu(self.tr("&Mission"))
        self._action(
            mission, self.tr("&New mission…"), self.new_mission, QKeySequence.StandardKey.New
        )
        self._action(mission, self.tr("&Open…"), self.choose_file, QKeySequence.StandardKey.Open)
        self.recent_menu = mission.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(mission, self.tr("Open the &demo mission"), self.open_demo)
        mission.addSeparator()
        self.mission_actions = [
            self._action(mission, self.tr("&Export…"), self.export, "Ctrl+E"),
            self._action(mission, self.tr("Make observer &kit…"), self.make_kit),
            self._action(mission, self.tr("&Merge files…"), self.merge_files),
            self._action(mission, self.tr("Merge &log…"), self.show_merge_log),
            self._action(mission, self.tr("&Prepare file for HQ…"), self.prepare_for_hq),
        ]
        mission.addSeparator()
        self.close_mission_action = self._action(
            mission, self.tr("&Close mission"), self.close_mission
        )
        mission.addSeparator()
        self._action(mission, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)

        report = bar.addMenu(self.tr("&Report"))
        self.new_report_action = self._action(
            report, self.tr("&New report…"), lambda: self.new_report(None, None), "Ctrl+Shift+N"
        )
        self._action(
            report, self.tr("&Save now"), self.report_page.save_now, QKeySequence.StandardKey.Save
        )
        self._action(
            report,
            self.tr("Mark &complete"),
            self.report_page.mark_complete,
            "Ctrl+Return",
            "Ctrl+Enter",
        )
        self._action(
            report,
            self.tr("Ne&xt section"),
            lambda: self.report_page.step_section(1),
            "Ctrl+PgDown",
        )
        self._action(
            report,
            self.tr("&Previous section"),
            lambda: self.report_page.step_section(-1),
            "Ctrl+PgUp",
        )
        self._action(report, self.tr("&History…"), self.report_page.show_history, "Ctrl+H")
        self._action(
            report,
            self.tr("C&lose report"),
            self.report_page.close_report,
            QKeySequence.StandardKey.Close,
        )

        view = bar.addMenu(self.tr("&View"))
        self._action(view, self.tr("&Stations"), lambda: self._go(self.stations_page), "Ctrl+1")
        self._action(view, self.tr("&Reports"), lambda: self._go(self.reports_page), "Ctrl+2")
        self._action(
            view, self.tr("The open r&eport"), lambda: self._go(self.report_page), "Ctrl+3"
        )
        self._action(view, self.tr("&Tabulation"), lambda: self._go(self.tabulation_page), "Ctrl+4")

        settings = bar.addMenu(self.tr("&Settings"))
        self._action(settings, self.tr("&Preferences…"), self.preferences)
        self._action(settings, self.tr("&Clear recent files"), self.clear_recent)

        help_ = bar.addMenu(self.tr("&Help"))
        self._action(
            help_, self.tr("&Keyboard"), self.show_keys, QKeySequence.StandardKey.HelpContents
        )
        self._action(help_, self.tr("&Where is my data?"), self.show_where)
        self._action(help_, self.tr("&About Pollcheck"), self.show_about)

    def _go(self, page: QWidget) -> None:
        if self.session is not None:
            self.show_page(page)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_file(Path(p)))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(self.tr("No recent missions")).setEnabled(False)
        self.recent_menu.addSeparator()
        self.recent_menu.addAction(self.tr("Clear recent files"), self.clear_recent)

    # -- missions ---------------------------------------------------------------------------
    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # on first use: start-up time

        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open mission"),
            self.settings.last_folder,
            self.tr("Pollcheck missions (*.pollcheck);;All files (*)"),
        )
        if path:
            self.open_file(Path(path))

    # A mission file dropped on the window is opened, as if chosen with Mission → Open….
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_mission(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_mission(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_file(path)

    @staticmethod
    def _dropped_mission(event: QDragEnterEvent | QDropEvent) -> Path | None:
        paths = dropped_files(event.mimeData(), (SUFFIX,))
        return paths[0] if len(paths) == 1 else None

    def open_file(self, path: Path) -> bool:
        """Open a mission file (the open one is saved and closed first); False if it cannot be."""
        path = Path(path)
        if not self.close_mission():
            return False
        try:
            mission = self._open_or_say_why(path)
            if mission is None:
                return False
            self.session = MissionSession(mission, self.settings)
        except BaseException:
            self._start_behind()
            raise
        self.settings.add_recent(path)
        self.settings.last_folder = str(path.resolve().parent)
        self.show_page(self.stations_page)
        for i in range(self.pages.count()):
            self._give_session(self.pages.widget(i))
        self.show_mission()
        self._resume()
        return True

    def _open_or_say_why(self, path: Path) -> Mission | None:
        """The mission file at ``path``, read-only if the user agrees to that when it cannot be
        written; else None, once a message has said why (the start page behind it)."""
        try:
            return open_mission(path)
        except PollcheckError as exc:
            self._start_behind()
            error = exc
        if (
            isinstance(error, KnownError)
            and path.is_file()
            and not _writable(path)
            and self._ask_readonly(error)
        ):
            try:
                return open_mission(path, readonly=True)
            except PollcheckError as again:
                error = again
        show_error(self, self.tr("Cannot open the mission"), error)
        return None

    def _start_behind(self) -> None:
        """The start page, before a message that the file cannot be opened, in a window that
        shows no page yet (made to open that file)."""
        if self.outer.currentWidget() is self._blank:
            self.show_mission()

    def _ask_readonly(self, exc: KnownError) -> bool:
        if no_err_windows():
            return False
        from PySide6.QtWidgets import QMessageBox  # on first use: start-up time

        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("The mission file cannot be written"),
            exc.text(interface_language())
            + "\n\n"
            + self.tr("Open it read-only, to look at it without changes?"),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Open)
        return _present(box) == QMessageBox.StandardButton.Open

    def _resume(self) -> None:
        """Reopen the report that was open when the program last ran on this mission."""
        assert self.session is not None
        left = self.settings.open_report(self.session.path)
        if left is None:
            return
        try:
            report = self.session.report(left.uuid)
        except PollcheckError:
            report = None
        if report is None or report.deleted:
            self.settings.clear_open_report(self.session.path)
            return
        if self.report_page.open_report(left.uuid, left.section):
            self.show_page(self.report_page)
            self.statusBar().showMessage(
                self.tr("Reopened the report you were working on, where you left it."), 8000
            )

    def close_mission(self) -> bool:
        """Save and close the open mission; False if the open report cannot be saved."""
        if self.session is None:
            return True
        # The report stays remembered: closing the mission is not closing the report.
        if not self.report_page.close_report(forget=False):
            return False
        session, self.session = self.session, None
        for i in range(self.pages.count()):
            self._give_session(self.pages.widget(i))
        session.close()
        self.show_mission()
        return True

    def _enable_actions(self) -> None:
        session = self.session
        self.close_mission_action.setEnabled(session is not None)
        for action in self.mission_actions:
            action.setEnabled(session is not None)
        self.new_report_action.setEnabled(session is not None and not session.readonly)

    def show_mission(self) -> None:
        """Title, status bar and pages for the open mission (or the start page)."""
        session = self.session
        self._enable_actions()
        if session is None:
            self.setWindowTitle("Pollcheck")
            self.where.setText("")
            self.start.refresh()
            self.outer.setCurrentWidget(self.start)
            return
        info = session.info
        path = session.path.resolve()
        flags = ""
        if info.synthetic:
            flags += " " + self.tr("[demo: synthetic data]")
        if session.readonly:
            flags += " " + self.tr("[read-only]")
        self.setWindowTitle(f"{info.title} — {path}{flags} — Pollcheck")
        self.where.setText(self.tr("Mission file: {0}").format(path))
        self.where.setToolTip(self.tr("Every answer is saved here as you type it."))
        if self.outer.currentWidget() is not self.mission_view:
            self.outer.setCurrentWidget(self.mission_view)
            self._shown(self.pages.currentWidget())

    def new_mission(self) -> None:
        from gui.wizard import NewMissionWizard  # loads the templates: only when asked for

        wizard = NewMissionWizard(self.settings, self)
        if wizard.exec() and wizard.created is not None:
            self.open_file(wizard.created)

    def open_demo(self) -> bool:
        """Open the demo mission, making it first (synthetic data) if it is not there yet."""
        path = demo_path()
        if not path.is_file() and not self._make_demo(path):
            return False
        return self.open_file(path)

    def _make_demo(self, path: Path) -> bool:
        from db.demo import make_demo
        from gui.jobs import run_job

        path.parent.mkdir(parents=True, exist_ok=True)
        _result, error = run_job(
            self,
            self.tr("Making the demo mission…"),
            lambda report, _cancelled: make_demo(
                path, stations=DEMO_STATIONS, reports=DEMO_REPORTS, progress=report
            ),
            cancellable=False,
        )
        if error is not None:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            if isinstance(error, PollcheckError):
                show_error(self, self.tr("Cannot make the demo mission"), error)
                return False
            raise error
        return True

    # -- reports ----------------------------------------------------------------------------
    def open_report(self, uuid: str, section: int | None = None) -> bool:
        if self.report_page.open_report(uuid, section):
            self.show_page(self.report_page)
            if self.report_page.entry is not None:
                self.report_page.entry.focus_first()
            return True
        return False

    def new_report(self, form_id: str | None, station_code: str | None) -> bool:
        """A new draft (of ``form_id`` at ``station_code``, else as chosen in a dialog), opened."""
        if self.session is None or self.session.readonly:
            return False
        if not self.settings.has_identity():
            self.preferences(first_start=True)
        region = None
        if form_id is None:
            from gui.new_report import NewReportDialog  # imported on first use: start-up time

            dialog = NewReportDialog(self.session, station_code, self)
            if not dialog.exec():
                return False
            form_id, station_code, region = dialog.choice()
        try:
            report = self.session.create_report(form_id, station_code=station_code, region=region)
        except PollcheckError as exc:
            show_error(self, self.tr("Cannot create the report"), exc)
            return False
        return self.open_report(report.uuid)

    def _history(self, uuid: str) -> None:
        if self.open_report(uuid):
            self.report_page.show_history()

    def _make_tabulation(self) -> QWidget:
        from gui.tabulation_page import TabulationPage  # with db.tabulate: only when shown

        page = TabulationPage()
        page.reportRequested.connect(self.open_report)
        page.exportRequested.connect(lambda options: self.export(**options))
        return page

    # -- export and merge -------------------------------------------------------------------
    def export(self, **prefill: object) -> None:
        """Mission → Export… (``prefill``: the dialog's choices, as ExportDialog takes them)."""
        if self.session is None:
            return
        from gui.export_dialog import ExportDialog

        self.report_page.save_now()  # the export reads the file: the last answers in it
        ExportDialog(self.session, self, **prefill).exec()  # type: ignore[arg-type]

    def merge_files(self) -> None:
        """Mission → Merge files…; the open report is closed first (a merge may bring a newer
        version of it) and reopened after."""
        if self.session is None:
            return
        from gui.merge_dialog import MergeDialog

        was_open = self.report_page.report is not None
        if not self.report_page.close_report(forget=False):
            return
        MergeDialog(self.session, self).exec()
        if was_open and self.session is not None:
            self._resume()

    def make_kit(self) -> None:
        """Mission → Make observer kit…: the kit holds what the file holds, so the open report
        is saved first."""
        if self.session is None:
            return
        from gui.kit_dialog import KitDialog

        self.report_page.save_now()
        KitDialog(self.session, self).exec()

    def show_merge_log(self) -> None:
        """Mission → Merge log…: the files merged into the mission, and those refused."""
        if self.session is None:
            return
        from gui.merge_dialog import MergeLogDialog

        MergeLogDialog(self.session, self).exec()

    def prepare_for_hq(self) -> None:
        if self.session is None:
            return
        from gui.merge_dialog import prepare_file_for_hq

        self.report_page.save_now()
        if prepare_file_for_hq(self.session, self) is not None:
            self.statusBar().showMessage(self.tr("The file for HQ is written."), 8000)

    def _on_report_closed(self) -> None:
        if self.current_page() is self.report_page:
            self.show_page(self.reports_page)

    # -- settings and help ------------------------------------------------------------------
    def preferences(self, *, first_start: bool = False) -> None:
        from gui.preferences import PreferencesDialog

        before = self.settings.language
        dialog = PreferencesDialog(self.settings, first_start=first_start, parent=self)
        accepted = dialog.exec()
        if dialog.recent_cleared and self._start is not None:
            self._start.refresh()
        if accepted and self.settings.language != before:
            self.languageChangeRequested.emit(self.settings.language)

    def clear_recent(self) -> None:
        self.settings.clear_recent()
        if self._start is not None:  # else made with the list as it is now
            self._start.refresh()
        self.statusBar().showMessage(self.tr("Recent files cleared."), 5000)

    def show_keys(self) -> None:
        text = self.tr(
            "Tab / Shift+Tab: next / previous question\n"
            "Enter: next question (and next section)\n"
            "1–9, 0: pick a choice (the tenth with 0); Space: pick the highlighted one; "
            "Up/Down: move the highlight; Delete: clear\n"
            "Ctrl+PgDown / Ctrl+PgUp: next / previous section\n"
            "Ctrl+Enter: mark the report complete\n"
            "Ctrl+S: save now (every change is saved within a second anyway)\n"
            "Ctrl+1, Ctrl+2, Ctrl+3: Stations, Reports, the open report\n"
            "Ctrl+F: search; Delete: delete the chosen report; Ctrl+Z: undo the delete"
        )
        show_info(self, self.tr("Keyboard"), text)

    def show_where(self) -> None:
        mission = str(self.session.path.resolve()) if self.session else self.tr("no mission open")
        text = self.tr(
            "Mission file (every answer): {0}\nSettings and log folder: {1}\nLog file: {2}"
        ).format(mission, config_dir(), log_path())
        show_info(self, self.tr("Where is my data?"), text)

    def show_about(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            ours = version("pollcheck")
        except PackageNotFoundError:
            ours = "?"
        from PySide6.QtWidgets import QMessageBox  # on first use: start-up time

        QMessageBox.about(
            self,
            self.tr("About Pollcheck"),
            self.tr(
                "Pollcheck {0}\nOffline election observation: checklists, findings, merging.\n"
                "It never sends anything anywhere."
            ).format(ours),
        )

    # -- closing ----------------------------------------------------------------------------
    def save_layout(self) -> None:
        self.settings.set_layout("window", self.saveGeometry())
        for name, splitter in self._splitters().items():
            self.settings.set_layout(name, splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window leaves the open report remembered: the next start reopens it.
        if not self.report_page.close_report(forget=False):
            from PySide6.QtWidgets import QMessageBox  # on first use: start-up time

            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Answers not saved"),
                self.tr(
                    "The last answers could not be saved (see the message above the form). "
                    "Close anyway and lose them?"
                ),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                self,
            )
            if no_err_windows() or _present(box) != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self.save_layout()
        if self.session is not None:
            self.report_page.report = None  # closing without saving: the user chose Discard
            session, self.session = self.session, None
            for i in range(self.pages.count()):
                self._give_session(self.pages.widget(i))
            session.close()
        super().closeEvent(event)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)
