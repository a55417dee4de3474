"""The Reports page: every report, sorted and filtered; open, new, history, delete with undo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.models import ReportsFilter, ReportsModel
from gui.session import MissionSession
from gui.stations_page import make_table

if TYPE_CHECKING:
    from db.reports import Report


class ReportsPage(QWidget):
    """The mission's reports in a table; duplicate visits of a station are tinted."""

    openReport = Signal(str)
    newReport = Signal()
    historyRequested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.session: MissionSession | None = None
        self._stale = True
        self._sized = False
        self._built = False
        self.deleted: Report | None = None  # the last report deleted, until undone or replaced
        self.model = ReportsModel()
        self.proxy = ReportsFilter()
        self.proxy.setSourceModel(self.model)
        self._body = QVBoxLayout(self)
        self._body.setContentsMargins(0, 0, 0, 0)

    def _build(self) -> None:
        """The page's widgets, made when it is first shown: the first screen is the Stations
        page, and start-up time is saved."""
        self._built = True
        body = QWidget()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search station, region or observer…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search reports"))
        self.form = QComboBox()
        self.form.setAccessibleName(self.tr("Form"))
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        self.status.addItem(self.tr("Any status"), "")
        self.status.addItem(self.tr("Drafts"), "draft")
        self.status.addItem(self.tr("Complete"), "complete")
        self.observer = QComboBox()
        self.observer.setAccessibleName(self.tr("Observer"))
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.form, 2)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.observer, 2)
        bar.addWidget(self.count)

        self.table = make_table(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ReportsModel.UPDATED, QtCore.Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ReportsModel.STATION, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)

        self.new_button = QPushButton(self.tr("New report…"))
        self.new_button.clicked.connect(self.newReport)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex()))
        self.history_button = QPushButton(self.tr("History…"))
        self.history_button.clicked.connect(self._history)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setToolTip(self.tr("Delete the report (Del); it can be undone"))
        self.delete_button.clicked.connect(self.delete_current)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.open_button, self.history_button, self.delete_button):
            b.setAutoDefault(True)
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.undo_bar = QWidget()
        self.undo_bar.setStyleSheet("background: #fff8e1;")
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(8, 4, 8, 4)
        self.undo_label = QLabel()
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Bring the deleted report back (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo_delete)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()

        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._body.addWidget(body)
        body.show()  # at once (Qt would show it later): the page is on screen already

        self.search.textChanged.connect(self._filter)
        self.form.currentIndexChanged.connect(self._filter)
        self.status.currentIndexChanged.connect(self._filter)
        self.observer.currentIndexChanged.connect(self._filter)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        delete = QShortcut(QKeySequence(QtCore.Qt.Key.Key_Delete), self.table, self.delete_current)
        delete.setContext(QtCore.Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_delete)

    def set_session(self, session: MissionSession | None) -> None:
        self.session = session
        self.deleted = None
        if self._built:
            self.undo_bar.hide()
        if session is not None:
            session.reportsChanged.connect(self.mark_stale)
            session.reportSaved.connect(self._on_saved)
        self.model.set_rows([])
        self.mark_stale()  # filled when shown: the findings of every report take a while

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def shown(self) -> None:
        """The main window made this page the one on screen: fill it if it is out of date.

        Called by :class:`~gui.main_window.MainWindow` rather than from ``showEvent``: a Python
        ``showEvent`` makes PySide6 build QEvent's 179-member enum while the program starts.
        """
        if not self._built:
            self._build()
        if self._stale:
            self.reload()

    def _on_saved(self, report: Report) -> None:
        if self._stale or self.session is None:
            return  # reloaded in full when shown
        if self.model.row_of(report.uuid) < 0 or not self.model.update_row(
            self.session.row(report)
        ):
            self.mark_stale()

    def reload(self) -> None:
        """Fetch every report from the core again and refill the filters."""
        rows = self.session.report_rows() if self.session is not None else []
        self._stale = False
        current = self._current()
        self.model.set_rows(rows)
        self._fill(self.form, self.tr("All forms"), sorted({r.form_title for r in rows}))
        self._fill(
            self.observer,
            self.tr("All observers"),
            sorted({r.report.observer for r in rows if r.report.observer}),
        )
        self._filter()
        if not self._sized and rows:
            self._sized = True
            self.table.resizeColumnsToContents()
            widest = self.table.fontMetrics().horizontalAdvance("M") * 16
            for col in (ReportsModel.REGION, ReportsModel.FORM, ReportsModel.OBSERVER):
                if self.table.columnWidth(col) > widest:
                    self.table.setColumnWidth(col, widest)
        if current is not None:
            self.select(current.uuid)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)
        self._enable()

    @staticmethod
    def _fill(combo: QComboBox, everything: str, values: list[str]) -> None:
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, "")
        for v in values:
            combo.addItem(v, v)
        combo.setCurrentIndex(max(0, combo.findData(keep)))
        combo.blockSignals(False)

    def _filter(self) -> None:
        self.proxy.set_filter(
            form_title=self.form.currentData() or "",
            status=self.status.currentData() or "",
            observer=self.observer.currentData() or "",
            search=self.search.text(),
        )
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        text = self.tr("%n report(s)", "", shown)
        if shown != total:
            text += " " + self.tr("of {0}").format(total)
        self.count.setText(text)
        self._enable()

    def _enable(self) -> None:
        has = self._current() is not None
        writable = self.session is not None and not self.session.readonly
        self.open_button.setEnabled(has)
        self.history_button.setEnabled(has)
        self.delete_button.setEnabled(has and writable)
        self.new_button.setEnabled(writable)

    def _current(self) -> Report | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.report(self.proxy.mapToSource(index).row())

    def select(self, uuid: str) -> bool:
        row = self.model.row_of(uuid)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openReport.emit(self.model.report(self.proxy.mapToSource(index).row()).uuid)

    def _history(self) -> None:
        report = self._current()
        if report is not None:
            self.historyRequested.emit(report.uuid)

    # -- delete and undo --------------------------------------------------------------------
    def delete_current(self) -> None:
        """Delete the chosen report; the bar above the table offers to undo it."""
        report = self._current()
        if report is None or self.session is None or self.session.readonly:
            return
        self.deleted = self.session.delete(report.uuid)
        where = report.station_code or report.region or ""
        self.undo_label.setText(
            self.tr("Deleted the report {0} ({1}). Its answers are kept in the history.").format(
                where, report.observer or "—"
            )
        )
        self.undo_bar.show()
        self.table.setFocus()

    def undo_delete(self) -> None:
        """Bring back the report deleted last."""
        if self.deleted is None or self.session is None:
            return
        uuid = self.deleted.uuid
        self.session.delete(uuid, deleted=False)
        self.deleted = None
        self.undo_bar.hide()
        self.reload()
        self.select(uuid)
