"""The desktop program's main window (a first, minimal one: the mission and its reports)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.errors import PollcheckError
from db.mission import Mission, open_mission
from db.reports import list_reports
from db.summary import mission_summary
from gui.models import ReportsModel


class MainWindow(QMainWindow):
    """The mission's summary over a table of its reports."""

    def __init__(self) -> None:
        super().__init__()
        self.mission: Mission | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.reports = ReportsModel()
        self.table = QTableView()
        self.table.setModel(self.reports)
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.setCentralWidget(body)
        menu = self.menuBar().addMenu(self.tr("&Mission"))
        menu.addAction(self.tr("&Open…"), self.choose_file)
        menu.addAction(self.tr("&Quit"), self.close)
        self.resize(1000, 640)
        self.show_mission(None)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open mission"), "", self.tr("Pollcheck missions (*.pollcheck)")
        )
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> bool:
        try:
            mission = open_mission(path)
        except PollcheckError as exc:
            QMessageBox.warning(self, self.tr("Cannot open the mission"), exc.message)
            return False
        if self.mission is not None:
            self.mission.close()
        self.mission = mission
        self.show_mission(mission)
        return True

    def show_mission(self, mission: Mission | None) -> None:
        if mission is None:
            self.setWindowTitle("Pollcheck")
            self.summary.setText(self.tr("Open a mission file (Mission → Open…)."))
            self.reports.set_reports([])
            return
        s = mission_summary(mission)
        self.setWindowTitle(f"Pollcheck — {s.mission.title} — {mission.path.resolve()}")
        lines = [f"<b>{_escape(s.mission.title)}</b>"]
        if s.mission.synthetic:
            lines.append(self.tr("<i>Demo mission: synthetic data, not a real election.</i>"))
        lines.append(
            self.tr("{0} stations in {1} regions; reports: {2} complete, {3} drafts").format(
                s.stations, s.regions, s.reports["complete"], s.reports["draft"]
            )
        )
        self.summary.setText("<br>".join(lines))
        self.reports.set_reports(list_reports(mission))
        self.table.resizeColumnsToContents()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.mission is not None:
            self.mission.close()
            self.mission = None
        super().closeEvent(event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def run(path: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Pollcheck")
    window = MainWindow()
    if path:
        window.open_file(Path(path))
    window.show()
    return int(app.exec())
