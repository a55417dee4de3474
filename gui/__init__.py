"""The desktop program: windows and dialogs over the core. The only package importing PySide6."""

import builtins

import PySide6.QtWidgets  # noqa: F401 - with QtCore and QtGui: the Qt modules Pollcheck uses

# Start-up time: importing a PySide6 module replaces the import statement with hooks for
# PySide6's opt-in features (`from __feature__ import snake_case`), which Pollcheck never uses.
# They read the whole source file of every module imported after them, to look for "PySide6"
# in it (~20 M instructions at start). The plain import statement is put back.
builtins.__import__ = getattr(builtins, "__orig_import__", builtins.__import__)
