"""Mission → Make observer kit…: ``pollcheck kit`` in the program.

HQ (or a regional coordinator) makes one kit per observer: a copy of the mission with its
forms, the stations of the regions chosen (all of them if none is), and no reports but the
observer's own. The dialog says what the kit will hold before it is written; the kit is made by
``db.kit.make_kit`` on a worker thread, from the mission file (never through the window's
connection), after the open report is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import PollcheckError
from db.kit import kit_contents, kit_file_name, make_kit, make_kits
from db.observers import import_observers, list_observers
from gui import dialogs, style
from gui.jobs import Progress, run_job
from gui.session import MissionSession


class KitDialog(QDialog):
    """Choose the observer and the regions, see what the kit will hold, write it."""

    def __init__(self, session: MissionSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.written: Path | None = None
        self.setWindowTitle(self.tr("Make observer kit"))
        intro = QLabel(
            self.tr(
                "A kit is the observer's copy of this mission: its forms, the stations of the "
                "regions chosen, and no reports but the observer's own. Give it to the observer, "
                "who opens it in Pollcheck and sends it back with 'Prepare file for HQ'."
            )
        )
        intro.setWordWrap(True)
        self.observer = QComboBox()
        self.observer.setEditable(True)
        self._fill_observers()
        self.observer.currentTextChanged.connect(self._update)
        roster = QPushButton(self.tr("Import observers…"))
        roster.setToolTip(
            self.tr(
                "A CSV or Excel list with a column of names ('name') and one of teams ('team')."
            )
        )
        roster.clicked.connect(self.choose_roster)
        observer_row = QHBoxLayout()
        observer_row.addWidget(self.observer, 1)
        observer_row.addWidget(roster)
        self.regions = QListWidget()
        for region, count in session.regions():
            item = QListWidgetItem(f"{region}: " + self.tr("%n station(s)", "", count))
            item.setData(Qt.ItemDataRole.UserRole, region)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.regions.addItem(item)
        self.regions.itemChanged.connect(self._update)
        form = QFormLayout()
        observer_label = QLabel(self.tr("&Observer:"))
        observer_label.setBuddy(self.observer)
        form.addRow(observer_label, observer_row)
        regions_label = QLabel(self.tr("&Regions (none ticked: all):"))
        regions_label.setBuddy(self.regions)
        form.addRow(regions_label, self.regions)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        style.plain_text(self.summary)
        buttons = QDialogButtonBox()
        self.make_button = buttons.addButton(
            self.tr("Make kit…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        each = buttons.addButton(
            self.tr("One kit per observer…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.each_button = each
        each.setEnabled(self.observer.count() > 1)
        each.clicked.connect(self.choose_folder_and_make_all)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.choose_and_make)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(560, 460)
        self._update()

    # -- the choices ------------------------------------------------------------------------
    def _fill_observers(self) -> None:
        self.observer.clear()
        self.observer.addItem(self.tr("(nobody yet: a kit with no reports)"), None)
        for o in list_observers(self.session.mission):
            self.observer.addItem(o.name if not o.team else f"{o.name} ({o.team})", o.name)

    def choose_roster(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import observers"),
            str(self._folder()),
            self.tr("Tables (*.csv *.xlsx *.txt);;All files (*)"),
        )
        if path:
            self.import_roster(Path(path))

    def import_roster(self, path: Path) -> bool:
        """Add the observers of the roster at ``path`` (all rows or none), then list them."""
        try:
            result = import_observers(self.session.mission, path)
        except PollcheckError as exc:
            dialogs.show_error(self, self.tr("Cannot import the observers"), exc)
            return False
        self._fill_observers()
        self.each_button.setEnabled(self.observer.count() > 1)
        self._update()
        self.summary.setText(
            self.tr("%n observer(s) added from the list.", "", result.added)
            + " "
            + self.summary.text()
        )
        return True

    def observer_name(self) -> str | None:
        """The observer whose reports the kit keeps (None: nobody's)."""
        text = self.observer.currentText().strip()
        index = self.observer.findText(text)
        if index >= 0:
            name = self.observer.itemData(index)
            return name if isinstance(name, str) else None
        return " ".join(text.split()) or None

    def chosen_regions(self) -> list[str]:
        return [
            self.regions.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.regions.count())
            if self.regions.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _update(self) -> None:
        observer = self.observer_name()
        stations, reports = kit_contents(
            self.session.mission, observer=observer, regions=self.chosen_regions()
        )
        text = self.tr("The kit will hold %n station(s)", "", stations)
        if observer is None:
            text += " " + self.tr("and no reports.")
        else:
            text += " " + self.tr("and %n report(s) of {0}.", "", reports).format(observer)
        self.summary.setText(text)

    # -- making it --------------------------------------------------------------------------
    def choose_and_make(self) -> None:
        """Ask where, then write the kit."""
        name = kit_file_name(self.observer_name(), self.session.path)
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the kit"),
            str(self._folder() / name),
            self.tr("Pollcheck missions (*.pollcheck)"),
        )
        if path:
            self.make(Path(path))

    def _folder(self) -> Path:
        return Path(self.session.settings.last_folder or self.session.path.parent)

    def observers(self) -> list[str]:
        """Every observer of the mission, as listed."""
        return [
            name
            for i in range(self.observer.count())
            if isinstance(name := self.observer.itemData(i), str)
        ]

    def choose_folder_and_make_all(self) -> None:
        """Ask for a folder, then write one kit per observer into it."""
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Folder for the kits"), str(self._folder())
        )
        if folder:
            self.make_all(Path(folder))

    def make_all(self, folder: Path) -> list[Path] | None:
        """One kit per observer in ``folder``, with the regions ticked; files already there are
        left alone (and named)."""
        source, observers, regions = self.session.path, self.observers(), self.chosen_regions()

        def job(progress: Progress, cancelled: Callable[[], bool]) -> tuple[list[Path], ...]:
            return make_kits(source, folder, observers, regions=regions, progress=progress)

        result = self._run(self.tr("Making the kits…"), job)
        if not isinstance(result, tuple):
            return None
        made, there = result
        text = self.tr("%n kit(s) written to:", "", len(made)) + f"\n{folder}"
        if there:
            names = ", ".join(p.name for p in there)
            text += "\n\n" + self.tr(
                "Not written, as a file of that name is there already: {0}"
            ).format(names)
        dialogs.show_info(self, self.windowTitle(), text)
        return made

    def make(self, out: Path) -> Path | None:
        """Write the kit to ``out`` (replacing a file the user chose to replace)."""
        source, observer, regions = self.session.path, self.observer_name(), self.chosen_regions()

        def job(progress: Progress, cancelled: Callable[[], bool]) -> Path:
            return make_kit(source, out, observer=observer, regions=regions, overwrite=True)

        written = self._run(self.tr("Making the kit…"), job)
        if not isinstance(written, Path):
            return None
        self.written = written
        dialogs.show_info(
            self,
            self.windowTitle(),
            self.tr(
                "The kit is written to:\n{0}\n\n{1}\n\nGive it to the observer, on a USB stick "
                "or by e-mail."
            ).format(written, self.summary.text()),
        )
        return written

    def _run(self, text: str, job: Callable[[Progress, Callable[[], bool]], object]) -> object:
        """Run ``job`` behind a progress dialog: its result, or None once its error is shown."""
        result, error = run_job(self, text, job, cancellable=False)
        if isinstance(error, PollcheckError):
            dialogs.show_error(self, self.tr("Cannot make the kit"), error)
            return None
        if error is not None:
            raise error
        return result
