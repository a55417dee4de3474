"""The figures a mission publishes, on screen: tabulation, findings, coverage and quality checks.

Every figure comes from ``db.tabulate`` and ``db.checks``; this page only shows them. Clicking a
figure lists the reports behind it; opening one of them asks the window to open the report.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.checks import CheckReport, run_checks
from db.tabulate import Filters, Tabulation, Tally, tabulate
from gui.dialogs import interface_language
from gui.models import language_name

_Index = QModelIndex | QPersistentModelIndex
FIGURE_ROLE = Qt.ItemDataRole.UserRole + 1  # (question, value or None for the finding, group)
PERCENT_ROLE = Qt.ItemDataRole.UserRole + 2
CODE_ROLE = Qt.ItemDataRole.UserRole + 3  # the station code of a report behind a figure
COVERAGE_SHOWN = 12  # stations not visited named in a row; the tooltip has them all


class TabulationModel(QAbstractTableModel):
    """One row per answer of each question (and one per finding); columns are figures.

    With a pivot, one column of reports (and percent) per region or district follows.
    """

    def __init__(self) -> None:
        super().__init__()
        self.tab: Tabulation | None = None
        self.rows: list[tuple[str, str, str | None, Tally | None, int]] = []
        self.groups: list[str] = []

    def headers(self) -> list[str]:
        fixed = [
            self.tr("Question"),
            self.tr("Answer"),
            self.tr("Reports"),
            self.tr("Stations"),
            self.tr("% of answering"),
            self.tr("95% interval"),
        ]
        return fixed + self.groups

    def set_tabulation(self, tab: Tabulation | None) -> None:
        self.beginResetModel()
        self.tab = tab
        self.rows = []
        groups: set[str] = set()
        if tab is not None:
            for q in tab.questions:
                for a in q.answers:
                    self.rows.append(
                        (q.name, f"{q.label}\t{a.label}", a.value, a.tally, q.answered)
                    )
                    groups.update(g.group for g in a.tally.groups)
                if q.finding is not None:
                    rule = self.tr("Finding: {0}").format(q.finding_rule)
                    self.rows.append((q.name, f"{q.label}\t{rule}", None, q.finding, q.answered))
                    groups.update(g.group for g in q.finding.groups)
        self.groups = sorted(groups)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else 6 + len(self.groups)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name, text, value, tally, answered = self.rows[index.row()]
        question, answer = text.split("\t", 1)
        col = index.column()
        assert tally is not None
        if role == FIGURE_ROLE:
            group = self.groups[col - 6] if col >= 6 else None
            return (name, value, group)
        if role == PERCENT_ROLE and col == 4:
            return tally.percent
        if role == Qt.ItemDataRole.ForegroundRole and value is None and col == 1:
            return QColor("#b00020")
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return f"{name} — {self.tr('{0} reports answering').format(answered)}"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == 0:  # the question once, on the first row of its answers
            first = index.row() == 0 or self.rows[index.row() - 1][0] != name
            return question if first else ""
        if col == 1:
            return answer
        if col == 2:
            return tally.reports
        if col == 3:
            return tally.stations
        if col == 4:
            return f"{tally.percent:.1f}%"
        if col == 5:
            if tally.ci95 is None:
                return "—"
            return f"{tally.ci95[0]:.1f}–{tally.ci95[1]:.1f}%"
        group = self.groups[col - 6]
        found = next((g for g in tally.groups if g.group == group), None)
        return found.reports if found else 0


class BarDelegate(QStyledItemDelegate):
    """Draws the percentage as a bar behind its text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        percent = index.data(PERCENT_ROLE)
        if isinstance(percent, int | float):
            rect: QRect = option.rect.adjusted(2, 4, -2, -4)  # type: ignore[attr-defined]
            width = int(rect.width() * max(0.0, min(100.0, percent)) / 100)
            painter.save()
            painter.fillRect(
                QRect(rect.left(), rect.top(), width, rect.height()), QColor(70, 130, 180, 90)
            )
            painter.restore()
        super().paint(painter, option, index)


class TabulationPage(QWidget):
    """Pick a form and filters; see the table, the findings, the coverage and the checks."""

    reportRequested = Signal(str)  # uuid of a report to open
    exportRequested = Signal(dict)  # the export dialog's choices: these stations as PDF

    def __init__(self) -> None:
        super().__init__()
        self.session: Any = None
        self.tab: Tabulation | None = None
        self.checks: CheckReport | None = None
        self.form = QComboBox()
        self.by = QComboBox()
        self.by.addItem(self.tr("By region"), "region")
        self.by.addItem(self.tr("By district"), "district")
        self.region = QComboBox()
        self.drafts = QCheckBox(self.tr("Include drafts"))
        self.language = QComboBox()
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        controls = QHBoxLayout()
        for label, widget in (
            (self.tr("Form"), self.form),
            (None, self.by),
            (self.tr("Region"), self.region),
            (self.tr("Language"), self.language),
        ):
            if label:
                controls.addWidget(QLabel(label))
            # The form's title may be long and gives way; the other choices show in full.
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                if widget is self.form
                else QComboBox.SizeAdjustPolicy.AdjustToContents
            )
            controls.addWidget(widget, 1 if widget is self.form else 0)
        self.form.setMinimumContentsLength(20)
        controls.addWidget(self.drafts)
        controls.addWidget(refresh)
        export = QPushButton(self.tr("Export these stations as PDF"))
        export.setToolTip(
            self.tr("The stations behind the figure clicked, else those of the region chosen")
        )
        export.clicked.connect(self.request_export)
        controls.addWidget(export)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        self.model = TabulationModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(4, BarDelegate(self.table))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.clicked.connect(self._figure_clicked)
        self.behind = QListWidget()
        self.behind.itemActivated.connect(self._open_behind)
        self.behind_title = QLabel(self.tr("Click a figure to see the reports behind it."))
        self.behind_title.setWordWrap(True)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.behind_title)
        side_layout.addWidget(self.behind)
        figures = QSplitter()
        figures.addWidget(self.table)
        figures.addWidget(side)
        figures.setStretchFactor(0, 4)
        figures.setStretchFactor(1, 1)

        self.findings = QPlainTextEdit()
        self.findings.setReadOnly(True)
        copy = QPushButton(self.tr("Copy findings as text"))
        copy.clicked.connect(self.copy_findings)
        findings_page = QWidget()
        fl = QVBoxLayout(findings_page)
        fl.addWidget(self.findings)
        fl.addWidget(copy, 0, Qt.AlignmentFlag.AlignRight)

        self.coverage = QTableView()
        self.coverage.verticalHeader().setVisible(False)
        self.check_list = QListWidget()
        self.check_list.itemActivated.connect(self._open_behind)

        self.tabs = QTabWidget()
        self.tabs.addTab(figures, self.tr("Tabulation"))
        self.tabs.addTab(findings_page, self.tr("Findings"))
        self.tabs.addTab(self.coverage, self.tr("Coverage"))
        self.tabs.addTab(self.check_list, self.tr("Quality checks"))
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        for combo in (self.form, self.by, self.region, self.language):
            combo.activated.connect(self.refresh)
        self.drafts.toggled.connect(self.refresh)

    # -- the mission ------------------------------------------------------------------------
    def set_session(self, session: Any) -> None:
        """Show figures of ``session``'s mission (None: nothing open)."""
        self.session = session
        self.form.clear()
        self.region.clear()
        if session is None:
            self.model.set_tabulation(None)
            return
        interface = getattr(getattr(session, "settings", None), "language", None)
        for record in session.forms():
            title = session.form(record.form_id).title_in(interface)
            self.form.addItem(f"{title} ({record.form_id})", record.form_id)
        self.region.addItem(self.tr("All regions"), None)
        for region, count in session.regions():
            self.region.addItem(f"{region} ({count})", region)
        self._fill_languages()
        self.refresh()

    def _fill_languages(self) -> None:
        self.language.clear()
        form_id = self.form.currentData()
        if form_id is None or self.session is None:
            return
        form = self.session.form(form_id)
        for lang in form.languages:
            self.language.addItem(language_name(lang.code, lang.name), lang.code)
        # The form's labels in the interface's language, when the form has it.
        settings = getattr(self.session, "settings", None)
        wanted = self.language.findData(getattr(settings, "language", None))
        if wanted >= 0:
            self.language.setCurrentIndex(wanted)

    def refresh(self) -> None:
        if self.session is None or self.form.currentData() is None:
            return
        form_id = self.form.currentData()
        if self.language.count() == 0 or self.language.property("form") != form_id:
            self._fill_languages()
            self.language.setProperty("form", form_id)
        filters = Filters(region=self.region.currentData(), include_drafts=self.drafts.isChecked())
        mission = self.session.mission
        self.tab = tabulate(
            mission,
            form_id,
            by=self.by.currentData(),
            filters=filters,
            language=self.language.currentData(),
        )
        self.checks = run_checks(mission, form_id=form_id, language=self.language.currentData())
        self.model.set_tabulation(self.tab)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 360))
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 260))
        sample = (
            self.tr("intervals for a {0} random sample").format(self.tab.sample)
            if self.tab.sample
            else self.tr("no sample declared: no intervals")
        )
        self.summary.setText(
            self.tr("{0}: {1} reports from {2} stations; {3}.").format(
                self.tab.title, self.tab.reports, self.tab.stations, sample
            )
        )
        self.findings.setPlainText(findings_text(self.tab, self))
        self._fill_coverage()
        self._fill_checks()

    # -- figures and what is behind them ----------------------------------------------------
    def _figure_clicked(self, index: QModelIndex) -> None:
        if self.tab is None:
            return
        question, value, group = index.data(FIGURE_ROLE)
        self.behind.clear()
        reports = self.tab.behind(question, value, group=group)
        what = value if value is not None else self.tr("its finding")
        where = group or self.tr("all regions")
        self.behind_title.setText(
            self.tr("{0} reports behind {1} = {2} ({3}):").format(
                len(reports), question, what, where
            )
        )
        for uuid, code in reports:
            item = QListWidgetItem(f"{code or '—'}   {uuid[:8]}")
            item.setData(Qt.ItemDataRole.UserRole, uuid)
            item.setData(CODE_ROLE, code)
            self.behind.addItem(item)

    def export_options(self) -> dict[str, Any]:
        """The export of the stations behind the figure listed (else of the region chosen)."""
        codes: list[str] = []
        for i in range(self.behind.count()):
            code = self.behind.item(i).data(CODE_ROLE)
            if code and code not in codes:
                codes.append(code)
        return {
            "fmt": "pdf-stations",
            "form_id": self.form.currentData(),
            "stations": codes,
            "region": None if codes else self.region.currentData(),
            "include_drafts": self.drafts.isChecked(),
            "language": self.language.currentData(),
        }

    def request_export(self) -> None:
        if self.session is not None and self.form.currentData() is not None:
            self.exportRequested.emit(self.export_options())

    def _open_behind(self, item: QListWidgetItem) -> None:
        uuid = item.data(Qt.ItemDataRole.UserRole)
        if uuid:
            self.reportRequested.emit(uuid)

    def copy_findings(self) -> None:
        QGuiApplication.clipboard().setText(self.findings.toPlainText())

    def _fill_coverage(self) -> None:
        from PySide6.QtGui import QStandardItem, QStandardItemModel

        model = QStandardItemModel(0, 6, self.coverage)
        model.setHorizontalHeaderLabels(
            [
                self.tr("Region"),
                self.tr("Stations"),
                self.tr("Visited"),
                self.tr("Reports"),
                self.tr("Drafts"),
                self.tr("Not visited"),
            ]
        )
        for c in self.checks.coverage if self.checks else ():
            missing = ", ".join(c.not_visited[:COVERAGE_SHOWN])
            if len(c.not_visited) > COVERAGE_SHOWN:
                missing += " " + self.tr("and %n more", "", len(c.not_visited) - COVERAGE_SHOWN)
            row = [QStandardItem(c.region)] + [
                QStandardItem(str(n)) for n in (c.stations, c.visited, c.reports, c.drafts)
            ]
            row.append(QStandardItem(missing))
            row[-1].setToolTip(", ".join(c.not_visited))  # every one of them
            for cell in row:
                cell.setEditable(False)
            model.appendRow(row)
        self.coverage.setModel(model)
        self.coverage.resizeColumnsToContents()

    def _fill_checks(self) -> None:
        self.check_list.clear()
        language = interface_language()  # as the rest of the page's words
        for check in self.checks.checks if self.checks else ():
            head = QListWidgetItem(f"{check.title_in(language)}: {check.count}")
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            self.check_list.addItem(head)
            for finding in check.findings:
                for uuid in finding.report_ids:
                    item = QListWidgetItem(
                        f"    {finding.station_code or '—'}  {uuid[:8]}  "
                        + finding.detail_in(language)
                    )
                    item.setData(Qt.ItemDataRole.UserRole, uuid)
                    item.setToolTip(self.tr("Open the report (Enter or double-click)"))
                    self.check_list.addItem(item)


def findings_text(tab: Tabulation, owner: QWidget | None = None) -> str:
    """The findings as a mission pastes them into its statement, most stations first."""

    lines = [
        QCoreApplication.translate("TabulationPage", "{0}: {1} reports from {2} stations.").format(
            tab.title, tab.reports, tab.stations
        ),
        "",
    ]
    for q in tab.findings():
        f = q.finding
        assert f is not None
        interval = ""
        if f.ci95:
            words = QCoreApplication.translate("TabulationPage", "95% interval")
            interval = f" ({words} {f.ci95[0]:.1f}–{f.ci95[1]:.1f}%)"
        line = QCoreApplication.translate(
            "TabulationPage", "{0} — {1} of {2} stations answering, {3} reports ({4:.1f}%){5}."
        )
        lines.append(
            line.format(q.label, f.stations, q.answered_stations, f.reports, f.percent, interval)
        )
        for g in f.groups:
            lines.append(f"  {g.group}: " + ", ".join(f"#{n}" for n in g.station_numbers))
        lines.append("")
    if len(lines) == 2:
        lines.append(QCoreApplication.translate("TabulationPage", "No finding in these reports."))
    return "\n".join(lines)
