"""validate() against the plain validator it replaced (tests/forms/reference_validate.py).

forms.validate works a form out once into per-level plans and keeps the results of rules by
the answers they read; the reference goes through the form element by element for every
report. Over generated answers (right and wrong types, blanks, unknown names, repeat rows or
not) to the built-in templates and to small generated forms (relevance, groups, repeats,
constraints, findings, calculations, names used twice), both must give the same Validation
(answers in the same order too) in English and Russian, or fail with the same error.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from db.demo import _answers as demo_answers
from db.stations import Station
from forms.expressions import Expression
from forms.model import Choice, Form, Group, Language, Question
from forms.templates import TEMPLATES, template
from forms.validate import Validation, validate
from tests.forms.reference_validate import reference_validate

LANGUAGES = ("en", "ru")
TODAY = dt.date(2024, 6, 1)
EXAMPLES = settings(
    database=None,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------------------------
# Answers


JUNK = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\t\n", "\u00a0", "yes", "no", "x y", "1 000", "0,5", "NaN"]),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 3), max_size=1),
    st.text(max_size=6),
)


def padded(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``text``, sometimes with white space around it."""
    return st.tuples(st.sampled_from(["", " ", "  ", "\t"]), text, st.sampled_from(["", " "])).map(
        "".join
    )


def choice_names(form: Form, question: Question) -> list[str]:
    return [c.name for c in form.choice_list(question)] or ["a"]


def answer_for(form: Form, q: Question) -> st.SearchStrategy[Any]:
    """Answers to ``q``: mostly of its own type, some not."""
    names = choice_names(form, q)
    numbers = st.one_of(
        st.integers(-5, 30),
        st.integers(0, 20000),
        st.sampled_from([0, 1, 10**16, -1]),
    )
    own: st.SearchStrategy[Any]
    if q.type == "select_one":
        own = st.one_of(st.sampled_from(names), padded(st.sampled_from(names)))
    elif q.type == "select_multiple":
        own = st.one_of(
            st.lists(st.sampled_from(names), max_size=4).map(" ".join),
            st.lists(st.sampled_from([*names, "none", "zz"]), max_size=3).map("  ".join),
            st.lists(st.sampled_from(names), max_size=3),
        )
    elif q.type == "integer":
        own = st.one_of(
            numbers,
            numbers.map(str),
            numbers.map(lambda n: f" {n:,} ".replace(",", " ")),
            st.sampled_from([2.0, 2.5, "3.0", "1e3", "+4", "-0"]),
        )
    elif q.type == "decimal":
        own = st.one_of(
            numbers,
            st.floats(-1e6, 1e6),
            st.sampled_from(["0,5", "1.25", " 3 ", "-0", "1,000.5", "inf"]),
        )
    elif q.type == "date":
        own = st.one_of(
            st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)).map(dt.date.isoformat),
            st.sampled_from(["2024-05-01T00:00:00", "2024-05-01T10:00:00", "2024-13-01"]),
        )
    elif q.type == "time":
        own = st.one_of(
            st.times().map(lambda t: t.strftime("%H:%M")),
            st.times().map(lambda t: t.strftime("%H:%M:%S")),
            st.sampled_from(["24:00", "7:05", "10:30:15.5", " 10:30 "]),
        )
    elif q.type == "datetime":
        own = st.sampled_from(
            ["2024-05-01T10:30:00", "2024-05-01T10:30:00.123+02:00", "2024-05-01", "soon"]
        )
    else:  # text, calculate, note
        own = st.one_of(st.text(max_size=8), st.sampled_from(["yes", "no", "", "  ", "12"]))
    return st.one_of(*[own] * 9, JUNK)  # one answer in ten of any type


def answers_for(
    form: Form, items: tuple[Question | Group, ...], depth: int = 0
) -> st.SearchStrategy[dict[str, Any]]:
    """Answers for one level of ``form``: some questions answered, some repeats' rows."""
    fields: dict[str, st.SearchStrategy[Any]] = {}

    def collect(children: tuple[Question | Group, ...]) -> None:
        for item in children:
            if isinstance(item, Group) and not item.repeat:
                collect(item.children)
            elif isinstance(item, Group):
                rows = answers_for(form, item.children, depth + 1) if depth < 2 else st.just({})
                fields[item.name] = st.one_of(
                    st.lists(rows, max_size=3),
                    st.sampled_from([None, "", "rows", [], [1], [{"x": 1}, "y"]]),
                )
            else:
                fields[item.name] = answer_for(form, item)

    collect(items)
    return st.builds(
        _pick,
        st.sampled_from([10, 9, 5, 1]).flatmap(  # out of ten questions, how many are answered
            lambda answered: st.fixed_dictionaries(
                {
                    name: st.one_of(*[f] * answered, *[st.just(MISSING)] * (10 - answered))
                    for name, f in fields.items()
                }
            )
        ),
        st.dictionaries(st.sampled_from(["unknown", "", "Problems", "x y"]), JUNK, max_size=1),
    )


MISSING = object()


def _pick(drawn: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = {name: value for name, value in drawn.items() if value is not MISSING}
    out.update({k: v for k, v in extra.items() if k not in out})
    return out


# --------------------------------------------------------------------------------------------
# Comparing


def outcome(fn: Callable[..., Validation], *args: Any, **kwargs: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(*args, **kwargs)
    except Exception as error:  # the same failure, if any
        return "error", (type(error), str(error))


def order(answers: Mapping[str, Any]) -> list[Any]:
    """The keys of the answers in order, those of each repeat's rows too."""
    out: list[Any] = []
    for key, value in answers.items():
        out.append(key)
        if isinstance(value, list):
            out.append([order(row) for row in value if isinstance(row, Mapping)])
    return out


def assert_same(form: Form, answers: dict[str, Any], today: dt.date | None) -> None:
    for language in LANGUAGES:
        expected = outcome(reference_validate, form, answers, language=language, today=today)
        actual = outcome(validate, form, answers, language=language, today=today)
        assert actual == expected, (language, answers)
        if expected[0] == "ok":
            assert order(actual[1].answers) == order(expected[1].answers)
    if expected[0] == "error":
        event("fails")
        return
    v = expected[1]
    for what in ("problems", "dropped", "findings", "hidden"):
        if getattr(v, what):
            event(f"has {what}")
    if any(isinstance(value, list) and value for value in v.answers.values()):
        event("has repeat rows")


# --------------------------------------------------------------------------------------------
# The built-in templates


@pytest.mark.parametrize("name", list(TEMPLATES))
@EXAMPLES
@given(data=st.data())
def test_validate__template_answers__same_as_reference(name: str, data: st.DataObject) -> None:
    form = template(name).form
    answers = data.draw(answers_for(form, form.children), label="answers")
    today = data.draw(st.sampled_from([TODAY, dt.date(2020, 1, 1), None]), label="today")
    assert_same(form, answers, today)


@pytest.mark.parametrize("name", list(TEMPLATES))
@settings(EXAMPLES, max_examples=300)  # quick ones
@given(data=st.data())
def test_validate__plausible_report__same_as_reference(name: str, data: st.DataObject) -> None:
    # What the demo mission makes: complete, mostly clean reports with some findings and
    # repeat rows, of which one answer may be changed or taken away.
    form = template(name).form
    rng = random.Random(data.draw(st.integers(0, 2**32), label="seed"))
    trouble = data.draw(st.sampled_from([0.0, 0.15, 0.5, 1.0]), label="trouble")
    voters = data.draw(st.sampled_from([None, 900, 2500]), label="registered voters")
    answers = demo_answers(form, rng, Station("1", "1", registered_voters=voters), trouble)
    if answers and data.draw(st.booleans(), label="tamper"):
        key = data.draw(st.sampled_from(sorted(answers)), label="question")
        questions = {q.name: q for q in form.questions()}
        if key in questions:
            value = data.draw(st.one_of(answer_for(form, questions[key]), st.just(MISSING)))
        else:
            value = data.draw(st.one_of(JUNK, st.just(MISSING)))
        if value is MISSING:
            del answers[key]
        else:
            answers[key] = value
    assert_same(form, answers, TODAY)


# --------------------------------------------------------------------------------------------
# Small generated forms

NAMES = ["a", "b", "c", "d", "e", "f", "g", "h"]  # few, so that names come back (and repeat)
CHOICES = {"l": (Choice("p"), Choice("q"), Choice("r", {"en": "R", "ru": "Р"}))}
QUESTION_TYPES = [
    "text",
    "integer",
    "decimal",
    "select_one",
    "select_multiple",
    "date",
    "time",
    "note",
    "calculate",
]
# Rules on other answers (${}) and on the answer itself (.): comparisons, selections, text,
# numbers, the clock, long ones worth remembering, and a repeat's rows read as an answer.
RULES_ON_OTHERS = [
    "${X} = 'p'",
    "${X} != 'q'",
    "${X} > 2",
    "coalesce(${X}, 0) + coalesce(${Y}, 0) > 3",
    "selected(${X}, 'q')",
    "count-selected(${X}) > 1 and not(selected(${X}, 'r'))",
    "${X} = 'p' or ${X} = 'q' or ${Y} = 'r' or ${Y} = ''",
    "string-length(${X}) > 1",
    "${X} = ${Y}",
    "today() > '2024-01-01'",
    "${X} = 'p' or ${X} = 'q' or today() < '2025-01-01'",
    "true()",
    "false()",
]
RULES_ON_ANSWER = [
    ". > 2",
    ". = 'p'",
    ". != 'q'",
    ". >= 0 and . <= 10",
    "selected(., 'q')",
    "string-length(.) < 4",
    ". <= today()",
    ". > ${X}",
    "regex(., '^[a-z]+$')",
    "not(selected(., 'p') and count-selected(.) > 1)",
]
CALCULATIONS = [
    "${X} * 2",
    "concat(${X}, '-', ${Y})",
    "if(${X} = 'p', 1, '')",
    "coalesce(${X}, 0) + coalesce(${Y}, 0)",
    "round(coalesce(${X}, 0) div 3, 1)",
    "${X}",
    "''",
    "today()",
]


def expression(templates: list[str]) -> st.SearchStrategy[Expression]:
    return st.builds(
        lambda source, x, y: Expression(source.replace("X", x).replace("Y", y)),
        st.sampled_from(templates),
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
    )


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


messages = st.sampled_from([{}, {"en": "Not so.", "ru": "Не так."}, {"ru": "Только по-русски."}])


@st.composite
def questions(draw: st.DrawFn) -> Question:
    qtype = draw(st.sampled_from(QUESTION_TYPES))
    calculation = draw(expression(CALCULATIONS)) if qtype == "calculate" else None
    if qtype in ("integer", "text") and draw(st.integers(0, 5)) == 0:
        calculation = draw(expression(CALCULATIONS))  # a calculation of another type
    return Question(
        name=draw(st.sampled_from(NAMES)),
        type=qtype,  # type: ignore[arg-type]
        list_name="l" if qtype.startswith("select") else None,
        relevant=draw(maybe(expression(RULES_ON_OTHERS))),
        required=draw(maybe(expression(["true()", *RULES_ON_OTHERS]))),
        required_messages=draw(messages),
        constraint=draw(maybe(expression(RULES_ON_ANSWER))),
        constraint_messages=draw(messages),
        finding=draw(maybe(expression(RULES_ON_ANSWER))),
        calculation=calculation,
    )


def groups(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Group]:
    return st.builds(
        Group,
        name=st.sampled_from([*NAMES, "g1", "g2", "rows"]),
        children=st.lists(children, min_size=0, max_size=4).map(tuple),
        relevant=maybe(expression(RULES_ON_OTHERS)),
        repeat=st.booleans(),
    )


items = st.recursive(questions(), groups, max_leaves=12)


@st.composite
def forms(draw: st.DrawFn) -> Form:
    children = tuple(draw(st.lists(items, min_size=1, max_size=6)))
    form = Form(
        form_id="f",
        title="F",
        version="1",
        languages=(Language("en", "English"), Language("ru", "Русский")),
        default_language="en",
        children=children,
        choices=CHOICES,
    )
    calcs = sorted({q.name for q in form.questions() if q.calculation is not None})
    return Form(
        form_id="f",
        title="F",
        version="1",
        languages=form.languages,
        default_language=draw(st.sampled_from(LANGUAGES)),
        children=children,
        choices=CHOICES,
        calculation_order=tuple(draw(st.permutations(calcs))),
    )


@EXAMPLES
@given(data=st.data())
def test_validate__generated_form__same_as_reference(data: st.DataObject) -> None:
    form = data.draw(forms(), label="form")
    names = [item.name for item, _parents in form.walk()]
    if len(set(names)) < len(names):
        event("names used twice")
    for _ in range(3):  # the same form again: with what it remembers from the answers before
        answers = data.draw(answers_for(form, form.children), label="answers")
        today = data.draw(st.sampled_from([TODAY, None]), label="today")  # 2024 or now
        assert_same(form, answers, today)
