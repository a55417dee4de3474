"""Fonts, translations, built-in form templates and demo data, found from source and when frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def resource(*parts: str) -> Path:
    """The file at ``resources/<parts…>``: in a source tree, an installed wheel, a frozen bundle.

    Pollcheck is always installed as files on disk (a wheel unpacked into site-packages, or the
    PyInstaller bundle), never imported from a zip, so a plain path serves; ``importlib.resources``
    would cost start-up time for nothing.
    """
    if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):
        # PyInstaller lays data files out under _MEIPASS/resources (see build.spec).
        return Path(sys._MEIPASS, "resources", *parts)
    return Path(__file__).parent.joinpath(*parts)
