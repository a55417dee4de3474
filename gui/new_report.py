"""The New report dialog: which form, at which station (or in which region)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.models import station_text
from gui.session import MissionSession

MAX_MATCHES = 200


class _SearchLine(QLineEdit):
    """A search field whose Up and Down keys move through the list of matches below it."""

    def __init__(self, results: QListWidget) -> None:
        super().__init__()
        self.results = results

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            row = self.results.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
            if 0 <= row < self.results.count():
                self.results.setCurrentRow(row)
            return
        super().keyPressEvent(event)


class NewReportDialog(QDialog):
    """Choose a form and a station; the dialog's result is read from ``choice()``."""

    def __init__(
        self,
        session: MissionSession,
        station_code: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("New report"))
        self.form = QComboBox()
        for record in session.forms():
            form = session.form(record.form_id)
            self.form.addItem(form.title_in(session.settings.language), record.form_id)
        self.results = QListWidget()
        self.search = _SearchLine(self.results)
        self.search.setPlaceholderText(self.tr("Type a station number, name or place…"))
        self.search.setClearButtonEnabled(True)
        self.region = QComboBox()
        self.region.setEditable(True)
        self.region.addItem("")
        for name, _n in session.regions():
            self.region.addItem(name)
        self.note = QLabel()
        self.note.setWordWrap(True)
        form_layout = QFormLayout()
        form_layout.addRow(self.tr("&Form:"), self.form)
        form_layout.addRow(self.tr("&Station:"), self.search)
        form_layout.addRow("", self.results)
        form_layout.addRow(self.tr("&Region:"), self.region)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form_layout)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self._find)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.form.currentIndexChanged.connect(self._check)
        self.results.currentRowChanged.connect(self._check)
        self.region.currentTextChanged.connect(self._check)
        self.results.itemActivated.connect(lambda _i: self.accept() if self._ok() else None)
        self._find()
        if station_code:
            station = session.station(station_code)
            if station is not None:
                self.search.setText(station.code)
                self._find()
        self.resize(560, 440)

    def _find(self) -> None:
        """Ask the core for matching stations (case-insensitive in any script)."""
        self.results.clear()
        stations = self.session.stations(search=self.search.text())
        for s in stations[:MAX_MATCHES]:
            item = QListWidgetItem(
                f"{station_text(s, s.code)} — {s.region or ''} {s.district or ''}  [{s.code}]"
            )
            item.setData(Qt.ItemDataRole.UserRole, s.code)
            self.results.addItem(item)
        if stations:
            self.results.setCurrentRow(0)
        self._check()

    def _rule(self) -> str:
        form_id = self.form.currentData()
        return self.session.form(form_id).station if form_id else "required"

    def _ok(self) -> bool:
        # A form filled at a station needs one; for the others a station or region may be left out.
        return self._rule() != "required" or self.results.currentItem() is not None

    def _check(self) -> None:
        rule = self._rule()
        self.search.setEnabled(rule != "absent")
        self.results.setEnabled(rule != "absent")
        self.region.setEnabled(rule != "required")
        self.note.setText(
            {
                "required": self.tr("This form is filled at one polling station."),
                "optional": self.tr(
                    "A station is optional for this form: leave the search empty if it did not "
                    "happen at a station."
                ),
                "absent": self.tr("This form is not about one station; give the region."),
            }[rule]
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self._ok())

    def choice(self) -> tuple[str, str | None, str | None]:
        """(form id, station code or None, region or None) as chosen."""
        rule = self._rule()
        code = None
        item = self.results.currentItem()
        if rule == "required" or (rule == "optional" and self.search.text().strip()):
            code = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        region = self.region.currentText().strip() or None if code is None else None
        return str(self.form.currentData()), code, region
