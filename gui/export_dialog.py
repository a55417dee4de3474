"""Mission → Export…: a form's reports as an Excel workbook or a PDF, with progress and cancel.

The export runs on a worker thread (:func:`gui.jobs.run_job`) with the mission opened read-only
on a connection of its own, so the window's connection is never shared; the progress
dialog's Cancel stops it and nothing is written. When it is done, the file can be opened at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import PollcheckError
from db.mission import open_mission
from db.tabulate import Filters
from exports.errors import ExportCancelled
from gui import dialogs
from gui.jobs import Progress, run_job
from gui.models import language_name
from gui.session import MissionSession

FORMATS = ("xlsx", "pdf-stations", "pdf-findings")
_SUFFIX = {"xlsx": ".xlsx", "pdf-stations": ".pdf", "pdf-findings": ".pdf"}


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-") or "export"


class ExportDialog(QDialog):
    """Choose what to export and where; export it with progress; offer to open the file."""

    def __init__(
        self,
        session: MissionSession,
        parent: QWidget | None = None,
        *,
        fmt: str = "xlsx",
        form_id: str | None = None,
        stations: Sequence[str] = (),
        region: str | None = None,
        include_drafts: bool = False,
        language: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.written: Path | None = None
        self.setWindowTitle(self.tr("Export"))

        self.format = QComboBox()
        self.format.addItem(self.tr("Excel workbook (.xlsx)"), "xlsx")
        self.format.addItem(self.tr("PDF: station summaries"), "pdf-stations")
        self.format.addItem(self.tr("PDF: findings report"), "pdf-findings")
        self.form = QComboBox()
        interface = session.settings.language
        for record in session.forms():
            title = session.form(record.form_id).title_in(interface)
            self.form.addItem(f"{title} ({record.form_id})", record.form_id)
        self.language = QComboBox()
        self.values = QComboBox()
        self.values.addItem(self.tr("Labels"), "labels")
        self.values.addItem(self.tr("Codes (as stored)"), "codes")
        self.region = QComboBox()
        self.region.addItem(self.tr("All regions"), None)
        for name, count in session.regions():
            self.region.addItem(f"{name} ({count})", name)
        self.stations = QLineEdit()
        self.stations.setPlaceholderText(self.tr("every station"))
        self.stations.setToolTip(self.tr("Station codes, separated by commas"))
        self.drafts = QCheckBox(self.tr("Include drafts"))
        self.path = QLineEdit()
        self.path.textEdited.connect(lambda _t: self.path.setProperty("default", False))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self.choose_path)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Form"), self.form)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Answers as"), self.values)
        form.addRow(self.tr("Region"), self.region)
        form.addRow(self.tr("Stations"), self.stations)
        form.addRow("", self.drafts)
        form.addRow(self.tr("Save as"), where)
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

        self.format.setCurrentIndex(max(0, self.format.findData(fmt)))
        if form_id is not None:
            self.form.setCurrentIndex(max(0, self.form.findData(form_id)))
        self.region.setCurrentIndex(max(0, self.region.findData(region)))
        self.stations.setText(", ".join(stations))
        self.drafts.setChecked(include_drafts)
        self._fill_languages(language or interface)
        self.format.currentIndexChanged.connect(self._on_format)
        self.form.currentIndexChanged.connect(lambda _i: self._fill_languages(None))
        self.form.currentIndexChanged.connect(lambda _i: self._default_path())
        self._on_format()
        self.resize(560, self.sizeHint().height())

    # -- the choices ------------------------------------------------------------------------
    def _fill_languages(self, wanted: str | None) -> None:
        current = wanted or self.language.currentData()
        self.language.clear()
        form_id = self.form.currentData()
        if form_id is None:
            return
        for lang in self.session.form(form_id).languages:
            self.language.addItem(language_name(lang.code, lang.name), lang.code)
        found = self.language.findData(current)
        if found >= 0:
            self.language.setCurrentIndex(found)

    def _on_format(self, _index: int = 0) -> None:
        fmt = self.format.currentData()
        self.values.setEnabled(fmt == "xlsx")
        self.stations.setEnabled(fmt == "pdf-stations")
        self._default_path()

    def _default_path(self) -> None:
        fmt = self.format.currentData()
        text = self.path.text().strip()
        if text and not self.path.property("default"):
            self.path.setText(str(Path(text).with_suffix(_SUFFIX[fmt])))
            return
        folder = Path(self.session.settings.last_folder or self.session.path.parent)
        kind = {"xlsx": "", "pdf-stations": "-stations", "pdf-findings": "-findings"}[fmt]
        name = f"{self.session.path.stem}-{self.form.currentData() or 'form'}{kind}"
        self.path.setText(str(folder / (_safe_name(name) + _SUFFIX[fmt])))
        self.path.setProperty("default", True)

    def choose_path(self) -> None:
        fmt = self.format.currentData()
        pattern = (
            self.tr("Excel workbooks (*.xlsx)") if fmt == "xlsx" else self.tr("PDF files (*.pdf)")
        )
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to"), self.path.text(), pattern)
        if path:
            self.path.setText(str(Path(path).with_suffix(_SUFFIX[fmt])))
            self.path.setProperty("default", False)

    def station_codes(self) -> list[str]:
        return [c.strip() for c in self.stations.text().split(",") if c.strip()]

    def options(self) -> dict[str, Any]:
        """What the export is asked to do (for the exporters and for tests)."""
        return {
            "format": self.format.currentData(),
            "form_id": self.form.currentData(),
            "language": self.language.currentData(),
            "values": self.values.currentData(),
            "filters": Filters(
                region=self.region.currentData(), include_drafts=self.drafts.isChecked()
            ),
            "stations": self.station_codes() if self.stations.isEnabled() else [],
            "out": Path(self.path.text().strip()),
        }

    # -- exporting --------------------------------------------------------------------------
    def make_progress(self) -> QProgressDialog:
        """The progress dialog of an export (tests reach it here)."""
        return QProgressDialog(self)

    def export(self) -> bool:
        """Export as chosen; True if the file was written."""
        options = self.options()
        if options["form_id"] is None or not self.path.text().strip():
            self.note.setText(self.tr("Choose a form and where to save the file."))
            return False
        out: Path = options["out"]
        path = self.session.path

        def job(progress: Progress, cancelled: Callable[[], bool]) -> Path:
            if cancelled():
                raise ExportCancelled("The export was cancelled; no file was written.")
            with open_mission(path, readonly=True) as mission:
                if options["format"] == "xlsx":
                    from exports.xlsx import export_xlsx

                    return export_xlsx(
                        mission,
                        out,
                        form_id=options["form_id"],
                        language=options["language"],
                        values=options["values"],
                        filters=options["filters"],
                        progress=progress,
                        cancelled=cancelled,
                    )
                from exports.pdf import export_pdf

                return export_pdf(
                    mission,
                    out,
                    kind="stations" if options["format"] == "pdf-stations" else "findings",
                    form_id=options["form_id"],
                    stations=options["stations"],
                    language=options["language"],
                    filters=options["filters"],
                    progress=progress,
                    cancelled=cancelled,
                )

        _result, error = run_job(
            self, self.tr("Exporting {0}…").format(out.name), job, progress=self.make_progress()
        )
        if isinstance(error, ExportCancelled):
            self.note.setText(self.tr("The export was cancelled; no file was written."))
            return False
        if isinstance(error, PollcheckError):
            dialogs.show_error(self, self.tr("Cannot export"), error)
            return False
        if error is not None:
            raise error
        self.written = out
        self.session.settings.last_folder = str(out.resolve().parent)
        self.note.setText(self.tr("Written: {0}").format(out))
        self._done(out)
        return True

    def _done(self, out: Path) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Export done"),
            self.tr("The export is written to:\n{0}").format(out),
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = box.addButton(self.tr("Open the file"), QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(QMessageBox.StandardButton.Close)
        dialogs._present(box)
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))
