"""Problems users can fix, and the exceptions that carry them, shared by every core package.

Both carry a :class:`~forms.messages.Phrase` (a key of the message catalog and the values of its
placeholders), so they can be shown in the interface's language; their English texts
(``str(problem)``, ``error.message``) are what the command line prints and logs keep.

:class:`~forms.messages.Problem`, :class:`~forms.messages.Phrase`, ``Items`` and ``place`` are
defined with the catalog in :mod:`forms.messages` and named here too; that module is loaded only
when one of them is first used (its classes and catalog cost the desktop program's start-up
time, and the first screen makes none of them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forms.messages import Items, Phrase, Problem, place

__all__ = ["BugError", "FormError", "Items", "Phrase", "PollcheckError", "Problem", "place"]

# Named here, defined in forms.messages and loaded on first use (db.errors names them too).
FROM_MESSAGES = frozenset({"Items", "Phrase", "Problem", "place"})


def __getattr__(name: str) -> Any:
    # `from forms.errors import Phrase` and the like: forms.messages is imported only then.
    if name in FROM_MESSAGES:
        import forms.messages

        return getattr(forms.messages, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class PollcheckError(Exception):
    """A problem the user can do something about; never a bug of ours.

    ``message`` is given as English text or as a catalog :class:`~forms.messages.Phrase`
    (then ``code`` and ``values`` name it, and :meth:`text` renders it in other languages);
    ``problems`` lists every problem found (imports report all of them at once).
    """

    def __init__(self, message: str | Phrase, problems: Iterable[Problem] = ()) -> None:
        from forms.messages import Phrase  # loaded with the first error, not at start

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
