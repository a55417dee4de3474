"""Problems users can fix, and the exceptions that carry them, shared by every core package.

Both carry a :class:`~forms.messages.Phrase` (a key of the message catalog and the values of its
placeholders), so they can be shown in the interface's language; their English texts
(``str(problem)``, ``error.message``) are what the command line prints and logs keep.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from forms.messages import Items, Phrase, place

__all__ = ["BugError", "FormError", "Items", "Phrase", "PollcheckError", "Problem", "place"]


def _compose(where: str, what: str, fix: str) -> str:
    text = f"{where}: {what}" if where else what
    return f"{text} {fix}".rstrip() if fix else text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what a user brought: where it is, what is wrong, how to fix it.

    ``code`` names the kind of problem (see ``forms/messages.py``) so that scripts and
    translations can rely on it; ``where`` names the file, sheet, row, column or question.
    ``where``, ``what`` and ``fix`` are the English texts. A problem made with :meth:`of` also
    keeps ``message`` (its catalog phrase and values) and ``place`` (where it is, part by
    part), from which :meth:`text` renders it in another language. Equality and hashing use
    the English texts only.
    """

    code: str
    where: str
    what: str
    fix: str = ""
    message: Phrase | None = field(default=None, compare=False, repr=False)
    place: tuple[Phrase, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(
        cls, code: str, where: Iterable[Phrase], variant: str | None = None, /, **values: Any
    ) -> Problem:
        """The problem ``code`` (its catalog entry ``code.variant`` if given) at ``where``
        (see :func:`forms.messages.place`), with the values its texts name."""
        message = Phrase(code if variant is None else f"{code}.{variant}", **values)
        parts = tuple(where)
        return cls(
            code,
            _where(parts, "en"),
            message.text("en"),
            message.fix("en"),
            message,
            parts,
        )

    def __str__(self) -> str:
        return _compose(self.where, self.what, self.fix)

    def text(self, language: str = "en") -> str:
        """The problem in one line in ``language`` (``en`` gives exactly ``str(problem)``)."""
        where = _where(self.place, language) if self.place else self.where
        if self.message is None:
            return _compose(where, self.what, self.fix)
        return _compose(where, self.message.text(language), self.message.fix(language))

    def location(self) -> dict[str, Any]:
        """Where the problem is as data: ``{"file": "x.csv", "row": 4, "column": "number"}``."""
        out: dict[str, Any] = {}
        for part in self.place:
            values = part.values
            out[part.key.removeprefix("place.")] = values[0][1] if values else None
        return out


def _where(parts: tuple[Phrase, ...], language: str) -> str:
    return ", ".join(p.text(language) for p in parts)


class PollcheckError(Exception):
    """A problem the user can do something about; never a bug of ours.

    ``message`` is given as English text or as a catalog :class:`~forms.messages.Phrase`
    (then ``code`` and ``values`` name it, and :meth:`text` renders it in other languages);
    ``problems`` lists every problem found (imports report all of them at once).
    """

    def __init__(self, message: str | Phrase, problems: Iterable[Problem] = ()) -> None:
        phrase = message if isinstance(message, Phrase) else None
        text = phrase.text("en") if phrase is not None else str(message)
        super().__init__(text)
        self.message = text
        self.phrase = phrase
        self.problems: tuple[Problem, ...] = tuple(problems)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with its phrase and problems (the default would keep the English text only).
        return (type(self), (self.phrase or self.message, self.problems))

    @property
    def code(self) -> str:
        """The catalog key of the message (``sqlite.locked``), or ``""`` for a plain text."""
        return self.phrase.key if self.phrase is not None else ""

    @property
    def values(self) -> dict[str, Any]:
        """The values the message names (``{"path": "x.pollcheck"}``)."""
        return dict(self.phrase.values) if self.phrase is not None else {}

    def text(self, language: str = "en") -> str:
        """The message in ``language`` (``en`` gives exactly ``message``)."""
        return self.phrase.text(language) if self.phrase is not None else self.message

    def lines(self, language: str = "en") -> list[str]:
        """The message and then one line per problem, as the CLI prints them."""
        return [self.text(language), *(f"  {p.text(language)}" for p in self.problems)]


class FormError(PollcheckError):
    """An XLSForm workbook that Pollcheck cannot use as it is."""


class BugError(Exception):
    """Something that should never happen whatever the user does: a bug in Pollcheck."""
