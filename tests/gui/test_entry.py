"""The checklist entry: keyboard-only filling, skip logic, messages, repeats, form language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from db.mission import open_mission
from db.reports import get_report, list_reports
from gui.entry import EntryWidget, QuestionRow
from gui.fields import ChoiceField
from gui.main_window import MainWindow

# What the observer types for each question of the election-day form, by name (keys as typed);
# questions not named here get the first choice, 0 or "ok".
TYPED = {
    "arrival_time": "0930",
    "departure_time": "1015",
    "visit_phases": "2",  # voting only
    "observer_access": "1",  # full access
    "other_observers": "5",  # no one else
    "unauthorized_present": "6",  # none
    "evoting_used": "2",  # no
    "any_problems": "2",  # no
    "overall_assessment": "2",  # good
    "voters_on_list": "1200",
}


def _open_new(make_window: Callable[[], MainWindow], mission: Path) -> MainWindow:
    window = make_window()
    assert window.open_file(mission)
    assert window.new_report("eday", "ALM-12")
    return window


def _entry(window: MainWindow) -> EntryWidget:
    entry = window.report_page.entry
    assert entry is not None
    return entry


def _row_of(entry: EntryWidget, widget: QWidget | None) -> QuestionRow | None:
    return entry._row_of(widget)


def _stored(mission: Path) -> dict:
    with open_mission(mission, readonly=True) as m:
        (report,) = list_reports(m)
        return {"status": report.status, "answers": report.answers, "revision": report.revision}


def test_entry__election_day_by_keyboard_alone__report_complete(
    qtbot: QtBot, make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    window = _open_new(make_window, eday_mission)
    entry = _entry(window)
    seen: list[str] = []
    for _ in range(200):
        focused = QApplication.focusWidget()
        assert focused is not None
        if focused is window.report_page.complete_button:
            break
        row = _row_of(entry, focused)
        if row is None:  # a repeat's Add button: not needed, go on
            assert isinstance(focused, QPushButton), seen[-4:]
            qtbot.keyClick(focused, Qt.Key.Key_Tab)
            continue
        q = row.question
        seen.append(q.name)
        keys = TYPED.get(q.name, "1" if q.is_select else "0" if q.type == "integer" else "ok")
        if isinstance(focused, ChoiceField):
            for key in keys:
                qtbot.keyClick(focused, key)
        else:
            qtbot.keyClicks(focused, keys)
        # Enter moves on; a multi-line text takes Enter as a new line, so Tab does there.
        move = Qt.Key.Key_Tab if isinstance(focused, QPlainTextEdit) else Qt.Key.Key_Return
        qtbot.keyClick(focused, move)
    else:
        pytest.fail(f"never reached the end of the form; answered {seen}")
    assert seen[:3] == ["arrival_time", "visit_phases", "departure_time"]
    assert "opened_on_time" not in seen  # opening was not observed: its section is skipped
    assert "overall_assessment" in seen
    qtbot.keyClick(
        window.report_page.complete_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    stored = _stored(eday_mission)
    assert stored["status"] == "complete"
    assert stored["answers"]["arrival_time"] == "09:30"
    assert stored["answers"]["visit_phases"] == "voting"
    assert stored["answers"]["voters_on_list"] == 1200
    assert stored["answers"]["overall_assessment"] == "good"
    assert window.report_page.blockers is None


def test_entry__phase_chosen_and_unchosen__sections_and_questions_show_and_hide(
    qtbot: QtBot, make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    window = _open_new(make_window, eday_mission)
    entry = _entry(window)
    opening = next(i for i, s in enumerate(entry.sections) if s.group and s.group.name == "opening")
    assert entry.section_hidden(opening)
    phases = entry.choice_field(("visit_phases",))
    assert phases is not None
    phases.setFocus()
    qtbot.keyClick(phases, "1")  # opening
    assert not entry.section_hidden(opening)
    assert entry.sections_list.item(opening).flags() & Qt.ItemFlag.ItemIsEnabled
    qtbot.keyClick(phases, "1")  # and not any more
    assert entry.section_hidden(opening)
    # A question inside a section: details appear only for restricted access.
    details = entry.row(("access_details",))
    assert details is not None and details.isHidden()
    entry.set_answer(("observer_access",), "restricted")
    assert not details.isHidden()
    assert details.badge.isHidden()
    access = entry.row(("observer_access",))
    assert access is not None and not access.badge.isHidden()  # restricted access is a finding
    entry.set_answer(("observer_access",), "full")
    assert details.isHidden() and access.badge.isHidden()


def test_entry__number_out_of_range__message_beside_it_and_completion_blocked(
    qtbot: QtBot, make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    window = _open_new(make_window, eday_mission)
    entry = _entry(window)
    entry.set_answer(("visit_phases",), "voting")  # the voter list is asked during voting
    row = entry.row(("voters_added",))
    assert row is not None and row.field is not None
    entry.focus_path(("voters_added",))
    qtbot.keyClicks(row.field.focus_targets()[0], "9999")
    assert not row.message.isHidden()
    assert row.message.text() == "Enter a number from 0 to 5,000."
    page = window.report_page
    assert not page.mark_complete()
    assert page.blockers is not None
    paths = [
        page.blockers.list.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(page.blockers.list.count())
    ]
    assert ["voters_added"] in [list(p) for p in paths]
    # Choosing it goes to it; fixing it removes the message.
    target = next(i for i, p in enumerate(paths) if list(p) == ["voters_added"])
    page.blockers.list.setCurrentRow(target)
    qtbot.keyClick(page.blockers.list, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is row.field.focus_targets()[0]
    row.field.focus_targets()[0].clear()
    qtbot.keyClicks(row.field.focus_targets()[0], "12")
    assert row.message.text() == ""
    assert _stored(eday_mission)["status"] == "draft"


def test_entry__repeat_rows__added_answered_removed_and_saved(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    eday_mission: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = _open_new(make_window, eday_mission)
    entry = _entry(window)
    entry.set_answer(("any_problems",), "yes")
    block = entry._boxes[("problems",)]
    assert not block.isHidden()
    qtbot.mouseClick(block.add, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(block.add, Qt.MouseButton.LeftButton)
    assert len(block.rows) == 2
    entry.set_answer(("problems", 0, "problem_description"), "Ballot box unsealed")
    entry.set_answer(("problems", 1, "problem_description"), "Crowd at the door")
    entry.set_answer(("problems", 1, "problem_pec_informed"), "yes")
    resolved = entry.row(("problems", 1, "problem_resolved"))
    assert resolved is not None and not resolved.isHidden()  # skip logic inside a row
    assert entry.row(("problems", 0, "problem_resolved")).isHidden()
    assert window.report_page.save_now()
    rows = _stored(eday_mission)["answers"]["problems"]
    assert [r["problem_description"] for r in rows] == ["Ballot box unsealed", "Crowd at the door"]
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(block.rows[0].remove, Qt.MouseButton.LeftButton)
    assert len(block.rows) == 1
    assert window.report_page.save_now()
    rows = _stored(eday_mission)["answers"]["problems"]
    assert [r["problem_description"] for r in rows] == ["Crowd at the door"]


def test_entry__form_language_switched__labels_choices_and_messages_in_russian(
    qtbot: QtBot, make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    window = _open_new(make_window, eday_mission)
    entry = _entry(window)
    page = window.report_page
    row = entry.row(("arrival_time",))
    assert row is not None and "Time of arrival" in row.title.text()
    entry.set_answer(("visit_phases",), "voting")
    entry.set_answer(("voters_added",), "9999")
    page.language.setCurrentIndex(page.language.findData("ru"))
    assert "Время прибытия" in row.title.text()
    added = entry.row(("voters_added",))
    assert added is not None and added.message.text() == "Введите число от 0 до 5 000."
    phases = entry.choice_field(("visit_phases",))
    assert phases is not None and phases.labels[0].text().endswith("Открытие участка")
    assert entry.sections_list.item(0).text().startswith("Посещение")
    assert "День выборов" in page.title.text()


def test_entry__answer_typed__saved_within_a_second_without_a_save_button(
    qtbot: QtBot, make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    window = _open_new(make_window, eday_mission)
    entry = _entry(window)
    row = entry.row(("arrival_time",))
    assert row is not None and row.field is not None
    entry.focus_path(("arrival_time",))
    before = _stored(eday_mission)["revision"]
    qtbot.keyClicks(row.field.focus_targets()[0], "0815")
    assert window.report_page.dirty
    qtbot.waitUntil(lambda: not window.report_page.dirty, timeout=1000)
    stored = _stored(eday_mission)
    assert stored["answers"]["arrival_time"] == "08:15"
    assert stored["revision"] == before + 1
    with open_mission(eday_mission, readonly=True) as m:
        report = get_report(m, window.report_page.report.uuid)
    assert report.observer == "Test Observer"


def test_entry__ctrl_page_down__next_section_asked_and_cursor_in_it(
    qtbot: QtBot, make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    window = _open_new(make_window, eday_mission)
    entry = _entry(window)
    entry.set_answer(("visit_phases",), "voting")
    entry.set_answer(("observer_access",), "full")
    assert entry.current_section() == 0
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert entry.current_section() == 1  # access and setting
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier
    )
    assert entry.section_title(entry.current_section()) == "Voting"  # opening is skipped
    row = _row_of(entry, QApplication.focusWidget())
    assert row is not None and row.question.name == "voting_boxes_sealed"
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier
    )
    assert entry.current_section() == 1


def test_entry__question_left_then_the_form_deleted_at_once__no_error_later(
    qtbot: QtBot, make_window: Callable[[], MainWindow], eday_mission: Path
) -> None:
    # Leaving a question shows its messages a moment later; the form may be gone by then (the
    # report closed, the window closed): that moment must then pass without an error.
    window = _open_new(make_window, eday_mission)
    entry = _entry(window)
    first = QApplication.focusWidget()
    assert first is not None and _row_of(entry, first) is not None
    assert entry.move_focus(True)
    assert _row_of(entry, QApplication.focusWidget()) is not _row_of(entry, first)
    assert window.close_mission()
    shiboken6.delete(entry)  # as deleteLater may have done by then: the form and its rows
    qtbot.wait(20)  # an exception in the event loop fails the test (pytest-qt)
