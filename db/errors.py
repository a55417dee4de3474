"""Errors of the mission file: the environment's fault versus bad input, and SQLite's codes."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import forms.errors
from forms.errors import BugError, PollcheckError

if TYPE_CHECKING:
    from forms.messages import Items, Phrase, Problem, place

__all__ = [
    "BugError",
    "InputError",
    "Items",
    "KnownError",
    "NewerFileError",
    "NotAMissionError",
    "NotFoundError",
    "Phrase",
    "PollcheckError",
    "Problem",
    "known_error",
    "place",
]


def __getattr__(name: str) -> Any:
    # Phrase, Problem, Items and place, from forms.errors, which loads them on first use.
    if name in forms.errors.FROM_MESSAGES:
        return getattr(forms.errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class KnownError(PollcheckError):
    """The environment's fault: a locked or read-only file, a full disk, a damaged file."""


class NotAMissionError(KnownError):
    """The file is not a Pollcheck mission file (or is damaged beyond reading)."""


class NewerFileError(KnownError):
    """The file was written by a newer Pollcheck that this one cannot safely change."""


class InputError(PollcheckError):
    """What the user asked for or brought cannot be used: a bad table, an unknown form…"""


class NotFoundError(InputError):
    """A form, station or report that the mission file does not have."""


def known_error(exc: sqlite3.Error, path: Path | str) -> PollcheckError | BugError:
    """Map an ``sqlite3`` exception to the error a user sees, by SQLite's error code.

    One place decides which failures are the environment's (said plainly, with what to do)
    and which are ours (a ``BugError`` with the original message).
    """
    from forms.messages import Phrase

    code = getattr(exc, "sqlite_errorcode", None)
    name = getattr(exc, "sqlite_errorname", "") or ""
    where = str(path)
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED"):
        return KnownError(Phrase("sqlite.locked", path=where))
    if name.startswith("SQLITE_READONLY") or name == "SQLITE_PERM":
        return KnownError(Phrase("sqlite.readonly", path=where))
    if name.startswith("SQLITE_FULL"):
        return KnownError(Phrase("sqlite.full", path=where))
    if name.startswith("SQLITE_CANTOPEN"):
        return KnownError(Phrase("sqlite.cantopen", path=where))
    if name.startswith("SQLITE_IOERR"):
        return KnownError(Phrase("sqlite.ioerr", path=where, name=name))
    if name.startswith("SQLITE_NOTADB") or name.startswith("SQLITE_CORRUPT"):
        return NotAMissionError(Phrase("sqlite.notadb", path=where, name=name))
    return BugError(f"SQLite error {code} {name} on {where}: {exc}")
