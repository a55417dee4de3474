"""Qt table models over the core's collections, and the proxies that sort and filter them.

Views never run SQL themselves: the models hold what :mod:`gui.session` got from the core.
``SORT_ROLE`` gives each cell a value that sorts as people expect (numbers as numbers, station
numbers as people count them, times as ISO text).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import (
    QAbstractTableModel,
    QConcatenateTablesProxyModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
)
from PySide6.QtGui import QColor, QStandardItemModel

from db.stations import Station, normalise_key
from gui.session import ReportRow

if TYPE_CHECKING:
    from db.reports import Report

_Index = QModelIndex | QPersistentModelIndex
# Views ask for data of every visible cell on every paint; PySide6 enums are slow to combine and
# compare, so the roles and the alignment are plain ints here. They are Qt's own values written
# out (tests/gui/test_app.py checks them): naming Qt when the program starts would make PySide6
# build the whole Qt namespace (94 enums, ~20 ms) before the window is up.
DISPLAY = 0  # Qt.ItemDataRole.DisplayRole
TOOLTIP = 3  # Qt.ItemDataRole.ToolTipRole
ALIGNMENT = 7  # Qt.ItemDataRole.TextAlignmentRole
BACKGROUND = 8  # Qt.ItemDataRole.BackgroundRole
FOREGROUND = 9  # Qt.ItemDataRole.ForegroundRole
SORT = SORT_ROLE = 256 + 1  # Qt.ItemDataRole.UserRole + 1
# A station's row: "yes" if it has a report, else "no" (what StationsFilter filters on).
VISITED_ROLE = SORT + 1
RIGHT = 0x0002 | 0x0080  # Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# Colours, not brushes: views paint a colour given for these roles as a brush, and QBrush would
# load QGradient's and QImage's enums at start-up (~300 members; PySide6 makes them slowly).
DUPLICATE_COLOUR = QColor(255, 236, 179)
FINDING_COLOUR = QColor(183, 28, 28)


# Languages by the name their speakers give them; others by the name the form gives them.
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша", "uk": "Українська"}


def language_name(code: str | None, given: str) -> str:
    """A form language as a menu shows it: its own name for it, else the form's name."""
    return LANGUAGE_NAMES.get(code or "", given)


def local_time(iso: str | None) -> str:
    """A stored UTC time (``2026-12-06T09:15:00Z``) as local date and time for people."""
    if not iso:
        return ""
    from PySide6.QtCore import QDateTime  # named on first use: its enums cost start-up time

    when = QDateTime.fromString(iso, QtCore.Qt.DateFormat.ISODate)
    if not when.isValid():
        return iso
    return when.toLocalTime().toString("yyyy-MM-dd HH:mm")


def number_key(number: str) -> tuple[tuple[int, int, str], ...]:
    """Station numbers as people count them: 9 < 10 < 186 < 186A."""
    return tuple(
        (0, int(run), "") if run[0].isdigit() else (1, 0, normalise_key(run))
        for run in re.findall(r"[0-9]+|[^0-9]+", number)
    )


def station_text(station: Station | None, code: str | None) -> str:
    """How a station is named in tables: its number and name, else its code."""
    if station is None:
        return code or ""
    return f"{station.number} · {station.name}" if station.name else station.number


def status_text(status: str) -> str:
    return {
        "draft": QCoreApplication.translate("Status", "Draft"),
        "complete": QCoreApplication.translate("Status", "Complete"),
    }.get(status, status)


class TableModel(QAbstractTableModel):
    """Rows of one kind of record under fixed headers (translated once, when made)."""

    def __init__(self) -> None:
        super().__init__()
        self._headers = self.headers()

    def headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def titles(self) -> tuple[str, ...]:
        """The column titles, as made when the model was (what headerData gives)."""
        return self._headers

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else self._count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: QtCore.Qt.Orientation, role: int = DISPLAY
    ) -> Any:
        if role == DISPLAY and orientation == QtCore.Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def _count(self) -> int:
        raise NotImplementedError


def titled(model: TableModel) -> QConcatenateTablesProxyModel:
    """``model`` behind a proxy of Qt's own that gives its column titles, for a table shown at
    start-up: the view's header then never calls Python. A Python ``headerData`` receives its
    orientation as a Qt enum, and the first one makes PySide6 build the whole Qt namespace
    (94 enums, ~20 ms) before the window is up. The titles stay the model's own (what screen
    readers read); the rows are the model's rows, in the same order (the titles' model has none).
    """
    proxy = QConcatenateTablesProxyModel(model)
    titles = QStandardItemModel(0, len(model.titles), proxy)
    titles.setHorizontalHeaderLabels(list(model.titles))
    proxy.addSourceModel(titles)
    proxy.addSourceModel(model)
    return proxy


class ReportsModel(TableModel):
    """Reports as rows: station, region, form, observer, status, updated, findings, visits."""

    STATION, REGION, FORM, OBSERVER, STATUS, UPDATED, FINDINGS, VISITS = range(8)

    def __init__(self) -> None:
        self._rows: list[ReportRow] = []
        super().__init__()

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Station"),
            self.tr("Region"),
            self.tr("Form"),
            self.tr("Observer"),
            self.tr("Status"),
            self.tr("Updated"),
            self.tr("Findings"),
            self.tr("Visits"),
        )

    def _count(self) -> int:
        return len(self._rows)

    def set_rows(self, rows: list[ReportRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ReportRow]:
        return list(self._rows)

    def report(self, row: int) -> Report:
        return self._rows[row].report

    def row_at(self, row: int) -> ReportRow:
        return self._rows[row]

    def row_of(self, uuid: str) -> int:
        for i, r in enumerate(self._rows):
            if r.report.uuid == uuid:
                return i
        return -1

    def update_row(self, row: ReportRow) -> bool:
        """Replace the row of the same report; False when the model does not hold it."""
        i = self.row_of(row.report.uuid)
        if i < 0:
            return False
        self._rows[i] = row
        self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))
        return True

    def data(self, index: _Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        role = int(role)
        row = self._rows[index.row()]
        r, col = row.report, index.column()
        region = (row.station.region if row.station else None) or r.region or ""
        if role == DISPLAY:
            return (
                station_text(row.station, r.station_code),
                region,
                row.form_title,
                r.observer or "",
                status_text(r.status),
                local_time(r.updated),
                str(row.findings) if row.findings else "",
                self.tr("%n visit(s)", "", row.visits) if row.visits > 1 else "",
            )[col]
        if role == SORT:
            return (
                number_key(row.station.number) if row.station else (r.station_code or ""),
                normalise_key(region),
                normalise_key(row.form_title),
                normalise_key(r.observer or ""),
                r.status,
                r.updated,
                row.findings,
                row.visits,
            )[col]
        if role == TOOLTIP:
            if col == self.VISITS and row.visits > 1:
                return self.tr(
                    "Reports of this form for this station: {0}. A duplicate visit: each report "
                    "is kept and counted as a report; tabulation counts the station once."
                ).format(row.visits)
            if col == self.STATION and r.station_code:
                return r.station_code
        if role == BACKGROUND and row.visits > 1:
            return DUPLICATE_COLOUR
        if role == FOREGROUND and col == self.FINDINGS and row.findings:
            return FINDING_COLOUR
        if role == ALIGNMENT and col in (self.FINDINGS, self.VISITS):
            return RIGHT
        return None


class ReportsFilter(QSortFilterProxyModel):
    """Reports of one form, status or observer, and matching a search text."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self.form_title = ""
        self.status = ""
        self.observer = ""
        self.needle = ""

    def set_filter(
        self,
        *,
        form_title: str | None = None,
        status: str | None = None,
        observer: str | None = None,
        search: str | None = None,
    ) -> None:
        self.beginFilterChange()
        if form_title is not None:
            self.form_title = form_title
        if status is not None:
            self.status = status
        if observer is not None:
            self.observer = observer
        if search is not None:
            self.needle = normalise_key(search.strip())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ReportsModel)
        row = model.row_at(source_row)
        r = row.report
        if self.form_title and row.form_title != self.form_title:
            return False
        if self.status and r.status != self.status:
            return False
        if self.observer and (r.observer or "") != self.observer:
            return False
        if self.needle:
            s = row.station
            hay = " ".join(
                x or ""
                for x in (
                    r.station_code,
                    s.number if s else "",
                    s.name if s else "",
                    s.region if s else r.region,
                    s.district if s else "",
                    r.observer,
                )
            )
            return self.needle in normalise_key(hay)
        return True


class StationsModel(TableModel):
    """Stations as rows: number, name, region, district, reports."""

    NUMBER, NAME, REGION, DISTRICT, REPORTS = range(5)

    def __init__(self) -> None:
        self._stations: list[Station] = []
        self._visits: dict[str, int] = {}
        super().__init__()

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("No."),
            self.tr("Name"),
            self.tr("Region"),
            self.tr("District"),
            self.tr("Reports"),
        )

    def _count(self) -> int:
        return len(self._stations)

    def set_stations(self, stations: list[Station], visits: dict[str, int]) -> None:
        self.beginResetModel()
        self._stations = list(stations)
        self._visits = dict(visits)
        self.endResetModel()

    def station(self, row: int) -> Station:
        return self._stations[row]

    def visits(self, row: int) -> int:
        return self._visits.get(self._stations[row].code, 0)

    def row_of(self, code: str) -> int:
        for i, s in enumerate(self._stations):
            if s.code == code:
                return i
        return -1

    def data(self, index: _Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        role = int(role)
        s, col = self._stations[index.row()], index.column()
        n = self._visits.get(s.code, 0)
        if role == DISPLAY:
            return (s.number, s.name or "", s.region or "", s.district or "", str(n) if n else "")[
                col
            ]
        if role == SORT:
            return (
                number_key(s.number),
                normalise_key(s.name or ""),
                normalise_key(s.region or ""),
                normalise_key(s.district or ""),
                n,
            )[col]
        if role == TOOLTIP:
            return s.address or s.code
        if role == ALIGNMENT and col == self.REPORTS:
            return RIGHT
        if role == VISITED_ROLE:
            return "yes" if n else "no"
        return None


class StationsFilter(QSortFilterProxyModel):
    """All stations, only visited ones (with a report) or only those not visited yet.

    Qt filters on the model's ``VISITED_ROLE`` rather than a Python ``filterAcceptsRow``: with
    all stations shown (the filter's text empty), it then calls no Python for each row, which
    saves start-up time when the stations are first listed.
    """

    ALL, VISITED, NOT_VISITED = range(3)

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self.setFilterRole(VISITED_ROLE)

    def set_mode(self, mode: int) -> None:
        """ALL, VISITED or NOT_VISITED (the filter's text is the mode; nothing else keeps it)."""
        self.setFilterFixedString(("", "yes", "no")[mode])
