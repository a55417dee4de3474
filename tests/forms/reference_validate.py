"""The validator as it was before its per-level plans: the reference the property tests
(test_validate_equivalence.py) compare :func:`forms.validate.validate` against.

This is a copy of forms/validate.py as of commit eb6e403 (logic only: the result classes and
Pollcheck's own messages come from forms.validate, so results compare equal). Do not speed it
up; it is meant to stay the plain, obviously-right version. Expressions are evaluated with
forms.expressions, whose compiled closures test_expressions.py checks against its tree walker.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from forms.expressions import Expression
from forms.model import Form, Group, Question
from forms.validate import AnswerProblem, Validation, message

Answers = dict[str, Any]


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$")


def coerce(question: Question, value: Any) -> tuple[Any, str | None]:
    """``value`` in the stored type of ``question``, or ``(None, problem code)``.

    Empty text and ``None`` are no answer: ``(None, None)``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    qtype = question.type
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


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Scope:
    """Where ``${name}`` is looked up: the current repeat row, then the rows around it."""

    def __init__(self, values: Mapping[str, Any], parent: _Scope | None, names: frozenset[str]):
        self.values = values
        self.parent = parent
        self.names = names  # the names that live at this level

    def lookup(self, name: str) -> Any:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.values.get(name)
            scope = scope.parent
        return None


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
    return _memo("names", items, lambda: _level_names_of(items))  # type: ignore[no-any-return]


def _level_names_of(items: Sequence[Question | Group]) -> frozenset[str]:
    names: set[str] = set()
    for item in items:
        names.add(item.name)
        if isinstance(item, Group) and not item.repeat:
            names |= _level_names(item.children)
    return frozenset(names)


def reference_validate(
    form: Form,
    answers: Mapping[str, Any],
    *,
    language: str | None = None,
    today: dt.date | None = None,
) -> Validation:
    """Validate ``answers`` against ``form``; see :class:`Validation` for what comes back."""
    return _Validator(form, language, today).run(answers)


class _Validator:
    def __init__(self, form: Form, language: str | None, today: dt.date | None) -> None:
        self.form = form
        self.language = language or form.default_language
        self.today = today
        self.problems: list[AnswerProblem] = []
        self.dropped: list[tuple[str | int, ...]] = []
        self.findings: list[tuple[str | int, ...]] = []
        self.hidden: set[tuple[str | int, ...]] = set()
        self.calc_rank = {name: i for i, name in enumerate(form.calculation_order)}

    def run(self, answers: Mapping[str, Any]) -> Validation:
        known = _all_names(self.form.children)
        for key in answers:
            if key not in known:
                self.problems.append(
                    AnswerProblem((key,), "unknown", message("unknown", self.language))
                )
        out = self._level(self.form.children, answers, None, ())
        return Validation(
            answers=out,
            problems=tuple(self.problems),
            dropped=tuple(self.dropped),
            findings=tuple(self.findings),
            hidden=frozenset(self.hidden),
        )

    def _evaluate(self, expr: Expression, scope: _Scope, current: Any = None) -> bool:
        return expr.evaluate_bool(scope.lookup, current, today=self.today)

    def _level(
        self,
        items: Sequence[Question | Group],
        given: Mapping[str, Any],
        parent: _Scope | None,
        path: tuple[str | int, ...],
    ) -> Answers:
        """Validate one level: the top of the form, or one row of a repeat."""
        flat = _flatten(items)
        values: Answers = {}
        type_problems: dict[str, str] = {}
        for q in _answerable(items):
            value, problem = coerce(q, given.get(q.name))
            if problem:
                type_problems[q.name] = problem
                raw = given.get(q.name)
                values[q.name] = raw if isinstance(raw, str) else _text(raw)
            elif value is not None:
                values[q.name] = value
        scope = _Scope(values, parent, _level_names(items))
        calcs = self._calcs(items)
        self._calculate(calcs, values, scope)
        # Relevance, in form order: a question inside a group that is not relevant is not either.
        relevant: dict[str, bool] = {}

        def mark(elements: Sequence[Question | Group], inherited: bool) -> None:
            for el in elements:
                ok = inherited and (el.relevant is None or self._evaluate(el.relevant, scope))
                relevant[el.name] = ok
                if not ok:
                    self.hidden.add((*path, el.name))
                    if el.name in values:
                        del values[el.name]
                        if el.name in given and not _is_calc(el):
                            self.dropped.append((*path, el.name))
                    elif isinstance(el, Group) and el.repeat and given.get(el.name):
                        self.dropped.append((*path, el.name))  # its rows, all of them
                if isinstance(el, Group) and not el.repeat:
                    mark(el.children, ok)

        mark(items, True)
        if calcs:
            self._calculate([q for q in calcs if relevant.get(q.name)], values, scope)
        for el in flat:
            if not relevant.get(el.name):
                continue
            if isinstance(el, Group):  # a repeat: rows of answers
                rows = given.get(el.name)
                if rows in (None, ""):
                    continue
                if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
                    self.problems.append(
                        AnswerProblem((*path, el.name), "repeat", message("repeat", self.language))
                    )
                    continue
                values[el.name] = [
                    self._level(el.children, row, scope, (*path, el.name, i))
                    for i, row in enumerate(rows)
                ]
                continue
            self._check_question(el, values, scope, path, type_problems.get(el.name))
        return values

    def _calcs(self, items: Sequence[Question | Group]) -> list[Question]:
        """The calculations of one level, each after the ones it uses."""

        def make() -> list[Question]:
            calcs = [
                q for q in _flatten(items) if isinstance(q, Question) and q.calculation is not None
            ]
            calcs.sort(key=lambda q: self.calc_rank.get(q.name, len(self.calc_rank)))
            return calcs

        return _memo("calcs", items, make)  # type: ignore[no-any-return]

    def _calculate(self, calcs: Sequence[Question], values: Answers, scope: _Scope) -> None:
        for q in calcs:
            assert q.calculation is not None
            text = q.calculation.evaluate_string(scope.lookup, None, today=self.today)
            if q.type == "calculate":
                if text == "" or text == "NaN":
                    values.pop(q.name, None)
                else:
                    values[q.name] = text
            else:
                value, problem = coerce(q, text)
                if value is None or problem:
                    values.pop(q.name, None)
                else:
                    values[q.name] = value

    def _check_question(
        self,
        q: Question,
        values: Answers,
        scope: _Scope,
        path: tuple[str | int, ...],
        type_problem: str | None,
    ) -> None:
        if type_problem:
            where = (*path, q.name)
            self.problems.append(
                AnswerProblem(where, type_problem, message(type_problem, self.language))
            )
            return
        value = values.get(q.name)
        if value is None:
            if q.required is not None and q.takes_answer and self._evaluate(q.required, scope):
                text = (
                    q.required_messages.get(self.language)
                    or next(iter(q.required_messages.values()), "")
                    or message("required", self.language)
                )
                self.problems.append(AnswerProblem((*path, q.name), "required", text))
            return
        if q.is_select:
            choices = self.form.choice_list(q)
            names = _memo("choices", choices, lambda: frozenset(c.name for c in choices))
            for item in str(value).split() if q.type == "select_multiple" else [value]:
                if item not in names:
                    self.problems.append(
                        AnswerProblem(
                            (*path, q.name), "choice", message("choice", self.language, value=item)
                        )
                    )
                    return
        if q.constraint is not None and not self._evaluate(q.constraint, scope, value):
            text = (
                q.constraint_messages.get(self.language)
                or next(iter(q.constraint_messages.values()), "")
                or message("constraint", self.language, rule=q.constraint.source)
            )
            self.problems.append(AnswerProblem((*path, q.name), "constraint", text))
        if q.finding is not None and self._evaluate(q.finding, scope, value):
            self.findings.append((*path, q.name))


def _answerable(items: Sequence[Question | Group]) -> list[Question]:
    """The questions of one level whose answers the observer gives (not notes, calculations)."""

    def make() -> list[Question]:
        return [
            q
            for q in _flatten(items)
            if isinstance(q, Question) and q.takes_answer and q.type != "calculate"
        ]

    return _memo("answerable", items, make)  # type: ignore[no-any-return]


def _is_calc(el: Question | Group) -> bool:
    return isinstance(el, Question) and el.calculation is not None


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
