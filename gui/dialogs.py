"""Dialogs: errors users can act on, the crash report, a report's history, what blocks completion.

:func:`show_error` is the one place a :class:`~db.errors.PollcheckError` becomes a dialog, and
:func:`show_crash` the one place an unexpected exception does. With ``POLLCHECK_NO_ERR_WINDOWS=1``
(tests, smoke runs, scripted runs) neither opens a window: both log and write to stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.device import config_dir
from forms.errors import PollcheckError
from gui.models import local_time, status_text

if TYPE_CHECKING:
    from db.reports import HistoryEntry
    from forms.model import Form
    from forms.validate import AnswerProblem

log = logging.getLogger("pollcheck")


def no_err_windows() -> bool:
    """True when errors must not open windows (``POLLCHECK_NO_ERR_WINDOWS=1``)."""
    return os.environ.get("POLLCHECK_NO_ERR_WINDOWS") == "1"


def log_path() -> Path:
    """The program's log file (one per user, beside the settings)."""
    return config_dir() / "logs" / "pollcheck.log"


def _stderr(text: str) -> None:
    # Windowed builds have no stderr (sys.stderr is None): the log file has it all.
    if sys.stderr is not None:
        print(text, file=sys.stderr, flush=True)


def _present(box: QMessageBox) -> int:
    """Show a message box and wait for the answer (tests replace this)."""
    return int(box.exec())


def interface_language() -> str:
    """The language of the interface (``en``, ``ru``), as :func:`gui.app.install_translators`
    set it: the core's problems and errors are shown in it (``error.text(language)``)."""
    return QLocale().name().split("_")[0]


def show_error(parent: QWidget | None, title: str, error: PollcheckError | str) -> None:
    """Tell the user what went wrong, where, and how to fix it; nothing more is needed of them.

    The dialog speaks the interface's language; the log and stderr keep the English text.
    """
    message = error.message if isinstance(error, PollcheckError) else str(error)
    problems = error.problems if isinstance(error, PollcheckError) else ()
    log.warning("%s: %s", title, message)
    if no_err_windows():
        _stderr(f"error: {title}: {message}")
        for p in problems:
            _stderr(f"  {p}")
        return
    language = interface_language()
    text = error.text(language) if isinstance(error, PollcheckError) else message
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if problems:
        box.setInformativeText(
            QCoreApplication.translate(
                "Errors", "%n problem(s), listed under Show Details.", "", len(problems)
            )
        )
        box.setDetailedText("\n".join(p.text(language) for p in problems))
    _present(box)


# -- the crash dialog -----------------------------------------------------------------------


def crash_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """The text of a crash report: versions, platform and the traceback. Never sent anywhere."""
    import platform  # imported on first use: start-up time
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("pollcheck")
    except PackageNotFoundError:
        ours = "unknown"
    lines = [
        f"Pollcheck {ours}",
        f"Time: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
        f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}",
        f"System: {platform.platform()}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
    ]
    return "\n".join(lines)


def write_log(text: str) -> Path | None:
    """Append ``text`` to the log file; its path, or None if it cannot be written."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text.rstrip() + "\n\n")
        return path
    except OSError:
        return None


class CrashDialog(QDialog):
    """An internal error: a copyable report and the log's path. Nothing is sent anywhere."""

    def __init__(self, report: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pollcheck: internal error"))
        self.quit_requested = False
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Pollcheck hit an internal error. This is a bug in Pollcheck, not your mistake. "
                "Answers saved before it are in the mission file.\n\n"
                "Nothing was sent anywhere. To report it, copy the text below and give it to your "
                "coordinator; it may name stations, so treat it like the mission file."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        where = (
            self.tr("The report was also written to the log file:\n{0}").format(log_file)
            if log_file
            else self.tr("The log file could not be written.")
        )
        self.log_label = QLabel(where)
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.log_label)
        self.text = QPlainTextEdit(report)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox()
        copy = QPushButton(self.tr("Copy report"))
        copy.clicked.connect(self.copy)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        quit_ = buttons.addButton(self.tr("Quit Pollcheck"), QDialogButtonBox.ButtonRole.RejectRole)
        quit_.clicked.connect(self._quit)
        carry_on = buttons.addButton(self.tr("Continue"), QDialogButtonBox.ButtonRole.AcceptRole)
        carry_on.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())

    def _quit(self) -> None:
        self.quit_requested = True
        self.reject()


_crash_open = False


def show_crash(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an unexpected exception and show the crash dialog (or stderr without windows)."""
    global _crash_open
    report = crash_report(exc_type, exc, tb)
    path = write_log(report)
    log.error("internal error, written to %s", path)
    if no_err_windows() or _crash_open:
        _stderr(report)
        return
    _crash_open = True  # an error while the dialog is open is logged, not stacked
    try:
        dialog = CrashDialog(report, path)
        dialog.exec()
    finally:
        _crash_open = False
    if dialog.quit_requested:
        app = QCoreApplication.instance()
        if app is not None:
            app.exit(3)


# -- a report's history ---------------------------------------------------------------------


def answer_display(form: Form, name: str, value: Any, language: str) -> str:
    """An answer as people read it: choice labels, not names; rows of a repeat counted."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return QCoreApplication.translate("History", "%n row(s)", "", len(value))
    try:
        question = form.question(name)
    except KeyError:
        return str(value)
    if question.is_select:
        labels = {c.name: c.label(language) for c in form.choice_list(question)}
        return ", ".join(labels.get(v, v) for v in str(value).split())
    return str(value)


class HistoryDialog(QDialog):
    """Every save of a report: when, by whom, on which device, what changed."""

    def __init__(
        self, form: Form, entries: Sequence[HistoryEntry], language: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History of the report"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("Each save of the report, newest first. Nothing is ever overwritten.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [self.tr("Saved"), self.tr("By"), self.tr("Status"), self.tr("Changed")]
        )
        self.tree.setAlternatingRowColors(True)
        for entry in reversed(entries):
            changed = entry.changes.get("answers", {})
            summary = self.tr("%n answer(s)", "", len(changed)) if changed else ""
            if entry.revision == 1:
                summary = ", ".join(x for x in (self.tr("created"), summary) if x)
            elif "deleted" in entry.changes:
                summary = self.tr("deleted") if entry.deleted else self.tr("restored")
            elif "status" in entry.changes:
                marked = self.tr("marked {0}").format(status_text(entry.status).lower())
                summary = ", ".join(x for x in (summary, marked) if x)
            by = entry.observer or "—"
            item = QTreeWidgetItem(
                [
                    f"{local_time(entry.saved)}  (#{entry.revision})",
                    f"{by} · {entry.device}",
                    status_text(entry.status),
                    summary,
                ]
            )
            for name, (old, new) in sorted(changed.items()):
                label = name
                with contextlib.suppress(KeyError):  # a question of another version of the form
                    label = form.question(name).label(language)
                text = (
                    f"{label}: {answer_display(form, name, old, language)} → "
                    f"{answer_display(form, name, new, language)}"
                )
                child = QTreeWidgetItem([text])
                child.setToolTip(0, text)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            for i in range(item.childCount()):  # spanning works once the item is in the tree
                item.child(i).setFirstColumnSpanned(True)
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(1)
        self.tree.resizeColumnToContents(2)
        if self.tree.topLevelItemCount():
            self.tree.topLevelItem(0).setExpanded(True)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 460)


# -- what keeps a report from being complete ------------------------------------------------


class BlockersDialog(QDialog):
    """The answers that keep a report from being complete; Enter on one goes to it."""

    chosen = Signal(tuple)  # the AnswerPath to go to

    def __init__(
        self, items: Sequence[tuple[AnswerProblem, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Not complete yet"))
        layout = QVBoxLayout(self)
        head = QLabel(
            self.tr(
                "The report is saved as a draft. %n answer(s) keep it from being complete; "
                "choose one to go to it.",
                "",
                len(items),
            )
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        for problem, where in items:
            item = QListWidgetItem(f"{where}\n    {problem.message}")
            item.setData(Qt.ItemDataRole.UserRole, problem.path)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(self._go)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        go = buttons.addButton(self.tr("Go to the answer"), QDialogButtonBox.ButtonRole.AcceptRole)
        go.setDefault(True)
        buttons.addButton(self.tr("Keep as draft"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(lambda: self._go(self.list.currentItem()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 400)

    def _go(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        path = item.data(Qt.ItemDataRole.UserRole)
        self.accept()
        self.chosen.emit(tuple(path))
