"""Fonts, translations, built-in form templates and demo data, found from source and when frozen."""

from __future__ import annotations

import sys
from importlib import resources as _resources
from importlib.abc import Traversable
from pathlib import Path


def resource(*parts: str) -> Traversable:
    """The resource at ``resources/<parts…>``, from a source tree, a wheel or a frozen bundle."""
    if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):
        # PyInstaller lays data files out under _MEIPASS/resources (see build.spec).
        return Path(sys._MEIPASS, "resources", *parts)
    node: Traversable = _resources.files(__name__)
    for part in parts:
        node = node / part
    return node
