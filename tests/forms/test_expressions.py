"""Tests of forms.expressions: parsing, XPath evaluation rules, errors and hostile input."""

from __future__ import annotations

import datetime
import math
import pickle
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.expressions import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_REGEX_LENGTH,
    Expression,
    ExpressionError,
    Value,
    parse,
    to_boolean,
    to_number,
    to_string,
)

TODAY = datetime.date(2024, 3, 15)
NOW = datetime.datetime(2024, 3, 15, 18, 30, 0, tzinfo=datetime.UTC)
NAN = math.nan
INF = math.inf

# No example database: the tests must not leave files in the repository.
quick = settings(database=None, deadline=None, max_examples=300)


def lookup_in(answers: Mapping[str, object]) -> Callable[[str], object]:
    def lookup(name: str) -> object:
        return answers[name]

    return lookup


def always(answer: object) -> Callable[[str], object]:
    """A lookup that gives every question the same answer."""

    def lookup(name: str) -> object:
        return answer

    return lookup


def evaluate(source: str, current: object = None, **answers: object) -> Value:
    return parse(source).evaluate(lookup_in(answers), current, today=TODAY, now=NOW)


def evaluate_bool(source: str, current: object = None, **answers: object) -> bool:
    return parse(source).evaluate_bool(lookup_in(answers), current, today=TODAY, now=NOW)


def evaluate_string(source: str, current: object = None, **answers: object) -> str:
    return parse(source).evaluate_string(lookup_in(answers), current, today=TODAY, now=NOW)


def same(actual: object, expected: object) -> bool:
    """Equal in value and XPath type; NaN equals NaN here."""
    if type(actual) is not type(expected):
        return False
    if isinstance(actual, float) and isinstance(expected, float):
        return (math.isnan(actual) and math.isnan(expected)) or actual == expected
    return actual == expected


def parse_error(source: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        parse(source)
    return info.value


# --------------------------------------------------------------------------------------------
# The Expression object


def test_parse__valid_text__keeps_source_and_repr() -> None:
    expression = parse("${a} + 1")
    assert expression.source == "${a} + 1"
    assert repr(expression) == "Expression(source='${a} + 1')"


def test_expression__constructed_directly__parses_and_validates() -> None:
    assert Expression("1 + 1").evaluate(lookup_in({})) == 2.0
    with pytest.raises(ExpressionError):
        Expression("1 +")


def test_expression__two_parses_of_same_text__are_distinct_and_hashable() -> None:
    first, second = parse("1"), parse("1")
    assert first != second
    assert len({first, second, first}) == 2


def test_references__names_in_every_branch__are_all_listed() -> None:
    expression = parse("if(${a} > 1, concat(${b}, ${b}), ${c.d-e_f}) and selected(${ответ}, 'x')")
    assert expression.references() == frozenset({"a", "b", "c.d-e_f", "ответ"})


def test_references__no_references__is_empty() -> None:
    assert parse("1 + 2").references() == frozenset()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (". > 5", True),
        ("string-length(.) < 3", True),
        ("string-length() < 3", True),
        ("number() > 1", True),
        ("string() = 'a'", True),
        ("${a} > 5", False),
        ("string-length(${a}) < 3", False),
        ("'.' = '.'", False),
        (".5 > 0", False),
    ],
)
def test_uses_current__various_expressions__reports_reading_of_current_answer(
    source: str, expected: bool
) -> None:
    assert parse(source).uses_current() is expected


def test_functions__constant__lists_exactly_the_documented_functions() -> None:
    assert (
        frozenset(
            {
                "selected",
                "count-selected",
                "not",
                "string-length",
                "number",
                "int",
                "round",
                "if",
                "coalesce",
                "concat",
                "contains",
                "starts-with",
                "ends-with",
                "regex",
                "today",
                "now",
                "true",
                "false",
                "string",
                "boolean",
                "floor",
                "ceiling",
                "abs",
                "substr",
                "max",
                "min",
                "selected-at",
                "date",
            }
        )
        == FUNCTIONS
    )


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_functions__every_name__is_callable_with_a_valid_argument_count(name: str) -> None:
    arguments = {
        "selected": "'a b', 'a'",
        "count-selected": "'a b'",
        "if": "true(), 1, 2",
        "coalesce": "'', 1",
        "contains": "'ab', 'a'",
        "starts-with": "'ab', 'a'",
        "ends-with": "'ab', 'b'",
        "regex": "'ab', 'a'",
        "substr": "'abc', 1",
        "selected-at": "'a b', 1",
        "today": "",
        "now": "",
        "true": "",
        "false": "",
        "concat": "",
    }.get(name, "1")
    result = evaluate(f"{name}({arguments})", current="x")
    assert isinstance(result, str | float | bool)


def test_expression_error__attributes__message_position_and_str() -> None:
    error = ExpressionError("something is wrong", 4)
    assert isinstance(error, ValueError)
    assert (error.message, error.position, str(error)) == (
        "something is wrong",
        4,
        "something is wrong",
    )
    assert ExpressionError("no place").position is None


def test_expression_error__pickled__keeps_message_and_position() -> None:
    copy = pickle.loads(pickle.dumps(ExpressionError("bad", 3)))  # noqa: S301 — our own bytes
    assert (copy.message, copy.position) == ("bad", 3)


# --------------------------------------------------------------------------------------------
# Literals and tokens


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("12", 12.0),
        ("3.5", 3.5),
        (".5", 0.5),
        ("12.", 12.0),
        ("007", 7.0),
    ],
)
def test_number_literal__forms__evaluate_to_floats(source: str, expected: float) -> None:
    assert same(evaluate(source), expected)


def test_string_literal__other_quote_inside__is_kept() -> None:
    assert evaluate('"it\'s"') == "it's"
    assert evaluate("'say \"hi\"'") == 'say "hi"'
    assert evaluate("''") == ""


def test_whitespace__anywhere_including_newlines_and_no_break_space__is_ignored() -> None:
    assert evaluate("\n\t( 1\u00a0+\r\n2 )  *\t3 ") == 9.0
    assert evaluate("concat ( 'a' , 'b' )") == "ab"


def test_operators__written_without_spaces__are_recognised() -> None:
    assert evaluate("${a}-${b}", a="5", b="2") == 3.0
    assert evaluate("5 div-1") == -5.0
    assert evaluate("7mod 4") == 3.0
    assert evaluate("2*3") == 6.0
    assert evaluate("1--1") == 2.0


def test_word_operators__in_operand_position__are_not_operators() -> None:
    assert parse_error("and 1").message == "expected a value but found 'and'"
    assert parse_error("1 + div").position == 4


def test_reference__non_ascii_name_with_combining_marks__is_looked_up() -> None:
    assert evaluate("${किताब} + 1", **{"किताब": "2"}) == 3.0


# --------------------------------------------------------------------------------------------
# Arithmetic


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("7 + 2", 9.0),
        ("7 - 2", 5.0),
        ("7 * 2", 14.0),
        ("7 div 2", 3.5),
        ("7 mod 3", 1.0),
        ("-7 mod 3", -1.0),
        ("7 mod -3", 1.0),
        ("5.5 mod 2", 1.5),
        ("-(2)", -2.0),
        ("- - 2", 2.0),
        ("-'3'", -3.0),
        ("'3' + '4'", 7.0),
        ("'abc' + 1", NAN),
        ("true() + 1", 2.0),
        ("0.1 + 0.2", 0.1 + 0.2),
    ],
)
def test_arithmetic__each_operator__follows_xpath(source: str, expected: float) -> None:
    assert same(evaluate(source), expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 div 0", INF),
        ("-1 div 0", -INF),
        ("1 div -0", -INF),
        ("0 div 0", NAN),
        ("5 mod 0", NAN),
        ("0 mod 0", NAN),
        ("(1 div 0) mod 2", NAN),
        ("5 mod (1 div 0)", 5.0),
        ("(1 div 0) - (1 div 0)", NAN),
        ("(0 div 0) div 0", NAN),
    ],
)
def test_arithmetic__division_by_zero_and_infinities__never_raises(
    source: str, expected: float
) -> None:
    assert same(evaluate(source), expected)


def test_arithmetic__results_as_string__follow_xpath_number_format() -> None:
    assert evaluate_string("1 div 0") == "Infinity"
    assert evaluate_string("-1 div 0") == "-Infinity"
    assert evaluate_string("0 div 0") == "NaN"
    assert evaluate_string("6 div 2") == "3"
    assert evaluate_string("1 div 4") == "0.25"
    assert evaluate_string("-0") == "0"


# --------------------------------------------------------------------------------------------
# Precedence and associativity


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 - 2 - 3", -4.0),
        ("(1 - 2) - 3", -4.0),
        ("1 - (2 - 3)", 2.0),
        ("2 + 3 * 4", 14.0),
        ("2 * 3 + 4", 10.0),
        ("(2 + 3) * 4", 20.0),
        ("12 div 2 div 3", 2.0),
        ("12 div (2 div 3)", 18.0),
        ("2 * 7 mod 4", 2.0),
        ("7 mod 4 * 2", 6.0),
        ("-2 + 3", 1.0),
        ("- 2 * 3", -6.0),
        ("2 - -3", 5.0),
        ("1 = 1 and 2 > 3 or true()", True),
        ("true() or false() and false()", True),
        ("(true() or false()) and false()", False),
        ("false() and false() or true()", True),
        ("1 < 2 = true()", True),
        ("3 > 2 > 1", False),
        ("1 = 2 = false()", True),
        ("1 + 1 = 2", True),
        ("1 = 1 + 0 and 2 >= 1 * 2", True),
        ("1 = 2 != 0", False),  # (1 = 2) != 0, not 1 = (2 != 0)
    ],
)
def test_precedence__mixed_operators__group_like_xpath(source: str, expected: Value) -> None:
    assert same(evaluate(source), expected)


def test_chain__thousands_of_terms__evaluates_without_recursion() -> None:
    assert evaluate("+".join(["1"] * 3000)) == 3000.0
    assert evaluate(" or ".join(["${a}='x'"] * 800), a="y") is False
    assert evaluate(" and ".join(["${a}='y'"] * 700), a="y") is True
    assert evaluate("-" * 4001 + "1") == -1.0


# --------------------------------------------------------------------------------------------
# Comparisons


def test_compare__empty_answer_vs_number__is_false() -> None:
    assert evaluate("${x} > 5", x=None) is False
    assert evaluate("${x} < 5", x=None) is False
    assert evaluate("${x} = 5", x=None) is False
    assert evaluate("${x} >= 0", x="") is False


def test_compare__empty_answer_not_equal_to_number__is_true() -> None:
    assert evaluate("${x} != 5", x=None) is True


def test_compare__empty_answer_vs_empty_string__is_equal() -> None:
    assert evaluate("${x} = ''", x=None) is True
    assert evaluate("${x} != ''", x=None) is False
    assert evaluate("${x} = ''", x="a") is False


def test_compare__answer_vs_number__compares_numbers() -> None:
    assert evaluate("${x} = 5", x="05") is True
    assert evaluate("${x} = 5", x="5.0") is True
    assert evaluate("${x} = 5", x=" 5 ") is True
    assert evaluate("${x} > 10", x="9") is False
    assert evaluate("${x} < 10", x=9) is True


def test_compare__answer_vs_string__compares_strings() -> None:
    assert evaluate("${x} = '5'", x="05") is False
    assert evaluate("${x} = 'yes'", x="yes") is True


def test_compare__answer_vs_answer__compares_strings() -> None:
    assert evaluate("${x} = ${y}", x="05", y="5") is False
    assert evaluate("${x} = ${y}", x="5", y=5.0) is True
    assert evaluate("${x} != ${y}", x="a", y="a") is False


def test_compare__answer_vs_boolean__uses_non_emptiness() -> None:
    assert evaluate("${x} = true()", x="no") is True
    assert evaluate("${x} = false()", x=None) is True
    assert evaluate("${x} = true()", x=False) is True  # 'false' is a non-empty string


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 = true()", True),
        ("0 = false()", True),
        ("2 = true()", True),
        ("'' = false()", True),
        ("'false' = true()", True),
        ("(0 div 0) = false()", True),
        ("true() != false()", True),
        ("true() > false()", True),
    ],
)
def test_compare__boolean_side__converts_other_side_to_boolean(source: str, expected: bool) -> None:
    assert evaluate(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("(0 div 0) = (0 div 0)", False),
        ("(0 div 0) != (0 div 0)", True),
        ("number('x') = 1", False),
        ("number('x') != 1", True),
        ("(0 div 0) < 1", False),
        ("(0 div 0) >= 1", False),
        ("1 <= (0 div 0)", False),
    ],
)
def test_compare__nan__is_equal_to_nothing_and_unordered(source: str, expected: bool) -> None:
    assert evaluate(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("5 = '5'", True),
        ("5 = ' 5 '", True),
        ("5 = '5abc'", False),
        ("'10' > '9'", True),
        ("'abc' < 'abd'", False),
        ("'abc' = 'abc'", True),
        ("'abc' != 'ABC'", True),
        ("1 <= 1", True),
        ("1 < 1", False),
        ("2 >= 3", False),
    ],
)
def test_compare__strings_and_numbers__follow_xpath(source: str, expected: bool) -> None:
    assert evaluate(source) is expected


# --------------------------------------------------------------------------------------------
# Dates and times


def test_date__answer_before_today__is_less_or_equal() -> None:
    assert evaluate("${d} <= today()", d="2024-03-14") is True
    assert evaluate("${d} <= today()", d="2024-03-15") is True
    assert evaluate("${d} <= today()", d="2024-03-16") is False


def test_date__today_minus_answer__is_days_between() -> None:
    assert evaluate("today() - ${d}", d="2024-02-14") == 30.0
    assert evaluate("today() - ${d}", d="2023-03-15") == 366.0  # 2024 is a leap year


def test_date__answer_plus_days__is_a_number_that_date_turns_back() -> None:
    assert evaluate("${d} + 1", d="1970-01-01") == 1.0
    assert evaluate("date(${d} + 17)", d="2024-02-20") == "2024-03-08"


def test_date__compared_with_string_date__compares_as_days() -> None:
    assert evaluate("${d} < '2024-02-01'", d="2024-01-31") is True
    assert evaluate("${d} > '2023-12-31'", d="2024-01-01") is True
    assert evaluate("${d} = date('2024-01-01')", d="2024-01-01") is True


def test_time__compared_with_time_string__compares_fractions_of_a_day() -> None:
    assert evaluate("${t} > '09:00'", t="09:30:00.000+03:00") is True
    assert evaluate("${t} < '09:00:00'", t="08:59:59") is True


def test_datetime__compared_with_today__includes_time_of_day() -> None:
    assert evaluate("${dt} > today()", dt="2024-03-15T00:00:01Z") is True
    assert evaluate("${dt} - today()", dt="2024-03-15T06:00:00.000+03:00") == 0.25


def test_today__with_fixed_date__returns_iso_date_string() -> None:
    assert evaluate("today()") == "2024-03-15"


def test_today__given_only_now__uses_the_date_of_now() -> None:
    result = parse("today()").evaluate(lookup_in({}), now=NOW)
    assert result == "2024-03-15"


def test_today__given_a_datetime__uses_its_date_part() -> None:
    result = parse("today()").evaluate(lookup_in({}), today=NOW)
    assert result == "2024-03-15"


def test_today__not_given__is_the_real_date() -> None:
    before = datetime.date.today()
    result = parse("today()").evaluate(lookup_in({}))
    after = datetime.date.today()
    assert result in {before.isoformat(), after.isoformat()}


def test_now__with_fixed_time__returns_iso_datetime_that_converts_to_days() -> None:
    assert evaluate("now()") == "2024-03-15T18:30:00.000+00:00"
    assert evaluate("now() - today()") == pytest.approx(18.5 / 24)


def test_now__not_given__is_a_datetime_string_after_today() -> None:
    expression = parse("now()")
    text = expression.evaluate_string(lookup_in({}))
    assert math.isfinite(to_number(text))
    assert parse("now() >= today()").evaluate(lookup_in({})) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1970-01-01", 0.0),
        ("1970-01-02", 1.0),
        ("1969-12-31", -1.0),
        ("2000-03-01", 11017.0),
        ("2024-02-30", NAN),
        ("2024-13-01", NAN),
        ("24-01-01", NAN),
        ("12:00", 0.5),
        ("06:00:00", 0.25),
        ("18:00:00.000+03:00", 0.75),
        ("25:00", NAN),
        ("12:60", NAN),
        ("1970-01-02T12:00", 1.5),
        ("1970-01-02T12:00:00.000Z", 1.5),
        ("1970-01-02T18:00:00-05:00", 1.75),
        ("1970-01-02T24:00", NAN),
        (" 1970-01-02 ", 1.0),
    ],
)
def test_to_number__dates_and_times__convert_to_days(text: str, expected: float) -> None:
    assert same(to_number(text), expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("date('2024-03-01')", "2024-03-01"),
        ("date('2024-03-01T23:59:00+05:00')", "2024-03-01"),
        ("date(0)", "1970-01-01"),
        ("date(19797.9)", "2024-03-15"),
        ("date(-0.5)", "1969-12-31"),
        ("date('19797')", "2024-03-15"),
        ("date('2024-02-30')", ""),
        ("date('yesterday')", ""),
        ("date('12:00')", ""),
        ("date(0 div 0)", ""),
        ("date(1 div 0)", ""),
        ("date(1000000000)", ""),
        ("date(true())", ""),
    ],
)
def test_date_function__inputs__give_iso_date_or_empty(source: str, expected: str) -> None:
    assert evaluate(source) == expected


# --------------------------------------------------------------------------------------------
# Logic and laziness


def refuse(name: str) -> object:
    raise AssertionError(f"{name} must not be looked up")


@pytest.mark.parametrize(
    "source",
    [
        "false() and ${never}",
        "true() or ${never}",
        "if(true(), 1, ${never})",
        "if(false(), ${never}, 1)",
        "coalesce('x', ${never})",
        "1 = 2 and (${never} > 1 or ${never} < 1)",
    ],
)
def test_laziness__branch_not_needed__is_not_evaluated(source: str) -> None:
    parse(source).evaluate(refuse)


def test_and_or__non_boolean_operands__return_booleans() -> None:
    assert evaluate("1 and 'x'") is True
    assert evaluate("0 or ''") is False
    assert evaluate("${a} or ${b}", a=None, b="") is False
    assert evaluate("${a} and 2", a="x") is True


def test_lookup__unknown_name__key_error_propagates() -> None:
    with pytest.raises(KeyError):
        parse("${missing} = 1").evaluate(lookup_in({}))


def test_lookup__answer_types__become_string_values() -> None:
    assert evaluate("${a}", a=None) == ""
    assert evaluate("${a}", a="text") == "text"
    assert evaluate("${a}", a=42) == "42"
    assert evaluate("${a}", a=3.0) == "3"
    assert evaluate("${a}", a=2.5) == "2.5"
    assert evaluate("${a}", a=float("nan")) == "NaN"
    assert evaluate("${a}", a=True) == "true"
    assert evaluate("${a}", a=False) == "false"
    assert evaluate(".", current=7) == "7"


def test_current__dot__is_the_given_answer() -> None:
    assert evaluate(". >= 18 and . <= 120", current="30") is True
    assert evaluate(". >= 18", current=None) is False
    assert evaluate(". = ''") is True


def test_evaluate_bool__values__follow_xpath_boolean() -> None:
    assert evaluate_bool("${a}", a="0") is True
    assert evaluate_bool("${a}", a=None) is False
    assert evaluate_bool("0") is False
    assert evaluate_bool("0 div 0") is False
    assert evaluate_bool("'false'") is True


def test_evaluate_string__values__follow_xpath_string() -> None:
    assert evaluate_string("1 = 1") == "true"
    assert evaluate_string("${a} * 2", a=1.5) == "3"
    assert evaluate_string("${a}", a=None) == ""


# --------------------------------------------------------------------------------------------
# Functions


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("selected('a b c', 'b')", True),
        ("selected('a b c', 'd')", False),
        ("selected('ab c', 'a')", False),
        ("selected('a  b', ' b ')", True),
        ("selected('', '')", False),
        ("count-selected('a b  c')", 3.0),
        ("count-selected('')", 0.0),
        ("not(1)", False),
        ("not('')", True),
        ("string-length('héllo')", 5.0),
        ("string-length('')", 0.0),
        ("number('12.5')", 12.5),
        ("number(' -3 ')", -3.0),
        ("number('+3')", NAN),
        ("number('1e3')", NAN),
        ("number(true())", 1.0),
        ("number('abc')", NAN),
        ("int(2.7)", 2.0),
        ("int(-2.7)", -2.0),
        ("int('x')", NAN),
        ("int(1 div 0)", INF),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -2.0),
        ("round(2.4)", 2.0),
        ("round(0.49999999999999994)", 0.0),
        ("round(0 div 0)", NAN),
        ("round(2.675, 2)", 2.68),
        ("round(1.005, 2)", 1.01),
        ("round(-2.5, 0)", -3.0),
        ("round(2.5, 0)", 3.0),
        ("round(1234.5, -2)", 1200.0),
        ("round(1.25, 1)", 1.3),
        ("round(3.14159, 1000)", 3.14159),
        ("round(3.1, -1000)", 0.0),
        ("round(1, 0 div 0)", NAN),
        ("if(1 > 0, 'yes', 'no')", "yes"),
        ("if('', 'yes', 'no')", "no"),
        ("coalesce('', 'b')", "b"),
        ("coalesce('a', 'b')", "a"),
        ("concat('a', 1, true(), 2.5)", "a1true2.5"),
        ("concat()", ""),
        ("concat('x')", "x"),
        ("contains('observer', 'serve')", True),
        ("contains('observer', 'x')", False),
        ("starts-with('observer', 'obs')", True),
        ("starts-with('observer', 'server')", False),
        ("ends-with('observer', 'ver')", True),
        ("ends-with('observer', 'obs')", False),
        ("regex('abc', 'b')", True),
        ("regex('abc', '^b')", False),
        ("regex('+79001234567', '^\\+7[0-9]{10}$')", True),
        ("regex('abc', concat('(', 'b'))", False),
        ("true()", True),
        ("false()", False),
        ("string(3.0)", "3"),
        ("string(1 = 1)", "true"),
        ("string(0.000001)", "0.000001"),
        ("boolean('')", False),
        ("boolean('x')", True),
        ("boolean(0)", False),
        ("boolean(-0.5)", True),
        ("boolean(0 div 0)", False),
        ("floor(2.7)", 2.0),
        ("floor(-2.2)", -3.0),
        ("floor(1 div 0)", INF),
        ("ceiling(2.2)", 3.0),
        ("ceiling(-2.7)", -2.0),
        ("ceiling(0 div 0)", NAN),
        ("abs(-3)", 3.0),
        ("abs(3)", 3.0),
        ("abs('x')", NAN),
        ("substr('hello', 1, 3)", "el"),
        ("substr('hello', 1)", "ello"),
        ("substr('hello', 0, 100)", "hello"),
        ("substr('hello', -3)", "llo"),
        ("substr('hello', 4, 2)", ""),
        ("substr('hello', 0 div 0, 2)", "he"),
        ("max(1, 3, 2)", 3.0),
        ("max('4', -1)", 4.0),
        ("max(1, '')", NAN),
        ("min(1, 3, -2)", -2.0),
        ("min(5)", 5.0),
        ("min(1, 'x')", NAN),
        ("selected-at('a b c', 0)", "a"),
        ("selected-at('a b c', 2)", "c"),
        ("selected-at('a b c', 3)", ""),
        ("selected-at('a b c', -1)", ""),
        ("selected-at('a b c', 0 div 0)", ""),
        ("selected-at('', 0)", ""),
    ],
)
def test_function__typical_arguments__gives_expected_value(source: str, expected: Value) -> None:
    assert same(evaluate(source), expected)


def test_function__zero_argument_forms__use_the_current_answer() -> None:
    assert evaluate("string-length()", current="abcd") == 4.0
    assert evaluate("number()", current="7") == 7.0
    assert evaluate("string()", current=2.0) == "2"


def test_round__negative_result_near_zero__is_negative_zero() -> None:
    assert evaluate("1 div round(-0.3)") == -INF


def test_coalesce__empty_answer__falls_back_keeping_type() -> None:
    assert evaluate("coalesce(${x}, 0)", x=None) == 0.0
    assert evaluate("coalesce(${x}, 0)", x="5") == "5"


def test_selected__select_multiple_answer__checks_membership() -> None:
    assert evaluate("selected(${m}, 'late_opening')", m="seal_broken late_opening") is True
    assert evaluate("selected(${m}, 'late')", m="seal_broken late_opening") is False


def test_regex__dynamic_pattern_too_long__is_false() -> None:
    assert evaluate("regex('a', ${p})", p="a" * (MAX_REGEX_LENGTH + 1)) is False
    assert evaluate("regex('a', ${p})", p="a" * MAX_REGEX_LENGTH) is False
    assert evaluate("regex('a', ${p})", p="a") is True


# --------------------------------------------------------------------------------------------
# Conversions


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("x", "x"),
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (-12, "-12"),
        (3.0, "3"),
        (-0.0, "0"),
        (0.5, "0.5"),
        (1e-7, "0.0000001"),
        (1.5e-10, "0.00000000015"),
        (1e21, "1000000000000000000000"),
        (123456789012345.6, "123456789012345.6"),
        (NAN, "NaN"),
        (INF, "Infinity"),
        (-INF, "-Infinity"),
    ],
)
def test_to_string__values__follow_xpath_string(value: object, expected: str) -> None:
    assert to_string(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, NAN),
        ("", NAN),
        ("  ", NAN),
        ("-", NAN),
        ("12", 12.0),
        ("-12.50", -12.5),
        ("\t.5\n", 0.5),
        ("5.", 5.0),
        ("1e3", NAN),
        ("+1", NAN),
        ("inf", NAN),
        ("NaN", NAN),
        ("1_000", NAN),
        ("١٢", NAN),  # Arabic-Indic digits are not XPath digits
        ("1 000", NAN),
        (True, 1.0),
        (False, 0.0),
        (7, 7.0),
        (10**400, INF),
        (2.5, 2.5),
    ],
)
def test_to_number__values__follow_xpath_number(value: object, expected: float) -> None:
    assert same(to_number(value), expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("", False),
        ("0", True),
        ("false", True),
        (0, False),
        (2, True),
        (0.0, False),
        (-0.1, True),
        (NAN, False),
        (True, True),
        (False, False),
    ],
)
def test_to_boolean__values__follow_xpath_boolean(value: object, expected: bool) -> None:
    assert to_boolean(value) is expected


def test_conversions__unsupported_type__raise_type_error() -> None:
    for convert in (to_string, to_number, to_boolean):
        with pytest.raises(TypeError):
            convert([1])


# --------------------------------------------------------------------------------------------
# Parse errors


@pytest.mark.parametrize(
    ("source", "position", "fragment"),
    [
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ("(1 + 2", 0, "'(' is never closed"),
        ("((1)", 0, "'(' is never closed"),
        ("(", 0, "'(' is never closed"),
        ("concat('a', 'b'", 0, "never closed"),
        ("1 +", 2, "ends after '+'"),
        ("1 = 1 and", 6, "ends after 'and'"),
        ("-", 0, "ends after '-'"),
        ("'abc", 0, "never closed"),
        ("concat('a', \"b)", 12, "never closed"),
        ("1 2", 2, "expected an operator"),
        ("1 'a'", 2, "expected an operator"),
        ("${a} foo", 5, "expected an operator"),
        ("(1 2)", 3, "expected ')' or an operator"),
        ("concat(1 2)", 9, "expected ',' or ')'"),
        ("1)", 1, "')' has no matching '('"),
        ("1, 2", 1, "',' outside a function call"),
        ("()", 1, "expected a value but found ')'"),
        ("concat(1,)", 9, "expected a value"),
        ("1 = = 2", 4, "expected a value but found '='"),
        ("* 2", 0, "expected a value but found '*'"),
        ("foo", 0, "${foo}"),
        ("1 + yes", 4, "unexpected name 'yes'"),
        ("true", 0, "write true()"),
        ("1 == 2", 2, "use '='"),
        ("1 <> 2", 2, "use '!='"),
        ("!${a}", 0, "'!'"),
        ("1 && 2", 2, "use 'and'"),
        ("1 || 2", 2, "use 'or'"),
        ("10 % 3", 3, "use 'mod'"),
        ("/data/a", 0, "use 'div'"),
        ("“yes”", 0, "straight quotes"),
        ("1\u200b", 1, "U+200B"),
        ("1e5", 0, "exponent"),
        ("..", 0, "parent"),
        ("${}", 0, "empty question reference"),
        ("${a", 0, "never closed"),
        ("${a b}", 3, "in a question reference"),
        ("${1a}", 2, "cannot start with '1'"),
        ("$a", 0, "${name}"),
        ("1 + ${a} + ${}", 11, "empty question reference"),
    ],
)
def test_parse__malformed_syntax__raises_with_position(
    source: str, position: int, fragment: str
) -> None:
    error = parse_error(source)
    assert error.position == position
    assert fragment in error.message


def test_parse__unknown_function_close_to_known__suggests_it() -> None:
    error = parse_error("${a} = 1 and selectd(${m}, 'x')")
    assert error.message == "unknown function 'selectd'; did you mean 'selected'?"
    assert error.position == 13


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("CONCAT", "concat"),
        ("regexp", "regex"),
        ("startswith", "starts-with"),
        ("string_length", "string-length"),
        ("substring", "substr"),
        ("ceil", "ceiling"),
        ("length", "string-length"),
    ],
)
def test_parse__unknown_function_near_a_known_one__suggests_it(name: str, suggestion: str) -> None:
    error = parse_error(f"{name}('a', 'b', 'c')")
    assert error.message == f"unknown function {name!r}; did you mean {suggestion!r}?"


@pytest.mark.parametrize("name", ["frobnicate", "count", "sum", "position", "foo"])
def test_parse__unknown_function_far_from_known__names_it_without_suggestion(name: str) -> None:
    error = parse_error(f"1 + {name}(1)")
    assert error.message == f"unknown function {name!r}"
    assert error.position == 4


def test_parse__prefixed_odk_function__is_unknown() -> None:
    error = parse_error("jr:choice-name(${a}, '${a}')")
    assert error.message.startswith("unknown function 'jr:choice-name'")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("selected(${a})", "selected() takes 2 arguments, not 1"),
        ("today(1)", "today() takes 0 arguments, not 1"),
        ("not()", "not() takes 1 argument, not 0"),
        ("max()", "max() takes at least 1 argument, not 0"),
        ("round(1, 2, 3)", "round() takes 1 or 2 arguments, not 3"),
        ("substr('a')", "substr() takes 2 or 3 arguments, not 1"),
        ("if(1, 2)", "if() takes 3 arguments, not 2"),
    ],
)
def test_parse__wrong_argument_count__raises_at_function_name(source: str, message: str) -> None:
    error = parse_error("1 + " + source)
    assert error.message == message
    assert error.position == 4


def test_parse__regex_literal_that_does_not_compile__raises_inside_the_literal() -> None:
    error = parse_error("regex(., '[a-')")
    assert error.message.startswith("invalid regular expression '[a-'")
    assert error.position is not None
    assert 9 <= error.position <= 13


def test_parse__regex_literal_with_huge_repetition__raises() -> None:
    assert "invalid regular expression" in parse_error("regex(., 'a{99999999999}')").message


def test_parse__regex_literal_too_long__raises() -> None:
    error = parse_error("regex(., '" + "a" * (MAX_REGEX_LENGTH + 1) + "')")
    assert "too long" in error.message
    assert error.position == 9
    parse("regex(., '" + "a" * MAX_REGEX_LENGTH + "')")


def test_parse__regex_with_computed_pattern__is_accepted() -> None:
    parse("regex(., ${pattern})")


# --------------------------------------------------------------------------------------------
# Hostile input


def test_length_cap__at_limit__parses_and_above_raises() -> None:
    assert parse("1" + " " * (MAX_LENGTH - 1)).evaluate(lookup_in({})) == 1.0
    error = parse_error("1" + " " * MAX_LENGTH)
    assert "too long" in error.message


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("(", ")"),
        ("abs(", ")"),
        ("-(", ")"),
        ("if(true(), ", ", 0)"),
        ("coalesce('', ", ")"),
        ("(1 or ", ")"),
        ("(2 * ", ")"),
    ],
)
def test_depth_cap__nesting_at_limit__parses_and_evaluates(opening: str, closing: str) -> None:
    source = opening * MAX_DEPTH + "1" + closing * MAX_DEPTH
    result = parse(source).evaluate(lookup_in({}))
    assert isinstance(result, float | bool)


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("(", ")"),
        ("abs(", ")"),
        ("-(", ")"),
        ("if(true(), ", ", 0)"),
        ("(1 or ", ")"),
        ("(2 * ", ")"),
    ],
)
def test_depth_cap__nesting_beyond_limit__raises_expression_error(
    opening: str, closing: str
) -> None:
    source = opening * (MAX_DEPTH + 1) + "1" + closing * (MAX_DEPTH + 1)
    assert "nested too deeply" in parse_error(source).message


def test_depth_cap__precedence_levels_inside_parentheses__count_towards_depth() -> None:
    # Each parenthesis here holds five operator levels, so the tree is deep long before 200
    # parentheses; the cap must still apply to the tree, which evaluation walks.
    source = "1"
    for _ in range(60):
        source = f"(1 or 1 and 1 = 1 < 1 + 1 * {source})"
    assert "nested too deeply" in parse_error(source).message


@pytest.mark.parametrize("source", ["(" * 9000, "-(" * 4000, "abs(" * 2000, "'" + "(" * 9000])
def test_depth_cap__thousands_of_openings__raise_expression_error_not_recursion(
    source: str,
) -> None:
    parse_error(source)


# --------------------------------------------------------------------------------------------
# Property: our evaluator agrees with a reference evaluator over generated trees


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Bool:
    value: bool


@dataclass(frozen=True)
class Neg:
    operand: Tree


@dataclass(frozen=True)
class Not:
    operand: Tree


@dataclass(frozen=True)
class Bin:
    op: str
    left: Tree
    right: Tree


@dataclass(frozen=True)
class If:
    condition: Tree
    then: Tree
    otherwise: Tree


Tree = Num | Bool | Neg | Not | Bin | If

LEVEL = {
    "or": 0,
    "and": 1,
    "=": 2,
    "!=": 2,
    "<": 3,
    "<=": 3,
    ">": 3,
    ">=": 3,
    "+": 4,
    "-": 4,
    "*": 5,
    "div": 5,
    "mod": 5,
}
UNARY_LEVEL = 6
ATOM_LEVEL = 7


def ref_number(value: float | bool) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    return value


def ref_boolean(value: float | bool) -> bool:
    if isinstance(value, bool):
        return value
    return not (value == 0 or value != value)


def ref_divide(a: float, b: float) -> float:
    if b != 0:
        return a / b
    if a != a or a == 0:
        return NAN
    negative = (a < 0) != (math.copysign(1.0, b) < 0)
    return -INF if negative else INF


def ref_modulo(a: float, b: float) -> float:
    if a != a or b != b or a in (INF, -INF) or b == 0:
        return NAN
    if b in (INF, -INF):
        return a
    return math.fmod(a, b)


def reference(tree: Tree) -> float | bool:
    """XPath 1.0 semantics for numbers and booleans, straight over the tree."""
    if isinstance(tree, Num | Bool):
        return tree.value
    if isinstance(tree, Neg):
        return -ref_number(reference(tree.operand))
    if isinstance(tree, Not):
        return not ref_boolean(reference(tree.operand))
    if isinstance(tree, If):
        chosen = tree.then if ref_boolean(reference(tree.condition)) else tree.otherwise
        return reference(chosen)
    if tree.op == "or":
        return ref_boolean(reference(tree.left)) or ref_boolean(reference(tree.right))
    if tree.op == "and":
        return ref_boolean(reference(tree.left)) and ref_boolean(reference(tree.right))
    left, right = reference(tree.left), reference(tree.right)
    if tree.op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = ref_boolean(left) == ref_boolean(right)
        else:
            equal = left == right
        return equal if tree.op == "=" else not equal
    a, b = ref_number(left), ref_number(right)
    results: dict[str, Callable[[], float | bool]] = {
        "<": lambda: a < b,
        "<=": lambda: a <= b,
        ">": lambda: a > b,
        ">=": lambda: a >= b,
        "+": lambda: a + b,
        "-": lambda: a - b,
        "*": lambda: a * b,
        "div": lambda: ref_divide(a, b),
        "mod": lambda: ref_modulo(a, b),
    }
    return results[tree.op]()


def render_leaf(tree: Num | Bool) -> str:
    if isinstance(tree, Bool):
        return "true()" if tree.value else "false()"
    return str(int(tree.value)) if tree.value.is_integer() else repr(tree.value)


def render_full(tree: Tree) -> str:
    """Every operation in its own parentheses."""
    if isinstance(tree, Num | Bool):
        return render_leaf(tree)
    if isinstance(tree, Neg):
        return f"-({render_full(tree.operand)})"
    if isinstance(tree, Not):
        return f"not({render_full(tree.operand)})"
    if isinstance(tree, If):
        parts = (render_full(tree.condition), render_full(tree.then), render_full(tree.otherwise))
        return "if({}, {}, {})".format(*parts)
    return f"({render_full(tree.left)} {tree.op} {render_full(tree.right)})"


def level_of(tree: Tree) -> int:
    if isinstance(tree, Bin):
        return LEVEL[tree.op]
    if isinstance(tree, Neg):
        return UNARY_LEVEL
    return ATOM_LEVEL


def render_minimal(tree: Tree, spaced: bool = True) -> str:
    """Only the parentheses that XPath precedence and left associativity require."""

    def wrap(child: Tree, needed: bool) -> str:
        text = render_minimal(child, spaced)
        return f"({text})" if needed else text

    if isinstance(tree, Num | Bool):
        return render_leaf(tree)
    if isinstance(tree, Neg):
        return "-" + wrap(tree.operand, level_of(tree.operand) < UNARY_LEVEL)
    if isinstance(tree, Not):
        return f"not({render_minimal(tree.operand, spaced)})"
    if isinstance(tree, If):
        parts = [
            render_minimal(part, spaced) for part in (tree.condition, tree.then, tree.otherwise)
        ]
        return "if(" + ",".join(parts) + ")"
    level = LEVEL[tree.op]
    left = wrap(tree.left, level_of(tree.left) < level)
    right = wrap(tree.right, level_of(tree.right) <= level)
    # Word operators need spaces to stay words; symbols can go without any.
    separator = f" {tree.op} " if spaced or tree.op.isalpha() else tree.op
    return left + separator + right


leaves = st.one_of(
    st.integers(min_value=0, max_value=30).map(lambda n: Num(float(n))),
    st.sampled_from([0.5, 2.25, 10.75]).map(Num),
    st.booleans().map(Bool),
)


def extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.builds(Neg, children),
        st.builds(Not, children),
        st.builds(Bin, st.sampled_from(sorted(LEVEL)), children, children),
        st.builds(If, children, children, children),
    )


trees: st.SearchStrategy[Tree] = st.recursive(leaves, extend, max_leaves=30)


@quick
@given(trees)
def test_property__generated_tree_fully_parenthesised__matches_reference(tree: Tree) -> None:
    expected = reference(tree)
    actual = parse(render_full(tree)).evaluate(lookup_in({}))
    assert same(actual, expected), render_full(tree)


@quick
@given(trees)
def test_property__generated_tree_minimal_parentheses__matches_reference(tree: Tree) -> None:
    expected = reference(tree)
    for source in (render_minimal(tree), render_minimal(tree, spaced=False)):
        actual = parse(source).evaluate(lookup_in({}))
        assert same(actual, expected), source


def test_render_minimal__examples__drop_only_redundant_parentheses() -> None:
    # Guards the test's own renderer, which the property above trusts.
    tree = Bin("-", Num(1.0), Bin("-", Num(2.0), Num(3.0)))
    assert render_minimal(tree) == "1 - (2 - 3)"
    tree = Bin("-", Bin("-", Num(1.0), Num(2.0)), Num(3.0))
    assert render_minimal(tree) == "1 - 2 - 3"
    tree = Bin("*", Bin("+", Num(1.0), Num(2.0)), Neg(Bin("or", Bool(True), Num(0.0))))
    assert render_minimal(tree) == "(1 + 2) * -(true() or 0)"
    assert render_minimal(tree, spaced=False) == "(1+2)*-(true() or 0)"


# --------------------------------------------------------------------------------------------
# Property: conversions round-trip


@quick
@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_property__integer_text_through_number__round_trips(n: int) -> None:
    assert to_string(to_number(str(n))) == str(n)


@quick
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_property__finite_float_through_string__round_trips(x: float) -> None:
    text = to_string(x)
    assert "e" not in text.lower()
    assert to_number(text) == x


# --------------------------------------------------------------------------------------------
# Property: arbitrary text never breaks the parser or the evaluator

expression_alphabet = st.sampled_from(list("${}()'\".,-+*=<>!| \n0123456789abcdeilmnorstuvx_"))
expression_like = st.text(expression_alphabet, max_size=80)
function_soup = st.lists(
    st.one_of(
        st.sampled_from(sorted(FUNCTIONS)).map(lambda name: name + "("),
        st.sampled_from(["${a}", ".", "'x'", "1", "2.5", ",", ")", " and ", " div ", "-", "="]),
    ),
    max_size=25,
).map("".join)


@quick
@given(st.one_of(st.text(), expression_like, function_soup))
def test_property__arbitrary_text__parse_raises_only_expression_error(text: str) -> None:
    try:
        expression = parse(text)
    except ExpressionError as error:
        assert error.message
        assert error.position is None or 0 <= error.position <= len(text)
        return
    # Whatever parses must also evaluate without raising, whatever the answers.
    for answer in (None, "3", "2024-01-01", "a b"):
        result = expression.evaluate(always(answer), answer, today=TODAY, now=NOW)
        assert isinstance(result, str | float | bool)


# --------------------------------------------------------------------------------------------
# Property: the compiled closures agree with the tree walker
#
# evaluate(), evaluate_bool() and evaluate_string() run closures compiled from the tree;
# _evaluate_reference() walks the tree as before. Over generated expressions using every
# operator and function, and generated answers of every type, both must give the same value
# of the same type (NaN counting as equal, zeros only with the same sign), look up the same
# names in the same order, and raise the same errors.

ARITIES: dict[str, tuple[int, int]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "string-length": (0, 1),
    "number": (0, 1),
    "int": (1, 1),
    "round": (1, 2),
    "if": (3, 3),
    "coalesce": (2, 2),
    "concat": (0, 4),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "regex": (2, 2),
    "today": (0, 0),
    "now": (0, 0),
    "true": (0, 0),
    "false": (0, 0),
    "string": (0, 1),
    "boolean": (1, 1),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "abs": (1, 1),
    "substr": (2, 3),
    "max": (1, 4),
    "min": (1, 4),
    "selected-at": (2, 2),
    "date": (1, 1),
}
OPERATORS = sorted(LEVEL)
NAMES = ("a", "b", "c")

SOURCE_ATOMS = [
    *["0", "1", "2", "3", "20", "0.05", ".5", "12.", "007", "2.675", "1000000"],
    *["''", "'a'", "'no'", "'police'", "'a b'", "' b '", "'5'", "' 5 '", "'-3.5'", "'0'"],
    *["'2024-03-01'", "'2024-03-01T06:00:00Z'", "'12:00'", "'true'", "'NaN'", "'Infinity'"],
    *["'^a'", "'[0-9]+'", "'x|y'", '"it\'s"'],
    "'('",  # not a regular expression: as a literal pattern for regex() it is refused
    *["${a}", "${b}", "${c}", "."] * 4,
    *sorted(name + "()" for name, (low, _) in ARITIES.items() if low == 0),
]
source_atoms = st.sampled_from(SOURCE_ATOMS)
# Deeper down, more atoms: trees stay small enough to read when a test fails.
source_shapes = [
    st.sampled_from(["atom"] * (2 * depth) + ["chain", "chain", "call", "call", "call", "(", "-"])
    for depth in range(5)
]
source_operators = st.sampled_from(OPERATORS)
source_functions = st.sampled_from(sorted(ARITIES))
chain_lengths = st.integers(min_value=1, max_value=4)
argument_counts = {
    name: st.integers(min_value=low, max_value=high) for name, (low, high) in ARITIES.items()
}


def draw_source(draw: st.DrawFn, depth: int) -> str:
    shape = draw(source_shapes[depth]) if depth < len(source_shapes) else "atom"
    if shape == "atom":
        return draw(source_atoms)
    if shape == "chain":
        # Operands of one level without parentheses: the parser groups them by precedence,
        # and runs of one level become chains of any length.
        text = draw_source(draw, depth + 1)
        for _ in range(draw(chain_lengths)):
            text += f" {draw(source_operators)} {draw_source(draw, depth + 1)}"
        return text
    if shape == "(":
        return f"({draw_source(draw, depth + 1)})"
    if shape == "-":
        return f"-{draw_source(draw, depth + 1)}"
    name = draw(source_functions)
    arguments = [draw_source(draw, depth + 1) for _ in range(draw(argument_counts[name]))]
    return f"{name}({', '.join(arguments)})"


@st.composite
def sources(draw: st.DrawFn) -> str:
    """Expression text: atoms, chains of operators, parentheses, minus and every function."""
    return draw_source(draw, 0)


class Missing:
    """An answer whose lookup raises KeyError."""


MISSING = Missing()

answer_values = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            " ",
            "a",
            "no",
            "police",
            "army police",
            "a b",
            "5",
            " 5 ",
            "05",
            "-3.5",
            "12.",
            ".5",
            "0",
            "-0",
            "1e3",
            "+1",
            "1_000",
            "١٢",
            "2024-03-01",
            "2024-02-30",
            "1970-01-01T12:00:00.000+03:00",
            "12:00",
            "25:00",
            "true",
            "false",
            "NaN",
            "Infinity",
            "x|y",
        ]
    ),
    st.text(max_size=6),
    st.integers(),
    st.sampled_from([0, -1, 2**53, 2**53 + 1, -(2**60), 10**400, -(10**400), 10**5000]),
    st.floats(),
    st.sampled_from([0.0, -0.0, NAN, INF, -INF, 5e-324, 1e16, 0.1, 2.675]),
    st.booleans(),
    st.sampled_from([MISSING, [1]]),  # a lookup that raises; a type no expression accepts
)
clocks = st.sampled_from(
    [
        (TODAY, NOW),
        (None, NOW),
        (NOW, NOW),
        (datetime.date(2000, 2, 29), datetime.datetime(2000, 2, 29, 23, 59, 59, 999999)),
    ]
)


def outcome(
    run: Callable[..., object],
    answers: Mapping[str, object],
    current: object,
    clock: tuple[datetime.date | None, datetime.datetime],
) -> tuple[object, ...]:
    """What running gives: the value or the error, with the names looked up in order."""
    looked_up: list[str] = []

    def lookup(name: str) -> object:
        looked_up.append(name)
        answer = answers[name]
        if answer is MISSING:
            raise KeyError(name)
        return answer

    today, now = clock
    try:
        value = run(lookup, current, today=today, now=now)
    except (KeyError, TypeError) as error:
        return ("raised", type(error), str(error), looked_up)
    return ("value", type(value), value, looked_up)


def identical(actual: object, expected: object) -> bool:
    """same(), and zeros of the same sign: 1 div -0 is -Infinity."""
    if not same(actual, expected):
        return False
    if isinstance(actual, float) and isinstance(expected, float):
        return math.copysign(1.0, actual) == math.copysign(1.0, expected) or math.isnan(actual)
    return True


def same_outcome(fast: tuple[object, ...], walked: tuple[object, ...]) -> bool:
    if fast[0] != walked[0] or fast[1] is not walked[1] or fast[3] != walked[3]:
        return False
    return identical(fast[2], walked[2]) if fast[0] == "value" else fast[2] == walked[2]


def check_against_reference(
    expression: Expression,
    answers: Mapping[str, object],
    current: object,
    clock: tuple[datetime.date | None, datetime.datetime],
) -> None:
    reference = expression._evaluate_reference

    def reference_bool(lookup: Callable[[str], object], current: object, **clock: object) -> bool:
        return to_boolean(reference(lookup, current, **clock))  # type: ignore[arg-type]

    def reference_string(lookup: Callable[[str], object], current: object, **clock: object) -> str:
        return to_string(reference(lookup, current, **clock))  # type: ignore[arg-type]

    for fast, walk in (
        (expression.evaluate, reference),
        (expression.evaluate_bool, reference_bool),
        (expression.evaluate_string, reference_string),
    ):
        expected = outcome(walk, answers, current, clock)
        for _ in range(2):  # compiled on first use, then reused
            actual = outcome(fast, answers, current, clock)
            assert same_outcome(actual, expected), (expression.source, fast.__name__)


def test_arities__generator_table__covers_every_function() -> None:
    assert frozenset(ARITIES) == FUNCTIONS


@settings(database=None, deadline=None, max_examples=800)
@given(
    sources(),
    st.fixed_dictionaries(dict.fromkeys(NAMES, answer_values)),
    answer_values.filter(lambda value: value is not MISSING),
    clocks,
)
def test_property__compiled_evaluation__matches_tree_walking(
    source: str,
    answers: dict[str, object],
    current: object,
    clock: tuple[datetime.date | None, datetime.datetime],
) -> None:
    try:
        expression = parse(source)
    except ExpressionError as error:  # only a literal pattern such as '(' given to regex()
        assert "regular expression" in error.message
        return
    check_against_reference(expression, answers, current, clock)


@settings(database=None, deadline=None, max_examples=150)
@given(
    sources(),
    st.lists(
        st.tuples(st.fixed_dictionaries(dict.fromkeys(NAMES, answer_values)), answer_values),
        min_size=2,
        max_size=5,
    ),
)
def test_property__one_compiled_expression__matches_for_many_answers(
    source: str, runs: list[tuple[dict[str, object], object]]
) -> None:
    try:
        expression = parse(source)
    except ExpressionError as error:
        assert "regular expression" in error.message
        return
    for answers, current in runs:
        if current is not MISSING:
            check_against_reference(expression, answers, current, (TODAY, NOW))


TRICKY_ANSWERS: list[object] = [
    None,
    "",
    " ",
    "0",
    "-0",
    "5",
    " 5 ",
    "\t5\n",
    "1.50",
    "-2.5",
    "abc",
    "a  b",
    "a\tb c",
    "police",
    "2024-03-01",
    "2024-03-01T06:00:00Z",
    "12:00",
    "true",
    0,
    5,
    -3,
    2**60 + 1,
    10**400,
    0.0,
    -0.0,
    2.5,
    -0.5,
    5e-324,
    1e300,
    NAN,
    INF,
    -INF,
    True,
    False,
]


@pytest.mark.parametrize(
    "source",
    [
        # The examples the compiler was made for.
        ". >= 20 and . > 0.05 * coalesce(${a}, 0)",
        ". = 'no'",
        "selected(., 'police')",
        "${a} + ${b} <= ${c}",
        "if(${a} > 0, 'a', 'b')",
        # Answers against constants, either way round, with spaces kept.
        ". != 'no'",
        "'no' = .",
        ". = ' 5 '",
        "${a} != ' b '",
        "${a} = ''",
        ". = 5",
        "5 != .",
        ". = true()",
        ". != false()",
        ". < true()",
        "20 < .",
        "20 >= ${a}",
        # Arithmetic with constants on either side, and division by zero.
        "1 - .",
        ". - 1",
        "2 * .",
        ". + 0",
        "2 div .",
        "1 div .",
        "0 div .",
        ". div 0",
        ". div -0",
        ". div 2",
        ". mod 3",
        ". mod 0",
        "3 mod .",
        "-.",
        "--.",
        "-(-(.))",
        "1 div -.",
        "1 div number(.)",
        "1 div ceiling(.)",
        "1 div round(.)",
        "1 div int(.)",
        "1 div floor(.)",
        "1 div abs(.)",
        "1 div (. * 1)",
        # Equality by the kinds of both sides.
        "${a} = ${b}",
        "${a} = 1",
        "${a} = true()",
        "${a} = coalesce(${b}, 1)",
        "coalesce(${a}, true()) = 1",
        "coalesce(${a}, ${b}) != 1",
        "if(${a}, 1, 'x') = if(${b}, true(), 0)",
        "if(., 1, 'x') = .",
        "string(.) = number(.)",
        "number(.) = .",
        # Chains of one level.
        "${a} < ${b} < ${c}",
        "1 < . < 3",
        "1 < 2 < .",
        "${a} = ${b} != ${c} = 1",
        ". = 1 = 0",
        ". + . + .",
        "${a} + ${b} - ${c} * 2 div ${a} mod 7",
        ". * 2 - 1",
        "${a} or ${b} or ${c}",
        "${a} and ${b} and ${c} and .",
        ". or 0",
        "0 and .",
        # Functions.
        "selected(., '')",
        "selected(., ' ')",
        "selected(., ' b ')",
        "selected(${a}, 'police')",
        "selected(${a}, ' 5 ')",
        "not(selected(${a}, 'a'))",
        "selected(${a}, 'a') + 1",
        "selected(${b}, .)",
        "count-selected(.)",
        "string-length(.)",
        "string-length()",
        "string()",
        "number()",
        "selected-at(., 1)",
        "selected-at('a b c', .)",
        "contains(., 'a')",
        "starts-with(., ${b})",
        "ends-with(${b}, .)",
        "regex(., '^[0-9]+$')",
        "regex(., ${a})",
        "regex(., concat('(', ${a}))",
        "not(.)",
        "boolean(.)",
        "if(., ., 0)",
        "if(., 1, .)",
        "coalesce(., 0) + 1",
        "boolean(coalesce(., ${b}))",
        "boolean(coalesce(., 0))",
        "string(coalesce(., 1))",
        "concat(coalesce(., 'x'), .)",
        "coalesce(if(., ., 1), 'x')",
        "coalesce(if(., ., 1), 'x') + 1",
        "boolean(coalesce(if(., ., 0), 1))",
        "concat(., 'x', ., 1)",
        "concat(.)",
        "max(.)",
        "max(., ${a}, ${b})",
        "min(., 'x')",
        "round(.)",
        "round(., ${a})",
        "round(., 1)",
        "substr(., 1)",
        "substr(., ${a}, ${b})",
        "date(.)",
        "date(. + 1)",
        "date(coalesce(${a}, 1))",
        "today() < . and now() > .",
        "today() - .",
        "concat(now(), today())",
    ],
)
def test_compiled__typical_and_tricky_expressions__match_tree_walking(source: str) -> None:
    expression = parse(source)
    for answer in TRICKY_ANSWERS:
        answers = {"a": answer, "b": "3", "c": 7}
        check_against_reference(expression, answers, answer, (TODAY, NOW))
        check_against_reference(
            expression, {"a": "2", "b": answer, "c": answer}, answer, (None, NOW)
        )


DEEP_NESTINGS = [
    ("(", ")"),
    ("abs(", ")"),
    ("-(", ")"),
    ("-(${a} div ", ")"),
    ("if(${a}, ", ", .)"),
    ("if(${a}, ", ", 'x')"),
    ("if(", ", 1, 2)"),
    ("coalesce(${a}, ", ")"),
    ("coalesce(", ", ${a})"),
    ("(${a} or ", ")"),
    ("(${a} and ", " = 1)"),
    ("(${a} * ", ")"),
    ("(1 + ${a} * ", ")"),
    ("(${a} = ", ")"),
    ("(${a} < ", ")"),
    ("max(${a}, ", ")"),
    ("round(", ", ${a})"),
    ("concat(${a}, ", ")"),
    ("string(", ")"),
    ("number(", ")"),
    ("string-length(", ")"),
    ("not(", ")"),
    ("substr(", ", ${a})"),
    ("date(", ")"),
    ("selected(${a}, ", ")"),
]


def deepest(opening: str, closing: str) -> Expression:
    """The expression nesting opening … closing as deep as the depth cap allows."""
    for count in (MAX_DEPTH, MAX_DEPTH // 2):  # some nestings count two levels each
        try:
            return parse(opening * count + "${b}" + closing * count)
        except ExpressionError as error:
            assert "nested too deeply" in error.message
    raise AssertionError("not even half as deep parses")


@pytest.mark.parametrize(("opening", "closing"), DEEP_NESTINGS)
def test_compiled__nesting_at_depth_limit_with_answers__evaluates_like_tree_walking(
    opening: str, closing: str
) -> None:
    expression = deepest(opening, closing)
    for value in ("", "1", "2024-01-01"):
        check_against_reference(expression, {"a": value, "b": "2"}, value, (TODAY, NOW))


def stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


@pytest.mark.parametrize(("opening", "closing"), DEEP_NESTINGS)
def test_compiled__nesting_at_depth_limit__compiles_and_runs_in_one_frame_per_level(
    opening: str, closing: str
) -> None:
    expression = deepest(opening, closing)
    lookup = lookup_in({"a": "1", "b": "2"})
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(stack_depth() + MAX_DEPTH + 30)
    try:
        expression.evaluate(lookup, "x")
        expression.evaluate_bool(lookup, "x")
        expression.evaluate_string(lookup, "x")
    finally:
        sys.setrecursionlimit(limit)
    # Compiled, not walked instead because compiling ran out of stack.
    assert None not in (expression._fast_value, expression._fast_bool, expression._fast_string)


def test_compiled__chains_of_thousands_of_answers__evaluate_without_recursion() -> None:
    assert evaluate("+".join(["."] * 3000), "1") == 3000.0
    assert evaluate(" or ".join([". = 'x'"] * 800), "y") is False
    assert evaluate(" and ".join([". = 'y'"] * 700), "y") is True
    assert evaluate(" < ".join(["."] * 1000), "1") is False
    assert evaluate(" = ".join(["."] * 1000), "1") is True


def test_compiled__after_evaluation__expression_still_pickles_and_copies() -> None:
    expression = parse("${a} + 1 > 2")
    assert expression.evaluate_bool(lookup_in({"a": "5"})) is True
    copy = pickle.loads(pickle.dumps(expression))  # noqa: S301 — our own bytes
    assert copy.source == expression.source
    assert copy.evaluate_bool(lookup_in({"a": "0"})) is False


def test_compiled__compiling_runs_out_of_stack__walks_the_tree_and_retries_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import forms.expressions as module

    compiled = module._compiled

    def exhausted(*args: object) -> object:
        raise RecursionError

    expression = parse("${a} * 2")
    monkeypatch.setattr(module, "_compiled", exhausted)
    assert same(expression.evaluate(lookup_in({"a": "4"})), 8.0)
    assert expression.evaluate_bool(lookup_in({"a": ""})) is False
    assert expression.evaluate_string(lookup_in({"a": "1.5"})) == "3"
    monkeypatch.setattr(module, "_compiled", compiled)
    assert same(expression.evaluate(lookup_in({"a": "4"})), 8.0)


def test_compiled__number_cache_full__keeps_giving_numbers() -> None:
    expression = parse(". + 0")
    for n in range(10_000):  # more distinct answers than are remembered
        assert expression.evaluate(lookup_in({}), f"{n}.5") == n + 0.5
    assert same(expression.evaluate(lookup_in({}), "x" * 100), NAN)
