"""Errors of the exporters: a cancelled export, missing fonts, a file that cannot be written."""

from __future__ import annotations

from pathlib import Path

from db.errors import BugError, InputError, KnownError, Phrase, PollcheckError

__all__ = [
    "BugError",
    "ExportCancelled",
    "FontMissingError",
    "InputError",
    "KnownError",
    "PollcheckError",
    "cannot_write",
]


class ExportCancelled(PollcheckError):
    """The user cancelled the export; nothing was written under the final name."""


class FontMissingError(KnownError):
    """The fonts Pollcheck ships for PDFs are missing: a damaged or partial installation."""


def cannot_write(path: Path, exc: OSError) -> KnownError:
    """The error a user sees when the export's file cannot be written."""
    return KnownError(Phrase("export.cannot_write", path=path, reason=exc.strerror or str(exc)))
