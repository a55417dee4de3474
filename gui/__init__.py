"""The desktop program: windows and dialogs over the core. The only package importing PySide6."""

import builtins

import PySide6.QtWidgets  # noqa: F401 - with QtCore and QtGui: the Qt modules Pollcheck uses

# Start-up time: importing a PySide6 module wraps the import statement in a hook for PySide6's
# opt-in features (`from __feature__ import snake_case`), which Pollcheck never uses. It reads
# the whole source file of every module imported after it, to look for "PySide6" in it (~20 M
# instructions at start). The import PySide6 wrapped is put back: in PySide6 6.11 and 6.12 its own
# lazy-loading import (`builtins.__orig_import__`), which stays in place.
builtins.__import__ = getattr(builtins, "__orig_import__", builtins.__import__)
