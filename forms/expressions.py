"""Parse and evaluate XLSForm (ODK XPath) expressions safely, without Python's eval."""

from __future__ import annotations

import datetime
import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import ClassVar, TypeAlias

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

    def _evaluate(
        self,
        lookup: Callable[[str], object],
        current: object,
        today: datetime.date | None,
        now: datetime.datetime | None,
    ) -> _Internal:
        return _Evaluator(lookup, current, today, now).evaluate(self._tree)

    def evaluate(
        self,
        lookup: Callable[[str], object],
        current: object = None,
        *,
        today: datetime.date | None = None,
        now: datetime.datetime | None = None,
    ) -> Value:
        """The value of the expression; ``lookup(name)`` gives the answer to ``${name}``."""
        result = self._evaluate(lookup, current, today, now)
        return result.text if isinstance(result, _NodeValue) else result

    def evaluate_bool(
        self,
        lookup: Callable[[str], object],
        current: object = None,
        *,
        today: datetime.date | None = None,
        now: datetime.datetime | None = None,
    ) -> bool:
        """XPath boolean() of the value (for relevant, required and constraint columns)."""
        return to_boolean(self._evaluate(lookup, current, today, now))

    def evaluate_string(
        self,
        lookup: Callable[[str], object],
        current: object = None,
        *,
        today: datetime.date | None = None,
        now: datetime.datetime | None = None,
    ) -> str:
        """XPath string() of the value (for calculations)."""
        return to_string(self._evaluate(lookup, current, today, now))


def parse(text: str) -> Expression:
    """Parse ``text``; raises ExpressionError for any malformation, with its position."""
    return Expression(text)
