"""Pollcheck's form model: a checklist as frozen dataclasses, independent of XLSForm and pyxform."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from forms.expressions import Expression

# Question types Pollcheck understands, as written in the XLSForm `type` column.
QUESTION_TYPES = (
    "text",
    "integer",
    "decimal",
    "select_one",
    "select_multiple",
    "date",
    "time",
    "datetime",
    "note",
    "calculate",
)
QuestionType = Literal[
    "text",
    "integer",
    "decimal",
    "select_one",
    "select_multiple",
    "date",
    "time",
    "datetime",
    "note",
    "calculate",
]
# Types that hold no answer an observer gives.
NO_ANSWER_TYPES = frozenset({"note"})
StationRule = Literal["required", "optional", "absent"]

Labels = Mapping[str, str]
"""Text per language code (``{"en": "Ballot box sealed?", "ru": "Урна опечатана?"}``)."""

_EMPTY: Labels = MappingProxyType({})


def _no_labels() -> Labels:
    return MappingProxyType({})


def pick_label(labels: Labels, language: str | None, fallback: str = "") -> str:
    """The text in ``language``, else the first language that has one, else ``fallback``."""
    if language and labels.get(language):
        return labels[language]
    for text in labels.values():
        if text:
            return text
    return fallback


@dataclass(frozen=True)
class Language:
    """A form language: ``code`` (``en``) and the name the workbook gives it (``English``)."""

    code: str
    name: str


@dataclass(frozen=True)
class Choice:
    """One choice of a choice list."""

    name: str
    labels: Labels = field(default_factory=_no_labels)

    def label(self, language: str | None = None) -> str:
        return pick_label(self.labels, language, self.name)


@dataclass(frozen=True)
class Question:
    """One row of the survey sheet that is not a group or repeat.

    Expressions are parsed at load time; ``None`` means the column was empty.
    ``row`` is the row of the survey sheet (1-based, header is row 1) for messages.
    """

    name: str
    type: QuestionType
    row: int = 0
    labels: Labels = field(default_factory=_no_labels)
    hints: Labels = field(default_factory=_no_labels)
    list_name: str | None = None
    required: Expression | None = None
    required_messages: Labels = field(default_factory=_no_labels)
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_messages: Labels = field(default_factory=_no_labels)
    calculation: Expression | None = None
    default: str | None = None
    read_only: bool = False
    appearance: str | None = None
    finding: Expression | None = None

    def label(self, language: str | None = None) -> str:
        return pick_label(self.labels, language, self.name)

    def hint(self, language: str | None = None) -> str:
        return pick_label(self.hints, language)

    @property
    def is_select(self) -> bool:
        return self.type in ("select_one", "select_multiple")

    @property
    def takes_answer(self) -> bool:
        """True for questions whose value is stored in a report (calculations included)."""
        return self.type not in NO_ANSWER_TYPES


@dataclass(frozen=True)
class Group:
    """A group of questions (``begin_group``) or a repeat (``begin_repeat``, rows of answers)."""

    name: str
    children: tuple[Question | Group, ...] = ()
    row: int = 0
    labels: Labels = field(default_factory=_no_labels)
    relevant: Expression | None = None
    repeat: bool = False
    appearance: str | None = None

    def label(self, language: str | None = None) -> str:
        return pick_label(self.labels, language, self.name)


@dataclass(frozen=True)
class Form:
    """A checklist: settings, the tree of groups and questions, and the choice lists."""

    form_id: str
    title: str
    version: str
    languages: tuple[Language, ...]
    default_language: str
    children: tuple[Question | Group, ...]
    choices: Mapping[str, tuple[Choice, ...]] = field(default_factory=dict)
    station: StationRule = "required"
    titles: Labels = field(default_factory=_no_labels)
    # Calculations in an order where each comes after the ones it uses.
    calculation_order: tuple[str, ...] = ()
    # Checks against the station registry (settings sheet; see docs/forms.md):
    registry_limits: tuple[str, ...] = ()  # answers that may not exceed registered voters + added
    voters_added: str | None = None  # the question giving voters added on the day
    registered_voters: str | None = None  # the question giving registered voters, to compare

    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def walk(self) -> Iterator[tuple[Question | Group, tuple[Group, ...]]]:
        """Every element in form order with the groups that enclose it (outermost first)."""

        def visit(
            items: tuple[Question | Group, ...], parents: tuple[Group, ...]
        ) -> Iterator[tuple[Question | Group, tuple[Group, ...]]]:
            for item in items:
                yield item, parents
                if isinstance(item, Group):
                    yield from visit(item.children, (*parents, item))

        return visit(self.children, ())

    def questions(self) -> Iterator[Question]:
        """Every question in form order, inside groups and repeats too."""
        for item, _parents in self.walk():
            if isinstance(item, Question):
                yield item

    def question(self, name: str) -> Question:
        """The question called ``name``; ``KeyError`` when there is none."""
        for q in self.questions():
            if q.name == name:
                return q
        raise KeyError(name)

    def repeats(self) -> Iterator[Group]:
        for item, _parents in self.walk():
            if isinstance(item, Group) and item.repeat:
                yield item

    def repeat_of(self, name: str) -> Group | None:
        """The innermost repeat holding the question or group ``name``, if any."""
        for item, parents in self.walk():
            if item.name == name:
                for parent in reversed(parents):
                    if parent.repeat:
                        return parent
                return None
        raise KeyError(name)

    def choice_list(self, question: Question) -> tuple[Choice, ...]:
        return self.choices.get(question.list_name or "", ())

    def title_in(self, language: str | None) -> str:
        return pick_label(self.titles, language, self.title)
