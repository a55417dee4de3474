"""The checklist entry: a form rendered from its definition, with skip logic, messages and findings.

Built once per form version from :class:`forms.model.Form` (sections are built the first time
they are shown) and reused for every report of that form. Every change runs
:func:`forms.validate.validate`, and its result alone decides which questions are shown, which
messages appear beside them and which answers are marked as findings: this module holds no form
logic. It keeps the answers; saving them is :mod:`gui.report_page`'s job.

Keyboard: Tab and Shift+Tab go from question to question; Enter moves to the next question (and
on to the next section); 1–9 pick choices (see :class:`gui.fields.ChoiceField`).
"""

from __future__ import annotations

import contextlib
import copy
import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from forms.model import Form, Group, Question
from forms.validate import AnswerProblem, Validation, validate
from gui.fields import ChoiceField, Field, make_field
from gui.style import LIST_STYLE

AnswerPath = tuple[str | int, ...]

REQUIRED_COLOUR = "#b71c1c"
MESSAGE_STYLE = "color: #b71c1c;"
FINDING_STYLE = (
    "background: #fff3e0; color: #8d3a00; border: 1px solid #e65100; border-radius: 3px;"
    " padding: 0 4px;"
)


def is_hidden(path: AnswerPath, hidden: frozenset[AnswerPath]) -> bool:
    """Whether ``path`` or any group or repeat enclosing it is not relevant now."""
    return any(isinstance(path[k - 1], str) and path[:k] in hidden for k in range(1, len(path) + 1))


def _get(answers: Mapping[str, Any], path: AnswerPath) -> Any:
    node: Any = answers
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return None
            node = node[part]
        else:
            if not isinstance(node, Mapping):
                return None
            node = node.get(part)
    return node


def _put(answers: dict[str, Any], path: AnswerPath, value: Any) -> None:
    node: Any = answers
    for part in path[:-1]:
        node = node[part]
    key = path[-1]
    if value is None:
        node.pop(key, None)
    else:
        node[key] = value


class QuestionRow(QWidget):
    """A question: its label (with a required mark), hint, field, message and finding mark."""

    def __init__(self, question: Question, form: Form, path: AnswerPath) -> None:
        super().__init__()
        self.question = question
        self.path = path
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.badge = QLabel()
        self.badge.setStyleSheet(FINDING_STYLE)
        self.badge.hide()
        top.addWidget(self.title, 1)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.hint)
        self.field: Field | None = make_field(question, form)
        if self.field is not None:
            layout.addWidget(self.field)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet(MESSAGE_STYLE)
        self.message.hide()
        layout.addWidget(self.message)
        self._state: tuple[str, bool] = ("", False)

    def set_language(self, form: Form, language: str) -> None:
        label = html.escape(self.question.label(language))
        if self.question.required is not None and self.question.takes_answer:
            label += f' <span style="color:{REQUIRED_COLOUR}">*</span>'
        self.title.setText(label)
        hint = self.question.hint(language)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.badge.setText(QCoreApplication.translate("Entry", "⚑ Finding"))
        self.badge.setToolTip(
            QCoreApplication.translate(
                "Entry", "This answer is a finding: the mission reports it as a problem."
            )
        )
        if self.field is not None:
            self.field.set_language(form, language)
            for target in self.field.focus_targets():
                target.setAccessibleName(self.question.label(language))

    def show_state(self, message: str, finding: bool) -> None:
        if (message, finding) == self._state:
            return
        self._state = (message, finding)
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.badge.setVisible(finding)


class GroupBox(QWidget):
    """A group inside a section: a heading over its questions, indented."""

    def __init__(self, group: Group, path: AnswerPath) -> None:
        super().__init__()
        self.group = group
        self.path = path
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-size: 11pt; font-weight: bold; padding: 4px 0;")
        layout.addWidget(self.heading)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(12, 0, 0, 0)
        self.body.setSpacing(0)
        layout.addLayout(self.body)
        self.children_: list[QWidget] = []

    def set_language(self, language: str) -> None:
        self.heading.setText(self.group.label(language))


class RepeatRow(QFrame):
    """One row of a repeat: its number, its questions and a Remove button."""

    def __init__(self, group: Group, index: int) -> None:
        super().__init__()
        self.group = group
        self.index = index
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        head = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.remove = QPushButton()
        self.remove.setAutoDefault(True)
        head.addWidget(self.heading, 1)
        head.addWidget(self.remove)
        layout.addLayout(head)
        self.body = QVBoxLayout()
        self.body.setSpacing(0)
        layout.addLayout(self.body)
        self.children_: list[QWidget] = []

    def set_language(self, language: str) -> None:
        label = self.group.label(language)
        self.heading.setText(f"{label} {self.index + 1}")
        self.remove.setText(
            QCoreApplication.translate("Entry", "Remove {0} {1}").format(
                label.lower(), self.index + 1
            )
        )


class RepeatBlock(QWidget):
    """A repeat: its rows and a button that adds one."""

    def __init__(self, group: Group, path: AnswerPath) -> None:
        super().__init__()
        self.group = group
        self.path = path
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(6)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 11pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(6)
        layout.addLayout(self.rows_layout)
        self.add = QPushButton()
        self.add.setAutoDefault(True)
        layout.addWidget(self.add, 0, Qt.AlignmentFlag.AlignLeft)
        self.rows: list[RepeatRow] = []

    def set_language(self, language: str) -> None:
        label = self.group.label(language)
        self.heading.setText(label)
        self.add.setText(QCoreApplication.translate("Entry", "Add {0}").format(label.lower()))
        for row in self.rows:
            row.set_language(language)


@dataclass
class _Section:
    """A page of the entry: a top-level group, or top-level questions outside any group."""

    items: tuple[Question | Group, ...]
    group: Group | None
    page: QScrollArea
    body: QWidget | None = None
    children: list[QWidget] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # top-level names it holds


class EntryWidget(QWidget):
    """Enter one report's answers for ``form``; see the module docstring."""

    edited = Signal(tuple)  # AnswerPath: the observer changed this answer (or repeat)
    questionLeft = Signal()  # focus moved from one question to another
    sectionChanged = Signal(int)
    endReached = Signal()  # Enter on the form's last question

    def __init__(self, form: Form, language: str | None = None) -> None:
        super().__init__()
        self.form = form
        self.language = language if language in form.language_codes() else form.default_language
        self._answers: dict[str, Any] = {}
        self._rows: dict[AnswerPath, QuestionRow] = {}
        self._boxes: dict[AnswerPath, GroupBox | RepeatBlock] = {}
        self._touched: set[AnswerPath] = set()
        self._show_all = False
        self._editable = True
        self.validation: Validation = validate(form, {}, language=self.language)

        self.sections_list = QListWidget()
        self.sections_list.setWordWrap(True)
        self.sections_list.setMinimumWidth(120)
        self.sections_list.setStyleSheet(LIST_STYLE)
        # Long section titles wrap instead of scrolling sideways.
        self.sections_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.sections_list.setAccessibleName(self.tr("Sections"))
        self.stack = QStackedWidget()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sections_list)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([190, 800])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.sections: list[_Section] = []
        for items, group in self._split_sections(form.children):
            page = QScrollArea()
            page.setWidgetResizable(True)
            page.setFrameShape(QFrame.Shape.NoFrame)
            page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            section = _Section(items, group, page)
            for item in items:
                section.names |= self._top_names(item)
            self.sections.append(section)
            self.stack.addWidget(page)
            self.sections_list.addItem(QListWidgetItem())
        self._section_of = {n: i for i, s in enumerate(self.sections) for n in s.names}
        self.sections_list.currentRowChanged.connect(self._on_section_row)
        self._retitle_sections()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus_changed)

    # -- structure --------------------------------------------------------------------------
    @staticmethod
    def _split_sections(
        children: tuple[Question | Group, ...],
    ) -> Iterator[tuple[tuple[Question | Group, ...], Group | None]]:
        loose: list[Question | Group] = []
        for item in children:
            if isinstance(item, Group):
                if loose:
                    yield tuple(loose), None
                    loose = []
                yield (item,) if item.repeat else item.children, item
            else:
                loose.append(item)
        if loose:
            yield tuple(loose), None

    @staticmethod
    def _top_names(item: Question | Group) -> set[str]:
        names = {item.name}
        if isinstance(item, Group) and not item.repeat:
            for child in item.children:
                names |= EntryWidget._top_names(child)
        return names

    def section_title(self, index: int) -> str:
        group = self.sections[index].group
        if group is None:
            return self.form.title_in(self.language)
        return group.label(self.language)

    def _section_path(self, index: int) -> AnswerPath | None:
        group = self.sections[index].group
        return (group.name,) if group is not None and not group.repeat else None

    def section_hidden(self, index: int) -> bool:
        path = self._section_path(index)
        return path is not None and path in self.validation.hidden

    def _ensure_built(self, index: int) -> None:
        section = self.sections[index]
        if section.body is not None:
            return
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 8, 16, 16)
        layout.setSpacing(0)
        heading = QLabel(self.section_title(index))
        heading.setObjectName("sectionHeading")
        heading.setWordWrap(True)
        heading.setStyleSheet("font-size: 13pt; font-weight: bold; padding-bottom: 6px;")
        layout.addWidget(heading)
        section.children = self._build(section.items, layout, ())
        layout.addStretch(1)
        section.body = body
        section.page.setWidget(body)
        self._apply(self.validation)

    def _build(
        self, items: tuple[Question | Group, ...], layout: QVBoxLayout, prefix: AnswerPath
    ) -> list[QWidget]:
        made: list[QWidget] = []
        for item in items:
            path = (*prefix, item.name)
            if isinstance(item, Group) and item.repeat:
                block = RepeatBlock(item, path)
                block.add.clicked.connect(lambda _=False, b=block: self.add_row(b.path))
                self._boxes[path] = block
                self._fill_repeat(block)
                block.set_language(self.language)
                layout.addWidget(block)
                made.append(block)
            elif isinstance(item, Group):
                box = GroupBox(item, path)
                box.set_language(self.language)
                box.children_ = self._build(item.children, box.body, prefix)
                self._boxes[path] = box
                layout.addWidget(box)
                made.append(box)
            else:
                if item.type == "calculate" and not item.labels:
                    continue  # a calculation the form does not show
                row = QuestionRow(item, self.form, path)
                row.set_language(self.form, self.language)
                if row.field is not None:
                    row.field.set_value(_get(self._answers, path))
                    row.field.set_editable(self._editable and not item.read_only)
                    row.field.edited.connect(lambda r=row: self._on_edited(r))
                self._rows[path] = row
                layout.addWidget(row)
                made.append(row)
        return made

    def _fill_repeat(self, block: RepeatBlock) -> None:
        """(Re)build a repeat's rows from the answers."""
        for old in block.rows:
            self._forget(old)
            old.setParent(None)
            old.deleteLater()
        block.rows = []
        rows = _get(self._answers, block.path)
        for i in range(len(rows) if isinstance(rows, list) else 0):
            row = RepeatRow(block.group, i)
            row.remove.clicked.connect(lambda _=False, p=(*block.path, i): self.remove_row(p))
            row.children_ = self._build(block.group.children, row.body, (*block.path, i))
            row.set_language(self.language)
            block.rows_layout.addWidget(row)
            block.rows.append(row)

    def _forget(self, widget: QWidget) -> None:
        """Drop the rows and boxes under ``widget`` from the registries."""
        for child in widget.findChildren(QWidget):
            if isinstance(child, QuestionRow):
                self._rows.pop(child.path, None)
            elif isinstance(child, GroupBox | RepeatBlock):
                self._boxes.pop(child.path, None)

    # -- answers ----------------------------------------------------------------------------
    def load(self, answers: Mapping[str, Any], *, section: int = 0) -> None:
        """Show a report's ``answers`` (as stored) from a clean state, at ``section``."""
        self._answers = copy.deepcopy(dict(answers))
        self._touched = set()
        self._show_all = False
        for block in list(self._boxes.values()):
            if isinstance(block, RepeatBlock) and block.path in self._boxes:
                self._fill_repeat(block)
                block.set_language(self.language)
        for path, row in self._rows.items():
            if row.field is not None:
                row.field.set_value(_get(self._answers, path))
        self.refresh()
        self.set_section(section if 0 <= section < len(self.sections) else 0)

    def answers(self) -> dict[str, Any]:
        """The answers as the observer left them (not-relevant ones too: the core drops those)."""
        return copy.deepcopy(self._answers)

    def set_answer(self, path: AnswerPath, value: Any) -> None:
        """Enter ``value`` for the question at ``path`` as if the observer had (scripts, tests)."""
        index = self._section_of.get(str(path[0]), 0)
        self._ensure_built(index)
        row = self._rows[path]
        assert row.field is not None
        row.field.set_value(value)
        self._on_edited(row)

    def _on_edited(self, row: QuestionRow) -> None:
        assert row.field is not None
        _put(self._answers, row.path, row.field.value())
        self._touched.add(row.path)
        self.refresh()
        self.edited.emit(row.path)

    def add_row(self, path: AnswerPath) -> None:
        """Add a row to the repeat at ``path`` and put the cursor in it."""
        block = self._boxes[path]
        assert isinstance(block, RepeatBlock)
        rows = _get(self._answers, path)
        if not isinstance(rows, list):
            rows = []
            _put(self._answers, path, rows)
        rows.append({})
        self._fill_repeat(block)
        block.set_language(self.language)
        self.refresh()
        self.edited.emit(path)
        targets = self._targets_in(block.rows[-1].children_)
        if targets:
            self._focus(targets[0])

    def remove_row(self, path: AnswerPath, *, confirm: bool = True) -> None:
        """Remove row ``path[-1]`` of the repeat ``path[:-1]`` (asking first if it has answers)."""
        repeat, index = path[:-1], path[-1]
        assert isinstance(index, int)
        rows = _get(self._answers, repeat)
        if not isinstance(rows, list) or index >= len(rows):
            return
        block = self._boxes[repeat]
        assert isinstance(block, RepeatBlock)
        if confirm and rows[index]:
            label = block.group.label(self.language)
            answer = QMessageBox.question(
                self,
                self.tr("Remove a row"),
                self.tr("Remove {0} {1} and its answers?").format(label.lower(), index + 1),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        del rows[index]
        if not rows:
            _put(self._answers, repeat, None)
        self._fill_repeat(block)
        block.set_language(self.language)
        self.refresh()
        self.edited.emit(repeat)
        self._focus(block.add)

    # -- validation -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Validate the answers and show the result: what is asked, messages, findings."""
        self.validation = validate(self.form, self._answers, language=self.language)
        self._apply(self.validation)

    def _apply(self, v: Validation) -> None:
        problems: dict[AnswerPath, AnswerProblem] = {}
        for p in v.problems:
            problems.setdefault(p.path, p)
        findings = set(v.findings)
        for path, box in self._boxes.items():
            hidden = is_hidden(path, v.hidden)
            if box.isHidden() != hidden:
                box.setHidden(hidden)
        for path, row in self._rows.items():
            hidden = is_hidden(path, v.hidden)
            if row.isHidden() != hidden:
                row.setHidden(hidden)
            if hidden:
                continue
            problem = problems.get(path)
            shown = problem is not None and (
                problem.code != "required" or self._show_all or path in self._touched
            )
            row.show_state(problem.message if shown and problem else "", path in findings)
            if row.question.calculation is not None and row.field is not None:
                row.field.set_value(_get(v.answers, path))
        for i, section in enumerate(self.sections):
            item = self.sections_list.item(i)
            hidden = self.section_hidden(i)
            flags = item.flags()
            enabled = bool(flags & Qt.ItemFlag.ItemIsEnabled)
            if enabled == hidden:
                item.setFlags(flags ^ Qt.ItemFlag.ItemIsEnabled)
            if section.body is not None:
                section.body.setEnabled(not hidden)
        self._retitle_sections()

    def _retitle_sections(self) -> None:
        v = self.validation
        counts_f: dict[int, int] = {}
        counts_p: dict[int, int] = {}
        for path in v.findings:
            i = self._section_of.get(str(path[0]), 0)
            counts_f[i] = counts_f.get(i, 0) + 1
        if self._show_all:
            for p in v.problems:
                i = self._section_of.get(str(p.path[0]), 0)
                counts_p[i] = counts_p.get(i, 0) + 1
        for i in range(len(self.sections)):
            title = self.section_title(i)
            marks = []
            if counts_p.get(i):
                marks.append(f"✖ {counts_p[i]}")
            if counts_f.get(i):
                marks.append(f"⚑ {counts_f[i]}")
            if self.section_hidden(i):
                title = self.tr("{0} (not asked)").format(title)
            text = f"{title}   {'  '.join(marks)}" if marks else title
            item = self.sections_list.item(i)
            if item.text() != text:
                item.setText(text)

    def show_all_messages(self) -> None:
        """Show every message, unanswered required questions included (before completing)."""
        self._show_all = True
        self._apply(self.validation)

    def problems(self) -> tuple[AnswerProblem, ...]:
        return self.validation.problems

    def problem_section(self, problem: AnswerProblem) -> int:
        return self._section_of.get(str(problem.path[0]), 0)

    def question_label(self, path: AnswerPath) -> str:
        """The label of the question at ``path``, with the row of a repeat."""
        name = str(path[-1])
        try:
            label = self.form.question(name).label(self.language)
        except KeyError:
            label = name
        rows = [p for p in path if isinstance(p, int)]
        if rows:
            label += " " + self.tr("(row {0})").format(rows[-1] + 1)
        return label

    # -- language ---------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        if language == self.language or language not in self.form.language_codes():
            return
        self.language = language
        for row in self._rows.values():
            row.set_language(self.form, language)
        for box in self._boxes.values():
            box.set_language(language)
        for section in self.sections:
            if section.body is not None:
                heading = section.body.findChild(QLabel, "sectionHeading")
                if heading is not None:
                    heading.setText(self.section_title(self.sections.index(section)))
        self.refresh()

    # -- editing on or off ------------------------------------------------------------------
    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        for row in self._rows.values():
            if row.field is not None:
                row.field.set_editable(editable and not row.question.read_only)
        for box in self._boxes.values():
            if isinstance(box, RepeatBlock):
                box.add.setEnabled(editable)
                for r in box.rows:
                    r.remove.setEnabled(editable)

    # -- sections and focus -----------------------------------------------------------------
    def current_section(self) -> int:
        return self.stack.currentIndex()

    def set_section(self, index: int, *, focus: bool = False) -> None:
        if not 0 <= index < len(self.sections):
            return
        self._ensure_built(index)
        changed = index != self.stack.currentIndex()
        self.stack.setCurrentIndex(index)
        if self.sections_list.currentRow() != index:
            self.sections_list.blockSignals(True)
            self.sections_list.setCurrentRow(index)
            self.sections_list.blockSignals(False)
        if focus:
            targets = self._section_targets(index)
            if targets:
                self._focus(targets[0])
        if changed:
            self.sectionChanged.emit(index)

    def _on_section_row(self, row: int) -> None:
        if row >= 0:
            self.set_section(row)

    def step_section(self, step: int, *, focus: bool = True) -> bool:
        """Go to the next (``step`` 1) or previous (-1) section that is asked; False if none."""
        i = self.current_section() + step
        while 0 <= i < len(self.sections):
            if not self.section_hidden(i):
                self.set_section(i, focus=focus)
                return True
            i += step
        return False

    def _targets_in(self, widgets: list[QWidget]) -> list[QWidget]:
        out: list[QWidget] = []
        for w in widgets:
            if w.isHidden():
                continue
            if isinstance(w, QuestionRow):
                if w.field is not None and w.field.isEnabled():
                    out.extend(t for t in w.field.focus_targets() if t.isEnabled())
            elif isinstance(w, GroupBox):
                out.extend(self._targets_in(w.children_))
            elif isinstance(w, RepeatBlock):
                for row in w.rows:
                    out.extend(self._targets_in(row.children_))
                    if row.remove.isEnabled():
                        out.append(row.remove)
                if w.add.isEnabled():
                    out.append(w.add)
        return out

    def _section_targets(self, index: int) -> list[QWidget]:
        self._ensure_built(index)
        if self.section_hidden(index):
            return []
        return self._targets_in(self.sections[index].children)

    def _focus(self, widget: QWidget) -> None:
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        page = self.sections[self.current_section()].page
        row = self._row_of(widget)
        page.ensureWidgetVisible(row or widget, 20, 40)

    def _row_of(self, widget: QWidget | None) -> QuestionRow | None:
        while widget is not None and widget is not self:
            if isinstance(widget, QuestionRow):
                return widget
            widget = widget.parentWidget()
        return None

    def focus_path(self, path: AnswerPath) -> bool:
        """Show the question at ``path`` and put the cursor in it."""
        index = self._section_of.get(str(path[0]))
        if index is None:
            return False
        self.set_section(index)
        row = self._rows.get(path)
        if row is None:
            # A repeat (or its row) itself: focus its Add button or its first question.
            box = self._boxes.get(path) or self._boxes.get(path[:-1])
            if isinstance(box, RepeatBlock):
                self._focus(box.add)
                return True
            return False
        targets = row.field.focus_targets() if row.field is not None else []
        if targets:
            self._focus(targets[0])
        else:
            self.sections[index].page.ensureWidgetVisible(row)
        return True

    def focus_first(self) -> None:
        targets = self._section_targets(self.current_section())
        if targets:
            self._focus(targets[0])

    def move_focus(self, forward: bool = True) -> bool:
        """Move to the next (or previous) question, across sections; False at either end."""
        focused = QApplication.focusWidget()
        index = self.current_section()
        targets = self._section_targets(index)
        current = focused
        while current is not None and current not in targets and current is not self:
            current = current.parentWidget()
        if current in targets:
            j = targets.index(current) + (1 if forward else -1)
            if 0 <= j < len(targets):
                self._focus(targets[j])
                return True
        elif targets:
            self._focus(targets[0 if forward else -1])
            return True
        step = 1 if forward else -1
        i = index + step
        while 0 <= i < len(self.sections):
            found = self._section_targets(i)
            if found:
                self.set_section(i)
                self._focus(found[0] if forward else found[-1])
                return True
            i += step
        return False

    def focusNextPrevChild(self, next_: bool) -> bool:
        focused = QApplication.focusWidget()
        if focused is not None and self.stack.isAncestorOf(focused):
            if self.move_focus(next_):
                return True
            if next_:  # past the last question: on to what follows the form (Mark complete)
                self.endReached.emit()
                return True
        return super().focusNextPrevChild(next_)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not plain:
            focused = QApplication.focusWidget()
            if focused is not None and self.stack.isAncestorOf(focused):
                if not self.move_focus(True):
                    self.endReached.emit()
                event.accept()
                return
        super().keyPressEvent(event)

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        before, after = self._row_of(old), self._row_of(new)
        if before is not None and before is not after and before.path in self._rows:
            if before.path not in self._touched:
                self._touched.add(before.path)
                # With the form as context: dropped if the form is deleted first.
                QTimer.singleShot(0, self, lambda: self._apply(self.validation))
            self.questionLeft.emit()

    def choice_field(self, path: AnswerPath) -> ChoiceField | None:
        row = self._rows.get(path)
        return row.field if row is not None and isinstance(row.field, ChoiceField) else None

    def row(self, path: AnswerPath) -> QuestionRow | None:
        """The question's row if its section has been built (tests, scripts)."""
        index = self._section_of.get(str(path[0]))
        if index is not None:
            self._ensure_built(index)
        return self._rows.get(path)

    def detach(self) -> None:
        """Stop listening to the application (before the widget is deleted)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            with contextlib.suppress(RuntimeError, TypeError):  # not connected any more
                app.focusChanged.disconnect(self._on_focus_changed)
