"""The open report: its checklist, saved by itself within a second of every change.

There is no save button to forget. Each change starts two timers: a short one that fires once
the observer pauses (``DEBOUNCE_MS``) and a longer one that fires even while they keep typing
(``MAX_WAIT_MS``); leaving a question, changing section, closing the report and closing the
window save at once. Each save is one transaction of :func:`db.reports.save_report` with
``expected_revision``, so it is part of the report's history and never overwrites a change made
elsewhere. Drafts are saved with whatever problems they have.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.errors import KnownError, NotFoundError, PollcheckError
from gui.dialogs import _present, interface_language, no_err_windows, show_error
from gui.models import language_name, station_text, status_text
from gui.session import MissionSession
from gui.style import larger_font

if TYPE_CHECKING:
    from db.reports import Report
    from gui.dialog_windows import BlockersDialog
    from gui.entry import AnswerPath, EntryWidget

log = logging.getLogger("pollcheck")

DEBOUNCE_MS = 400
MAX_WAIT_MS = 800
RETRY_MS = 3000

BANNER_STYLES = {
    "error": "background: #ffebee; color: #b71c1c; border: 1px solid #e57373; padding: 6px;",
    "info": "background: #e3f2fd; color: #0d47a1; border: 1px solid #90caf9; padding: 6px;",
    "done": "background: #e8f5e9; color: #1b5e20; border: 1px solid #81c784; padding: 6px;",
}


class ReportPage(QWidget):
    """Header (what, where, who, saved state), form language, and the checklist."""

    saved = Signal(object)  # Report, after each committed save
    reportClosed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.session: MissionSession | None = None
        self.report: Report | None = None
        self.entry: EntryWidget | None = None
        self._entries: dict[tuple[str, str], EntryWidget] = {}
        self._dirty = False
        self._error_shown: str | None = None
        self.blockers: BlockersDialog | None = None

        self._built = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.save_now)
        self._max_wait = QTimer(self)
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(MAX_WAIT_MS)
        self._max_wait.timeout.connect(self.save_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.save_now)

    def shown(self) -> None:
        """The main window made this page the one on screen: its widgets are made the first
        time (see :meth:`_build`)."""
        if not self._built:
            self._build()

    def _build(self) -> None:
        """The header and the place of the checklist, made when the page is first shown or a
        report first opened: the first screen is the Stations page, and start-up time is saved.
        """
        self._built = True
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.title.setStyleSheet(larger_font(self.title, 1.25, bold=True))
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setStyleSheet("color: palette(placeholder-text);")
        self.state.setAccessibleName(self.tr("Save state"))
        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Form language"))
        self.language.setToolTip(self.tr("The language of the form's questions"))
        self.language.currentIndexChanged.connect(self._on_language)
        self.complete_button = QPushButton(self.tr("Mark complete"))
        self.complete_button.setToolTip(
            self.tr("Check every answer and mark the report complete (Ctrl+Enter)")
        )
        self.complete_button.setAutoDefault(True)
        self.complete_button.clicked.connect(self.mark_complete)
        self.history_button = QPushButton(self.tr("History"))
        self.history_button.setAutoDefault(True)
        self.history_button.clicked.connect(self.show_history)
        self.close_button = QPushButton(self.tr("Close report"))
        self.close_button.setAutoDefault(True)
        self.close_button.clicked.connect(self.close_report)

        # Two rows, each with text that wraps, so that the page fits 911 pixels (1366 at 150 %).
        head = QVBoxLayout()
        head.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.history_button, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.close_button, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.complete_button, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        head.addLayout(top)
        second = QHBoxLayout()
        info = QVBoxLayout()
        info.setSpacing(0)
        info.addWidget(self.subtitle)
        info.addWidget(self.state)
        second.addLayout(info, 1)
        form_language = QLabel(self.tr("Form language:"))
        form_language.setBuddy(self.language)
        second.addWidget(form_language, 0, QtCore.Qt.AlignmentFlag.AlignBottom)
        second.addWidget(self.language, 0, QtCore.Qt.AlignmentFlag.AlignBottom)
        head.addLayout(second)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.banner.hide()
        self.stack = QStackedWidget()
        self.empty = QLabel(self.tr("No report is open. Open one from Reports or Stations."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(head)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self._show_header()

    # -- the session ------------------------------------------------------------------------
    def set_session(self, session: MissionSession | None) -> None:
        """Work on another mission (or none): the open report is saved and closed first."""
        self.close_report()
        for entry in self._entries.values():
            entry.detach()
            self.stack.removeWidget(entry)
            entry.deleteLater()
        self._entries.clear()
        self.session = session
        if session is not None:
            session.reportDeleting.connect(self._on_deleting)

    def _on_deleting(self, uuid: str) -> None:
        if self.report is not None and self.report.uuid == uuid:
            self.close_report()
            self.report = None  # even if its last change could not be saved: it is deleted
            self.entry = None
            self.stack.setCurrentWidget(self.empty)
            self._show_header()

    @property
    def dirty(self) -> bool:
        """True while changes wait to be saved."""
        return self._dirty

    # -- opening and closing ----------------------------------------------------------------
    def open_report(self, uuid: str, section: int | None = None) -> bool:
        """Open report ``uuid`` (the one open now is saved first); False if it cannot be."""
        if self.session is None:
            return False
        if not self._built:
            self._build()
        if self.report is not None and self.report.uuid == uuid:
            if section is not None and self.entry is not None:
                self.entry.set_section(section)
            return True
        if not self.close_report():
            return False
        try:
            report = self.session.report(uuid)
            form = self.session.form(report.form_id, report.form_version)
        except NotFoundError as exc:
            show_error(self, self.tr("Cannot open the report"), exc)
            return False
        if report.deleted:
            return False
        key = (form.form_id, form.version)
        entry = self._entries.get(key)
        if entry is None:
            from gui.entry import EntryWidget  # imported on first use: start-up time

            entry = EntryWidget(form, self.session.settings.language)
            entry.edited.connect(self._on_edited)
            entry.questionLeft.connect(self._flush_soon)
            entry.sectionChanged.connect(self._on_section)
            entry.endReached.connect(self.complete_button.setFocus)
            state = self.session.settings.layout("entry")
            if state is not None:
                entry.splitter.restoreState(state)
            entry.splitter.splitterMoved.connect(lambda _pos, _i, e=entry: self._keep_layout(e))
            self._entries[key] = entry
            self.stack.addWidget(entry)
        self.report = report
        self.entry = entry
        self.language.blockSignals(True)
        self.language.clear()
        for lang in form.languages:
            self.language.addItem(language_name(lang.code, lang.name), lang.code)
        self.language.setCurrentIndex(max(0, self.language.findData(entry.language)))
        self.language.blockSignals(False)
        entry.load(report.answers, section=section or 0)
        entry.set_editable(not self.session.readonly)
        self.stack.setCurrentWidget(entry)
        self._hide_banner()
        if self.session.readonly:
            self._banner(
                "info", self.tr("The mission file is open read-only: nothing can be changed.")
            )
        self._remember()
        self._show_header()
        return True

    def close_report(self, *, forget: bool = True) -> bool:
        """Save and close the open report; False (and it stays open) if it cannot be saved.

        With ``forget=False`` (closing the window or the mission) the report stays remembered
        as the open one, and the next start reopens it.
        """
        if self.report is None:
            return True
        if not self.save_now():
            return False
        if self.session is not None and forget:
            self.session.settings.clear_open_report(self.session.path)
        self.report = None
        self.entry = None
        self.stack.setCurrentWidget(self.empty)
        self._hide_banner()
        self._show_header()
        self.reportClosed.emit()
        return True

    def _keep_layout(self, entry: EntryWidget) -> None:
        if self.session is not None:
            self.session.settings.set_layout("entry", entry.splitter.saveState())

    def _remember(self) -> None:
        if self.session is not None and self.report is not None and self.entry is not None:
            self.session.settings.set_open_report(
                self.session.path, self.report.uuid, self.entry.current_section()
            )

    # -- saving -----------------------------------------------------------------------------
    def _on_edited(self, _path: AnswerPath) -> None:
        if self.session is None or self.session.readonly:
            return
        self._dirty = True
        self._debounce.start()
        if not self._max_wait.isActive():
            self._max_wait.start()
        self.state.setText(self.tr("Saving…"))

    def _flush_soon(self) -> None:
        # Leaving a question saves at once; from the focus signal, so after Qt is done with it.
        if self._dirty:
            QTimer.singleShot(0, self, self.save_now)

    def _on_section(self, _index: int) -> None:
        self._remember()
        if self._dirty:
            QTimer.singleShot(0, self, self.save_now)

    def save_now(self) -> bool:
        """Save pending changes now; True when nothing is left unsaved."""
        if not self._dirty:
            return True
        return self._save(None)

    def _save(self, status: str | None) -> bool:
        assert self.session is not None and self.report is not None and self.entry is not None
        self._debounce.stop()
        self._max_wait.stop()
        if status is None and self.report.status == "complete" and self.entry.problems():
            status = "draft"  # a change made the complete report incomplete: keep it, as a draft
        from db.reports import ReportInvalid  # loaded already: the session saves with it

        try:
            saved = self.session.save(
                self.report.uuid,
                self.entry.answers(),
                expected_revision=self.report.revision,
                status=status,
            )
        except ReportInvalid as exc:
            show_error(self, self.tr("Cannot mark the report complete"), exc)
            return False
        except KnownError as exc:
            return self._save_failed(exc)
        except PollcheckError as exc:  # e.g. the report was deleted elsewhere
            show_error(self, self.tr("The answers could not be saved"), exc)
            return False
        was_complete = self.report.status == "complete"
        self.report = saved.report
        self._dirty = False
        self._retry.stop()
        if self._error_shown is not None:
            self._error_shown = None
            self._hide_banner()
        if was_complete and saved.report.status == "draft":
            self._banner(
                "info",
                self.tr(
                    "This report is a draft again: an answer now keeps it from being complete."
                ),
            )
        self._show_header()
        self.saved.emit(saved.report)
        return True

    def _save_failed(self, exc: KnownError) -> bool:
        assert self.session is not None and self.report is not None
        try:
            current = self.session.report(self.report.uuid)
        except PollcheckError:
            current = None
        if current is not None and current.revision != self.report.revision:
            return self._conflict(current)
        # The environment's fault (locked, read-only, disk full): keep the answers, say so,
        # and try again in a while.
        self._banner(
            "error",
            self.tr(
                "Not saved: {0} Your answers are kept in this window; Pollcheck tries again "
                "every few seconds."
            ).format(exc.text(interface_language())),
        )
        self.state.setText(self.tr("Not saved"))
        if self._error_shown != exc.message:
            self._error_shown = exc.message
            show_error(self, self.tr("The answers could not be saved"), exc)
        self._retry.start()
        return False

    def _conflict(self, current: Report) -> bool:
        """The report was changed elsewhere since it was opened."""
        assert self.session is not None and self.entry is not None
        from PySide6.QtWidgets import QMessageBox  # on first use: start-up time

        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("The report was changed elsewhere"),
            self.tr(
                "Someone changed this report elsewhere (another window or program) while you "
                "edited it. Keep your answers and save them over that change (the history keeps "
                "both), or show the other version?"
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        keep = box.addButton(self.tr("Keep mine"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Show theirs"), QMessageBox.ButtonRole.RejectRole)
        if not no_err_windows():  # without windows, keeping the observer's answers is safe
            _present(box)
        self.report = current
        if no_err_windows() or box.clickedButton() is keep:
            return self._save(None)
        self._dirty = False
        self.entry.load(current.answers, section=self.entry.current_section())
        self._show_header()
        return True

    # -- completing -------------------------------------------------------------------------
    def mark_complete(self) -> bool:
        """Check every answer; complete the report, or list what blocks it (saved as draft)."""
        if self.report is None or self.entry is None or self.session is None:
            return False
        if self.session.readonly:
            return False
        self.entry.show_all_messages()
        problems = self.entry.problems()
        if problems:
            self.save_now()
            items = [
                (
                    p,
                    f"{self.entry.section_title(self.entry.problem_section(p))} › "
                    f"{self.entry.question_label(p.path)}",
                )
                for p in problems
            ]
            from gui.dialog_windows import BlockersDialog

            self.blockers = BlockersDialog(items, self)
            self.blockers.chosen.connect(self.go_to)
            self.blockers.open()
            return False
        self._dirty = True  # even with no change since the last save: the status changes
        if not self._save("complete"):
            return False
        self._banner(
            "done", self.tr("The report is complete. Changes are still saved as you make them.")
        )
        return True

    def go_to(self, path: AnswerPath) -> None:
        if self.entry is not None:
            self.entry.focus_path(path)

    # -- sections, history, language --------------------------------------------------------
    def step_section(self, step: int) -> None:
        if self.entry is not None:
            self.entry.step_section(step)

    def show_history(self) -> None:
        if self.report is None or self.session is None or self.entry is None:
            return
        self.save_now()
        from db.reports import report_history

        entries = report_history(self.session.mission, self.report.uuid)
        from gui.dialog_windows import HistoryDialog

        dialog = HistoryDialog(self.entry.form, entries, self.entry.language, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_language(self, index: int) -> None:
        if self.entry is not None and index >= 0:
            self.entry.set_language(str(self.language.itemData(index)))
            self._show_header()

    # -- header and banner ------------------------------------------------------------------
    def _show_header(self) -> None:
        has = self.report is not None and self.entry is not None
        for w in (self.complete_button, self.history_button, self.close_button, self.language):
            w.setEnabled(has)
        if not has or self.session is None:
            self.title.setText(self.tr("No report open"))
            self.subtitle.setText("")
            self.state.setText("")
            return
        assert self.report is not None and self.entry is not None
        r = self.report
        station = self.session.station(r.station_code)
        where = station_text(station, r.station_code) if r.station_code else (r.region or "")
        if station is not None and station.region:
            where += f" ({station.region})"
        form_title = self.entry.form.title_in(self.entry.language)
        self.title.setText(f"{form_title} — {where}" if where else form_title)
        self.subtitle.setText(
            self.tr("Observer: {0} · Status: {1} · Revision {2}").format(
                r.observer or "—", status_text(r.status), r.revision
            )
        )
        if self._dirty:
            self.state.setText(self.tr("Saving…"))
        else:
            self.state.setText(
                self.tr("All changes saved ({0})").format(QTime.currentTime().toString("HH:mm:ss"))
            )
        self.complete_button.setEnabled(not self.session.readonly)

    def _banner(self, kind: str, text: str) -> None:
        self.banner.setStyleSheet(BANNER_STYLES[kind])
        self.banner.setText(text)
        self.banner.show()

    def _hide_banner(self) -> None:
        self.banner.hide()
        self.banner.clear()
