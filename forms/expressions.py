"""Parse and evaluate XLSForm (ODK XPath) expressions safely, without Python's eval."""

from __future__ import annotations

import datetime
import difflib
import functools
import math
import operator as _operator
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, ClassVar, TypeAlias

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_REGEX_LENGTH",
    "Expression",
    "ExpressionError",
    "Value",
    "parse",
    "to_boolean",
    "to_number",
    "to_string",
]

# Limits against hostile workbooks: a form comes from whoever sent the file.
MAX_LENGTH = 10_000
# Depth counts enclosing parentheses, calls, unary minuses and precedence levels. Each level
# costs at most two Python frames while parsing or evaluating, so 200 levels stay well below
# the interpreter's default recursion limit of 1000.
MAX_DEPTH = 200
# Long patterns are where catastrophic backtracking hides; real constraints are short.
MAX_REGEX_LENGTH = 500

Value: TypeAlias = str | float | bool


class ExpressionError(ValueError):
    """A malformed expression, with a plain-English message and the 0-based offset of the fault."""

    def __init__(self, message: str, position: int | None = None) -> None:
        # Both go to args so the exception survives pickling (multiprocessing, logging handlers).
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------------------------
# Values and conversions


class _NodeValue:
    """The string-value of an answer (``${name}`` or ``.``).

    Under the rules implemented here a node value compares and converts exactly like its
    string-value, and two node values compare as strings. Answers still keep this marker of
    where they came from, so that a rule that treats nodes differently (XPath's boolean() of a
    node-set, or typed answers as in JavaRosa) can be added in one place, not guessed later.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"_NodeValue({self.text!r})"


_Internal: TypeAlias = str | float | bool | _NodeValue

# XPath whitespace, the only characters number() strips.
_XPATH_SPACE = " \t\r\n"
# XPath 1.0 Number: no sign other than minus, no exponent, ASCII digits only. Python's float()
# would also accept '1e5', 'inf', '1_000' and Arabic-Indic digits, so it never sees raw text.
_NUMBER_RE = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE_PART = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
# ODK stores times as '14:30:00.000+03:00'; the zone is accepted and ignored.
_TIME_PART = (
    r"([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?"
)
_DATE_RE = re.compile(_DATE_PART)
_DATETIME_RE = re.compile(_DATE_PART + "T" + _TIME_PART)
_TIME_RE = re.compile(_TIME_PART)
_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
_SECONDS_PER_DAY = 86_400.0


def _date_days(year: str, month: str, day: str) -> float | None:
    try:
        return float(datetime.date(int(year), int(month), int(day)).toordinal() - _EPOCH_ORDINAL)
    except ValueError:
        return None


def _time_fraction(
    hour: str, minute: str, second: str | None, fraction: str | None
) -> float | None:
    h, m, s = int(hour), int(minute), int(second or 0)
    if h > 23 or m > 59 or s > 59:
        return None
    seconds = h * 3600 + m * 60 + s + (float("0." + fraction) if fraction else 0.0)
    return seconds / _SECONDS_PER_DAY


def _temporal_to_number(text: str) -> float:
    """Days since 1970-01-01 for dates and datetimes, fraction of a day for times, else NaN."""
    if match := _DATE_RE.fullmatch(text):
        days = _date_days(*match.groups())
        return math.nan if days is None else days
    if match := _DATETIME_RE.fullmatch(text):
        days = _date_days(*match.group(1, 2, 3))
        fraction = _time_fraction(*match.group(4, 5, 6, 7))
        return math.nan if days is None or fraction is None else days + fraction
    if match := _TIME_RE.fullmatch(text):
        fraction = _time_fraction(*match.groups())
        return math.nan if fraction is None else fraction
    return math.nan


def _string_to_number(text: str) -> float:
    stripped = text.strip(_XPATH_SPACE)
    if _NUMBER_RE.fullmatch(stripped):
        return float(stripped)
    return _temporal_to_number(stripped)


def _int_to_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        # An integer beyond the double range is, for XPath, infinitely large.
        return math.inf if value > 0 else -math.inf


def _format_number(number: float) -> str:
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"  # also -0, which XPath prints without a sign
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    # repr gives the shortest text that reads back as the same double; Decimal spells it out
    # without the exponent that XPath's number-to-string does not allow.
    text = format(Decimal(repr(number)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def to_string(value: object) -> str:
    """XPath string() of a value or of a stored answer (None, str, int, float, bool)."""
    if value.__class__ is str:  # the commonest, first
        return value  # type: ignore[return-value]
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, _NodeValue):
        return value.text
    if isinstance(value, bool):  # before int: bool is a subclass of int
        return "true" if value else "false"
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than Python will print
            return _format_number(_int_to_float(value))
    if isinstance(value, float):
        return _format_number(value)
    raise TypeError(f"cannot use a {type(value).__name__} as an expression value")


def to_number(value: object) -> float:
    """XPath number() of a value, plus ODK's conversion of dates and times to days."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        return _int_to_float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        return _string_to_number(value)
    if isinstance(value, _NodeValue):
        return _string_to_number(value.text)
    raise TypeError(f"cannot use a {type(value).__name__} as an expression value")


def to_boolean(value: object) -> bool:
    """XPath boolean() of a value: numbers are true unless 0 or NaN, strings unless empty."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        return value != ""
    if isinstance(value, _NodeValue):
        return value.text != ""
    raise TypeError(f"cannot use a {type(value).__name__} as an expression value")


# --------------------------------------------------------------------------------------------
# Syntax tree


@dataclass(frozen=True, slots=True)
class _Literal:
    value: str | float
    pos: int
    depth: ClassVar[int] = 0


@dataclass(frozen=True, slots=True)
class _Ref:
    name: str
    pos: int
    depth: ClassVar[int] = 0


@dataclass(frozen=True, slots=True)
class _Current:
    pos: int
    depth: ClassVar[int] = 0


@dataclass(frozen=True, slots=True)
class _Negate:
    # A run of unary minuses is one node so that '- - - … 1' cannot nest deeply.
    operand: _Node
    count: int
    pos: int
    depth: int


@dataclass(frozen=True, slots=True)
class _Chain:
    # Left-associative operators of one precedence level as one flat node, so that long sums
    # or long 'or' lists do not turn into deep trees (and deep recursion).
    ops: tuple[str, ...]
    operands: tuple[_Node, ...]
    pos: int
    depth: int


@dataclass(frozen=True, slots=True)
class _Call:
    name: str
    args: tuple[_Node, ...]
    pos: int
    depth: int


_Node: TypeAlias = _Literal | _Ref | _Current | _Negate | _Chain | _Call

# Lowest precedence first.
_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"or"}),
    frozenset({"and"}),
    frozenset({"=", "!="}),
    frozenset({"<", "<=", ">", ">="}),
    frozenset({"+", "-"}),
    frozenset({"*", "div", "mod"}),
)
_BINARY = frozenset().union(*_LEVELS)
_WORD_OPERATORS = ("and", "or", "div", "mod")

# name -> (fewest arguments, most arguments or None for no limit)
_ARITY: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "string-length": (0, 1),
    "number": (0, 1),
    "int": (1, 1),
    "round": (1, 2),
    "if": (3, 3),
    "coalesce": (2, 2),
    "concat": (0, None),
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
    "max": (1, None),
    "min": (1, None),
    "selected-at": (2, 2),
    "date": (1, 1),
}
FUNCTIONS: frozenset[str] = frozenset(_ARITY)
# Names from other languages that difflib does not connect to ours, for "did you mean".
_FUNCTION_ALIASES = {
    "substring": "substr",
    "ceil": "ceiling",
    "length": "string-length",
    "len": "string-length",
}
# XPath functions that, called without arguments, work on the context node ('.').
_CONTEXT_FUNCTIONS = frozenset({"string-length", "number", "string"})


# --------------------------------------------------------------------------------------------
# Tokens


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # num str ref dot name op ( ) , end
    text: str
    pos: int


# Characters people paste from word processors or other languages, with what to write instead.
_CHARACTER_HINTS = {
    "“": "use straight quotes ' or \" around text",
    "”": "use straight quotes ' or \" around text",
    "‘": "use straight quotes ' or \" around text",
    "’": "use straight quotes ' or \" around text",
    "«": "use straight quotes ' or \" around text",
    "»": "use straight quotes ' or \" around text",
    "&": "use 'and'",
    "|": "use 'or'",
    "/": "use 'div' to divide; paths are not supported, refer to questions as ${name}",
    "%": "use 'mod' for the remainder",
    "!": "use '!=' for 'not equal' or not(...)",
    "[": "predicates are not supported",
    "]": "predicates are not supported",
    "@": "attributes are not supported",
    "{": "a question reference is written ${name}",
    "}": "a question reference is written ${name}",
}


def _is_name_start(char: str) -> bool:
    return char == "_" or unicodedata.category(char).startswith("L")


def _is_name_char(char: str) -> bool:
    if char in "_-." or "0" <= char <= "9":
        return True
    category = unicodedata.category(char)
    # Letters, combining marks (needed by Devanagari and others) and decimal digits.
    return category[0] in "LM" or category == "Nd"


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "the end of the expression"
    if token.kind == "str":
        return f"the text {token.text}"
    return repr(token.text)


def _unexpected_character(char: str, pos: int) -> ExpressionError:
    shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
    hint = _CHARACTER_HINTS.get(char)
    message = f"unexpected character {shown}" + (f"; {hint}" if hint else "")
    return ExpressionError(message, pos)


def _scan_name(text: str, start: int) -> int:
    """End of the XML-style name (optionally prefixed, like jr:choice-name) at ``start``."""
    end = start + 1
    while end < len(text) and _is_name_char(text[end]):
        end += 1
    if end + 1 < len(text) and text[end] == ":" and _is_name_start(text[end + 1]):
        end += 2
        while end < len(text) and _is_name_char(text[end]):
            end += 1
    return end


def _tokens(text: str) -> Iterator[_Token]:
    """Tokens of ``text``, lazily, so that errors come out in reading order."""
    size = len(text)
    i = 0
    # XPath decides between 'div' the operator and 'div' a name (and '*' the operator) by
    # whether a value precedes; the same flag tells a binary '-' from a unary one later.
    after_value = False
    while True:
        while i < size and text[i].isspace():  # also no-break spaces pasted from Word
            i += 1
        if i >= size:
            yield _Token("end", "", size)
            return
        char = text[i]
        start = i
        if char == "$":
            if not text.startswith("${", i):
                raise ExpressionError("'$' must start a question reference like ${name}", i)
            j = i + 2
            if j < size and text[j] == "}":
                raise ExpressionError("empty question reference '${}'; put a name inside", i)
            if j < size and not _is_name_start(text[j]):
                raise ExpressionError(
                    f"a question name cannot start with {text[j]!r}; "
                    "it starts with a letter or '_'",
                    j,
                )
            while j < size and _is_name_char(text[j]):
                j += 1
            if j >= size:
                raise ExpressionError("'${' is never closed with '}'", i)
            if text[j] != "}":
                shown = repr(text[j]) if text[j].isprintable() else f"U+{ord(text[j]):04X}"
                raise ExpressionError(
                    f"unexpected character {shown} in a question reference; expected '}}'", j
                )
            yield _Token("ref", text[i + 2 : j], start)
            i = j + 1
            after_value = True
        elif char in "'\"":
            j = text.find(char, i + 1)
            if j < 0:
                raise ExpressionError(
                    f"text starting with {char} is never closed "
                    "(text cannot contain its own kind of quote)",
                    i,
                )
            yield _Token("str", text[i : j + 1], start)
            i = j + 1
            after_value = True
        elif "0" <= char <= "9" or (char == "." and i + 1 < size and "0" <= text[i + 1] <= "9"):
            j = i
            while j < size and "0" <= text[j] <= "9":
                j += 1
            if j < size and text[j] == ".":
                j += 1
                while j < size and "0" <= text[j] <= "9":
                    j += 1
            if re.match(r"[eE][+-]?[0-9]", text[j : j + 3]):
                raise ExpressionError(
                    "exponent notation like '1e5' is not supported; write the number in full", i
                )
            yield _Token("num", text[i:j], start)
            i = j
            after_value = True
        elif char == ".":
            if text.startswith("..", i):
                raise ExpressionError("'..' (the parent) is not supported", i)
            yield _Token("dot", ".", start)
            i += 1
            after_value = True
        elif _is_name_start(char):
            j = _scan_name(text, i)
            word = text[i:j]
            if after_value:
                if word in _WORD_OPERATORS:
                    yield _Token("op", word, start)
                    i = j
                else:
                    # 'div-1' lexes as one name; XPath means the operator followed by '-1'.
                    for op in _WORD_OPERATORS:
                        if word.startswith(op) and word[len(op)] in "-.":
                            yield _Token("op", op, start)
                            i += len(op)
                            break
                    else:
                        raise ExpressionError(
                            f"expected an operator (such as =, +, and, or) but found {word!r}", i
                        )
                after_value = False
                continue
            k = j
            while k < size and text[k].isspace():
                k += 1
            if k < size and text[k] == "(":
                yield _Token("name", word, start)
                i = j
                after_value = False
                continue
            if word in ("true", "false"):
                message = f"{word!r} needs parentheses: write {word}()"
            elif word in _WORD_OPERATORS:
                message = f"expected a value but found {word!r}"
            else:
                message = (
                    f"unexpected name {word!r}; refer to a question as ${{{word}}} "
                    f"and write text in quotes, '{word}'"
                )
            raise ExpressionError(message, i)
        elif char in "()," or char in "+-*":
            yield _Token(char if char in "()," else "op", char, start)
            i += 1
            after_value = char == ")"
        elif char == "=":
            if text.startswith("==", i):
                raise ExpressionError("'==' is not an operator; use '=' to compare", i)
            yield _Token("op", "=", start)
            i += 1
            after_value = False
        elif char in "<>!":
            if text.startswith("<>", i):
                raise ExpressionError("'<>' is not an operator; use '!=' for 'not equal'", i)
            if text.startswith("=", i + 1):
                yield _Token("op", char + "=", start)
                i += 2
            elif char == "!":
                raise _unexpected_character(char, i)
            else:
                yield _Token("op", char, start)
                i += 1
            after_value = False
        else:
            raise _unexpected_character(char, i)


# --------------------------------------------------------------------------------------------
# Parser


def _arity_text(low: int, high: int | None) -> str:
    if high is None:
        return f"at least {low} argument{'s' if low != 1 else ''}"
    if low == high:
        return f"{low} argument{'s' if low != 1 else ''}"
    return f"{low} or {high} arguments" if high == low + 1 else f"{low} to {high} arguments"


class _Parser:
    """Recursive descent over nesting levels; operators within a level are handled by loops."""

    def __init__(self, text: str) -> None:
        self._stream = _tokens(text)
        self._previous: _Token | None = None
        self._token = next(self._stream)
        self.references: set[str] = set()
        self.uses_current = False

    def _advance(self) -> _Token:
        token = self._token
        self._previous = token
        self._token = next(self._stream)
        return token

    def parse(self) -> _Node:
        if self._token.kind == "end":
            raise ExpressionError("the expression is empty", 0)
        node = self._expression(0)
        token = self._token
        if token.kind == ")":
            raise ExpressionError("')' has no matching '('", token.pos)
        if token.kind == ",":
            raise ExpressionError("',' outside a function call", token.pos)
        if token.kind != "end":
            raise ExpressionError(
                f"expected an operator (such as =, +, and, or) but found {_describe(token)}",
                token.pos,
            )
        return node

    def _expression(self, depth: int) -> _Node:
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"the expression is nested too deeply (more than {MAX_DEPTH} levels)",
                self._token.pos,
            )
        operands = [self._operand(depth)]
        operators: list[str] = []
        while self._token.kind == "op" and self._token.text in _BINARY:
            operators.append(self._advance().text)
            operands.append(self._operand(depth))
        return self._build(operands, operators, 0)

    def _build(self, operands: list[_Node], operators: list[str], level: int) -> _Node:
        """The tree for ``operands[0] operators[0] operands[1] …`` by precedence (≤ 6 deep)."""
        if level == len(_LEVELS):
            return operands[0]
        here = _LEVELS[level]
        groups: list[tuple[list[_Node], list[str]]] = [([operands[0]], [])]
        chain_ops: list[str] = []
        for operator, operand in zip(operators, operands[1:], strict=True):
            if operator in here:
                chain_ops.append(operator)
                groups.append(([operand], []))
            else:
                groups[-1][1].append(operator)
                groups[-1][0].append(operand)
        children = [self._build(group, ops, level + 1) for group, ops in groups]
        if len(children) == 1:
            return children[0]
        depth = 1 + max(child.depth for child in children)
        return self._checked(_Chain(tuple(chain_ops), tuple(children), children[0].pos, depth))

    @staticmethod
    def _checked(node: _Negate | _Chain | _Call) -> _Node:
        if node.depth > MAX_DEPTH:
            raise ExpressionError(
                f"the expression is nested too deeply (more than {MAX_DEPTH} levels)", node.pos
            )
        return node

    def _missing_value(self) -> ExpressionError:
        token = self._token
        previous = self._previous
        if token.kind == "end" and previous is not None:
            if previous.kind == "(":
                return ExpressionError("'(' is never closed", previous.pos)
            return ExpressionError(
                f"the expression ends after {previous.text!r}; a value is missing", previous.pos
            )
        return ExpressionError(f"expected a value but found {_describe(token)}", token.pos)

    def _operand(self, depth: int) -> _Node:
        # Unary minus, literals, references, parentheses and calls are all handled in this one
        # method, so that each nesting level costs only this frame and _expression's.
        start = self._token
        minuses = 0
        while self._token.kind == "op" and self._token.text == "-":
            self._advance()
            minuses += 1
        token = self._token
        node: _Node
        if token.kind == "num":
            self._advance()
            node = _Literal(float(token.text), token.pos)
        elif token.kind == "str":
            self._advance()
            node = _Literal(token.text[1:-1], token.pos)
        elif token.kind == "ref":
            self._advance()
            self.references.add(token.text)
            node = _Ref(token.text, token.pos)
        elif token.kind == "dot":
            self._advance()
            self.uses_current = True
            node = _Current(token.pos)
        elif token.kind == "(":
            self._advance()
            node = self._expression(depth + 1)
            if self._token.kind == "end":
                raise ExpressionError("'(' is never closed", token.pos)
            if self._token.kind != ")":
                raise ExpressionError(
                    f"expected ')' or an operator but found {_describe(self._token)}",
                    self._token.pos,
                )
            self._advance()
        elif token.kind == "name":
            self._advance()
            arity = self._arity(token)
            self._advance()  # '(' — the tokenizer makes a name token only when one follows
            args: list[_Node] = []
            if self._token.kind == ")":
                self._advance()
            else:
                while True:
                    args.append(self._expression(depth + 1))
                    if self._token.kind == ",":
                        self._advance()
                    elif self._token.kind == ")":
                        self._advance()
                        break
                    elif self._token.kind == "end":
                        raise ExpressionError(
                            f"'(' after {token.text!r} is never closed", token.pos
                        )
                    else:
                        raise ExpressionError(
                            f"expected ',' or ')' in {token.text}(...) "
                            f"but found {_describe(self._token)}",
                            self._token.pos,
                        )
            node = self._finish_call(token, arity, args)
        else:
            raise self._missing_value()
        if minuses:
            node = self._checked(_Negate(node, minuses, start.pos, node.depth + 1))
        return node

    @staticmethod
    def _arity(name_token: _Token) -> tuple[int, int | None]:
        name = name_token.text
        arity = _ARITY.get(name)
        if arity is None:
            message = f"unknown function {name!r}"
            # A high cutoff: a wrong suggestion ('frobnicate' -> 'concat') misleads more than
            # none at all.
            close = _FUNCTION_ALIASES.get(name.lower()) or next(
                iter(difflib.get_close_matches(name.lower(), sorted(FUNCTIONS), n=1, cutoff=0.8)),
                None,
            )
            if close:
                message += f"; did you mean {close!r}?"
            raise ExpressionError(message, name_token.pos)
        return arity

    def _finish_call(
        self, name_token: _Token, arity: tuple[int, int | None], args: list[_Node]
    ) -> _Node:
        name = name_token.text
        low, high = arity
        if len(args) < low or (high is not None and len(args) > high):
            raise ExpressionError(
                f"{name}() takes {_arity_text(low, high)}, not {len(args)}", name_token.pos
            )
        if name == "regex":
            self._check_pattern(args[1])
        if not args:
            if name in _CONTEXT_FUNCTIONS:
                self.uses_current = True
            # Without arguments a call is a leaf, like a literal: it adds no nesting.
            return _Call(name, (), name_token.pos, 0)
        node_depth = 1 + max(arg.depth for arg in args)
        return self._checked(_Call(name, tuple(args), name_token.pos, node_depth))

    @staticmethod
    def _check_pattern(node: _Node) -> None:
        if not (isinstance(node, _Literal) and isinstance(node.value, str)):
            return  # computed patterns are checked when evaluated
        pattern = node.value
        if len(pattern) > MAX_REGEX_LENGTH:
            raise ExpressionError(
                f"the regular expression is too long ({len(pattern)} characters; "
                f"at most {MAX_REGEX_LENGTH})",
                node.pos,
            )
        try:
            re.compile(pattern)
        except re.error as error:
            offset = node.pos + 1 + (error.pos or 0)
            raise ExpressionError(
                f"invalid regular expression {pattern!r}: {error.msg}", offset
            ) from None
        except (OverflowError, RecursionError, ValueError) as error:
            raise ExpressionError(
                f"invalid regular expression {pattern!r}: {error}", node.pos
            ) from None


# --------------------------------------------------------------------------------------------
# Evaluation


@functools.lru_cache(maxsize=256)
def _compile_dynamic(pattern: str) -> re.Pattern[str] | None:
    if len(pattern) > MAX_REGEX_LENGTH:
        return None
    try:
        return re.compile(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None


def _equals(left: _Internal, right: _Internal) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if isinstance(left, float) or isinstance(right, float):
        return to_number(left) == to_number(right)  # NaN is equal to nothing, itself included
    return to_string(left) == to_string(right)


def _divide(left: float, right: float) -> float:
    if right == 0:
        if left == 0 or math.isnan(left):
            return math.nan
        # IEEE: the sign comes from both operands, including the sign of a zero divisor.
        return math.copysign(math.inf, left) * math.copysign(1.0, right)
    return left / right


def _modulo(left: float, right: float) -> float:
    # XPath mod truncates like C's fmod (the result has the dividend's sign), not Python's %.
    if math.isnan(left) or math.isnan(right) or math.isinf(left) or right == 0:
        return math.nan
    return math.fmod(left, right)


def _binary(operator: str, left: _Internal, right: _Internal) -> _Internal:
    if operator == "=":
        return _equals(left, right)
    if operator == "!=":
        return not _equals(left, right)
    a, b = to_number(left), to_number(right)
    if operator == "<":
        return a < b
    if operator == "<=":
        return a <= b
    if operator == ">":
        return a > b
    if operator == ">=":
        return a >= b
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if operator == "div":
        return _divide(a, b)
    return _modulo(a, b)


def _round(number: float, digits: float | None) -> float:
    if not math.isfinite(number):
        return number
    if digits is None:
        # XPath round(): the nearest integer, halves towards positive infinity. floor(x + 0.5)
        # would misround 0.49999999999999994, so compare the exact remainder instead.
        result = math.floor(number)
        if number - result >= 0.5:
            result += 1
        return -0.0 if result == 0 and number < 0 else float(result)
    if math.isnan(digits):
        return math.nan
    places = math.trunc(digits) if math.isfinite(digits) else (400 if digits > 0 else -400)
    if places >= 400:  # beyond any digit a double has
        return number
    if places <= -400:
        return 0.0
    # ODK rounds the decimal the user sees (2.675 -> 2.68), halves away from zero.
    context = Context(prec=1000, rounding=ROUND_HALF_UP)
    rounded = Decimal(repr(number)).quantize(Decimal(1).scaleb(-places), context=context)
    return float(rounded)


def _to_date_string(value: _Internal) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, str | _NodeValue):
        text = to_string(value).strip(_XPATH_SPACE)
        if _DATE_RE.fullmatch(text) or _DATETIME_RE.fullmatch(text):
            days = _temporal_to_number(text)
        elif _NUMBER_RE.fullmatch(text):
            days = float(text)
        else:
            return ""
    else:
        days = value
    if not math.isfinite(days):
        return ""
    ordinal = _EPOCH_ORDINAL + math.floor(days)
    if not 1 <= ordinal <= datetime.date.max.toordinal():
        return ""
    return datetime.date.fromordinal(ordinal).isoformat()


def _index(value: _Internal) -> int:
    number = to_number(value)
    if math.isnan(number):
        return 0
    if math.isinf(number):
        return 2**63 if number > 0 else -(2**63)
    return math.trunc(number)


def _substr(text: str, start: _Internal, end: _Internal | None) -> str:
    # ODK substr is 0-based with an exclusive end and counts negative indices from the end,
    # which is exactly Python slicing.
    return text[_index(start) : (_index(end) if end is not None else None)]


def _selected_at(items: str, index: _Internal) -> str:
    choices = items.split()
    number = to_number(index)
    if not math.isfinite(number) or number < 0 or number >= len(choices):
        return ""
    return choices[math.trunc(number)]


def _extreme(values: list[_Internal], pick: Callable[[list[float]], float]) -> float:
    numbers = [to_number(value) for value in values]
    if any(math.isnan(number) for number in numbers):
        return math.nan
    return pick(numbers)


def _floor(value: _Internal) -> float:
    number = to_number(value)
    return float(math.floor(number)) if math.isfinite(number) else number


def _ceiling(value: _Internal) -> float:
    number = to_number(value)
    if not math.isfinite(number):
        return number
    result = float(math.ceil(number))
    return -0.0 if result == 0 and number < 0 else result


def _truncate(value: _Internal) -> float:
    number = to_number(value)
    return float(math.trunc(number)) if math.isfinite(number) else number


def _regex(subject: _Internal, pattern: _Internal) -> bool:
    compiled = _compile_dynamic(to_string(pattern))
    return compiled is not None and compiled.search(to_string(subject)) is not None


class _Evaluator:
    __slots__ = ("_current", "_lookup", "_now", "_today")

    def __init__(
        self,
        lookup: Callable[[str], object],
        current: object,
        today: datetime.date | None,
        now: datetime.datetime | None,
    ) -> None:
        self._lookup = lookup
        self._current = current
        self._today = today.date() if isinstance(today, datetime.datetime) else today
        self._now = now

    def now(self) -> datetime.datetime:
        if self._now is None:
            # Local time with its offset, as ODK writes it; fixed once per evaluation.
            self._now = datetime.datetime.now().astimezone()
        return self._now

    def today(self) -> datetime.date:
        if self._today is None:
            # Taken from now() so that today() and now() agree within one evaluation.
            self._today = self.now().date()
        return self._today

    def current(self) -> _NodeValue:
        return _NodeValue(to_string(self._current))

    def evaluate(self, node: _Node) -> _Internal:
        if isinstance(node, _Literal):
            return node.value
        if isinstance(node, _Ref):
            return _NodeValue(to_string(self._lookup(node.name)))
        if isinstance(node, _Current):
            return self.current()
        if isinstance(node, _Negate):
            number = to_number(self.evaluate(node.operand))
            return -number if node.count % 2 else number
        if isinstance(node, _Chain):
            first = node.ops[0]
            # 'and'/'or' chains are never mixed with other operators and short-circuit.
            # Plain loops rather than any()/all() over generators or comprehensions: those
            # cost an extra Python frame per nesting level.
            if first == "or":
                for operand in node.operands:  # noqa: SIM110
                    if to_boolean(self.evaluate(operand)):
                        return True
                return False
            if first == "and":
                for operand in node.operands:  # noqa: SIM110
                    if not to_boolean(self.evaluate(operand)):
                        return False
                return True
            result = self.evaluate(node.operands[0])
            for operator, operand in zip(node.ops, node.operands[1:], strict=True):
                result = _binary(operator, result, self.evaluate(operand))
            return result
        # Lazy functions evaluate only the arguments they need.
        if node.name == "if":
            condition = to_boolean(self.evaluate(node.args[0]))
            return self.evaluate(node.args[1] if condition else node.args[2])
        if node.name == "coalesce":
            first_value = self.evaluate(node.args[0])
            return first_value if to_string(first_value) else self.evaluate(node.args[1])
        values: list[_Internal] = []
        for arg in node.args:
            values.append(self.evaluate(arg))
        return _FUNCTION_BODIES[node.name](self, values)


_Body: TypeAlias = Callable[[_Evaluator, list[_Internal]], _Internal]


def _context_or_first(ev: _Evaluator, args: list[_Internal]) -> _Internal:
    return args[0] if args else ev.current()


_FUNCTION_BODIES: dict[str, _Body] = {
    "selected": lambda ev, a: to_string(a[1]).strip() in to_string(a[0]).split(),
    "count-selected": lambda ev, a: float(len(to_string(a[0]).split())),
    "not": lambda ev, a: not to_boolean(a[0]),
    "string-length": lambda ev, a: float(len(to_string(_context_or_first(ev, a)))),
    "number": lambda ev, a: to_number(_context_or_first(ev, a)),
    "int": lambda ev, a: _truncate(a[0]),
    "round": lambda ev, a: _round(to_number(a[0]), to_number(a[1]) if len(a) > 1 else None),
    "concat": lambda ev, a: "".join(to_string(value) for value in a),
    "contains": lambda ev, a: to_string(a[1]) in to_string(a[0]),
    "starts-with": lambda ev, a: to_string(a[0]).startswith(to_string(a[1])),
    "ends-with": lambda ev, a: to_string(a[0]).endswith(to_string(a[1])),
    "regex": lambda ev, a: _regex(a[0], a[1]),
    "today": lambda ev, a: ev.today().isoformat(),
    "now": lambda ev, a: ev.now().isoformat(timespec="milliseconds"),
    "true": lambda ev, a: True,
    "false": lambda ev, a: False,
    "string": lambda ev, a: to_string(_context_or_first(ev, a)),
    "boolean": lambda ev, a: to_boolean(a[0]),
    "floor": lambda ev, a: _floor(a[0]),
    "ceiling": lambda ev, a: _ceiling(a[0]),
    "abs": lambda ev, a: abs(to_number(a[0])),
    "substr": lambda ev, a: _substr(to_string(a[0]), a[1], a[2] if len(a) > 2 else None),
    "max": lambda ev, a: _extreme(a, max),
    "min": lambda ev, a: _extreme(a, min),
    "selected-at": lambda ev, a: _selected_at(to_string(a[0]), a[1]),
    "date": lambda ev, a: _to_date_string(a[0]),
}
# if() and coalesce() are evaluated lazily inside _Evaluator.evaluate, so they have no body.


# --------------------------------------------------------------------------------------------
# Compilation
#
# _Evaluator walks the tree for every evaluation, which is what tabulation does for tens of
# thousands of answers. An Expression therefore also compiles its tree, once and on first use,
# into nested closures: one per node, chosen by node type, operator and the kind of value each
# operand is known to have, with constant parts computed once. No source text is generated or
# evaluated. _Evaluator stays as the definition that the closures must agree with, value for
# value and type for type (see the property tests).
#
# Every closure takes (lookup, current, clock, _). For expressions that call today() or now(),
# clock is an _Evaluator holding that evaluation's date and time (and _ is None); otherwise the
# last two are whatever evaluate() was given, unused. A closure calls those of its node's
# children, plus at most one conversion closure per node, so evaluation costs at most two
# Python frames per level of the (depth-capped) tree, as the tree walker does.
#
# Answers are not wrapped in _NodeValue here: under the rules implemented a node value behaves
# exactly like its string-value, and the compiler tracks statically which values come from
# nodes (kind "string"). A rule that treats nodes differently must be added here too.

_Fn: TypeAlias = Callable[..., object]
_NumberFn: TypeAlias = Callable[..., float]
_BoolFn: TypeAlias = Callable[..., bool]
_TextFn: TypeAlias = Callable[..., str]

# Kinds of value a node is known to produce, and what a closure is compiled to return.
_NUMBER, _BOOLEAN, _STRING, _ANY = "number", "boolean", "string", "any"
_VALUE = "value"  # as a request: the node's own value, whatever its kind

_CALL_KINDS: dict[str, str] = {
    "selected": _BOOLEAN,
    "count-selected": _NUMBER,
    "not": _BOOLEAN,
    "string-length": _NUMBER,
    "number": _NUMBER,
    "int": _NUMBER,
    "round": _NUMBER,
    "concat": _STRING,
    "contains": _BOOLEAN,
    "starts-with": _BOOLEAN,
    "ends-with": _BOOLEAN,
    "regex": _BOOLEAN,
    "today": _STRING,
    "now": _STRING,
    "true": _BOOLEAN,
    "false": _BOOLEAN,
    "string": _STRING,
    "boolean": _BOOLEAN,
    "floor": _NUMBER,
    "ceiling": _NUMBER,
    "abs": _NUMBER,
    "substr": _STRING,
    "max": _NUMBER,
    "min": _NUMBER,
    "selected-at": _STRING,
    "date": _STRING,
}
# Calls that are never computed ahead: they read the clock, or (regex) may be slow enough that
# running them for a branch that is never taken would matter.
_NOT_FOLDED = frozenset({"today", "now", "regex"})
_CONVERSIONS: dict[str, Callable[[object], object]] = {
    _NUMBER: to_number,
    _BOOLEAN: to_boolean,
    _STRING: to_string,
    _VALUE: lambda value: value,
}

# number() of answer texts, remembered: the same few answers come back for every report, and
# the regular expressions behind number() cost more than the rest of a typical evaluation.
_NUMBER_CACHE: dict[str, float] = {}
_NUMBER_CACHE_SIZE = 4096
_NUMBER_CACHE_TEXT = 40  # longer texts are not remembered, so the cache stays small
_cached_number = _NUMBER_CACHE.get
_EXACT_INT = 2**53  # integers up to this size are exactly the double that their text reads as


def _text_number(text: str) -> float:
    """_string_to_number, remembered for short texts."""
    number = _cached_number(text)
    if number is None:
        number = _string_to_number(text)
        if len(text) <= _NUMBER_CACHE_TEXT:
            if len(_NUMBER_CACHE) >= _NUMBER_CACHE_SIZE:
                _NUMBER_CACHE.clear()
            _NUMBER_CACHE[text] = number
    return number


def _answer_number(answer: object) -> float:
    """number() of the node value of an answer: to_number(_NodeValue(to_string(answer)))."""
    kind = answer.__class__
    if kind is str:
        number = _cached_number(answer)  # type: ignore[arg-type]
        return _text_number(answer) if number is None else number  # type: ignore[arg-type]
    if answer is None:
        return math.nan
    if kind is int and -_EXACT_INT <= answer <= _EXACT_INT:  # type: ignore[operator]
        return float(answer)  # type: ignore[arg-type]
    if kind is float and answer - answer == 0:  # type: ignore[operator]
        # A finite double's text reads back as the same double, except -0, written '0'.
        return answer + 0.0  # type: ignore[operator]
    return _string_to_number(to_string(answer))


def _answer_boolean(answer: object) -> bool:
    """boolean() of the node value of an answer: whether its string-value is not empty."""
    if answer.__class__ is str:
        return answer != ""
    if answer is None:
        return False
    return to_string(answer) != ""


def _constant(value: object) -> _Fn:
    def constant(lookup, current, clock, _):
        return value

    return constant


# Answers: ${name} and '.'


def _ref_value(name: str) -> _TextFn:
    def ref_value(lookup, current, clock, _):
        answer = lookup(name)
        return answer if answer.__class__ is str else to_string(answer)

    return ref_value


def _ref_number(name: str) -> _NumberFn:
    def ref_number(lookup, current, clock, _):
        return _answer_number(lookup(name))

    return ref_number


def _ref_boolean(name: str) -> _BoolFn:
    def ref_boolean(lookup, current, clock, _):
        return _answer_boolean(lookup(name))

    return ref_boolean


def _current_value(lookup, current, clock, _):
    return current if current.__class__ is str else to_string(current)


def _current_number(lookup, current, clock, _):
    return _answer_number(current)


def _current_boolean(lookup, current, clock, _):
    return _answer_boolean(current)


_REFS: dict[str, Callable[[str], _Fn]] = {
    _VALUE: _ref_value,
    _STRING: _ref_value,
    _NUMBER: _ref_number,
    _BOOLEAN: _ref_boolean,
}
_CURRENTS: dict[str, _Fn] = {
    _VALUE: _current_value,
    _STRING: _current_value,
    _NUMBER: _current_number,
    _BOOLEAN: _current_boolean,
}


def _ref_equals(name: str, text: str) -> _BoolFn:
    def ref_equals(lookup, current, clock, _):
        answer = lookup(name)
        return (answer if answer.__class__ is str else to_string(answer)) == text

    return ref_equals


def _ref_differs(name: str, text: str) -> _BoolFn:
    def ref_differs(lookup, current, clock, _):
        answer = lookup(name)
        return (answer if answer.__class__ is str else to_string(answer)) != text

    return ref_differs


def _current_equals(text: str) -> _BoolFn:
    def current_equals(lookup, current, clock, _):
        return (current if current.__class__ is str else to_string(current)) == text

    return current_equals


def _current_differs(text: str) -> _BoolFn:
    def current_differs(lookup, current, clock, _):
        return (current if current.__class__ is str else to_string(current)) != text

    return current_differs


def _ref_selected(name: str, choice: str) -> _BoolFn:
    def ref_selected(lookup, current, clock, _):
        answer = lookup(name)
        return choice in (answer if answer.__class__ is str else to_string(answer)).split()

    return ref_selected


def _current_selected(choice: str) -> _BoolFn:
    def current_selected(lookup, current, clock, _):
        return choice in (current if current.__class__ is str else to_string(current)).split()

    return current_selected


# Conversions. A closure that computes a value (from its children) and must give another
# kind converts it itself, through _then(), rather than being wrapped in a converting closure:
# that would be a second frame per level of the tree. Only closures without children
# (answers, the clock) and those that pass a child's closure on are wrapped.


def _boolean_number(value: bool) -> float:
    return 1.0 if value else 0.0


def _number_truth(number: float) -> bool:
    return number != 0 and number == number  # not 0 and not NaN


def _text_truth(text: str) -> bool:
    return text != ""


def _boolean_text(value: bool) -> str:
    return "true" if value else "false"


_CONVERTERS: dict[tuple[str, str], Callable[[Any], object]] = {
    (_BOOLEAN, _NUMBER): _boolean_number,
    (_STRING, _NUMBER): _text_number,
    (_NUMBER, _BOOLEAN): _number_truth,
    (_STRING, _BOOLEAN): _text_truth,
    (_NUMBER, _STRING): _format_number,
    (_BOOLEAN, _STRING): _boolean_text,
}


def _conversion(kind: str, want: str) -> Callable[[Any], object] | None:
    """What turns values of ``kind`` into what ``want`` asks for; None: nothing to do."""
    if want in (_VALUE, kind):
        return None
    if kind == _ANY:
        return _CONVERSIONS[want]
    return _CONVERTERS[kind, want]


def _then(convert: Callable[[Any], object] | None, function: Callable[..., Any]) -> Callable:
    """``function``, followed by ``convert`` if there is one."""
    if convert is None:
        return function

    def then(*args: Any) -> object:
        return convert(function(*args))

    return then


def _converted(fn: _Fn, convert: Callable[[Any], object]) -> _Fn:
    def converted(lookup, current, clock, _):
        return convert(fn(lookup, current, clock, _))

    return converted


def _as(fn: _Fn, kind: str, want: str) -> _Fn:
    """``fn``, which gives values of ``kind``, made to give what ``want`` asks for."""
    convert = _conversion(kind, want)
    return fn if convert is None else _converted(fn, convert)


# Operators. A constant operand is bound into the closure rather than called; a comparison
# with a constant on the left is turned around (a < x is x > a, also for NaN).


def _eq(a: _Fn, b: _Fn) -> _BoolFn:
    def eq(lookup, current, clock, _):
        return a(lookup, current, clock, _) == b(lookup, current, clock, _)

    return eq


def _ne(a: _Fn, b: _Fn) -> _BoolFn:
    def ne(lookup, current, clock, _):
        return a(lookup, current, clock, _) != b(lookup, current, clock, _)

    return ne


def _lt(a: _NumberFn, b: _NumberFn) -> _BoolFn:
    def lt(lookup, current, clock, _):
        return a(lookup, current, clock, _) < b(lookup, current, clock, _)

    return lt


def _le(a: _NumberFn, b: _NumberFn) -> _BoolFn:
    def le(lookup, current, clock, _):
        return a(lookup, current, clock, _) <= b(lookup, current, clock, _)

    return le


def _gt(a: _NumberFn, b: _NumberFn) -> _BoolFn:
    def gt(lookup, current, clock, _):
        return a(lookup, current, clock, _) > b(lookup, current, clock, _)

    return gt


def _ge(a: _NumberFn, b: _NumberFn) -> _BoolFn:
    def ge(lookup, current, clock, _):
        return a(lookup, current, clock, _) >= b(lookup, current, clock, _)

    return ge


def _eq_constant(a: _Fn, b: object) -> _BoolFn:
    def eq_constant(lookup, current, clock, _):
        return a(lookup, current, clock, _) == b

    return eq_constant


def _ne_constant(a: _Fn, b: object) -> _BoolFn:
    def ne_constant(lookup, current, clock, _):
        return a(lookup, current, clock, _) != b

    return ne_constant


def _lt_constant(a: _NumberFn, b: float) -> _BoolFn:
    def lt_constant(lookup, current, clock, _):
        return a(lookup, current, clock, _) < b

    return lt_constant


def _le_constant(a: _NumberFn, b: float) -> _BoolFn:
    def le_constant(lookup, current, clock, _):
        return a(lookup, current, clock, _) <= b

    return le_constant


def _gt_constant(a: _NumberFn, b: float) -> _BoolFn:
    def gt_constant(lookup, current, clock, _):
        return a(lookup, current, clock, _) > b

    return gt_constant


def _ge_constant(a: _NumberFn, b: float) -> _BoolFn:
    def ge_constant(lookup, current, clock, _):
        return a(lookup, current, clock, _) >= b

    return ge_constant


_COMPARISONS: dict[str, tuple[Callable[[_Fn, _Fn], _BoolFn], Callable[[_Fn, object], _BoolFn]]] = {
    "=": (_eq, _eq_constant),
    "!=": (_ne, _ne_constant),
    "<": (_lt, _lt_constant),
    "<=": (_le, _le_constant),
    ">": (_gt, _gt_constant),
    ">=": (_ge, _ge_constant),
}
_TURNED = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_COMPARE_FUNCTIONS: dict[str, Callable[[object, object], bool]] = {
    "=": _operator.eq,
    "!=": _operator.ne,
    "<": _operator.lt,
    "<=": _operator.le,
    ">": _operator.gt,
    ">=": _operator.ge,
}


def _add(a: _NumberFn, b: _NumberFn) -> _NumberFn:
    def add(lookup, current, clock, _):
        return a(lookup, current, clock, _) + b(lookup, current, clock, _)

    return add


def _subtract(a: _NumberFn, b: _NumberFn) -> _NumberFn:
    def subtract(lookup, current, clock, _):
        return a(lookup, current, clock, _) - b(lookup, current, clock, _)

    return subtract


def _multiply(a: _NumberFn, b: _NumberFn) -> _NumberFn:
    def multiply(lookup, current, clock, _):
        return a(lookup, current, clock, _) * b(lookup, current, clock, _)

    return multiply


def _add_constant(a: _NumberFn, b: float) -> _NumberFn:
    def add_constant(lookup, current, clock, _):
        return a(lookup, current, clock, _) + b

    return add_constant


def _subtract_constant(a: _NumberFn, b: float) -> _NumberFn:
    def subtract_constant(lookup, current, clock, _):
        return a(lookup, current, clock, _) - b

    return subtract_constant


def _multiply_constant(a: _NumberFn, b: float) -> _NumberFn:
    def multiply_constant(lookup, current, clock, _):
        return a(lookup, current, clock, _) * b

    return multiply_constant


def _constant_add(a: float, b: _NumberFn) -> _NumberFn:
    def constant_add(lookup, current, clock, _):
        return a + b(lookup, current, clock, _)

    return constant_add


def _constant_subtract(a: float, b: _NumberFn) -> _NumberFn:
    def constant_subtract(lookup, current, clock, _):
        return a - b(lookup, current, clock, _)

    return constant_subtract


def _constant_multiply(a: float, b: _NumberFn) -> _NumberFn:
    def constant_multiply(lookup, current, clock, _):
        return a * b(lookup, current, clock, _)

    return constant_multiply


def _applied(function: Callable[[float, float], float], a: _NumberFn, b: _NumberFn) -> _NumberFn:
    def applied(lookup, current, clock, _):
        return function(a(lookup, current, clock, _), b(lookup, current, clock, _))

    return applied


def _applied_constant(
    function: Callable[[float, float], float], a: _NumberFn, b: float
) -> _NumberFn:
    def applied_constant(lookup, current, clock, _):
        return function(a(lookup, current, clock, _), b)

    return applied_constant


def _constant_applied(
    function: Callable[[float, float], float], a: float, b: _NumberFn
) -> _NumberFn:
    def constant_applied(lookup, current, clock, _):
        return function(a, b(lookup, current, clock, _))

    return constant_applied


def _divide_by_constant(a: _NumberFn, b: float) -> _NumberFn:
    # Only for b != 0, where _divide is plain division (NaN included).
    def divide_by_constant(lookup, current, clock, _):
        return a(lookup, current, clock, _) / b

    return divide_by_constant


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": _operator.add,
    "-": _operator.sub,
    "*": _operator.mul,
    "div": _divide,
    "mod": _modulo,
}
_ARITHMETIC_CLOSURES: dict[
    str,
    tuple[
        Callable[[_NumberFn, _NumberFn], _NumberFn],
        Callable[[_NumberFn, float], _NumberFn],
        Callable[[float, _NumberFn], _NumberFn],
    ],
] = {
    "+": (_add, _add_constant, _constant_add),
    "-": (_subtract, _subtract_constant, _constant_subtract),
    "*": (_multiply, _multiply_constant, _constant_multiply),
}


def _negate(fn: _NumberFn) -> _NumberFn:
    def negate(lookup, current, clock, _):
        return -fn(lookup, current, clock, _)

    return negate


# Chains of three or more operands of one precedence level loop instead of nesting, so that
# a sum of thousands of terms stays one closure deep.


def _any(fns: tuple[_BoolFn, ...], yes: object = True, no: object = False) -> _Fn:
    if len(fns) == 2 and yes is True and no is False:
        a, b = fns

        def either(lookup, current, clock, _):
            return a(lookup, current, clock, _) or b(lookup, current, clock, _)

        return either

    def any_of(lookup, current, clock, _):
        for fn in fns:
            if fn(lookup, current, clock, _):
                return yes
        return no

    return any_of


def _all(fns: tuple[_BoolFn, ...], yes: object = True, no: object = False) -> _Fn:
    if len(fns) == 2 and yes is True and no is False:
        a, b = fns

        def both(lookup, current, clock, _):
            return a(lookup, current, clock, _) and b(lookup, current, clock, _)

        return both

    def all_of(lookup, current, clock, _):
        for fn in fns:
            if not fn(lookup, current, clock, _):
                return no
        return yes

    return all_of


def _fold_numbers(
    first: _NumberFn,
    rest: tuple[tuple[Callable[[float, float], float], _NumberFn], ...],
    convert: Callable[[Any], object] | None,
) -> _Fn:
    def fold_numbers(lookup, current, clock, _):
        result = first(lookup, current, clock, _)
        for function, fn in rest:
            result = function(result, fn(lookup, current, clock, _))
        return result if convert is None else convert(result)

    return fold_numbers


def _fold_comparisons(
    pair: Callable[[object, object], bool],
    a: _Fn,
    b: _Fn,
    rest: tuple[tuple[Callable[[object, object], bool], _Fn], ...],
    as_number: bool,
    convert: Callable[[Any], object] | None,
) -> _Fn:
    # After the first comparison the left side is a boolean: '=' and '!=' then compare
    # booleans (the operands are compiled to booleans) and the others compare numbers.
    def fold_comparisons(lookup, current, clock, _):
        result = pair(a(lookup, current, clock, _), b(lookup, current, clock, _))
        for function, fn in rest:
            left = (1.0 if result else 0.0) if as_number else result
            result = function(left, fn(lookup, current, clock, _))
        return result if convert is None else convert(result)

    return fold_comparisons


def _if(test: _BoolFn, then: _Fn, otherwise: _Fn) -> _Fn:
    def if_(lookup, current, clock, _):
        if test(lookup, current, clock, _):
            return then(lookup, current, clock, _)
        return otherwise(lookup, current, clock, _)

    return if_


def _if_constants(test: _BoolFn, then: object, otherwise: object) -> _Fn:
    def if_constants(lookup, current, clock, _):
        return then if test(lookup, current, clock, _) else otherwise

    return if_constants


def _call_values(function: Callable[[list[object]], object], fns: tuple[_Fn, ...]) -> _Fn:
    # A loop, not a comprehension: in Python 3.11 a comprehension is one more frame per level.
    def call_values(lookup, current, clock, _):
        values = []
        for fn in fns:
            values.append(fn(lookup, current, clock, _))
        return function(values)

    return call_values


def _unary(function: Callable[[object], object], fn: _Fn) -> _Fn:
    def unary(lookup, current, clock, _):
        return function(fn(lookup, current, clock, _))

    return unary


def _binary_call(function: Callable[[object, object], object], a: _Fn, b: _Fn) -> _Fn:
    # Both arguments are evaluated, in order, before the function sees them.
    def binary_call(lookup, current, clock, _):
        left = a(lookup, current, clock, _)
        return function(left, b(lookup, current, clock, _))

    return binary_call


def _trunc_number(number: float) -> float:
    return float(math.trunc(number)) if math.isfinite(number) else number


def _floor_number(number: float) -> float:
    return float(math.floor(number)) if math.isfinite(number) else number


def _ceiling_number(number: float) -> float:
    if not math.isfinite(number):
        return number
    result = float(math.ceil(number))
    return -0.0 if result == 0 and number < 0 else result


def _extreme_numbers(pick: Callable[[list[float]], float]) -> Callable[[list[float]], float]:
    def extreme(numbers: list[float]) -> float:
        for number in numbers:
            if number != number:  # NaN
                return math.nan
        return pick(numbers)

    return extreme


def _selected_in(needle: str) -> Callable[[str], bool]:
    def selected_in(items: str) -> bool:
        return needle in items.split()

    return selected_in


def _search(pattern: re.Pattern[str] | None) -> Callable[[str], bool]:
    def search(text: str) -> bool:
        return pattern is not None and pattern.search(text) is not None

    return search


def _today(lookup, current, clock, _):
    return clock.today().isoformat()


def _now(lookup, current, clock, _):
    return clock.now().isoformat(timespec="milliseconds")


def _count_selected(items: str) -> float:
    return float(len(items.split()))


def _text_length(text: str) -> float:
    return float(len(text))


def _selected(items: str, needle: str) -> bool:
    return needle.strip() in items.split()


def _contains(text: str, part: str) -> bool:
    return part in text


def _starts_with(text: str, part: str) -> bool:
    return text.startswith(part)


def _ends_with(text: str, part: str) -> bool:
    return text.endswith(part)


def _regex_text(text: str, pattern: str) -> bool:
    compiled = _compile_dynamic(pattern)
    return compiled is not None and compiled.search(text) is not None


def _round_numbers(numbers: list[float]) -> float:
    return _round(numbers[0], numbers[1] if len(numbers) > 1 else None)


def _substr_values(values: list[object]) -> str:
    return _substr(values[0], values[1], values[2] if len(values) > 2 else None)  # type: ignore[arg-type]


def _join(fns: tuple[_TextFn, ...]) -> _TextFn:
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        a, b = fns

        def join_two(lookup, current, clock, _):
            return a(lookup, current, clock, _) + b(lookup, current, clock, _)

        return join_two

    def join(lookup, current, clock, _):
        parts = []
        for fn in fns:
            parts.append(fn(lookup, current, clock, _))
        return "".join(parts)

    return join


def _coalesce_text(first: _TextFn, second: _Fn, want: str) -> _Fn:
    # The first argument is text: it is the value unless empty.
    if want == _NUMBER:

        def coalesce_number(lookup, current, clock, _):
            text = first(lookup, current, clock, _)
            return _text_number(text) if text else second(lookup, current, clock, _)

        return coalesce_number
    if want == _BOOLEAN:

        def coalesce_boolean(lookup, current, clock, _):
            if first(lookup, current, clock, _):
                return True
            return second(lookup, current, clock, _)

        return coalesce_boolean

    def coalesce_text(lookup, current, clock, _):
        text = first(lookup, current, clock, _)
        return text if text else second(lookup, current, clock, _)

    return coalesce_text


def _ref_coalesce_number(name: str, second: _NumberFn) -> _NumberFn:
    """_coalesce_text(_ref_value(name), second, _NUMBER) without the answer's round trip
    through its text when it is a number (whose text is never empty)."""

    def ref_coalesce_number(lookup, current, clock, _):
        answer = lookup(name)
        kind = answer.__class__
        if kind is int or kind is float:
            return _answer_number(answer)
        text = answer if kind is str else to_string(answer)
        return _text_number(text) if text else second(lookup, current, clock, _)

    return ref_coalesce_number


def _coalesce_any(first: _Fn, second: _Fn, convert: Callable[[Any], object] | None) -> _Fn:
    def coalesce_any(lookup, current, clock, _):
        value = first(lookup, current, clock, _)
        if not to_string(value):
            value = second(lookup, current, clock, _)
        return value if convert is None else convert(value)

    return coalesce_any


def _differs(left: _Internal, right: _Internal) -> bool:
    return not _equals(left, right)


def _union(a: str, b: str) -> str:
    return a if a == b else _ANY


def _children(node: _Node) -> tuple[_Node, ...]:
    cls = node.__class__
    if cls is _Chain:
        return node.operands  # type: ignore[union-attr]
    if cls is _Call:
        return node.args  # type: ignore[union-attr]
    if cls is _Negate:
        return (node.operand,)  # type: ignore[union-attr]
    return ()


class _Variable:
    """Marks a node whose value depends on the answers or the clock."""


_VARIABLE = _Variable()


def _no_lookup(name: str) -> object:
    raise AssertionError(f"a constant part of an expression looked up {name!r}")


class _Compiler:
    """Turns a syntax tree into closures; one compiler per compilation."""

    def __init__(self, tree: _Node) -> None:
        self.clocked = False  # whether a compiled closure reads the clock
        self._folded: dict[int, object] = {}
        # The kind of every node, and which depend on answers or the clock: children before
        # parents, without recursion.
        kinds: dict[int, str] = {}
        variable: set[int] = set()
        order: list[tuple[_Node, tuple[_Node, ...]]] = []
        stack = [tree]
        while stack:
            node = stack.pop()
            children = _children(node)
            order.append((node, children))
            stack.extend(children)
        for node, children in reversed(order):
            key = id(node)
            cls = node.__class__
            if cls is _Literal:
                kinds[key] = _STRING if isinstance(node.value, str) else _NUMBER
                continue
            if cls is _Ref or cls is _Current:
                kinds[key] = _STRING
                variable.add(key)
                continue
            if cls is _Negate:
                kinds[key] = _NUMBER
            elif cls is _Chain:
                kinds[key] = _NUMBER if node.ops[0] in _ARITHMETIC else _BOOLEAN
            elif node.name == "if":
                kinds[key] = _union(kinds[id(children[1])], kinds[id(children[2])])
            elif node.name == "coalesce":
                first = kinds[id(children[0])]
                # A number or a boolean is never empty, so it is always the value.
                in_first = first in (_NUMBER, _BOOLEAN)
                kinds[key] = first if in_first else _union(first, kinds[id(children[1])])
            else:
                kinds[key] = _CALL_KINDS[node.name]
                if node.name in _NOT_FOLDED or (not children and node.name in _CONTEXT_FUNCTIONS):
                    variable.add(key)
            for child in children:
                if id(child) in variable:
                    variable.add(key)
                    break
        self._kinds = kinds
        self._variable = variable

    def constant(self, node: _Node) -> object:
        """The value of a node that depends on nothing, computed once; else _VARIABLE."""
        key = id(node)
        if key in self._variable:
            return _VARIABLE
        if isinstance(node, _Literal):
            return node.value
        if key not in self._folded:
            try:
                value = _Evaluator(_no_lookup, None, None, None).evaluate(node)
            except Exception:  # never expected; then the node is simply compiled
                value = _VARIABLE
            self._folded[key] = value
        return self._folded[key]

    def kind(self, node: _Node) -> str:
        value = self.constant(node)
        if value is _VARIABLE:
            return self._kinds[id(node)]
        if isinstance(value, bool):
            return _BOOLEAN
        return _NUMBER if isinstance(value, float) else _STRING

    def compile(self, node: _Node, want: str) -> _Fn:
        """A closure giving the node's value, converted as ``want`` asks.

        The only recursive method: it compiles a node's children itself, in loops, then hands
        their closures to a builder. Compiling costs one frame per level of the tree, and so
        does running the closures.
        """
        value = self.constant(node)
        if value is not _VARIABLE:
            return _constant(_CONVERSIONS[want](value))
        cls = node.__class__
        if cls is _Ref:
            return _REFS[want](node.name)  # type: ignore[union-attr]
        if cls is _Current:
            return _CURRENTS[want]
        if cls is _Negate:
            fn = self.compile(node.operand, _NUMBER)  # type: ignore[union-attr]
            if node.count % 2 == 0:  # type: ignore[union-attr]
                return _as(fn, _NUMBER, want)
            convert = _conversion(_NUMBER, want)
            return _negate(fn) if convert is None else _unary(_then(convert, _operator.neg), fn)
        fns: list[_Fn] = []
        if cls is _Chain:
            operator_, operands = node.ops[0], node.operands  # type: ignore[union-attr]
            if operator_ in ("or", "and"):
                for operand in operands:
                    fns.append(self.compile(operand, _BOOLEAN))
                convert = _conversion(_BOOLEAN, want)
                yes, no = (True, False) if convert is None else (convert(True), convert(False))
                return (_any if operator_ == "or" else _all)(tuple(fns), yes, no)
            if operator_ in _ARITHMETIC:
                for operand in operands:
                    fns.append(self.compile(operand, _NUMBER))
                return self._arithmetic(node, fns, _conversion(_NUMBER, want))  # type: ignore[arg-type]
            pair, domain = self._pair(operator_, operands[0], operands[1])
            # After the first comparison the left side is a boolean: '=' and '!=' then compare
            # booleans, the others numbers.
            then = _BOOLEAN if operator_ in ("=", "!=") else _NUMBER
            for index, operand in enumerate(operands):
                fns.append(self.compile(operand, domain if index < 2 else then))
            convert = _conversion(_BOOLEAN, want)
            return self._comparisons(node, pair, domain, fns, convert)  # type: ignore[arg-type]
        name, args = node.name, node.args  # type: ignore[union-attr]
        if name == "if":
            condition = self.constant(args[0])
            if condition is not _VARIABLE:
                return self.compile(args[1] if to_boolean(condition) else args[2], want)
            for arg, arg_want in zip(args, (_BOOLEAN, want, want), strict=True):
                fns.append(self.compile(arg, arg_want))
            return self._if(args, fns, want)
        if name == "coalesce":
            first = self.constant(args[0])
            if first is not _VARIABLE:
                return self.compile(args[0] if to_string(first) else args[1], want)
            kind = self.kind(args[0])
            if kind in (_NUMBER, _BOOLEAN):  # never empty, so always the value
                return self.compile(args[0], want)
            if kind == _STRING:
                first_arg = args[0]
                if want == _NUMBER and first_arg.__class__ is _Ref:  # coalesce(${a}, 0) and like
                    ref_name = first_arg.name  # type: ignore[union-attr]
                    return _ref_coalesce_number(ref_name, self.compile(args[1], want))
                fns.append(self.compile(args[0], _STRING))
                fns.append(self.compile(args[1], want))
                return _coalesce_text(fns[0], fns[1], want)
            fns.append(self.compile(args[0], _VALUE))
            fns.append(self.compile(args[1], _VALUE))
            return _coalesce_any(fns[0], fns[1], _conversion(_ANY, want))
        wants = _ARGUMENT_KINDS[name]
        for index, arg in enumerate(args):
            fns.append(self.compile(arg, wants if isinstance(wants, str) else wants[index]))
        return self._call(node, fns, _CALL_KINDS[name], want)  # type: ignore[arg-type]

    def _if(self, args: tuple[_Node, ...], fns: list[_Fn], want: str) -> _Fn:
        then, otherwise = self.constant(args[1]), self.constant(args[2])
        if then is not _VARIABLE and otherwise is not _VARIABLE:
            convert = _CONVERSIONS[want]
            return _if_constants(fns[0], convert(then), convert(otherwise))
        return _if(fns[0], fns[1], fns[2])

    def _pair(self, operator_: str, left: _Node, right: _Node) -> tuple[Callable[..., bool], str]:
        """How to compare two operands: the comparison, and what to convert both to."""
        if operator_ not in ("=", "!="):
            return _COMPARE_FUNCTIONS[operator_], _NUMBER
        kinds = (self.kind(left), self.kind(right))
        if _BOOLEAN in kinds:
            domain = _BOOLEAN
        elif _ANY in kinds:  # decided by the values' types, as _equals does
            return (_equals if operator_ == "=" else _differs), _VALUE
        elif _NUMBER in kinds:
            domain = _NUMBER
        else:
            domain = _STRING
        return _COMPARE_FUNCTIONS[operator_], domain

    def _comparisons(
        self,
        node: _Chain,
        pair: Callable[..., bool],
        domain: str,
        fns: list[_Fn],
        convert: Callable[[Any], object] | None,
    ) -> _Fn:
        if len(fns) > 2:
            rest = tuple(zip([_COMPARE_FUNCTIONS[op] for op in node.ops[1:]], fns[2:], strict=True))
            as_number = node.ops[0] not in ("=", "!=")
            return _fold_comparisons(pair, fns[0], fns[1], rest, as_number, convert)
        if domain == _VALUE or convert is not None:
            return _binary_call(_then(convert, pair), fns[0], fns[1])
        operator_, (left, right) = node.ops[0], node.operands
        left_value, right_value = self.constant(left), self.constant(right)
        fn = fns[0]
        if left_value is not _VARIABLE:
            operator_, left, fn, right_value = _TURNED[operator_], right, fns[1], left_value
        if right_value is _VARIABLE:
            both, _ = _COMPARISONS[operator_]
            return both(fns[0], fns[1])
        constant = _CONVERSIONS[domain](right_value)
        if domain == _STRING:
            # The usual test of an answer against a choice or a text, in one closure.
            if isinstance(left, _Ref):
                return (_ref_equals if operator_ == "=" else _ref_differs)(left.name, constant)
            if isinstance(left, _Current):
                return (_current_equals if operator_ == "=" else _current_differs)(constant)
        _, with_constant = _COMPARISONS[operator_]
        return with_constant(fn, constant)

    def _arithmetic(
        self, node: _Chain, fns: list[_NumberFn], convert: Callable[[Any], object] | None
    ) -> _Fn:
        if len(fns) > 2:
            functions = [_ARITHMETIC[op] for op in node.ops]
            return _fold_numbers(fns[0], tuple(zip(functions, fns[1:], strict=True)), convert)
        operator_, (left, right) = node.ops[0], node.operands
        function = _ARITHMETIC[operator_]
        if convert is not None:
            return _binary_call(_then(convert, function), fns[0], fns[1])
        closures = _ARITHMETIC_CLOSURES.get(operator_)
        left_value, right_value = self.constant(left), self.constant(right)
        if right_value is not _VARIABLE:
            constant = to_number(right_value)
            if closures:
                return closures[1](fns[0], constant)
            if operator_ == "div" and constant != 0:
                return _divide_by_constant(fns[0], constant)
            return _applied_constant(function, fns[0], constant)
        if left_value is not _VARIABLE:
            constant = to_number(left_value)
            if closures:
                return closures[2](constant, fns[1])
            return _constant_applied(function, constant, fns[1])
        return closures[0](fns[0], fns[1]) if closures else _applied(function, fns[0], fns[1])

    def _call(self, node: _Call, fns: list[_Fn], kind: str, want: str) -> _Fn:
        """The closure of a call, given its arguments' closures."""
        name, args = node.name, node.args
        convert = _conversion(kind, want)
        if name in ("today", "now"):
            self.clocked = True
            return _as(_today if name == "today" else _now, kind, want)
        if not fns:  # string(), number(), string-length(): the current answer
            if name == "string-length":
                return _unary(_then(convert, _text_length), _CURRENTS[_STRING])
            return _as(_CURRENTS[kind], kind, want)
        if name in _ONE_ARGUMENT:
            function = _ONE_ARGUMENT[name]
            if function is None:  # string(), number(), boolean(): the argument, converted
                return _as(fns[0], kind, want)
            return _unary(_then(convert, function), fns[0])
        if name == "concat":
            if convert is None:
                return _join(tuple(fns))
            return _call_values(_then(convert, "".join), tuple(fns))
        if name in _ALL_ARGUMENTS:
            return _call_values(_then(convert, _ALL_ARGUMENTS[name]), tuple(fns))
        second = self.constant(args[1])
        if name == "selected" and second is not _VARIABLE:
            choice = to_string(second).strip()
            # The usual test of a select_multiple answer, in one closure.
            if convert is None and isinstance(args[0], _Ref):
                return _ref_selected(args[0].name, choice)
            if convert is None and isinstance(args[0], _Current):
                return _current_selected(choice)
            return _unary(_then(convert, _selected_in(choice)), fns[0])
        if name == "regex" and second is not _VARIABLE:
            return _unary(_then(convert, _search(_compile_dynamic(to_string(second)))), fns[0])
        return _binary_call(_then(convert, _TWO_ARGUMENTS[name]), fns[0], fns[1])


# What each function's arguments are compiled to: one kind for all, or one per position.
_ARGUMENT_KINDS: dict[str, str | tuple[str, ...]] = {
    "selected": (_STRING, _STRING),
    "count-selected": (_STRING,),
    "not": (_BOOLEAN,),
    "string-length": (_STRING,),
    "number": (_NUMBER,),
    "int": (_NUMBER,),
    "round": _NUMBER,
    "concat": _STRING,
    "contains": (_STRING, _STRING),
    "starts-with": (_STRING, _STRING),
    "ends-with": (_STRING, _STRING),
    "regex": (_STRING, _STRING),
    "today": (),
    "now": (),
    "true": (),
    "false": (),
    "string": (_STRING,),
    "boolean": (_BOOLEAN,),
    "floor": (_NUMBER,),
    "ceiling": (_NUMBER,),
    "abs": (_NUMBER,),
    "substr": (_STRING, _NUMBER, _NUMBER),
    "max": _NUMBER,
    "min": _NUMBER,
    "selected-at": (_STRING, _NUMBER),
    "date": (_VALUE,),
}
# Functions of one argument, as functions of its converted value; None: the value itself.
_ONE_ARGUMENT: dict[str, Callable[[object], object] | None] = {
    "string": None,
    "number": None,
    "boolean": None,
    "not": _operator.not_,
    "int": _trunc_number,
    "floor": _floor_number,
    "ceiling": _ceiling_number,
    "abs": abs,
    "string-length": _text_length,
    "count-selected": _count_selected,
    "date": _to_date_string,
}
# Functions of the list of their converted arguments.
_ALL_ARGUMENTS: dict[str, Callable[[list[object]], object]] = {
    "max": _extreme_numbers(max),
    "min": _extreme_numbers(min),
    "round": _round_numbers,
    "substr": _substr_values,
}
_TWO_ARGUMENTS: dict[str, Callable[[object, object], object]] = {
    "selected": _selected,
    "contains": _contains,
    "starts-with": _starts_with,
    "ends-with": _ends_with,
    "regex": _regex_text,
    "selected-at": _selected_at,
}


_FAST_ATTRIBUTES = {_VALUE: "_fast_value", _BOOLEAN: "_fast_bool", _STRING: "_fast_string"}


def _compiled(tree: _Node, want: str) -> Callable[..., object]:
    """The closure for evaluate* to call as fn(lookup, current, today, now)."""
    compiler = _Compiler(tree)
    fn = compiler.compile(tree, want)
    if not compiler.clocked:
        return fn

    def clocked(lookup, current, today, now):
        # _Evaluator keeps the date and time fixed once read, as for the tree walker.
        return fn(lookup, current, _Evaluator(lookup, current, today, now), None)

    return clocked


# --------------------------------------------------------------------------------------------
# Public interface


@dataclass(frozen=True, eq=False)
class Expression:
    """A parsed expression; constructing one parses ``source`` and may raise ExpressionError.

    Equality is identity (``eq=False``): expressions live in frozen form models and are hashed.
    """

    source: str
    _tree: _Node = field(init=False, repr=False)
    _references: frozenset[str] = field(init=False, repr=False)
    _uses_current: bool = field(init=False, repr=False)
    # The closures compiled from _tree, one per kind of result, made on first use (see
    # _Compiler). They go in the instance's __dict__ and are left out of pickles; the None
    # here means not compiled yet.
    _fast_value: ClassVar[Callable[..., Value] | None] = None
    _fast_bool: ClassVar[Callable[..., bool] | None] = None
    _fast_string: ClassVar[Callable[..., str] | None] = None

    def __post_init__(self) -> None:
        if not isinstance(self.source, str):
            raise TypeError(f"an expression is text, not {type(self.source).__name__}")
        if len(self.source) > MAX_LENGTH:
            raise ExpressionError(
                f"the expression is too long ({len(self.source)} characters; at most {MAX_LENGTH})",
                MAX_LENGTH,
            )
        parser = _Parser(self.source)
        try:
            tree = parser.parse()
        except RecursionError:
            # Only reachable when the caller is itself deep in the stack; the depth cap keeps
            # the parser's own recursion small.
            raise ExpressionError("the expression is nested too deeply", None) from None
        object.__setattr__(self, "_tree", tree)
        object.__setattr__(self, "_references", frozenset(parser.references))
        object.__setattr__(self, "_uses_current", parser.uses_current)

    def references(self) -> frozenset[str]:
        """The names in ``${name}`` references, including those in branches not taken."""
        return self._references

    def uses_current(self) -> bool:
        """Whether the expression reads the current answer: '.', or string(), number(),
        string-length() without an argument."""
        return self._uses_current

    def uses_clock(self) -> bool:
        """Whether the expression calls today() or now(), in any branch: its value may then
        change from one evaluation to the next with the same answers."""
        return any(
            node.__class__ is _Call and node.name in ("today", "now")  # type: ignore[union-attr]
            for node in self._nodes()
        )

    def size(self) -> int:
        """The number of parts (literals, references, operators, calls) of the expression: a
        rough measure of the work of evaluating it."""
        return sum(1 for _node in self._nodes())

    def _nodes(self) -> Iterator[_Node]:
        stack: list[_Node] = [self._tree]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(_children(node))

    def __getstate__(self) -> dict[str, object]:
        # Closures do not pickle; a copy compiles its own when first evaluated.
        state = dict(self.__dict__)
        for name in _FAST_ATTRIBUTES.values():
            state.pop(name, None)
        return state

    def _compile(self, want: str) -> Callable[..., object]:
        """The closure for evaluate (want _VALUE), evaluate_bool or evaluate_string, kept."""
        try:
            fn = _compiled(self._tree, want)
        except RecursionError:
            # Only when the caller is itself deep in the stack: walk the tree this time, and
            # try compiling again next time.
            convert = _CONVERSIONS[want]

            def walk(lookup, current, today, now):
                return convert(self._evaluate_reference(lookup, current, today=today, now=now))

            return walk
        object.__setattr__(self, _FAST_ATTRIBUTES[want], fn)
        return fn

    def _evaluate(
        self,
        lookup: Callable[[str], object],
        current: object,
        today: datetime.date | None,
        now: datetime.datetime | None,
    ) -> _Internal:
        return _Evaluator(lookup, current, today, now).evaluate(self._tree)

    def _evaluate_reference(
        self,
        lookup: Callable[[str], object],
        current: object = None,
        *,
        today: datetime.date | None = None,
        now: datetime.datetime | None = None,
    ) -> Value:
        """evaluate() by walking the tree: the definition the compiled closures must match."""
        result = self._evaluate(lookup, current, today, now)
        return result.text if isinstance(result, _NodeValue) else result

    def evaluate(
        self,
        lookup: Callable[[str], object],
        current: object = None,
        *,
        today: datetime.date | None = None,
        now: datetime.datetime | None = None,
    ) -> Value:
        """The value of the expression; ``lookup(name)`` gives the answer to ``${name}``."""
        fn = self._fast_value or self._compile(_VALUE)
        return fn(lookup, current, today, now)  # type: ignore[return-value]

    def evaluate_bool(
        self,
        lookup: Callable[[str], object],
        current: object = None,
        *,
        today: datetime.date | None = None,
        now: datetime.datetime | None = None,
    ) -> bool:
        """XPath boolean() of the value (for relevant, required and constraint columns)."""
        fn = self._fast_bool or self._compile(_BOOLEAN)
        return fn(lookup, current, today, now)  # type: ignore[return-value]

    def evaluate_string(
        self,
        lookup: Callable[[str], object],
        current: object = None,
        *,
        today: datetime.date | None = None,
        now: datetime.datetime | None = None,
    ) -> str:
        """XPath string() of the value (for calculations)."""
        fn = self._fast_string or self._compile(_STRING)
        return fn(lookup, current, today, now)  # type: ignore[return-value]

    def bool_function(self) -> Callable[..., bool]:
        """What evaluate_bool calls, for callers that evaluate one expression many times:
        ``fn(lookup, current, today, now)`` (all four positional) is
        ``evaluate_bool(lookup, current, today=today, now=now)``."""
        return self._fast_bool or self._compile(_BOOLEAN)  # type: ignore[return-value]

    def string_function(self) -> Callable[..., str]:
        """What evaluate_string calls: ``fn(lookup, current, today, now)``; see bool_function."""
        return self._fast_string or self._compile(_STRING)  # type: ignore[return-value]


def parse(text: str) -> Expression:
    """Parse ``text``; raises ExpressionError for any malformation, with its position."""
    return Expression(text)
