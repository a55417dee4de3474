"""Errors of the mission file: the environment's fault versus bad input, and SQLite's codes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from forms.errors import BugError, PollcheckError, Problem

__all__ = [
    "BugError",
    "InputError",
    "KnownError",
    "NewerFileError",
    "NotAMissionError",
    "NotFoundError",
    "PollcheckError",
    "Problem",
    "known_error",
]


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
    code = getattr(exc, "sqlite_errorcode", None)
    name = getattr(exc, "sqlite_errorname", "") or ""
    where = str(path)
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED"):
        return KnownError(
            f"{where}: the mission file is in use by another program (locked). "
            "Close Pollcheck or any other program that has it open, then try again."
        )
    if name.startswith("SQLITE_READONLY") or name == "SQLITE_PERM":
        return KnownError(
            f"{where}: the mission file cannot be written (read-only file or media). "
            "Copy it to a folder you can write to, or make the file writable."
        )
    if name.startswith("SQLITE_FULL"):
        return KnownError(
            f"{where}: the disk is full; nothing of the last change was written. "
            "Free some space on the disk, then try again."
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return KnownError(
            f"{where}: the mission file cannot be opened (missing folder or no permission). "
            "Check the path and that you may read and write there."
        )
    if name.startswith("SQLITE_IOERR"):
        return KnownError(
            f"{where}: the disk reported an input/output error ({name}). "
            "Check the disk or USB stick, copy the file to another disk, and try again."
        )
    if name.startswith("SQLITE_NOTADB") or name.startswith("SQLITE_CORRUPT"):
        return NotAMissionError(
            f"{where}: this is not a Pollcheck mission file, or it is damaged ({name}). "
            "Open the right file, or ask for a fresh copy of it."
        )
    return BugError(f"SQLite error {code} {name} on {where}: {exc}")
