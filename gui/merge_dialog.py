"""Mission → Merge files…, Mission → Merge log… and Mission → Prepare file for HQ….

The merge dialog lists the files to merge and, for each, what merging would do: a dry run
(``db.merge.merge(dry_run=True)``, on a scratch copy of the mission) counts new reports, newer
versions, unchanged ones and conflicts, and says why a file would be refused. Merge then runs
the real merge on a worker thread; each merge is logged in the mission file itself.

The mission stays open in the window meanwhile: ``merge`` writes through a connection of its
own (each source in its own transaction), and the dry run reads a read-only connection of its
own, so the window's connection is never used off the GUI thread. The window saves and closes
the open report before the dialog (a merge may bring a newer version of it) and the pages are
told afterwards (``reportsChanged``, ``stationsChanged``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.errors import PollcheckError
from db.kit import list_kits, send_file
from db.merge import LoggedMerge, MergeResult, SourceResult, merge, merge_log
from db.mission import open_mission
from gui import dialogs, style
from gui.jobs import Progress, run_job
from gui.models import local_time
from gui.session import MissionSession

COLUMNS = 9
MERGEABLE = (".pollcheck", ".xlsx")  # what a dropped folder gives: mission files and workbooks
FILE, KIND, OUTCOME, NEW, NEWER, UNCHANGED, OLDER, CONFLICTS, WHY = range(COLUMNS)


def _table(rows: int, titles: Sequence[str], stretch: int) -> QTableWidget:
    """A read-only table of whole rows with these column titles; column ``stretch`` takes the
    width left, the others fit their contents."""
    table = QTableWidget(rows, len(titles))
    table.setHorizontalHeaderLabels(list(titles))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill_row(
    table: QTableWidget, row: int, cells: Sequence[str], numbers: range, tips: dict[int, str]
) -> None:
    """Put ``cells`` in ``row``: the columns in ``numbers`` right-aligned, ``tips`` by column."""
    for col, text in enumerate(cells):
        item = QTableWidgetItem(text)
        if col in numbers:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if tips.get(col):
            item.setToolTip(tips[col])
        table.setItem(row, col, item)


class MergeDialog(QDialog):
    """Pick files, see what each would bring, merge them, see what each brought."""

    def __init__(self, session: MissionSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.files: list[Path] = []
        self.result: MergeResult | None = None
        self.merged = False
        self.setWindowTitle(self.tr("Merge files"))
        intro = QLabel(
            self.tr(
                "Add the mission files and workbooks that came from observers or regions. "
                "Each is checked first; a damaged or foreign file is refused and nothing of it "
                "is written."
            )
        )
        intro.setWordWrap(True)
        add = QPushButton(self.tr("Add files…"))
        add.clicked.connect(self.choose_files)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        log = QPushButton(self.tr("Merge log…"))
        log.clicked.connect(lambda: MergeLogDialog(self.session, self).exec())
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(log)
        titles = [
            self.tr("File"),
            self.tr("Kind"),
            self.tr("What happens"),
            self.tr("New"),
            self.tr("Newer"),
            self.tr("Unchanged"),
            self.tr("Older"),
            self.tr("Conflicts"),
            self.tr("Notes"),
        ]
        self.table = _table(0, titles, WHY)
        self.state = QLabel(self.tr("No file added yet. Add files, or drop them here."))
        self.state.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.merge_button = buttons.addButton(
            self.tr("Merge"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.run_merge)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.state)
        layout.addWidget(buttons)
        self._update_buttons()
        self.setAcceptDrops(True)
        self.resize(900, 420)

    # -- the files --------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Files to merge"),
            self.session.settings.last_folder,
            self.tr("Pollcheck missions and workbooks (*.pollcheck *.xlsx);;All files (*)"),
        )
        if paths:
            self.add_files([Path(p) for p in paths])

    # Files dropped on the dialog (from a USB stick's folder, an e-mail's attachments) are added
    # as if chosen; a dropped folder adds the mission files and workbooks in it.
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dialogs.dropped_files(event.mimeData(), MERGEABLE):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dialogs.dropped_files(event.mimeData(), MERGEABLE)
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    def add_files(self, paths: Sequence[Path]) -> None:
        """Add files (each once) and show what merging them would do."""
        for path in paths:
            if path not in self.files:
                self.files.append(Path(path))
        self.merged = False
        self.dry_run()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            if row < len(self.files):
                del self.files[row]
        self.merged = False
        self.dry_run()

    # -- dry run and merge ------------------------------------------------------------------
    def dry_run(self) -> None:
        """What merging the files would do (nothing is written to the mission)."""
        if not self.files:
            self.result = None
            self._fill(None)
            self.state.setText(self.tr("No file added yet. Add files, or drop them here."))
            return
        files, path = list(self.files), self.session.path

        def job(progress: Progress, cancelled: Callable[[], bool]) -> MergeResult:
            with open_mission(path, readonly=True) as mission:
                return merge(mission, files, dry_run=True, progress=progress, cancelled=cancelled)

        result = self._run(self.tr("Checking the files…"), job)
        if result is None:
            return
        self.result = result
        self._fill(result)
        refused = len(result.refused)
        text = self.tr("Checked: what merging would do. Nothing is merged yet.")
        if refused:
            text += " " + self.tr("%n file(s) would be refused; see why in the table.", "", refused)
        if self.session.readonly:
            text += " " + self.tr("The mission is open read-only: it cannot be merged into.")
        self.state.setText(text)

    def run_merge(self) -> None:
        """Merge the files into the mission, then show what each brought."""
        if not self.files or self.session.readonly:
            return
        files, mission = list(self.files), self.session.mission

        def job(progress: Progress, cancelled: Callable[[], bool]) -> MergeResult:
            return merge(mission, files, progress=progress, cancelled=cancelled)

        result = self._run(self.tr("Merging…"), job)
        if result is None:
            return
        self.result = result
        self.merged = True
        self._fill(result)
        merged = sum(1 for s in result.sources if s.outcome == "merged")
        self.state.setText(
            self.tr("Merged %n file(s).", "", merged)
            + " "
            + self.tr("The log of this merge is kept in the mission file.")
        )
        self.session.stationsChanged.emit()
        self.session.reportsChanged.emit()
        self._update_buttons()

    def _run(
        self, text: str, job: Callable[[Progress, Callable[[], bool]], MergeResult]
    ) -> MergeResult | None:
        result, error = run_job(self, text, job)
        if isinstance(error, PollcheckError):
            dialogs.show_error(self, self.tr("Cannot merge"), error)
            return None
        if error is not None:
            raise error
        assert isinstance(result, MergeResult)
        return result

    # -- the table --------------------------------------------------------------------------
    def outcome_text(self, source: SourceResult) -> str:
        if self.merged:
            texts = {
                "merged": self.tr("merged"),
                "nothing new": self.tr("nothing new"),
                "refused": self.tr("refused"),
                "skipped": self.tr("skipped (cancelled)"),
            }
        else:
            texts = {
                "merged": self.tr("will be merged"),
                "nothing new": self.tr("nothing new"),
                "refused": self.tr("will be refused"),
                "skipped": self.tr("skipped (cancelled)"),
            }
        return texts.get(source.outcome, source.outcome)

    def _fill(self, result: MergeResult | None) -> None:
        sources = {s.path: s for s in result.sources} if result is not None else {}
        self.table.setRowCount(len(self.files))
        for row, path in enumerate(self.files):
            source = sources.get(path)
            cells = [path.name, "", "", "", "", "", "", "", ""]
            if source is not None:
                kind = {"mission file": self.tr("mission file"), "workbook": self.tr("workbook")}
                cells[KIND] = kind.get(source.kind, source.kind)
                cells[OUTCOME] = self.outcome_text(source)
                if not source.refused:
                    for col, n in (
                        (NEW, source.reports_new),
                        (NEWER, source.reports_newer),
                        (UNCHANGED, source.reports_unchanged),
                        (OLDER, source.reports_older),
                        (CONFLICTS, source.conflicts),
                    ):
                        cells[col] = str(n)
                cells[WHY] = (
                    source.reason_text(dialogs.interface_language())
                    if source.refused
                    else self.notes_text(source)
                )
            tips = {FILE: str(path), WHY: cells[WHY]}
            _fill_row(self.table, row, cells, range(NEW, CONFLICTS + 1), tips)
        self.table.resizeRowsToContents()
        self._update_buttons()

    def notes_text(self, source: SourceResult) -> str:
        """What else merging ``source`` does, or would do: forms added, the station registry."""
        notes = [self.tr("Form {0} added.").format(form) for form in source.forms_added]
        notes += [
            self.tr("Form {0} differs from this mission's; this mission's is kept.").format(form)
            for form in source.forms_differing
        ]
        if source.stations_added:
            notes.append(self.tr("%n station(s) added to the registry.", "", source.stations_added))
        differing = len(source.stations_differing)
        if differing:
            codes = ", ".join(source.stations_differing[:10])
            if differing > 10:
                codes += " " + self.tr("and %n more", "", differing - 10)
            notes.append(
                self.tr(
                    "%n station(s) differ from this mission's registry and are kept as they are"
                    " here: {0}.",
                    "",
                    differing,
                ).format(codes)
            )
        return " ".join(notes)

    def _update_buttons(self) -> None:
        ready = self.result is not None and any(not s.refused for s in self.result.sources)
        self.merge_button.setEnabled(ready and not self.merged and not self.session.readonly)
        self.remove_button.setEnabled(bool(self.files))


def _as_in_merge_dialog(text: str) -> str:
    """A column title or outcome the merge log shares with the merge dialog, translated as
    there (one translation to keep, in the MergeDialog context)."""
    return QCoreApplication.translate("MergeDialog", text)


class MergeLogDialog(QDialog):
    """The mission's merge log: every file merged into it, or refused, the latest first; and on
    a second tab the kits made from the file, with the files back from each.

    The table shows the start of each file's SHA-256; the line under it shows the selected
    file's whole digest, the devices whose saves it held and the copy of the mission it was,
    as text that can be selected and copied.
    """

    SHA, WHY = 8, 9

    def __init__(self, session: MissionSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Merge log"))
        self.logged = list(reversed(merge_log(session.mission)))
        self.intro = intro = QLabel(
            self.tr(
                "Every file merged into this mission, and every file refused, the latest first. "
                "Compare a file's SHA-256 with the sender's to be sure it is the same file."
            )
            if self.logged
            else self.tr("No file has been merged into this mission yet.")
        )
        intro.setWordWrap(True)
        titles = [
            self.tr("Merged at"),
            _as_in_merge_dialog("File"),
            self.tr("What happened"),
            *map(_as_in_merge_dialog, ("New", "Newer", "Unchanged", "Older", "Conflicts")),
            self.tr("SHA-256"),
            self.tr("Refused because"),
        ]
        self.table = _table(len(self.logged), titles, self.WHY)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        language = dialogs.interface_language()
        for row, entry in enumerate(self.logged):
            cells = self._cells(entry, language)
            tips = {self.SHA: entry.sha256 or "", self.WHY: cells[self.WHY]}
            _fill_row(self.table, row, cells, range(3, 8), tips)
        self.details = QLabel()
        self.details.setWordWrap(True)
        style.plain_text(self.details)
        style.selectable(self.details)
        self.table.itemSelectionChanged.connect(self._show_details)
        merged = QWidget()
        page = QVBoxLayout(merged)
        page.addWidget(intro)
        page.addWidget(self.table, 1)
        page.addWidget(self.details)
        self.tabs = QTabWidget()
        self.tabs.addTab(merged, self.tr("Files merged"))
        self.tabs.addTab(self._kits_page(session), self.tr("Kits made"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(1000, 460)
        if self.logged:
            self.table.selectRow(0)
        self._show_details()

    def _kits_page(self, session: MissionSession) -> QWidget:
        """The kits made from this file, and whether a file has come back from each."""
        self.kits = list_kits(session.mission)
        missing = [k.observer or k.file_name for k in self.kits if not k.files_back]
        if not self.kits:
            text = self.tr(
                "No kit has been made from this file yet (Mission → Make observer kit…)."
            )
        else:
            text = self.tr("%n kit(s) made from this file.", "", len(self.kits))
            if missing:
                text += " " + self.tr("No file back yet from: {0}.").format(", ".join(missing))
            else:
                text += " " + self.tr("A file has come back from each.")
        self.kits_summary = QLabel(text)
        self.kits_summary.setWordWrap(True)
        style.plain_text(self.kits_summary)
        titles = [
            self.tr("Made at"),
            _as_in_merge_dialog("File"),
            self.tr("Observer"),
            self.tr("Regions"),
            self.tr("Stations"),
            self.tr("Reports"),
            self.tr("File back"),
        ]
        self.kits_table = _table(len(self.kits), titles, len(titles) - 1)
        for row, kit in enumerate(self.kits):
            back = (
                self.tr("%n file(s), the last {0}", "", kit.files_back).format(
                    local_time(kit.last_back)
                )
                if kit.last_back
                else self.tr("not yet")
            )
            cells = [
                local_time(kit.made_at),
                kit.file_name,
                kit.observer or "",
                ", ".join(kit.regions) or self.tr("all"),
                str(kit.stations),
                str(kit.reports),
                back,
            ]
            _fill_row(self.kits_table, row, cells, range(4, 6), {})
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.kits_summary)
        layout.addWidget(self.kits_table, 1)
        return page

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # once the reasons' column has its width

    def _cells(self, entry: LoggedMerge, language: str) -> list[str]:
        outcomes = {o: _as_in_merge_dialog(o) for o in ("merged", "nothing new", "refused")}
        counts = (
            entry.reports_new,
            entry.reports_newer,
            entry.reports_unchanged,
            entry.reports_older,
            entry.conflicts,
        )
        refused = entry.outcome == "refused"
        return [
            local_time(entry.merged_at),
            entry.file_name,
            outcomes.get(entry.outcome, entry.outcome),
            *("" if refused else str(n) for n in counts),
            f"{entry.sha256[:12]}…" if entry.sha256 else "",
            entry.reason_text(language),
        ]

    def _show_details(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.details.setText("")
            return
        entry = self.logged[rows[0].row()]
        parts = [f"{entry.file_name} — SHA-256: {entry.sha256 or '-'}"]
        if entry.devices:
            parts.append(self.tr("devices: {0}").format(", ".join(entry.devices)))
        if entry.copy_id:
            parts.append(self.tr("copy of the mission: {0}").format(entry.copy_id))
        for n, text in (
            (entry.forms_added, self.tr("%n form(s) added", "", entry.forms_added)),
            (entry.stations_added, self.tr("%n station(s) added", "", entry.stations_added)),
            (
                entry.stations_differing,
                self.tr(
                    "%n station(s) differing from the registry, kept as they were",
                    "",
                    entry.stations_differing,
                ),
            ),
        ):
            if n:
                parts.append(text)
        self.details.setText("; ".join(parts))


def prepare_file_for_hq(session: MissionSession, parent: QWidget | None = None) -> Path | None:
    """Ask where, then write a checked single-file copy of the mission for headquarters."""
    folder = Path(session.settings.last_folder or session.path.parent)
    suggested = folder / f"{session.path.stem}-for-HQ{session.path.suffix}"
    title = QCoreApplication.translate("MergeDialog", "Prepare file for HQ")
    path, _ = QFileDialog.getSaveFileName(
        parent,
        title,
        str(suggested),
        QCoreApplication.translate("MergeDialog", "Pollcheck missions (*.pollcheck)"),
    )
    if not path:
        return None
    try:
        out = send_file(session.path, Path(path), overwrite=True)
    except PollcheckError as exc:
        dialogs.show_error(
            parent, QCoreApplication.translate("MergeDialog", "Cannot prepare the file"), exc
        )
        return None
    dialogs.show_info(
        parent,
        title,
        QCoreApplication.translate(
            "MergeDialog",
            "A copy of the mission, with every saved answer, is written to:\n{0}\n\n"
            "Send this file to headquarters.",
        ).format(out),
    )
    return out
