"""Who is observing and in which language: asked at the first start, changed in Settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.device import config_dir, device_id
from gui.models import LANGUAGE_NAMES
from gui.settings import LANGUAGES, Settings


class PreferencesDialog(QDialog):
    """Observer name, team, interface language; the device id; clearing recent files."""

    def __init__(
        self, settings: Settings, *, first_start: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.recent_cleared = False
        self.setWindowTitle(self.tr("Welcome to Pollcheck") if first_start else self.tr("Settings"))
        layout = QVBoxLayout(self)
        if first_start:
            intro = QLabel(
                self.tr(
                    "Before you start: who is observing? Your name and team are written into "
                    "every report you make. You can change them later in Settings."
                )
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
        self.observer = QLineEdit(settings.observer)
        self.observer.setPlaceholderText(self.tr("First and last name"))
        self.team = QLineEdit(settings.team)
        self.team.setPlaceholderText(self.tr("e.g. Team 4"))
        self.language = QComboBox()
        for code in LANGUAGES:  # each by its own name: whoever reads it needs it
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        form = QFormLayout()
        form.addRow(self.tr("&Observer:"), self.observer)
        form.addRow(self.tr("&Team:"), self.team)
        form.addRow(self.tr("&Interface language:"), self.language)
        device = QLabel(device_id())
        device.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        device.setToolTip(self.tr("Recorded with every report saved on this computer"))
        form.addRow(self.tr("This computer's id:"), device)
        folder = QLabel(str(config_dir()))
        folder.setWordWrap(True)
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Settings and log folder:"), folder)
        layout.addLayout(form)
        if not first_start:
            self.clear = QPushButton(self.tr("Clear recent files"))
            self.clear.setToolTip(
                self.tr("Forget which missions were opened on this computer, and where")
            )
            self.clear.clicked.connect(self._clear_recent)
            layout.addWidget(self.clear, 0, Qt.AlignmentFlag.AlignLeft)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | (
                QDialogButtonBox.StandardButton.NoButton
                if first_start
                else QDialogButtonBox.StandardButton.Cancel
            )
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.observer.textChanged.connect(self._check)
        self._check()
        self.resize(520, self.sizeHint().height())

    def _check(self) -> None:
        ok = bool(self.observer.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self.recent_cleared = True
        self.clear.setText(self.tr("Recent files cleared"))
        self.clear.setEnabled(False)

    def accept(self) -> None:
        self.settings.observer = self.observer.text()
        self.settings.team = self.team.text()
        self.settings.language = str(self.language.currentData())
        super().accept()

    def language_code(self) -> str:
        return str(self.language.currentData())
