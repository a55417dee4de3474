"""The New mission wizard: title, country and date; forms; the station list, previewed first.

Nothing is written until the last page: then :func:`create_planned_mission` makes the file with
the core's functions (as ``pollcheck new`` and ``pollcheck stations import`` do), all of it or
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from db.errors import PollcheckError
from db.forms import add_form
from db.mission import SUFFIX, create_mission
from db.station_lists import StationPreview, import_stations, preview_stations
from forms.templates import TEMPLATES, template
from forms.xlsform import load_form
from gui.dialogs import interface_language, show_error
from gui.settings import Settings

PREVIEW_ROWS = 200
DEFAULT_TEMPLATES = ("election_day", "critical_incident")


@dataclass(frozen=True)
class MissionPlan:
    """What the wizard will create."""

    path: Path
    title: str
    country: str | None
    election_date: str | None
    templates: tuple[str, ...]
    workbooks: tuple[Path, ...]
    stations: Path | None
    encoding: str | None


def create_planned_mission(plan: MissionPlan) -> None:
    """Create the mission file of ``plan``: forms added, stations imported; or no file at all.

    Raises:
        PollcheckError: a form or the station list cannot be used, or the file cannot be made.
    """
    sources: list[tuple[bytes | Path, str | None]] = []
    for name in plan.templates:
        t = template(name)
        sources.append((t.workbook, t.filename))
    sources.extend((path, None) for path in plan.workbooks)
    mission = create_mission(
        plan.path, title=plan.title, country=plan.country, election_date=plan.election_date
    )
    try:
        for source, filename in sources:
            add_form(mission, source, filename=filename)
        if plan.stations is not None:
            import_stations(mission, plan.stations, encoding=plan.encoding)
    except BaseException:
        mission.close()
        for leftover in (plan.path, Path(f"{plan.path}-wal"), Path(f"{plan.path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    mission.close()


def file_name_for(title: str) -> str:
    """A file name made from a mission title (letters and digits of any script kept)."""
    stem = "-".join(re.findall(r"[^\W_]+", title))[:60] or "mission"
    return stem + SUFFIX


class MissionPage(QWizardPage):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.setTitle(self.tr("The mission"))
        self.setSubTitle(self.tr("What is observed, and where the mission file is kept."))
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("e.g. Presidential election 2026"))
        self.country = QLineEdit()
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.no_date = QCheckBox(self.tr("Not known yet"))
        self.no_date.toggled.connect(lambda on: self.date.setEnabled(not on))
        date_row = QHBoxLayout()
        date_row.addWidget(self.date)
        date_row.addWidget(self.no_date)
        date_row.addStretch(1)
        self.path = QLineEdit()
        self._path_edited = False
        self.path.textEdited.connect(self._on_path_edited)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(choose)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b71c1c;")
        form = QFormLayout(self)
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("&Country:"), self.country)
        # A row whose field is a layout gets no buddy by itself: without one, '&' would show.
        date_label = QLabel(self.tr("&Election date:"))
        date_label.setBuddy(self.date)
        path_label = QLabel(self.tr("Mission &file:"))
        path_label.setBuddy(self.path)
        form.addRow(date_label, date_row)
        form.addRow(path_label, path_row)
        form.addRow("", self.warning)
        self.title.textChanged.connect(self._on_title)
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())
        self._on_title("")

    def _folder(self) -> Path:
        folder = self.settings.last_folder or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(folder or Path.home())

    def _on_title(self, title: str) -> None:
        if not self._path_edited:
            self.path.setText(str(self._folder() / file_name_for(title.strip())))
        self.completeChanged.emit()

    def _on_path_edited(self, _text: str) -> None:
        self._path_edited = True

    def _choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Where to keep the mission file"),
            self.path.text(),
            self.tr("Pollcheck missions (*.pollcheck)"),
        )
        if path:
            if not path.endswith(SUFFIX):
                path += SUFFIX
            self._path_edited = True
            self.path.setText(path)

    def target(self) -> Path:
        return Path(self.path.text().strip())

    def isComplete(self) -> bool:
        text = self.path.text().strip()
        problem = ""
        if text and self.target().exists():
            problem = self.tr("A file of that name exists already: choose another name.")
        elif text and not self.target().parent.is_dir():
            problem = self.tr("The folder does not exist: choose another place.")
        self.warning.setText(problem)
        return bool(self.title.text().strip()) and bool(text) and not problem


class FormsPage(QWizardPage):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.setTitle(self.tr("Forms"))
        self.setSubTitle(
            self.tr("The checklists observers fill: built-in templates, or XLSForm workbooks.")
        )
        self.list = QListWidget()
        for name in TEMPLATES:
            form = template(name).form
            questions = sum(1 for q in form.questions() if q.takes_answer)
            item = QListWidgetItem(
                self.tr("{0} (built-in, {1} questions)").format(form.title_in(language), questions)
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if name in DEFAULT_TEMPLATES else Qt.CheckState.Unchecked
            )
            item.setData(Qt.ItemDataRole.UserRole, ("template", name))
            self.list.addItem(item)
        add = QPushButton(self.tr("Add an XLSForm file…"))
        add.clicked.connect(self._add)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        self.list.itemChanged.connect(lambda _i: self.completeChanged.emit())

    def add_workbook(self, path: Path) -> bool:
        """Check a workbook with the core's loader and list it; False, with a dialog, if not."""
        try:
            form = load_form(path)
        except PollcheckError as exc:
            show_error(self, self.tr("This workbook cannot be used as a form"), exc)
            return False
        item = QListWidgetItem(f"{form.title} ({path.name})")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        item.setData(Qt.ItemDataRole.UserRole, ("file", str(path)))
        self.list.addItem(item)
        return True

    def _add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Add an XLSForm file"), "", self.tr("XLSForm workbooks (*.xlsx)")
        )
        if path:
            self.add_workbook(Path(path))

    def chosen(self) -> tuple[tuple[str, ...], tuple[Path, ...]]:
        names: list[str] = []
        files: list[Path] = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() != Qt.CheckState.Checked:
                continue
            kind, value = item.data(Qt.ItemDataRole.UserRole)
            if kind == "template":
                names.append(value)
            else:
                files.append(Path(value))
        return tuple(names), tuple(files)

    def isComplete(self) -> bool:
        names, files = self.chosen()
        return bool(names or files)


class StationListPage(QWizardPage):
    """Choose the station list; see every station it holds and every problem, before importing."""

    ENCODINGS = (None, "utf-8", "cp1251")

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Polling stations"))
        self.setSubTitle(
            self.tr(
                "The station registry, from a CSV or Excel table with columns such as number, "
                "region, district, name, address. You can also import it later."
            )
        )
        self.path: Path | None = None
        self.preview: StationPreview | None = None
        choose = QPushButton(self.tr("Choose a station list…"))
        choose.clicked.connect(self._choose)
        self.again = QPushButton(self.tr("Check again"))
        self.again.setToolTip(self.tr("Read the file again after fixing it"))
        self.again.clicked.connect(self.check)
        self.skip = QPushButton(self.tr("No station list now"))
        self.skip.clicked.connect(self.clear)
        self.encoding = QComboBox()
        self.encoding.addItems(
            [self.tr("Detect the encoding"), "UTF-8", self.tr("Windows-1251 (Russian Excel)")]
        )
        self.encoding.setToolTip(self.tr("For CSV files whose letters come out wrong"))
        self.encoding.currentIndexChanged.connect(lambda _i: self.check())
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.encoding)
        top.addWidget(self.again)
        top.addWidget(self.skip)
        top.addStretch(1)
        self.summary = QLabel(self.tr("No station list chosen."))
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b71c1c;")
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Code"),
                self.tr("No."),
                self.tr("Region"),
                self.tr("District"),
                self.tr("Name"),
                self.tr("Voters"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.table, 2)
        self._show()

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a station list"),
            "",
            self.tr("Tables (*.csv *.xlsx *.txt)"),
        )
        if path:
            self.set_file(Path(path))

    def set_file(self, path: Path) -> None:
        self.path = path
        self.check()

    def clear(self) -> None:
        self.path = None
        self.preview = None
        self._show()

    def encoding_name(self) -> str | None:
        return self.ENCODINGS[self.encoding.currentIndex()]

    def check(self) -> None:
        """Read the file with the core's preview: the stations and every problem; no writing."""
        self.preview = None
        self.problems.clear()
        if self.path is None:
            self._show()
            return
        try:
            self.preview = preview_stations(self.path, encoding=self.encoding_name())
        except PollcheckError as exc:
            language = interface_language()
            self.problems.addItem(exc.text(language))
            for p in exc.problems:
                self.problems.addItem(p.text(language))
        self._show()

    def _show(self) -> None:
        self.table.setRowCount(0)
        if self.path is None:
            self.summary.setText(
                self.tr("No station list chosen: the mission starts without stations.")
            )
            self.problems.hide()
            self.table.hide()
            self.again.setEnabled(False)
            self.skip.setEnabled(False)
            self.completeChanged.emit()
            return
        self.again.setEnabled(True)
        self.skip.setEnabled(True)
        preview = self.preview
        if preview is not None:
            language = interface_language()
            for p in preview.problems:
                self.problems.addItem(p.text(language))
            stations = preview.stations[:PREVIEW_ROWS]
            self.table.setRowCount(len(stations))
            for row, s in enumerate(stations):
                values = (
                    s.code,
                    s.number,
                    s.region or "",
                    s.district or "",
                    s.name or "",
                    "" if s.registered_voters is None else str(s.registered_voters),
                )
                for col, value in enumerate(values):
                    self.table.setItem(row, col, QTableWidgetItem(value))
        n_problems = self.problems.count()
        n_ok = len(preview.stations) if preview is not None else 0
        read_as = (
            self.tr(" (read as {0})").format(preview.table.encoding)
            if preview is not None and preview.table.encoding
            else ""
        )
        if n_problems:
            text = self.tr(
                "{0}{1}: %n problem(s), listed below. Nothing will be imported until they are "
                "fixed: correct the file and press Check again, or go on without a station list.",
                "",
                n_problems,
            ).format(self.path.name, read_as)
        else:
            text = self.tr("{0}{1}: %n station(s) will be imported.", "", n_ok).format(
                self.path.name, read_as
            )
        if n_ok > PREVIEW_ROWS:
            text += " " + self.tr("The first {0} are shown.").format(PREVIEW_ROWS)
        self.summary.setText(text)
        self.problems.setVisible(bool(n_problems))
        self.table.setVisible(n_ok > 0)
        self.completeChanged.emit()

    def ready(self) -> bool:
        """True when there is nothing to import, or a list without problems."""
        if self.path is None:
            return True
        return (
            self.preview is not None and not self.preview.problems and bool(self.preview.stations)
        )

    def isComplete(self) -> bool:
        return self.ready()


class SummaryPage(QWizardPage):
    def __init__(self, wizard: NewMissionWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Ready"))
        self.setSubTitle(self.tr("Pollcheck will create the mission file with this."))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Create the mission"))

    def initializePage(self) -> None:
        plan = self._wizard.plan()
        forms = [template(n).form.title_in(self._wizard.language) for n in plan.templates]
        forms += [p.name for p in plan.workbooks]
        preview = self._wizard.stations_page.preview
        stations = (
            self.tr("%n station(s) from {0}", "", len(preview.stations)).format(plan.stations.name)
            if plan.stations is not None and preview is not None
            else self.tr("none yet")
        )
        lines = [
            self.tr("Title: {0}").format(plan.title),
            self.tr("Country: {0}").format(plan.country or "—"),
            self.tr("Election date: {0}").format(plan.election_date or "—"),
            self.tr("Forms: {0}").format("; ".join(forms)),
            self.tr("Stations: {0}").format(stations),
            self.tr("File: {0}").format(plan.path),
        ]
        self.text.setText("\n".join(lines))

    def validatePage(self) -> bool:
        try:
            create_planned_mission(self._wizard.plan())
        except PollcheckError as exc:
            show_error(self, self.tr("The mission could not be created"), exc)
            return False
        self._wizard.created = self._wizard.plan().path
        return True


class NewMissionWizard(QWizard):
    """Create a mission: ``created`` holds the new file's path once the wizard has finished."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.language = settings.language
        self.created: Path | None = None
        self.setWindowTitle(self.tr("New mission"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.mission_page = MissionPage(settings)
        self.forms_page = FormsPage(self.language)
        self.stations_page = StationListPage()
        self.summary_page = SummaryPage(self)
        for page in (self.mission_page, self.forms_page, self.stations_page, self.summary_page):
            self.addPage(page)
        self.resize(760, 560)

    def plan(self) -> MissionPlan:
        names, files = self.forms_page.chosen()
        page = self.mission_page
        return MissionPlan(
            path=page.target(),
            title=page.title.text().strip(),
            country=page.country.text().strip() or None,
            election_date=None
            if page.no_date.isChecked()
            else page.date.date().toString("yyyy-MM-dd"),
            templates=names,
            workbooks=files,
            stations=self.stations_page.path if self.stations_page.ready() else None,
            encoding=self.stations_page.encoding_name(),
        )
