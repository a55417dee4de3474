"""db.checks helpers: which answers several reports of one station disagree on."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from db.checks import _disagree

answer = st.one_of(
    st.none(),
    st.sampled_from(["yes", "no", ""]),
    st.integers(0, 3),
    st.sampled_from([1.0, 0.0, -0.0, float("nan")]),
    st.booleans(),
    st.lists(st.dictionaries(st.sampled_from(["x", "y"]), st.integers(0, 2)), max_size=2),
)
reports = st.lists(
    st.dictionaries(st.sampled_from(["a", "b", "c", "d", "rows"]), answer, max_size=5),
    min_size=2,
    max_size=5,
)


def as_before(answers: list[dict[str, Any]]) -> list[str]:
    """What run_checks computed before _disagree (the definition)."""
    keys = sorted(set().union(*(a.keys() for a in answers)))
    first = answers[0]
    return [k for k in keys if any(a.get(k) != first.get(k) for a in answers[1:])]


@settings(database=None, max_examples=500)
@given(reports)
def test_disagree__any_reports__same_as_comparing_every_question(
    answers: list[dict[str, Any]],
) -> None:
    assert _disagree(answers) == as_before(answers)


def test_disagree__missing_and_none__agree() -> None:
    assert _disagree([{"a": None, "b": 1}, {"b": 1}, {"b": 1.0}]) == []


def test_disagree__rows_and_numbers__differing_ones_sorted() -> None:
    rows = [{"x": 1}]
    answers = [{"z": 1, "rows": rows, "a": "yes"}, {"z": 2, "rows": [{"x": 2}], "a": "yes"}]
    assert _disagree(answers) == ["rows", "z"]
