"""One input widget per question type, all keyboard-first: the fields of the checklist entry.

A field shows and edits one answer in the form the core stores it (see :mod:`forms.validate`);
whatever the observer types that is not yet a valid value is passed on as typed, so the core's
validation says what is wrong and a draft keeps it. Fields never validate answers themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from forms.model import Choice, Form, Question


def answer_text(value: Any) -> str:
    """A stored answer as the text a field shows (``12.0`` as ``12``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Field(QWidget):
    """The input of one question. ``edited`` fires on the observer's changes only."""

    edited = Signal()

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self._loading = False

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show ``value`` without firing ``edited``."""
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def focus_targets(self) -> list[QWidget]:
        """The widgets Tab stops at, in order (most fields have one)."""
        return [self]

    def set_language(self, form: Form, language: str) -> None:
        """Relabel (choices) in ``language``."""

    def set_editable(self, editable: bool) -> None:
        self.setEnabled(editable)


class TextField(Field):
    """Text: one line, or several with the ``multiline`` appearance (Tab still moves on)."""

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.multiline = "multiline" in (question.appearance or "")
        self.editor: QLineEdit | QPlainTextEdit
        if self.multiline:
            editor = QPlainTextEdit()
            editor.setTabChangesFocus(True)
            editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * 4)
            editor.setMaximumHeight(editor.fontMetrics().lineSpacing() * 8)
            editor.textChanged.connect(self._changed)
            self.editor = editor
        else:
            line = QLineEdit()
            line.textEdited.connect(self._changed)
            self.editor = line
        layout.addWidget(self.editor)
        self.setFocusProxy(self.editor)

    def value(self) -> Any:
        text = (
            self.editor.toPlainText()
            if isinstance(self.editor, QPlainTextEdit)
            else self.editor.text()
        )
        return text if text.strip() else None

    def _show(self, value: Any) -> None:
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(answer_text(value))
        else:
            self.editor.setText(answer_text(value))

    def focus_targets(self) -> list[QWidget]:
        return [self.editor]


_INTEGER_INPUT = QRegularExpression(r"[+-]?[0-9 \x{00a0}]{0,15}")
_DECIMAL_INPUT = QRegularExpression(r"[+-]?[0-9 \x{00a0}]{0,15}([.,][0-9]{0,10})?")


class NumberField(Field):
    """A whole number or a decimal, typed (a spin box cannot be left empty)."""

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.editor = QLineEdit()
        pattern = _INTEGER_INPUT if question.type == "integer" else _DECIMAL_INPUT
        self.editor.setValidator(QRegularExpressionValidator(pattern, self.editor))
        self.editor.setMaximumWidth(self.editor.fontMetrics().horizontalAdvance("0") * 16 + 16)
        self.editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.editor.textEdited.connect(self._changed)
        layout.addWidget(self.editor)
        layout.addStretch(1)
        self.setFocusProxy(self.editor)

    def value(self) -> Any:
        text = self.editor.text().strip()
        return text or None

    def _show(self, value: Any) -> None:
        self.editor.setText(answer_text(value))

    def focus_targets(self) -> list[QWidget]:
        return [self.editor]


class _ChoiceLabel(QLabel):
    """A choice's text beside its button: wraps, and clicking it picks the choice."""

    def __init__(self, on_click: Callable[[], None]) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._on_click = on_click

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._on_click()
        super().mousePressEvent(event)


class ChoiceField(Field):
    """Choices as radio buttons (one) or check boxes (several), one Tab stop for the question.

    Keys: 1–9 pick the first nine choices and 0 the tenth; Up/Down move the highlight and Space
    picks it (any number of choices); Delete clears the answer.
    """

    def __init__(self, question: Question, form: Form) -> None:
        super().__init__(question)
        self.multiple = question.type == "select_multiple"
        self.choices: tuple[Choice, ...] = form.choice_list(question)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        self.buttons: list[QRadioButton | QCheckBox] = []
        self.labels: list[_ChoiceLabel] = []
        for i, _choice in enumerate(self.choices):
            button: QRadioButton | QCheckBox = QCheckBox() if self.multiple else QRadioButton()
            button.setAutoExclusive(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, i=i: self._clicked(i))
            label = _ChoiceLabel(lambda i=i: self._clicked(i, toggle=True))
            grid.addWidget(button, i, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, i, 1)
            self.buttons.append(button)
            self.labels.append(label)
        grid.setColumnStretch(1, 1)
        self.cursor = 0
        self.set_language(form, form.default_language)

    # -- value ------------------------------------------------------------------------------
    def value(self) -> Any:
        picked = [c.name for c, b in zip(self.choices, self.buttons, strict=True) if b.isChecked()]
        if not picked:
            return None
        return " ".join(picked) if self.multiple else picked[0]

    def _show(self, value: Any) -> None:
        names = set(str(value).split()) if value is not None else set()
        if not self.multiple and value is not None:
            names = {str(value)}
        for choice, button in zip(self.choices, self.buttons, strict=True):
            button.setChecked(choice.name in names)
        checked = [i for i, b in enumerate(self.buttons) if b.isChecked()]
        self.cursor = checked[0] if checked else 0
        self._paint_cursor()

    def set_language(self, form: Form, language: str) -> None:
        for i, (choice, label) in enumerate(zip(self.choices, self.labels, strict=True)):
            key = "" if i > 9 else f"{(i + 1) % 10}  "
            label.setText(f"{key}{choice.label(language)}")

    # -- picking ----------------------------------------------------------------------------
    def pick(self, index: int) -> None:
        """Pick choice ``index`` as a key press does (toggles it when several may be picked)."""
        if not 0 <= index < len(self.buttons):
            return
        self.cursor = index
        if self.multiple:
            self.buttons[index].setChecked(not self.buttons[index].isChecked())
        else:
            for i, b in enumerate(self.buttons):
                b.setChecked(i == index)
        self._paint_cursor()
        self._changed()

    def clear(self) -> None:
        if self.value() is None:
            return
        for b in self.buttons:
            b.setChecked(False)
        self._changed()

    def _clicked(self, index: int, *, toggle: bool = False) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if toggle:  # the label was clicked: act as the button would
            self.buttons[index].setChecked(not self.buttons[index].isChecked())
        checked = self.buttons[index].isChecked()
        if not self.multiple and checked:
            for i, b in enumerate(self.buttons):
                if i != index:
                    b.setChecked(False)
        self.cursor = index
        self._paint_cursor()
        self._changed()

    # -- keyboard ---------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.NoModifier:
            if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
                digit = key - Qt.Key.Key_0
                self.pick(9 if digit == 0 else digit - 1)
                return
            if key == Qt.Key.Key_Space:
                self.pick(self.cursor)
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear()
                return
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Right) and self.cursor < len(self.buttons) - 1:
                self.cursor += 1
                self._paint_cursor()
                return
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Left) and self.cursor > 0:
                self.cursor -= 1
                self._paint_cursor()
                return
        super().keyPressEvent(event)  # ignored: Enter, Tab and the rest go to the form

    def focusInEvent(self, event: Any) -> None:
        super().focusInEvent(event)
        self._paint_cursor()

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self._paint_cursor()

    def _paint_cursor(self) -> None:
        focused = self.hasFocus()
        for i, label in enumerate(self.labels):
            current = focused and i == self.cursor
            if label.property("current") != current:
                label.setProperty("current", current)
                label.setStyleSheet(
                    "background: palette(highlight); color: palette(highlighted-text);"
                    if current
                    else ""
                )

    def set_editable(self, editable: bool) -> None:
        self.setEnabled(editable)


_DATE_INPUT = QRegularExpression(r"[0-9./\- ]{0,10}")
_TIME_INPUT = QRegularExpression(r"[0-9:.\- ]{0,8}")


def parse_date(text: str) -> str | None:
    """``2026-12-06`` or ``06.12.2026`` (as Russians write it) as ISO text, else None."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or None
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text)
        if not m:
            return None
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def parse_time(text: str) -> str | None:
    """``14:30``, ``14.30``, ``1430`` or ``930`` as ``HH:MM``, else None."""
    text = text.strip()
    m = re.fullmatch(r"(\d{1,2})[:.\- ](\d{2})", text) or re.fullmatch(r"(\d{1,2})(\d{2})", text)
    if not m:
        return None
    h, mi = int(m[1]), int(m[2])
    if h > 23 or mi > 59:
        return None
    return f"{h:02d}:{mi:02d}"


class _TypedEdit(QWidget):
    """A short typed value (a date or a time) tidied on leaving, with a helper button."""

    changed = Signal()

    def __init__(
        self, pattern: QRegularExpression, widest: str, parse: Callable[[str], str | None]
    ) -> None:
        super().__init__()
        self._parse = parse
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = QLineEdit()
        self.line.setValidator(QRegularExpressionValidator(pattern, self.line))
        self.line.setMaximumWidth(self.line.fontMetrics().horizontalAdvance(widest) + 24)
        self.line.textEdited.connect(self.changed)
        self.line.editingFinished.connect(self._tidy)
        self.button = QToolButton()
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.line)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)

    def value(self) -> str | None:
        text = self.line.text().strip()
        return (self._parse(text) or text) if text else None

    def set_text(self, text: str) -> None:
        self.line.setText(text)

    def _tidy(self) -> None:
        tidy = self._parse(self.line.text())
        if tidy and tidy != self.line.text():
            self.line.setText(tidy)


class _DateEdit(_TypedEdit):
    """A typed date with a calendar button (mouse only: typing is quicker)."""

    def __init__(self) -> None:
        super().__init__(_DATE_INPUT, "0000-00-00", parse_date)
        self.line.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.button.setText("…")
        self.button.setToolTip(self.tr("Choose the date on a calendar"))
        self.button.clicked.connect(self._calendar)

    def _calendar(self) -> None:
        menu = QMenu(self)
        calendar = QCalendarWidget()
        iso = parse_date(self.line.text())
        if iso:
            calendar.setSelectedDate(QDate.fromString(iso, Qt.DateFormat.ISODate))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def chosen(date: QDate) -> None:
            self.line.setText(date.toString(Qt.DateFormat.ISODate))
            menu.close()
            self.changed.emit()

        calendar.activated.connect(chosen)
        calendar.clicked.connect(chosen)
        menu.exec(self.line.mapToGlobal(self.line.rect().bottomLeft()))


class _TimeEdit(_TypedEdit):
    """A typed time (``1430`` becomes ``14:30``) with a Now button."""

    def __init__(self) -> None:
        super().__init__(_TIME_INPUT, "00:00:00", parse_time)
        self.line.setPlaceholderText(self.tr("HH:MM"))
        self.button.setText(self.tr("Now"))
        self.button.setToolTip(self.tr("Fill in the time now"))
        self.button.clicked.connect(self._now)

    def _now(self) -> None:
        self.line.setText(QTime.currentTime().toString("HH:mm"))
        self.changed.emit()


class _EditorField(Field):
    """A question answered in one typed editor (a date or a time)."""

    editor_class: type[_DateEdit] | type[_TimeEdit]

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.editor = self.editor_class()
        self.editor.changed.connect(self._changed)
        layout.addWidget(self.editor)
        layout.addStretch(1)
        self.setFocusProxy(self.editor)

    def value(self) -> Any:
        return self.editor.value()

    def _show(self, value: Any) -> None:
        self.editor.set_text(answer_text(value))

    def focus_targets(self) -> list[QWidget]:
        return [self.editor.line]


class DateField(_EditorField):
    editor_class = _DateEdit


class TimeField(_EditorField):
    editor_class = _TimeEdit


class DateTimeField(Field):
    """A date and a time, stored as ``YYYY-MM-DDTHH:MM``."""

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.date = _DateEdit()
        self.time = _TimeEdit()
        self.date.changed.connect(self._changed)
        self.time.changed.connect(self._changed)
        layout.addWidget(self.date)
        layout.addWidget(self.time)
        layout.addStretch(1)
        self.setFocusProxy(self.date)

    def value(self) -> Any:
        date, time = self.date.value(), self.time.value()
        if not date and not time:
            return None
        return f"{date or ''}T{time or ''}"

    def _show(self, value: Any) -> None:
        text = answer_text(value)
        date, _, time = text.partition("T")
        self.date.set_text(date)
        self.time.set_text(time[:5])

    def focus_targets(self) -> list[QWidget]:
        return [self.date.line, self.time.line]


class CalculatedField(Field):
    """A calculation's result, shown and never typed."""

    def __init__(self, question: Question) -> None:
        super().__init__(question)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("—")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.label)
        layout.addStretch(1)

    def value(self) -> Any:
        return None

    def _show(self, value: Any) -> None:
        self.label.setText(answer_text(value) or "—")

    def focus_targets(self) -> list[QWidget]:
        return []


def make_field(question: Question, form: Form) -> Field | None:
    """The field for ``question``, or None for a note (a label, no answer)."""
    if question.type == "note":
        return None
    if question.calculation is not None or question.type == "calculate":
        return CalculatedField(question)
    if question.is_select:
        return ChoiceField(question, form)
    if question.type in ("integer", "decimal"):
        return NumberField(question)
    if question.type == "date":
        return DateField(question)
    if question.type == "time":
        return TimeField(question)
    if question.type == "datetime":
        return DateTimeField(question)
    return TextField(question)
