"""Problems users can fix, and the exceptions that carry them, shared by every core package."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what a user brought: where it is, what is wrong, how to fix it.

    ``code`` names the kind of problem (see ``forms/messages.py``) so that scripts and
    translations can rely on it; ``where`` names the file, sheet, row, column or question.
    """

    code: str
    where: str
    what: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        return f"{text} {self.fix}".rstrip() if self.fix else text


class PollcheckError(Exception):
    """A problem the user can do something about; never a bug of ours.

    ``problems`` lists every problem found (imports report all of them at once).
    """

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems: tuple[Problem, ...] = tuple(problems)

    def lines(self) -> list[str]:
        """The message and then one line per problem, as the CLI prints them."""
        return [self.message, *(f"  {p}" for p in self.problems)]


class FormError(PollcheckError):
    """An XLSForm workbook that Pollcheck cannot use as it is."""


class BugError(Exception):
    """Something that should never happen whatever the user does: a bug in Pollcheck."""
