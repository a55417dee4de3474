"""The Stations page: the registry searched and filtered, and a station's card with its reports."""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QItemSelection, QModelIndex, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCommandLinkButton,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.stations import Station
from gui.models import ReportsModel, StationsFilter, StationsModel, titled
from gui.session import MissionSession
from gui.style import larger_font, plain_text, rich_text, selectable

SEARCH_DELAY_MS = 150


def make_table(model: object) -> QTableView:
    """A read-only table view as every page uses it: whole rows, sortable, compact."""
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    view.setTabKeyNavigation(False)
    return view


class StationCard(QWidget):
    """One station: where it is, its reports, and new reports for it."""

    openReport = Signal(str)
    newReport = Signal(str, str)  # form id, station code
    exportRequested = Signal(str)  # station code: export its reports as PDF

    def __init__(self) -> None:
        super().__init__()
        self.station: Station | None = None
        self.export_button = QPushButton(self.tr("Export this station as PDF"))
        self.export_button.clicked.connect(self._export)
        self.title = QLabel()
        self.title.setWordWrap(True)
        plain_text(self.title)
        self.title.setStyleSheet(larger_font(self.title, 1.2, bold=True))
        self.details = QLabel()
        self.details.setWordWrap(True)
        rich_text(self.details)
        selectable(self.details)
        self.reports_label = QLabel(self.tr("Reports at this station"))
        self.reports = ReportsModel()
        self.table: QTableView | None = None  # made when a station is first shown
        self.new_buttons = QVBoxLayout()
        self.new_buttons.setSpacing(4)
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addLayout(self.new_buttons)
        layout.addWidget(self.reports_label)
        layout.addWidget(self.export_button)  # aligned right when a station is first shown
        self.filler = QWidget()
        layout.addWidget(self.filler, 1)
        self._forms: list[tuple[str, str]] = []
        self._forms_of: MissionSession | None = None
        self.show_station(None, None)

    def _make_table(self) -> QTableView:
        """The station's reports, made when a station is first shown (start-up time): in the
        layout and the Tab order where it was always, after the label and before the button."""
        table = make_table(self.reports)
        table.doubleClicked.connect(self._open)
        table.activated.connect(self._open)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReportsModel.FORM, QHeaderView.ResizeMode.Stretch)
        header.moveSection(header.visualIndex(ReportsModel.FORM), ReportsModel.VISITS)  # last
        for col in (ReportsModel.STATION, ReportsModel.REGION, ReportsModel.VISITS):
            table.hideColumn(col)
        self._layout.insertWidget(self._layout.indexOf(self.export_button), table, 1)
        self._layout.setAlignment(self.export_button, QtCore.Qt.AlignmentFlag.AlignRight)
        QWidget.setTabOrder(table, self.export_button)
        self.table = table
        return table

    def set_forms(self, forms: list[tuple[str, str]]) -> None:
        """The forms filled at a station: (form id, title)."""
        self._forms = forms
        while self.new_buttons.count():
            item = self.new_buttons.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for form_id, title in forms:
            # A command link: its description (the form's title, often long) wraps.
            button = QCommandLinkButton(self.tr("New report"), title)
            button.setToolTip(self.tr("A new report of this form at this station"))
            button.setAutoDefault(True)
            button.clicked.connect(lambda _=False, f=form_id: self._new(f))
            self.new_buttons.addWidget(button)

    def show_station(self, station: Station | None, session: MissionSession | None) -> None:
        self.station = station
        has = station is not None and session is not None
        if has and self.table is None:
            self._make_table()  # before the forms' buttons, which come after it in the Tab order
        if has and session is not None and self._forms_of is not session:
            # Made when first needed: reading the forms' definitions takes a while at start.
            self._forms_of = session
            forms = [session.form(f.form_id) for f in session.forms()]
            self.set_forms(
                [
                    (f.form_id, f.title_in(session.settings.language))
                    for f in forms
                    if f.station != "absent"
                ]
            )
        for i in range(self.new_buttons.count()):
            w = self.new_buttons.itemAt(i).widget()
            if w is not None:
                w.setEnabled(has and not (session.readonly if session else True))
        self.reports_label.setVisible(has)
        self.export_button.setVisible(has)
        if self.table is not None:
            self.table.setVisible(has)
        self.filler.setVisible(not has)
        if station is None or session is None:
            self.title.setText(self.tr("No station chosen"))
            self.details.setText(self.tr("Choose a station in the list to see its reports."))
            self.reports.set_rows([])
            return
        import html  # imported on first use: start-up time

        name = f" — {station.name}" if station.name else ""
        self.title.setText(self.tr("Station {0}").format(station.number) + name)
        rows = [
            (self.tr("Code"), station.code),
            (self.tr("Region"), station.region or "—"),
            (self.tr("District"), station.district or "—"),
            (self.tr("Address"), station.address or "—"),
            (
                self.tr("Registered voters"),
                "—"
                if station.registered_voters is None
                else f"{station.registered_voters:,}".replace(",", " "),
            ),
            *((k, v) for k, v in station.attributes.items() if v),
        ]
        self.details.setText(
            "<table cellspacing=2>"
            + "".join(
                f"<tr><td style='color:palette(placeholder-text); padding-right:8px'>"
                f"{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
                for k, v in rows
            )
            + "</table>"
        )
        report_rows = session.report_rows(station_code=station.code)
        self.reports.set_rows(report_rows)
        self.reports_label.setText(self.tr("Reports at this station: %n", "", len(report_rows)))

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openReport.emit(self.reports.report(index.row()).uuid)

    def _export(self) -> None:
        if self.station is not None:
            self.exportRequested.emit(self.station.code)

    def _new(self, form_id: str) -> None:
        if self.station is not None:
            self.newReport.emit(form_id, self.station.code)


class StationsPage(QWidget):
    """Search and filter the registry; the chosen station's card beside the list."""

    openReport = Signal(str)
    newReport = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.session: MissionSession | None = None
        self._stale = True
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search number, name, address, region…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search stations"))
        self.region = QComboBox()
        self.region.setAccessibleName(self.tr("Region"))
        self.district = QComboBox()
        self.district.setAccessibleName(self.tr("District"))
        self.visited = QComboBox()
        self.visited.addItems([self.tr("All stations"), self.tr("Visited"), self.tr("Not visited")])
        self.visited.setAccessibleName(self.tr("Visited or not"))
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.region, 2)
        bar.addWidget(self.district, 2)
        bar.addWidget(self.visited, 1)
        bar.addWidget(self.count)

        self.model = StationsModel()
        self.proxy = StationsFilter()
        self.proxy.setSourceModel(titled(self.model))  # shown at start: titles of Qt's own
        self.table = make_table(self.proxy)
        self.table.setSortingEnabled(True)
        # The registry's own order, and no sort arrow until a title is clicked, as
        # sortByColumn(-1, Qt.SortOrder.AscendingOrder) gives, without naming a Qt enum at start.
        self.proxy.sort(-1)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(StationsModel.NAME, QHeaderView.ResizeMode.Stretch)
        letter = self.table.fontMetrics().horizontalAdvance("0")
        for col, letters in (
            (StationsModel.NUMBER, 5),
            (StationsModel.REGION, 13),
            (StationsModel.DISTRICT, 11),
            (StationsModel.REPORTS, 4),
        ):
            width = max(letter * letters, header.sectionSizeFromContents(col).width())
            self.table.setColumnWidth(col, width + 12)
        # Hidden only now: the widths above leave room for the arrow.
        header.setSortIndicatorShown(False)
        header.sectionClicked.connect(lambda _section: header.setSortIndicatorShown(True))
        self.table.selectionModel().selectionChanged.connect(self._on_select)
        self.table.activated.connect(lambda _i: self.card.setFocus())
        self.card = StationCard()
        self.card.openReport.connect(self.openReport)
        self.card.newReport.connect(self.newReport)
        self.splitter = QSplitter()  # side by side
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.card)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.region.currentIndexChanged.connect(self._on_region)
        self.district.currentIndexChanged.connect(lambda _i: self.reload())
        self.visited.currentIndexChanged.connect(self._on_visited)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

    def set_session(self, session: MissionSession | None) -> None:
        self.session = session
        if session is not None:
            session.reportsChanged.connect(self.mark_stale)
            session.reportSaved.connect(self._on_saved)
            session.stationsChanged.connect(self.mark_stale)
        self.search.clear()
        self._fill_regions()
        self.card.set_forms([])
        self.mark_stale()
        self.reload()

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def _on_saved(self, _report: object) -> None:
        # A saved report changes counts only when it is new, which reportsChanged covers;
        # the card's list shows status and time, so refresh it if it is on screen.
        if self.isVisible() and self.card.station is not None:
            self.card.show_station(self.card.station, self.session)

    def shown(self) -> None:
        """The main window made this page the one on screen: fill it if it is out of date.

        Called by :class:`~gui.main_window.MainWindow` rather than from ``showEvent``: a Python
        ``showEvent`` makes PySide6 build QEvent's 179-member enum while the program starts.
        """
        if self._stale:
            self.reload()

    def _fill_regions(self) -> None:
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItem(self.tr("All regions"), None)
        if self.session is not None:
            for name, n in self.session.regions():
                self.region.addItem(f"{name} ({n})", name)
        self.region.blockSignals(False)
        self._fill_districts()

    def _fill_districts(self) -> None:
        self.district.blockSignals(True)
        self.district.clear()
        self.district.addItem(self.tr("All districts"), None)
        region = self.region.currentData()
        if self.session is not None:
            for r, d, n in self.session.districts(region):
                label = f"{d} ({n})" if region else f"{d} — {r} ({n})"
                self.district.addItem(label, (r, d))
        self.district.blockSignals(False)

    def _on_region(self, _index: int) -> None:
        self._fill_districts()
        self.reload()

    def _on_visited(self, index: int) -> None:
        self.proxy.set_mode(index)
        self._show_count()

    def reload(self) -> None:
        """Ask the core for the stations that match the search and filters."""
        if self.session is None:
            self.model.set_stations([], {})
            self._show_count()
            return
        self._stale = False
        current = self.card.station.code if self.card.station else None
        district = self.district.currentData()
        region = self.region.currentData()
        if district:
            region, district = district
        stations = self.session.stations(
            region=region, district=district, search=self.search.text()
        )
        self.model.set_stations(stations, dict(self.session.visits()))
        self._show_count()
        if current:
            self.select(current)
        if self.card.station is not None:
            self.card.show_station(self.session.station(self.card.station.code), self.session)

    def _show_count(self) -> None:
        shown = self.proxy.rowCount()
        self.count.setText(self.tr("%n station(s)", "", shown))

    def select(self, code: str) -> bool:
        row = self.model.row_of(code)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.proxy.sourceModel().index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _on_select(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        station = self.model.station(self.proxy.mapToSource(rows[0]).row())
        self.card.show_station(station, self.session)
