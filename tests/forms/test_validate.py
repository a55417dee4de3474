"""Validation of a report's answers: types, choices, skip logic, required, constraints, findings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from forms.model import Form
from forms.validate import initial_answers, validate
from forms.xlsform import load_form

FORM = """
| survey   |                     |            |                     |                     |                  |                   |                                 |                                   |                     |               |         |
|          | type                | name       | label::English (en) | label::Russian (ru) | relevant         | constraint        | constraint_message::English (en) | constraint_message::Russian (ru)  | calculation         | finding       | required |
|          | select_one yn       | access     | Access?             | Доступ?             |                  |                   |                                 |                                   |                     | . = 'no'      | yes     |
|          | begin_group         | inside     | Inside              | Внутри              | ${access} = 'yes' |                  |                                 |                                   |                     |               |         |
|          | select_one yn       | sealed     | Sealed?             | Опечатана?          |                  |                   |                                 |                                   |                     | . = 'no'      | yes     |
|          | integer             | added      | Added               | Добавлено           |                  | . >= 0 and . <= 500 | Between 0 and 500             | От 0 до 500                       |                     | . > 100       |         |
|          | select_multiple who | present    | Who                 | Кто                 |                  |                   |                                 |                                   |                     | selected(., 'police') |  |
|          | end_group           |            |                     |                     |                  |                   |                                 |                                   |                     |               |         |
|          | decimal             | share      | Share               | Доля                |                  |                   |                                 |                                   |                     |               |         |
|          | date                | day        | Day                 | День                |                  | . <= today()      |                                 |                                   |                     |               |         |
|          | time                | at         | At                  | В                   |                  |                   |                                 |                                   |                     |               |         |
|          | calculate           | twice      |                     |                     |                  |                   |                                 |                                   | ${added} * 2        | . > 300       |         |
|          | begin_repeat        | incidents  | Incidents           | Инциденты           |                  |                   |                                 |                                   |                     |               |         |
|          | select_one yn       | violent    | Violent?            | С насилием?         |                  |                   |                                 |                                   |                     | . = 'yes'     | yes     |
|          | text                | injured    | Injured             | Пострадавшие        | ${violent} = 'yes' |                 |                                 |                                   |                     |               | yes     |
|          | end_repeat          |            |                     |                     |                  |                   |                                 |                                   |                     |               |         |
| choices  |                     |            |                     |                     |                  |                   |                                 |                                   |                     |               |         |
|          | list_name           | name       | label::English (en) | label::Russian (ru) |                  |                   |                                 |                                   |                     |               |         |
|          | yn                  | yes        | Yes                 | Да                  |                  |                   |                                 |                                   |                     |               |         |
|          | yn                  | no         | No                  | Нет                 |                  |                   |                                 |                                   |                     |               |         |
|          | who                 | police     | Police              | Полиция             |                  |                   |                                 |                                   |                     |               |         |
|          | who                 | officials  | Officials           | Чиновники           |                  |                   |                                 |                                   |                     |               |         |
| settings |                     |            |                     |                     |                  |                   |                                 |                                   |                     |               |         |
|          | form_id             | version    | default_language    |                     |                  |                   |                                 |                                   |                     |               |         |
|          | v                   | 1          | English (en)        |                     |                  |                   |                                 |                                   |                     |               |         |
"""


@pytest.fixture
def form(xlsform: Callable[[str], Path]) -> Form:
    return load_form(xlsform(FORM))


def _codes(v: object) -> dict[str, str]:
    return {p.where(): p.code for p in v.problems}  # type: ignore[attr-defined]


def test_validate__complete_good_answers__ok_with_types_and_calculation(form: Form) -> None:
    v = validate(
        form,
        {
            "access": "yes",
            "sealed": "yes",
            "added": "12",
            "present": ["officials"],
            "share": "0,5",
            "day": "2025-12-04",
            "at": "08:30",
        },
    )
    assert v.ok, v.problems
    assert v.answers == {
        "access": "yes",
        "sealed": "yes",
        "added": 12,
        "present": "officials",
        "share": 0.5,
        "day": "2025-12-04",
        "at": "08:30",
        "twice": "24",
    }
    assert v.findings == ()


def test_validate__required_only_where_relevant(form: Form) -> None:
    # access = no hides the whole "inside" group, so its required 'sealed' is not asked.
    assert validate(form, {"access": "no"}).ok
    v = validate(form, {"access": "yes"})
    assert _codes(v) == {"sealed": "required"}


def test_validate__not_relevant_answers__dropped_and_listed(form: Form) -> None:
    v = validate(form, {"access": "no", "sealed": "no", "added": 7})
    assert "sealed" not in v.answers and "added" not in v.answers
    assert set(v.dropped) == {("sealed",), ("added",)}
    assert ("sealed",) in v.hidden and ("inside",) in v.hidden
    assert v.findings == (("access",),)  # only the relevant answer counts as a finding


def test_validate__constraint_message__in_the_chosen_language(form: Form) -> None:
    answers = {"access": "yes", "sealed": "yes", "added": 900}
    assert validate(form, answers).problems[0].message == "Between 0 and 500"
    assert validate(form, answers, language="ru").problems[0].message == "От 0 до 500"


def test_validate__required_message__default_translated(form: Form) -> None:
    v = validate(form, {}, language="ru")
    assert v.problems[0].message == "Нужен ответ на этот вопрос."


def test_validate__wrong_types_and_choices__each_reported(form: Form) -> None:
    v = validate(
        form,
        {"access": "maybe", "added": "twelve", "day": "04.12.2025", "at": "25:00", "share": "x"},
    )
    assert _codes(v) == {"access": "choice", "day": "date", "at": "time", "share": "decimal"}
    v = validate(
        form, {"access": "yes", "sealed": "yes", "added": "1.5", "present": "police ghosts"}
    )
    assert _codes(v) == {"added": "integer", "present": "choice"}


def test_validate__findings__holds_for_each_rule(form: Form) -> None:
    v = validate(form, {"access": "yes", "sealed": "no", "added": 160, "present": "police"})
    assert set(v.findings) == {("sealed",), ("added",), ("present",), ("twice",)}


def test_validate__constraint_on_empty_answer__not_checked(form: Form) -> None:
    assert validate(form, {"access": "yes", "sealed": "yes"}).ok


def test_validate__date_after_today__breaks_constraint(form: Form) -> None:
    import datetime as dt

    answers = {"access": "no", "day": "2026-01-02"}
    assert validate(form, answers, today=dt.date(2026, 1, 2)).ok
    assert _codes(validate(form, answers, today=dt.date(2026, 1, 1))) == {"day": "constraint"}


def test_validate__repeat_rows__relevance_and_required_per_row(form: Form) -> None:
    v = validate(
        form,
        {
            "access": "no",
            "incidents": [
                {"violent": "no", "injured": "leftover"},
                {"violent": "yes"},
                {"violent": "yes", "injured": "two people"},
            ],
        },
    )
    assert [p.path for p in v.problems] == [("incidents", 1, "injured")]
    assert v.problems[0].where() == "incidents / row 2 / injured"
    assert v.answers["incidents"][0] == {"violent": "no"}
    assert ("incidents", 0, "injured") in v.dropped
    assert set(v.findings) >= {("incidents", 1, "violent"), ("incidents", 2, "violent")}


def test_validate__repeat_not_a_list__reported(form: Form) -> None:
    v = validate(form, {"access": "no", "incidents": "oops"})
    assert _codes(v) == {"incidents": "repeat"}


def test_validate__unknown_question__reported(form: Form) -> None:
    v = validate(form, {"access": "no", "ghost": 1})
    assert _codes(v) == {"ghost": "unknown"}


def test_validate__select_multiple_duplicates__normalised(form: Form) -> None:
    v = validate(form, {"access": "yes", "sealed": "yes", "present": "police  police officials"})
    assert v.answers["present"] == "police officials"


def test_validate__calculation_not_relevant__not_stored(form: Form) -> None:
    v = validate(form, {"access": "no"})
    assert "twice" not in v.answers  # ${added} empty -> NaN -> no value


def test_initial_answers__defaults__typed(xlsform: Callable[[str], Path]) -> None:
    form = load_form(
        xlsform("""
    | survey |
    |  | type | name | label | default |
    |  | integer | n | N | 5 |
    |  | text | t | T | |
    | settings |
    |  | form_id | version |
    |  | d | 1 |
    """)
    )
    assert initial_answers(form) == {"n": 5}


def test_validate__rows_of_a_repeat_that_does_not_apply__listed_as_dropped(
    xlsform: Callable[[str], Path],
) -> None:
    form = load_form(
        xlsform("""
    | survey |
    |  | type | name | label | relevant |
    |  | select_one yn | any | Any? | |
    |  | begin_repeat | items | Items | ${any} = 'yes' |
    |  | text | what | What | |
    |  | end_repeat | | | |
    | choices |
    |  | list_name | name | label |
    |  | yn | yes | Yes |
    |  | yn | no | No |
    | settings |
    |  | form_id | version |
    |  | r | 1 |
    """)
    )
    v = validate(form, {"any": "no", "items": [{"what": "left over"}]})
    assert "items" not in v.answers
    assert v.dropped == (("items",),)
