"""Qt table models over the core's collections; views never run SQL themselves."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from db.reports import Report

_Index = QModelIndex | QPersistentModelIndex


class ReportsModel(QAbstractTableModel):
    """Reports as rows: station, form, observer, status, revision, updated."""

    HEADERS = ("Station", "Form", "Observer", "Status", "Revision", "Updated")

    def __init__(self, reports: list[Report] | None = None) -> None:
        super().__init__()
        self._reports: list[Report] = list(reports or [])

    def set_reports(self, reports: list[Report]) -> None:
        self.beginResetModel()
        self._reports = list(reports)
        self.endResetModel()

    def report(self, row: int) -> Report:
        return self._reports[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._reports)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        r = self._reports[index.row()]
        return (
            r.station_code or r.region or "-",
            r.form_id,
            r.observer or "-",
            r.status,
            r.revision,
            r.updated,
        )[index.column()]
