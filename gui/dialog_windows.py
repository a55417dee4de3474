"""Dialogs that are windows of their own: the crash report, a report's history, what blocks
completion.

Imported when one of them is opened, not at start-up: their widgets' classes cost PySide6 time to
make (each class's enums are built when the class is first named).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.models import local_time, status_text

if TYPE_CHECKING:
    from db.reports import HistoryEntry
    from forms.model import Form
    from forms.validate import AnswerProblem

__all__ = ["BlockersDialog", "CrashDialog", "HistoryDialog", "answer_display"]


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


# -- a report's history ---------------------------------------------------------------------


class History(QObject):
    """Plural phrases of the "History" context of the translations.

    A phrase with plural forms is written ``self.tr(text, "", n)`` in a class named after its
    context: pyside6-lupdate before 6.12 reads plural forms from no other call
    (``QCoreApplication.translate(context, text, "", n)`` came out as a phrase without them).
    """

    def rows(self, count: int) -> str:
        return self.tr("%n row(s)", "", count)


class Errors(QObject):
    """Plural phrases of the "Errors" context of the translations (see :class:`History`)."""

    def problems(self, count: int) -> str:
        return self.tr("%n problem(s), listed under Show Details.", "", count)


def answer_display(form: Form, name: str, value: Any, language: str) -> str:
    """An answer as people read it: choice labels, not names; rows of a repeat counted."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return History().rows(len(value))
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
