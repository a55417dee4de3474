"""Errors users can act on, and the crash report; the dialogs themselves are in
:mod:`gui.dialog_windows` (a report's history and what blocks completion are there too).

:func:`show_error` is the one place a :class:`~db.errors.PollcheckError` becomes a dialog, and
:func:`show_crash` the one place an unexpected exception does. With ``POLLCHECK_NO_ERR_WINDOWS=1``
(tests, smoke runs, scripted runs) neither opens a window: both log and write to stderr.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QLocale, qVersion
from PySide6.QtWidgets import QWidget

from db.device import config_dir
from forms.errors import PollcheckError

if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData
    from PySide6.QtWidgets import QMessageBox

log = logging.getLogger("pollcheck")


def no_err_windows() -> bool:
    """True when errors must not open windows (``POLLCHECK_NO_ERR_WINDOWS=1``)."""
    return os.environ.get("POLLCHECK_NO_ERR_WINDOWS") == "1"


def log_path() -> Path:
    """The program's log file (one per user, beside the settings)."""
    return config_dir() / "logs" / "pollcheck.log"


def _stderr(text: str) -> None:
    # Windowed builds have no stderr (sys.stderr is None): the log file has it all.
    if sys.stderr is not None:
        print(text, file=sys.stderr, flush=True)


def _present(box: QMessageBox) -> int:
    """Show a message box and wait for the answer (tests replace this)."""
    return int(box.exec())


def interface_language() -> str:
    """The language of the interface (``en``, ``ru``), as :func:`gui.app.install_translators`
    set it: the core's problems and errors are shown in it (``error.text(language)``)."""
    return QLocale().name().split("_")[0]


def dropped_files(data: QMimeData, suffixes: tuple[str, ...]) -> list[Path]:
    """The local files dropped on a window, with the files of dropped folders that end in one of
    ``suffixes`` (in name order). Files dropped one by one are taken whatever their names: what
    reads them says if they are not what they should be."""
    found: list[Path] = []
    for url in data.urls() if data.hasUrls() else ():
        path = Path(url.toLocalFile()) if url.isLocalFile() else None
        if path is not None and path.is_dir():
            inside = (p for p in path.iterdir() if p.suffix.lower() in suffixes and p.is_file())
            found.extend(sorted(inside))
        elif path is not None and path.is_file():
            found.append(path)
    return found


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user something done, or where something is: a message whose text (a file's
    path, say) can be selected and copied."""
    from PySide6.QtWidgets import QMessageBox  # on first use: start-up time

    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    _present(box)


def show_error(parent: QWidget | None, title: str, error: PollcheckError | str) -> None:
    """Tell the user what went wrong, where, and how to fix it; nothing more is needed of them.

    The dialog speaks the interface's language; the log and stderr keep the English text.
    """
    message = error.message if isinstance(error, PollcheckError) else str(error)
    problems = error.problems if isinstance(error, PollcheckError) else ()
    log.warning("%s: %s", title, message)
    if no_err_windows():
        _stderr(f"error: {title}: {message}")
        for p in problems:
            _stderr(f"  {p}")
        return
    language = interface_language()
    text = error.text(language) if isinstance(error, PollcheckError) else message
    from PySide6.QtWidgets import QMessageBox  # on first use: start-up time

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    if problems:
        from gui.dialog_windows import Errors  # on first use: start-up time

        box.setInformativeText(Errors().problems(len(problems)))
        box.setDetailedText("\n".join(p.text(language) for p in problems))
    _present(box)


# -- the crash dialog -----------------------------------------------------------------------


def crash_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """The text of a crash report: versions, platform and the traceback. Never sent anywhere."""
    import platform  # imported on first use: start-up time
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("pollcheck")
    except PackageNotFoundError:
        ours = "unknown"
    lines = [
        f"Pollcheck {ours}",
        f"Time: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
        f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}",
        f"System: {platform.platform()}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
    ]
    return "\n".join(lines)


def write_log(text: str) -> Path | None:
    """Append ``text`` to the log file; its path, or None if it cannot be written."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text.rstrip() + "\n\n")
        return path
    except OSError:
        return None


_crash_open = False


def show_crash(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an unexpected exception and show the crash dialog (or stderr without windows)."""
    global _crash_open
    report = crash_report(exc_type, exc, tb)
    path = write_log(report)
    log.error("internal error, written to %s", path)
    if no_err_windows() or _crash_open:
        _stderr(report)
        return
    _crash_open = True  # an error while the dialog is open is logged, not stacked
    try:
        from gui.dialog_windows import CrashDialog

        dialog = CrashDialog(report, path)
        dialog.exec()
    finally:
        _crash_open = False
    if dialog.quit_requested:
        app = QCoreApplication.instance()
        if app is not None:
            app.exit(3)
