"""Reading XLSForm workbooks: types, languages, columns, and errors that name the row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from forms.definition import form_from_dict, form_to_dict
from forms.errors import FormError
from forms.model import Group
from forms.xlsform import load_form

Make = Callable[..., Path]

ALL_TYPES = """
| survey   |                         |            |                     |                     |                  |              |                      |                    |                |
|          | type                    | name       | label::English (en) | label::Russian (ru) | relevant         | constraint   | calculation          | finding            | required       |
|          | text                    | comment    | Comment             | Комментарий         |                  |              |                      |                    |                |
|          | integer                 | voters     | Voters              | Избиратели          |                  | . >= 0       |                      | . > 100            | yes            |
|          | decimal                 | share      | Share               | Доля                |                  |              |                      |                    |                |
|          | begin_group             | opening    | Opening             | Открытие            | ${voters} > 0    |              |                      |                    |                |
|          | select_one yn           | sealed     | Sealed?             | Опечатана?          |                  |              |                      | . = 'no'           | yes            |
|          | begin_group             | inner      | Inner               | Внутри              |                  |              |                      |                    |                |
|          | select_multiple who     | present    | Who?                | Кто?                |                  |              |                      | selected(., 'police') |             |
|          | end_group               |            |                     |                     |                  |              |                      |                    |                |
|          | end_group               |            |                     |                     |                  |              |                      |                    |                |
|          | date                    | day        | Day                 | День                |                  |              |                      |                    |                |
|          | time                    | arrived    | Arrived             | Прибытие            |                  |              |                      |                    |                |
|          | datetime                | at         | At                  | В                   |                  |              |                      |                    |                |
|          | note                    | info       | Read this           | Прочтите            |                  |              |                      |                    |                |
|          | calculate               | double     |                     |                     |                  |              | ${voters} * 2        | . > 300            |                |
|          | begin_repeat            | incidents  | Incidents           | Инциденты           |                  |              |                      |                    |                |
|          | text                    | what       | What                | Что                 |                  |              |                      |                    |                |
|          | end_repeat              |            |                     |                     |                  |              |                      |                    |                |
| choices  |                         |            |                     |                     |                  |              |                      |                    |                |
|          | list_name               | name       | label::English (en) | label::Russian (ru) |                  |              |                      |                    |                |
|          | yn                      | yes        | Yes                 | Да                  |                  |              |                      |                    |                |
|          | yn                      | no         | No                  | Нет                 |                  |              |                      |                    |                |
|          | who                     | police     | Police              | Полиция             |                  |              |                      |                    |                |
|          | who                     | none       | Nobody              | Никто               |                  |              |                      |                    |                |
| settings |                         |            |                     |                     |                  |              |                      |                    |                |
|          | form_id                 | form_title | version             | default_language    | form_title::Russian (ru) | station |                  |                    |                |
|          | visit                   | Visit      | 2026112801          | English (en)        | Посещение        | optional     |                      |                    |                |
"""


def _survey(rows: str, choices: str = "") -> str:
    """A small form: the survey rows given (type | name | label | extra columns…)."""
    return (
        "| survey |\n"
        + rows
        + "\n| choices |\n|  | list_name | name | label |\n|  | yn | yes | Yes |\n|  | yn | no | No |\n"
        + choices
        + "\n| settings |\n|  | form_id | version |\n|  | t | 1 |\n"
    )


def test_load__every_supported_type__becomes_the_model(xlsform: Make) -> None:
    form = load_form(xlsform(ALL_TYPES))
    types = {q.name: q.type for q in form.questions()}
    assert types == {
        "comment": "text", "voters": "integer", "share": "decimal", "sealed": "select_one",
        "present": "select_multiple", "day": "date", "arrived": "time", "at": "datetime",
        "info": "note", "double": "calculate", "what": "text",
    }  # fmt: skip
    assert form.form_id == "visit"
    assert form.version == "2026112801"
    assert form.station == "optional"
    assert [lang.code for lang in form.languages] == ["en", "ru"]
    assert form.default_language == "en"
    assert form.title_in("ru") == "Посещение"
    assert form.title_in("en") == "Visit"


def test_load__groups_nest_and_repeats_are_marked(xlsform: Make) -> None:
    form = load_form(xlsform(ALL_TYPES))
    opening = next(c for c in form.children if c.name == "opening")
    assert isinstance(opening, Group) and not opening.repeat
    assert opening.relevant is not None and opening.relevant.source == "${voters} > 0"
    inner = opening.children[1]
    assert isinstance(inner, Group) and inner.children[0].name == "present"
    incidents = next(c for c in form.children if c.name == "incidents")
    assert isinstance(incidents, Group) and incidents.repeat
    assert form.repeat_of("what") is incidents
    assert form.repeat_of("sealed") is None


def test_load__labels_rules_and_finding__kept_per_language(xlsform: Make) -> None:
    form = load_form(xlsform(ALL_TYPES))
    sealed = form.question("sealed")
    assert sealed.label("ru") == "Опечатана?"
    assert sealed.label("en") == "Sealed?"
    assert sealed.finding is not None and sealed.finding.source == ". = 'no'"
    assert sealed.required is not None
    assert [c.label("ru") for c in form.choice_list(sealed)] == ["Да", "Нет"]
    voters = form.question("voters")
    assert voters.constraint is not None and voters.constraint.source == ". >= 0"
    assert voters.row == 3  # header is row 1 of the survey sheet
    assert form.question("double").calculation is not None
    assert form.calculation_order == ("double",)


def test_definition__round_trip__gives_an_equal_form(xlsform: Make) -> None:
    form = load_form(xlsform(ALL_TYPES))
    again = form_from_dict(form_to_dict(form))
    assert form_to_dict(again) == form_to_dict(form)
    assert again.question("present").finding is not None


@pytest.mark.parametrize(
    ("kind", "fix"),
    [
        ("geopoint", "change the type or delete"),
        ("image", "change the type or delete"),
        ("start", "records the report's start"),
        ("deviceid", "delete this row"),
    ],
)
def test_load__unsupported_type__refused_naming_the_row(xlsform: Make, kind: str, fix: str) -> None:
    path = xlsform(
        _survey(f"|  | type | name | label |\n|  | text | a | A |\n|  | {kind} | b | B |")
    )
    with pytest.raises(FormError) as err:
        load_form(path)
    text = "\n".join(err.value.lines())
    assert "row 3" in text
    assert repr(kind) in text
    assert fix in text


def test_load__bad_expression__names_row_column_and_position(xlsform: Make) -> None:
    path = xlsform(
        _survey(
            "|  | type | name | label | relevant |\n|  | integer | a | A | |\n"
            "|  | text | b | B | ${a} > > 1 |"
        )
    )
    with pytest.raises(FormError) as err:
        load_form(path)
    (problem,) = err.value.problems
    assert "survey sheet, row 3, column 'relevant'" in problem.where
    assert "${a} > > 1" in problem.what
    assert "character" in problem.what


def test_load__unknown_function_in_finding__is_a_form_error(xlsform: Make) -> None:
    path = xlsform(
        _survey("|  | type | name | label | finding |\n|  | integer | a | A | selectd(., 'x') |")
    )
    with pytest.raises(FormError) as err:
        load_form(path)
    assert "column 'finding'" in err.value.problems[0].where
    assert "selectd" in err.value.problems[0].what


def test_load__finding_refers_to_missing_question__names_it(xlsform: Make) -> None:
    path = xlsform(
        _survey("|  | type | name | label | finding |\n|  | integer | a | A | . > ${nope} |")
    )
    with pytest.raises(FormError) as err:
        load_form(path)
    assert "'nope'" in str(err.value.problems[0])
    assert "row 2" in err.value.problems[0].where


def test_load__calculations_in_a_cycle__refused(xlsform: Make) -> None:
    path = xlsform(
        _survey(
            "|  | type | name | label | calculation |\n"
            "|  | calculate | a | | ${b} + 1 |\n|  | calculate | b | | ${c} + 1 |\n"
            "|  | calculate | c | | ${a} + 1 |"
        )
    )
    with pytest.raises(FormError) as err:
        load_form(path)
    text = str(err.value.problems[0])
    assert "circle" in text
    assert "a" in text and "b" in text and "c" in text


def test_load__problems_in_russian__same_sheet_row_column_and_names(xlsform: Make) -> None:
    path = xlsform(
        _survey(
            "|  | type | name | label | calculation |\n"
            "|  | calculate | a | | ${b} + 1 |\n|  | calculate | b | | ${a} + 1 |"
        )
    )
    with pytest.raises(FormError) as err:
        load_form(path)
    assert err.value.text("ru") == f"{path.name}: форму нельзя использовать в таком виде."
    (problem,) = err.value.problems
    assert problem.text("ru") == (
        f"{path.name}, лист survey, строка 2, столбец «calculation»: вычисления зависят друг от"
        " друга по кругу: a -> b -> a [a (строка 2), b (строка 3)]. Разорвите круг, чтобы одно"
        " вычисление не использовало другое."
    )
    assert problem.text("en") == str(problem)


def test_load__calculations_chain__ordered_by_dependency(xlsform: Make) -> None:
    path = xlsform(
        _survey(
            "|  | type | name | label | calculation |\n"
            "|  | calculate | total | | ${part} * 2 |\n"
            "|  | calculate | part | | ${x} + 1 |\n|  | integer | x | X | |"
        )
    )
    assert load_form(path).calculation_order == ("part", "total")


def test_load__duplicate_names__pyxform_error_with_row(xlsform: Make) -> None:
    path = xlsform(_survey("|  | type | name | label |\n|  | text | a | A |\n|  | text | a | B |"))
    with pytest.raises(FormError) as err:
        load_form(path)
    problem = err.value.problems[0]
    assert "row 3" in problem.where
    assert "different name" in problem.fix


def test_load__unknown_choice_list__pyxform_error_with_row(xlsform: Make) -> None:
    path = xlsform(_survey("|  | type | name | label |\n|  | select_one nolist | a | A |"))
    with pytest.raises(FormError) as err:
        load_form(path)
    assert "row 2" in err.value.problems[0].where
    assert "nolist" in err.value.problems[0].what


def test_load__reference_into_repeat_from_outside__refused(xlsform: Make) -> None:
    path = xlsform(
        _survey(
            "|  | type | name | label | relevant |\n"
            "|  | begin_repeat | r | R | |\n|  | integer | n | N | |\n"
            "|  | end_repeat | | | |\n|  | text | t | T | ${n} > 1 |"
        )
    )
    with pytest.raises(FormError) as err:
        load_form(path)
    assert "inside the repeat 'r'" in err.value.problems[0].what


def test_load__bad_station_rule__refused(xlsform: Make) -> None:
    md = ALL_TYPES.replace("| optional ", "| sometimes")
    with pytest.raises(FormError) as err:
        load_form(xlsform(md))
    assert "'sometimes' is not a station rule" in str(err.value.problems[0])


def test_load__not_a_workbook__clear_message(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_text("type,name\ntext,a\n")
    with pytest.raises(FormError, match="not an Excel workbook"):
        load_form(path)


def test_load__old_xls__asks_to_save_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "form.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(FormError, match=r"save it as \.xlsx"):
        load_form(path)


def test_load__unlabelled_language__uses_default(xlsform: Make) -> None:
    form = load_form(xlsform(_survey("|  | type | name | label |\n|  | text | a | Plain |")))
    assert form.question("a").label() == "Plain"
    assert form.question("a").label("ru") == "Plain"  # falls back to the only label


def test_load__same_name_in_two_groups__refused_naming_both_rows(xlsform: Make) -> None:
    path = xlsform(
        _survey(
            "|  | type | name | label |\n|  | begin_group | g1 | G1 |\n|  | text | a | A |\n"
            "|  | end_group | | |\n|  | begin_group | g2 | G2 |\n|  | text | a | A again |\n"
            "|  | end_group | | |"
        )
    )
    with pytest.raises(FormError) as err:
        load_form(path)
    text = "\n".join(err.value.lines())
    assert "row 6" in text and "used already on row 3" in text


def test_load__repeat_relevant_on_its_own_question__refused(xlsform: Make) -> None:
    path = xlsform(
        _survey(
            "|  | type | name | label | relevant |\n|  | begin_repeat | r | R | ${n} > 0 |\n"
            "|  | integer | n | N | |\n|  | end_repeat | | | |"
        )
    )
    with pytest.raises(FormError) as err:
        load_form(path)
    assert "cannot decide whether the repeat applies" in str(err.value.problems[0])


def test_load__nested_repeat_uses_enclosing_row__allowed(xlsform: Make) -> None:
    path = xlsform(
        _survey(
            "|  | type | name | label | relevant |\n|  | begin_repeat | outer | O | |\n"
            "|  | integer | n | N | |\n|  | begin_repeat | inner | I | |\n"
            "|  | text | t | T | ${n} > 1 |\n|  | end_repeat | | | |\n|  | end_repeat | | | |"
        )
    )
    assert load_form(path).repeat_of("t").name == "inner"  # type: ignore[union-attr]


def test_load__no_form_id__refused(xlsform: Make) -> None:
    md = "| survey |\n|  | type | name | label |\n|  | text | a | A |\n| settings |\n|  | version |\n|  | 1 |\n"
    with pytest.raises(FormError) as err:
        load_form(xlsform(md))
    assert "has no form_id" in str(err.value.problems[0])
