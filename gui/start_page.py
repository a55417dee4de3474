"""The page shown when no mission is open: open or make one, try the demo, reopen a recent one."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.settings import Settings


class StartPage(QWidget):
    openFile = Signal(Path)
    chooseFile = Signal()
    newMission = Signal()
    openDemo = Signal()

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        title = QLabel("Pollcheck")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        title.setFont(font)
        tagline = QLabel(self.tr("Election observation checklists, offline."))
        tagline.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Open a mission file…"))
        self.open_button.clicked.connect(self.chooseFile)
        self.new_button = QPushButton(self.tr("New mission…"))
        self.new_button.clicked.connect(self.newMission)
        self.demo_button = QPushButton(self.tr("Open the demo mission"))
        self.demo_button.setToolTip(
            self.tr("A fictional mission with synthetic reports, to try Pollcheck")
        )
        self.demo_button.clicked.connect(self.openDemo)
        buttons = QVBoxLayout()
        for b in (self.open_button, self.new_button, self.demo_button):
            b.setAutoDefault(True)
            b.setMinimumHeight(b.sizeHint().height() + 10)
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.recent_label = QLabel(self.tr("Recent missions"))
        bold = self.recent_label.font()
        bold.setBold(True)
        self.recent_label.setFont(bold)
        self.recent = QListWidget()
        self.recent.setAccessibleName(self.tr("Recent missions"))
        self.recent.itemActivated.connect(self._open_item)
        self.clear_button = QPushButton(self.tr("Clear the list"))
        self.clear_button.setToolTip(
            self.tr(
                "Forget the missions opened on this computer (for a laptop that may be lost or "
                "seized)"
            )
        )
        self.clear_button.clicked.connect(self.clear_recent)
        right = QVBoxLayout()
        right.addWidget(self.recent_label)
        right.addWidget(self.recent, 1)
        right.addWidget(self.clear_button, 0, QtCore.Qt.AlignmentFlag.AlignRight)
        body = QHBoxLayout()
        body.addLayout(buttons, 1)
        body.addSpacing(24)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(title)
        layout.addWidget(tagline)
        layout.addSpacing(16)
        layout.addLayout(body, 1)
        self.refresh()

    def refresh(self) -> None:
        self.recent.clear()
        for path in self.settings.recent_files():
            p = Path(path)
            item = QListWidgetItem(f"{p.name}\n    {p.parent}")
            item.setData(QtCore.Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
        empty = self.recent.count() == 0
        self.clear_button.setEnabled(not empty)
        if empty:
            item = QListWidgetItem(self.tr("No recent missions."))
            item.setFlags(QtCore.Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)
        else:
            self.recent.setCurrentRow(0)

    def clear_recent(self) -> None:
        self.settings.clear_recent()
        self.refresh()

    def _open_item(self, item: QListWidgetItem) -> None:
        path = item.data(QtCore.Qt.ItemDataRole.UserRole)
        if path:
            self.openFile.emit(Path(path))
