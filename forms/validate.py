"""Checks a report's answers against its form: types, choices, skip logic, rules, findings.

Answers are a flat mapping from question name to value (groups do not nest it); a repeat's
answers are a list of such mappings, one per row. Stored values are JSON scalars:

- ``text``, ``select_one``: str; ``select_multiple``: the choice names separated by spaces;
- ``integer``: int; ``decimal``: float;
- ``date``: ``YYYY-MM-DD``; ``time``: ``HH:MM`` or ``HH:MM:SS`` as given;
- ``datetime``: ``YYYY-MM-DDTHH:MM:SS``, with the UTC offset when one was given;
- ``calculate``: the calculation's result as text (XPath ``string()``);
- no answer: the key is absent.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from forms.expressions import Expression
from forms.model import Choice, Form, Group, Question

Answers = dict[str, Any]

# Messages Pollcheck gives itself (a form's own messages come from its workbook).
_MESSAGES: dict[str, dict[str, str]] = {
    "required": {"en": "This question needs an answer.", "ru": "Нужен ответ на этот вопрос."},
    "constraint": {
        "en": "This answer is not allowed by the form's rule: {rule}",
        "ru": "Этот ответ не допускается правилом формы: {rule}",
    },
    "integer": {"en": "Enter a whole number.", "ru": "Введите целое число."},
    "decimal": {"en": "Enter a number.", "ru": "Введите число."},
    "choice": {
        "en": "{value!r} is not one of the choices.",
        "ru": "{value!r} не входит в варианты ответа.",
    },
    "date": {"en": "Enter a date as YYYY-MM-DD.", "ru": "Введите дату в виде ГГГГ-ММ-ДД."},
    "time": {"en": "Enter a time as HH:MM.", "ru": "Введите время в виде ЧЧ:ММ."},
    "datetime": {
        "en": "Enter a date and time as YYYY-MM-DDTHH:MM.",
        "ru": "Введите дату и время в виде ГГГГ-ММ-ДДTЧЧ:ММ.",
    },
    "text": {"en": "Enter text.", "ru": "Введите текст."},
    "repeat": {
        "en": "Expected rows of answers for this repeat.",
        "ru": "Для этого повторяющегося блока нужны строки ответов.",
    },
    "unknown": {
        "en": "The form has no question of this name.",
        "ru": "В форме нет такого вопроса.",
    },
}


def message(code: str, language: str | None = None, **values: Any) -> str:
    """Pollcheck's own message ``code`` in ``language`` (English when it has no translation)."""
    texts = _MESSAGES[code]
    return texts.get(language or "en", texts["en"]).format(**values)


@dataclass(frozen=True)
class AnswerProblem:
    """One answer that keeps a report from being complete.

    ``path`` locates the answer: ``("box_sealed",)`` or, inside a repeat,
    ``("problems", 2, "category")`` (rows counted from 0).
    """

    path: tuple[str | int, ...]
    code: str
    message: str

    @property
    def question(self) -> str:
        return str(self.path[-1])

    def where(self) -> str:
        parts = []
        for p in self.path:
            parts.append(f"row {p + 1}" if isinstance(p, int) else str(p))
        return " / ".join(parts)


@dataclass(frozen=True)
class Validation:
    """What :func:`validate` makes of a report's answers.

    ``answers`` holds only relevant answers, in their stored types, with calculations computed.
    ``dropped`` names answers given to questions that were not relevant (removed from
    ``answers``); ``findings`` the paths of answers whose ``finding`` rule holds;
    ``hidden`` the paths of questions and groups that are not relevant now.
    """

    answers: Answers
    problems: tuple[AnswerProblem, ...]
    dropped: tuple[tuple[str | int, ...], ...]
    findings: tuple[tuple[str | int, ...], ...]
    hidden: frozenset[tuple[str | int, ...]]

    @property
    def ok(self) -> bool:
        return not self.problems


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$")

_NO_ANSWER: tuple[Any, str | None] = (None, None)
Coercion = Callable[[Any], tuple[Any, str | None]]


def coerce(question: Question, value: Any) -> tuple[Any, str | None]:
    """``value`` in the stored type of ``question``, or ``(None, problem code)``.

    Empty text and ``None`` are no answer: ``(None, None)``.
    """
    return _coercion(question.type)(value)


def _coercion(qtype: str) -> Coercion:
    """The function :func:`coerce` uses for questions of type ``qtype``."""
    return _COERCIONS.get(qtype, _coerce_nothing)


# One function per question type. Each first handles the type an answer is stored in (what
# nearly every answer is, as it comes back from the mission file), then leaves anything else
# to _coerce_any, the general conversion.


def _coerce_text(value: Any) -> tuple[Any, str | None]:
    if value.__class__ is str:
        return (value, None) if value.strip() else _NO_ANSWER
    return _coerce_any("text", value)


def _coerce_select_one(value: Any) -> tuple[Any, str | None]:
    if value.__class__ is str:
        text = value.strip()
        return (text, None) if text else _NO_ANSWER
    return _coerce_any("select_one", value)


def _coerce_select_multiple(value: Any) -> tuple[Any, str | None]:
    if value.__class__ is str:
        # split() drops the same white space strip() does: its items need no stripping.
        items = value.split()
        if len(items) == 1:
            return items[0], None
        # dict.fromkeys drops repeated choices and keeps the first of each, in order.
        return (" ".join(dict.fromkeys(items)) or None), None
    return _coerce_any("select_multiple", value)


def _coerce_integer(value: Any) -> tuple[Any, str | None]:
    if value.__class__ is int:  # not bool, a subclass of int
        return value, None
    return _coerce_any("integer", value)


def _coerce_decimal(value: Any) -> tuple[Any, str | None]:
    if value.__class__ is float:
        return (value, None) if math.isfinite(value) else (None, "decimal")
    return _coerce_any("decimal", value)


def _coerce_time(value: Any) -> tuple[Any, str | None]:
    if value.__class__ is str:
        text = value.strip()
        if not text:
            return _NO_ANSWER
        return (text, None) if _TIME.match(text) else (None, "time")
    return _coerce_any("time", value)


def _coerce_date(value: Any) -> tuple[Any, str | None]:
    return _coerce_any("date", value)


def _coerce_datetime(value: Any) -> tuple[Any, str | None]:
    return _coerce_any("datetime", value)


def _coerce_nothing(value: Any) -> tuple[Any, str | None]:
    return _NO_ANSWER  # notes take no answer


def _coerce_any(qtype: str, value: Any) -> tuple[Any, str | None]:
    """:func:`coerce` for any value: what the functions above fall back to."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if qtype in ("text", "calculate"):
        return (value if isinstance(value, str) else _text(value)), None
    if qtype == "integer":
        if isinstance(value, bool):
            return None, "integer"
        if isinstance(value, int):
            return value, None
        if isinstance(value, float):
            return (int(value), None) if value.is_integer() else (None, "integer")
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if _INTEGER.match(text):
            return int(text), None
        if _NUMBER.match(text) and float(text).is_integer():
            return int(float(text)), None
        return None, "integer"
    if qtype == "decimal":
        if isinstance(value, bool):
            return None, "decimal"
        if isinstance(value, int | float):
            number = float(value)
        else:
            text = str(value).strip().replace("\u00a0", "").replace(" ", "")
            if text.count(",") == 1 and "." not in text:
                text = text.replace(",", ".")  # a Russian keyboard's decimal comma
            if not _NUMBER.match(text):
                return None, "decimal"
            number = float(text)
        return (number, None) if math.isfinite(number) else (None, "decimal")
    if qtype == "select_one":
        return str(value).strip(), None
    if qtype == "select_multiple":
        items = value if isinstance(value, list | tuple) else str(value).split()
        seen: list[str] = []
        for item in items:
            s = str(item).strip()
            if s and s not in seen:
                seen.append(s)
        return (" ".join(seen) or None), None
    if qtype == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat(), None
        if isinstance(value, dt.date):
            return value.isoformat(), None
        try:
            text = str(value).strip()
            return dt.date.fromisoformat(text[:10]).isoformat(), (
                None if len(text) == 10 or text[10:] in ("T00:00:00", " 00:00:00") else "date"
            )
        except ValueError:
            return None, "date"
    if qtype == "time":
        if isinstance(value, dt.time):
            return value.strftime("%H:%M:%S" if value.second else "%H:%M"), None
        text = str(value).strip()
        return (text, None) if _TIME.match(text) else (None, "time")
    if qtype == "datetime":
        if isinstance(value, dt.datetime):
            return value.replace(microsecond=0).isoformat(), None
        try:
            parsed = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None, "datetime"
        return parsed.replace(microsecond=0).isoformat(), None
    return None, None  # notes take no answer


_COERCIONS: dict[str, Coercion] = {
    "text": _coerce_text,
    "calculate": _coerce_text,
    "select_one": _coerce_select_one,
    "select_multiple": _coerce_select_multiple,
    "integer": _coerce_integer,
    "decimal": _coerce_decimal,
    "date": _coerce_date,
    "time": _coerce_time,
    "datetime": _coerce_datetime,
}


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_MEMO: dict[tuple[str, int], tuple[object, Any]] = {}


def _memo(kind: str, items: Sequence[Question | Group], make: Callable[[], Any]) -> Any:
    """``make()`` once per tuple of form items: forms are frozen, their shape never changes."""
    key = (kind, id(items))
    found = _MEMO.get(key)
    if found is not None and found[0] is items:  # the same tuple, not a new one at an old id
        return found[1]
    value = make()
    if len(_MEMO) > 4096:  # forms come and go (tests, merges): keep the memo small
        _MEMO.clear()
    _MEMO[key] = (items, value)
    return value


def _level_names(items: Sequence[Question | Group]) -> frozenset[str]:
    """The names that live at one level (plain groups opened up): what ``${name}`` finds there."""
    return _memo("names", items, lambda: _level_names_of(items))  # type: ignore[no-any-return]


def _level_names_of(items: Sequence[Question | Group]) -> frozenset[str]:
    names: set[str] = set()
    for item in items:
        names.add(item.name)
        if isinstance(item, Group) and not item.repeat:
            names |= _level_names(item.children)
    return frozenset(names)


def validate(
    form: Form,
    answers: Mapping[str, Any],
    *,
    language: str | None = None,
    today: dt.date | None = None,
) -> Validation:
    """Validate ``answers`` against ``form``; see :class:`Validation` for what comes back."""
    return _Validator(form, language, today).run(answers)


def finding_holds(question: Question, value: Any, lookup: Callable[[str], Any]) -> bool:
    """Whether ``question``'s finding rule holds for an answer ``value`` (never for no answer)."""
    if question.finding is None or value is None:
        return False
    return question.finding.evaluate_bool(lookup, value)


# --------------------------------------------------------------------------------------------
# Plans: what validating one level of a form needs, worked out once per form.
#
# A level is the top of the form or the inside of a repeat (one row of answers); plain groups
# are opened up into their level. _Validator._level validates a level in four steps, which
# give the same results as going through the form element by element (as the validator before
# the plans did: tests/forms/reference_validate.py, and the property tests against it):
#
# 1. answers: each answerable question's given answer in its stored type (``_Level.answers``);
# 2. calculations (``_Level.calcs``), before relevance, since relevance rules may read them
#    (unless none does: ``_Level.first_pass``);
# 3. relevance, in form order (``_Level.steps``): what is not relevant is taken out of the
#    answers as the walk goes, so later rules see it gone; then the relevant calculations again;
# 4. checks, in form order (``_Level.checks``): type problems, required, choices, constraints
#    and findings of each relevant question, and the rows of each relevant repeat.
#
# The plan holds the expressions as their compiled functions, called as
# ``fn(lookup, current, today, now)`` (see Expression.bool_function), and ``lookup`` is a
# plain function: at the top of the form ``values.get`` itself, since every answer kept there
# is a name of that level. Paths and messages are only made for what gets recorded.
#
# Two things are remembered from report to report, where the same few answers keep coming
# back: the verdicts of checks on the answers of "quiet" questions, whose choices and
# constraint and finding rules read no other answer and not the clock (``_Level.checks``), and
# the results of larger relevance rules and calculations by the answers they read
# (_remembered). Nothing is remembered that could come out differently the next time.


class _Element(NamedTuple):
    """A question, group or repeat of a level, for when it is not relevant (see _take_out)."""

    name: str
    key: tuple[str]  # (name,): the end of its paths
    is_calc: bool  # a question with a calculation: its answer is not reported as dropped
    is_repeat: bool


class _Step(NamedTuple):
    """An element of a level with a relevant rule, in form order.

    When the rule does not hold, the element and everything inside it are not relevant
    (their own rules are not evaluated); the steps inside it are the ``size`` steps after it.
    An element whose name another element of the level has too is a step even without a rule
    (``relevant`` None): the last element of a name decides whether the name is relevant, as
    in a dict. Forms built in code may do that; loaded forms never do (names are unique).
    """

    name: str
    relevant: Callable[..., bool] | None
    shared: bool  # another element of the level has this name
    size: int  # the number of steps inside it
    inside: tuple[_Element, ...]  # the element and every element inside it, in form order
    names: frozenset[str]  # their names
    keys: frozenset[tuple[str]]  # their keys
    repeats: bool  # whether there are repeats among them


class _Calc(NamedTuple):
    """A question with a calculation."""

    name: str
    calculate: Callable[..., str]
    convert: Coercion | None  # to the question's type; None for type calculate (kept as text)


class _Verdict(NamedTuple):
    """What the checks of a question's answer find (see _Validator._judge)."""

    bad_choice: str | None  # the first of its choices that is not one of the question's
    broken: bool  # the constraint rule does not hold
    finding: bool  # the finding rule holds


_FINE = _Verdict(None, False, False)  # nothing to report, the usual verdict
_VERDICTS_KEPT = 512  # verdicts kept per question; more, and they are forgotten


class _Check(NamedTuple):
    """A question or repeat of a level, with what checking it needs."""

    key: tuple[str]  # (name,): the end of its paths
    question: Question | None  # None for a repeat
    required: Callable[..., bool] | None
    choices: frozenset[str] | None  # the choice names of a select question
    multiple: bool  # select_multiple: each of the space-separated choices is checked
    constraint: Callable[..., bool] | None
    finding: Callable[..., bool] | None
    rows: _Level | None  # a repeat's level, for each of its rows


# How step 1 coerces an answer stored as text or a whole number without calling the question
# type's coercion (same result): a text kept as given when not blank, a text stripped of
# white space (select_one), a whole number (int, not bool) kept as it is.
_KEEP, _STRIP, _WHOLE = "keep", "strip", "whole"
_SHORTCUTS = {"text": _KEEP, "calculate": _KEEP, "select_one": _STRIP, "integer": _WHOLE}


class _Level(NamedTuple):
    """The plan of one level (see "Plans" above)."""

    names: frozenset[str]  # the names that live here: ${name} of others looks further out
    # The questions the observer answers, in form order: name, shortcut (see _SHORTCUTS),
    # coercion.
    answers: tuple[tuple[str, str | None, Coercion], ...]
    calcs: tuple[_Calc, ...]  # each after the ones it uses
    first_pass: bool  # whether step 2 computes the calculations (see _first_pass_needed)
    steps: tuple[_Step, ...]
    # Each question and repeat, in form order: its name; for a quiet question the verdicts
    # on the answers seen so far, by answer (text or whole numbers only: 1, 1.0 and True are
    # equal keys, but not equal answers), else None; its _Check.
    checks: tuple[tuple[str, dict[str | int, _Verdict] | None, _Check], ...]


class _FormPlan(NamedTuple):
    """A form's plan: its top level, whose repeats hold the levels inside them."""

    top: _Level
    known: set[str]  # the names an answer may have at the top of the form
    # What the plan was made from besides the items (a copy of a form with other choices, or
    # another calculation order, gets its own plan).
    children: tuple[Question | Group, ...]
    choices: Mapping[str, tuple[Choice, ...]]
    calculation_order: tuple[str, ...]


_last_plan: _FormPlan | None = None  # the plan used last: nearly always the one wanted


def _plan(form: Form) -> _FormPlan:
    """The form's plan, made once and remembered with the form's items."""
    global _last_plan
    plan = _last_plan
    if (
        plan is not None
        and plan.children is form.children
        and plan.choices is form.choices
        and plan.calculation_order is form.calculation_order
    ):
        return plan
    plan = _memo("plan", form.children, lambda: _make_plan(form))
    if plan.choices is not form.choices or plan.calculation_order != form.calculation_order:
        plan = _make_plan(form)
        _MEMO[("plan", id(form.children))] = (form.children, plan)
    _last_plan = plan
    return plan


def _make_plan(form: Form) -> _FormPlan:
    rank = {name: i for i, name in enumerate(form.calculation_order)}
    return _FormPlan(
        _make_level(form, form.children, rank),
        _all_names(form.children),
        form.children,
        form.choices,
        form.calculation_order,
    )


def _bool_fn(expr: Expression | None) -> Callable[..., bool] | None:
    return None if expr is None else expr.bool_function()


def _make_level(form: Form, items: Sequence[Question | Group], rank: Mapping[str, int]) -> _Level:
    flat = _flatten(items)
    answers = tuple(
        (q.name, _SHORTCUTS.get(q.type), _coercion(q.type))
        for q in flat
        if isinstance(q, Question) and q.takes_answer and q.type != "calculate"
    )
    calc_questions = [q for q in flat if isinstance(q, Question) and q.calculation is not None]
    calc_questions.sort(key=lambda q: rank.get(q.name, len(rank)))
    calcs = tuple(
        _Calc(
            q.name,
            _remembered(q.calculation, q.calculation.string_function()),  # type: ignore[union-attr]
            None if q.type == "calculate" else _coercion(q.type),
        )
        for q in calc_questions
    )

    # Relevance: every element of the level (groups too), in form order, each with the
    # number of elements inside it.
    elements: list[tuple[Question | Group, int]] = []

    def walk(children: Sequence[Question | Group]) -> None:
        for el in children:
            at = len(elements)
            elements.append((el, 0))
            if isinstance(el, Group) and not el.repeat:
                walk(el.children)
                elements[at] = (el, len(elements) - at - 1)

    walk(items)
    counts = Counter(el.name for el, _size in elements)
    shared = any(count > 1 for count in counts.values())
    is_step = [el.relevant is not None or counts[el.name] > 1 for el, _size in elements]
    steps: list[_Step] = []
    for at, (el, size) in enumerate(elements):
        if not is_step[at]:
            continue
        inside = [
            _Element(
                e.name,
                (e.name,),
                isinstance(e, Question) and e.calculation is not None,
                isinstance(e, Group) and e.repeat,
            )
            for e, _size in elements[at : at + 1 + size]
        ]
        steps.append(
            _Step(
                el.name,
                None
                if el.relevant is None
                else _remembered(el.relevant, el.relevant.bool_function()),
                counts[el.name] > 1,
                sum(is_step[at + 1 : at + 1 + size]),
                tuple(inside),
                frozenset(e.name for e in inside),
                frozenset(e.key for e in inside),
                any(e.is_repeat for e in inside),
            )
        )

    checks: list[tuple[str, dict[str | int, _Verdict] | None, _Check]] = []
    for el in flat:
        if isinstance(el, Group):  # a repeat
            rows = _make_level(form, el.children, rank)
            checks.append(
                (el.name, None, _Check((el.name,), None, None, None, False, None, None, rows))
            )
            continue
        check = _Check(
            (el.name,),
            el,
            _bool_fn(el.required) if el.takes_answer else None,
            frozenset(c.name for c in form.choice_list(el)) if el.is_select else None,
            el.type == "select_multiple",
            _bool_fn(el.constraint),
            _bool_fn(el.finding),
            None,
        )
        quiet = _answer_alone(el.constraint) and _answer_alone(el.finding)
        checks.append((el.name, {} if quiet else None, check))
    return _Level(
        _level_names(items),
        answers,
        calcs,
        _first_pass_needed(form, calc_questions, elements, shared),
        tuple(steps),
        tuple(checks),
    )


def _answer_alone(expr: Expression | None) -> bool:
    """Whether the value of ``expr`` depends on the current answer alone."""
    return expr is None or not (expr.references() or expr.uses_clock())


def _first_pass_needed(
    form: Form,
    calcs: Sequence[Question],
    elements: Sequence[tuple[Question | Group, int]],
    shared: bool,
) -> bool:
    """Whether step 2 must compute the level's calculations before relevance (step 3 does
    again, for the relevant ones).

    Not when the level has a single calculation, of type calculate, that no relevance rule
    of the level reads, nor the calculation itself: what the first pass would put in the
    answers is then either taken out in step 3 (the calculation is not relevant) or put back
    by the second pass, in the same place (last, since an answer of type calculate is never
    given and nothing is added in between). Nor can the first pass fail where the second
    would not: expressions fail only on the rows of a repeat, which it must not read.
    """
    if len(calcs) != 1 or calcs[0].type != "calculate" or shared:
        return bool(calcs)
    calc = calcs[0]
    assert calc.calculation is not None
    reads = calc.calculation.references()
    if calc.name in reads or not reads.isdisjoint(g.name for g in form.repeats()):
        return True
    return any(
        el.relevant is not None and calc.name in el.relevant.references() for el, _ in elements
    )


# Results of relevance rules and calculations, remembered by the answers they read: the same
# few answers come back report after report, and rules such as
# "${a} = 'x' or ${a} = 'y' or ${a} = 'z'" or a turnout calculation cost more than looking up
# their result. Building the key costs too, so only expressions with at least _WORTH parts
# per answer they read are remembered (a plain "${a} = 'x'" is quicker to evaluate).
_WORTH = 5
# Answers of these types are equal only when they are the same answer (1, 1.0 and True are
# equal keys of a dict, but not the same answer to an expression).
_KEY_TYPES = frozenset({str, int, type(None)})
_REMEMBERED = 1024  # results kept per expression; more, and they are forgotten
_UNKNOWN = object()


def _remembered(expr: Expression, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn``, the compiled ``expr``, with its results remembered by the answers it reads
    when that is worth it and safe: never for an expression that reads the clock, nor when
    called with a current answer or with answers of other types than _KEY_TYPES."""
    refs = tuple(sorted(expr.references()))
    if not refs or expr.uses_clock() or expr.size() < _WORTH * len(refs):
        return fn
    results: dict[Any, Any] = {}

    if len(refs) == 1:
        (ref,) = refs

        def remembered_one(lookup, current, today, now):  # type: ignore[no-untyped-def]
            key = lookup(ref)
            if current is not None or type(key) not in _KEY_TYPES:
                return fn(lookup, current, today, now)
            result = results.get(key, _UNKNOWN)
            if result is _UNKNOWN:
                if len(results) >= _REMEMBERED:
                    results.clear()
                result = results[key] = fn(lookup, current, today, now)
            return result

        return remembered_one

    def remembered(lookup, current, today, now):  # type: ignore[no-untyped-def]
        key = tuple(map(lookup, refs))
        if current is not None or not _KEY_TYPES.issuperset(map(type, key)):
            return fn(lookup, current, today, now)
        result = results.get(key, _UNKNOWN)
        if result is _UNKNOWN:
            if len(results) >= _REMEMBERED:
                results.clear()
            result = results[key] = fn(lookup, current, today, now)
        return result

    return remembered


def _row_lookup(
    values: Mapping[str, Any], names: frozenset[str], outer: Callable[[str], Any]
) -> Callable[[str], Any]:
    """``${name}`` inside a repeat row: the row's own answers, else the level around it."""
    get = values.get

    def lookup(name: str) -> Any:
        return get(name) if name in names else outer(name)

    return lookup


_NO_ROWS = (None, "")


class _Validator:
    def __init__(self, form: Form, language: str | None, today: dt.date | None) -> None:
        self.form = form
        self.language = language or form.default_language
        self.today = today
        self.problems: list[AnswerProblem] = []
        self.dropped: list[tuple[str | int, ...]] = []
        self.findings: list[tuple[str | int, ...]] = []
        self.hidden: set[tuple[str | int, ...]] = set()

    def run(self, answers: Mapping[str, Any]) -> Validation:
        plan = _plan(self.form)
        known = plan.known
        if not known.issuperset(answers):
            for key in answers:
                if key not in known:
                    self.problems.append(
                        AnswerProblem((key,), "unknown", message("unknown", self.language))
                    )
        out = self._level(plan.top, answers, None, ())
        return Validation(
            answers=out,
            problems=tuple(self.problems),
            dropped=tuple(self.dropped),
            findings=tuple(self.findings),
            hidden=frozenset(self.hidden),
        )

    def _level(
        self,
        level: _Level,
        given: Mapping[str, Any],
        outer: Callable[[str], Any] | None,
        path: tuple[str | int, ...],
    ) -> Answers:
        """Validate one level: the top of the form (``outer`` None), or one row of a repeat.
        See "Plans" above for the four steps."""
        today = self.today
        get = given.get
        values: Answers = {}
        # At the top, every name in values lives at this level: values.get is the lookup.
        lookup = values.get if outer is None else _row_lookup(values, level.names, outer)

        # 1. The given answers, in their stored types. An answer of the wrong type is kept as
        # text (so rules see what was given), and reported in step 4 if relevant.
        type_problems: dict[str, str] | None = None
        for name, shortcut, convert in level.answers:
            raw = get(name)
            if raw is None:
                continue  # no answer
            if raw.__class__ is str:
                if shortcut is _STRIP:
                    raw = raw.strip()
                    if raw:
                        values[name] = raw
                    continue
                if shortcut is _KEEP:
                    if raw.strip():
                        values[name] = raw
                    continue
            elif shortcut is _WHOLE and raw.__class__ is int:
                values[name] = raw
                continue
            value, problem = convert(raw)
            if problem:
                if type_problems is None:
                    type_problems = {}
                type_problems[name] = problem
                values[name] = raw if isinstance(raw, str) else _text(raw)
            elif value is not None:
                values[name] = value

        # 2. Calculations, before relevance, whose rules may read them.
        calcs = level.calcs
        if level.first_pass:
            self._calculate(calcs, values, lookup)

        # 3. Relevance, in form order: what is not relevant (or in a group that is not) is
        # hidden and taken out of the answers, before the rules after it are evaluated.
        off: set[str] = set()  # the names of this level's elements that are not relevant
        hidden = self.hidden
        resume = 0  # after an element that is not relevant: the first step not inside it
        for i, step in enumerate(level.steps):
            if i < resume:
                continue
            relevant = step.relevant
            if relevant is None or relevant(lookup, None, today, None):
                if step.shared:
                    off.discard(step.name)
                continue
            # Not relevant: the element and everything inside it, whose rules are skipped.
            resume = i + 1 + step.size
            off |= step.names
            if path:
                hidden.update([path + key for key in step.keys])
            else:
                hidden |= step.keys
            if step.repeats or not values.keys().isdisjoint(step.names):
                for element in step.inside:
                    self._take_out(element, values, given, path)
        if calcs:  # again, now that what they read may have gone
            self._calculate(
                [c for c in calcs if c.name not in off] if off else calcs, values, lookup
            )

        # 4. The checks of each relevant question, and the rows of each relevant repeat. What
        # is not relevant has no answer kept: an answer found is to a relevant question.
        answer = values.get
        for name, verdicts, check in level.checks:
            value = answer(name)
            if value is None:
                if name in off:
                    continue
            elif type_problems is None and check.rows is None:  # an answer to check
                if verdicts is not None and (value.__class__ is str or value.__class__ is int):
                    # Quiet, the usual case (not 1.0 or True: they are equal keys to 1).
                    verdict = verdicts.get(value) or self._keep_verdict(
                        verdicts, check, value, lookup
                    )
                else:
                    verdict = self._judge(check, value, lookup)
                if verdict is not _FINE:
                    self._report(check, verdict, path)
                continue
            self._check(name, check, values, given, type_problems, lookup, path)
        return values

    def _check(
        self,
        name: str,
        check: _Check,
        values: Answers,
        given: Mapping[str, Any],
        type_problems: Mapping[str, str] | None,
        lookup: Callable[[str], Any],
        path: tuple[str | int, ...],
    ) -> None:
        """Check a relevant question's answer, or validate the rows of a relevant repeat."""
        if check.rows is not None:  # a repeat: rows of answers
            rows = given.get(name)
            if rows in _NO_ROWS:
                return
            if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
                self.problems.append(
                    AnswerProblem(path + check.key, "repeat", message("repeat", self.language))
                )
                return
            values[name] = [
                self._level(check.rows, row, lookup, (*path, name, i)) for i, row in enumerate(rows)
            ]
            return
        if type_problems is not None and name in type_problems:
            code = type_problems[name]
            self.problems.append(
                AnswerProblem(path + check.key, code, message(code, self.language))
            )
            return
        value = values.get(name)
        if value is None:
            required = check.required
            if required is not None and required(lookup, None, self.today, None):
                text = _required_text(check.question, self.language)  # type: ignore[arg-type]
                self.problems.append(AnswerProblem(path + check.key, "required", text))
            return
        self._report(check, self._judge(check, value, lookup), path)

    def _judge(self, check: _Check, value: Any, lookup: Callable[[str], Any]) -> _Verdict:
        """What the checks of ``value``, the answer to ``check``'s question, find: whether it
        is one of the choices, else whether the constraint rule is broken and whether the
        finding rule holds."""
        choices = check.choices
        if choices is not None:
            if check.multiple:
                bad = next((c for c in str(value).split() if c not in choices), None)
            else:
                bad = None if value in choices else value
            if bad is not None:
                return _Verdict(bad, False, False)
        constraint, finding = check.constraint, check.finding
        broken = constraint is not None and not constraint(lookup, value, self.today, None)
        found = finding is not None and finding(lookup, value, self.today, None)
        if broken:
            return _Verdict(None, True, found)
        return _Verdict(None, False, True) if found else _FINE

    def _keep_verdict(
        self,
        verdicts: dict[str | int, _Verdict],
        check: _Check,
        value: str | int,
        lookup: Callable[[str], Any],
    ) -> _Verdict:
        """The verdict on a quiet question's answer not judged before, kept."""
        verdict = self._judge(check, value, lookup)
        if len(verdicts) >= _VERDICTS_KEPT:
            verdicts.clear()
        verdicts[value] = verdict
        return verdict

    def _report(self, check: _Check, verdict: _Verdict, path: tuple[str | int, ...]) -> None:
        """Record what the checks of a question's answer found."""
        if verdict is _FINE:
            return
        where = path + check.key
        if verdict.bad_choice is not None:
            text = message("choice", self.language, value=verdict.bad_choice)
            self.problems.append(AnswerProblem(where, "choice", text))
            return
        if verdict.broken:
            text = _constraint_text(check.question, self.language)  # type: ignore[arg-type]
            self.problems.append(AnswerProblem(where, "constraint", text))
        if verdict.finding:
            self.findings.append(where)

    def _take_out(
        self,
        element: _Element,
        values: Answers,
        given: Mapping[str, Any],
        path: tuple[str | int, ...],
    ) -> None:
        """Take the answer to ``element``, which is not relevant, out of ``values``; a given
        answer (not a calculation's) or repeat rows given for it are reported as dropped."""
        name = element.name
        if name in values:
            del values[name]
            if name in given and not element.is_calc:
                self.dropped.append(path + element.key)
        elif element.is_repeat and given.get(name):
            self.dropped.append(path + element.key)  # its rows, all of them

    def _calculate(
        self, calcs: Sequence[_Calc], values: Answers, lookup: Callable[[str], Any]
    ) -> None:
        today = self.today
        for name, calculate, convert in calcs:
            text = calculate(lookup, None, today, None)
            if convert is None:  # type calculate: the text, unless there is none
                if text == "" or text == "NaN":
                    values.pop(name, None)
                else:
                    values[name] = text
            else:
                value, problem = convert(text)
                if value is None or problem:
                    values.pop(name, None)
                else:
                    values[name] = value


def _required_text(q: Question, language: str) -> str:
    return (
        q.required_messages.get(language)
        or next(iter(q.required_messages.values()), "")
        or message("required", language)
    )


def _constraint_text(q: Question, language: str) -> str:
    assert q.constraint is not None
    return (
        q.constraint_messages.get(language)
        or next(iter(q.constraint_messages.values()), "")
        or message("constraint", language, rule=q.constraint.source)
    )


def _flatten(items: Sequence[Question | Group]) -> list[Question | Group]:
    """Questions and repeats of one level, in form order (plain groups opened up)."""
    return _memo("flat", items, lambda: _flatten_of(items))  # type: ignore[no-any-return]


def _flatten_of(items: Sequence[Question | Group]) -> list[Question | Group]:
    out: list[Question | Group] = []
    for item in items:
        if isinstance(item, Group) and not item.repeat:
            out.extend(_flatten(item.children))
        else:
            out.append(item)
    return out


def _all_names(items: Sequence[Question | Group]) -> set[str]:
    return _memo("all", items, lambda: _all_names_of(items))  # type: ignore[no-any-return]


def _all_names_of(items: Sequence[Question | Group]) -> set[str]:
    names: set[str] = set()
    for item in items:
        if isinstance(item, Group):
            if item.repeat:
                names.add(item.name)
            else:
                names |= _all_names(item.children)
        else:
            names.add(item.name)
    return names


def initial_answers(form: Form) -> Answers:
    """The answers a new report starts with: the form's ``default`` values (top level only)."""
    out: Answers = {}
    for item in _flatten(form.children):
        if isinstance(item, Question) and item.default is not None and item.takes_answer:
            value, problem = coerce(item, item.default)
            if value is not None and not problem:
                out[item.name] = value
    return out
