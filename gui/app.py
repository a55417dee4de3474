"""The desktop program's start: the application, translations, logging and the exception hook.

Unexpected exceptions become the crash dialog here and nowhere else (:func:`install_hook`);
``POLLCHECK_NO_ERR_WINDOWS=1`` keeps tests and smoke runs from stopping on a dialog.
``POLLCHECK_TEST_SCRIPT=script.json`` drives the program from a script (see :mod:`gui.scripted`).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from forms.errors import PollcheckError
from gui.dialogs import log_path, no_err_windows, show_crash, show_error
from gui.main_window import MainWindow
from gui.settings import Settings
from resources import resource

__all__ = ["MainWindow", "Program", "install_hook", "install_translators", "run"]

log = logging.getLogger("pollcheck")
_translators: list[QTranslator] = []  # kept here: Qt does not own them


def install_translators(app: QCoreApplication, language: str) -> list[str]:
    """Use ``language`` (``en``, ``ru``) for Pollcheck's texts and Qt's own dialogs.

    Returns the translation files loaded. English is the source language; its file holds only
    the plural forms ("1 station", "2 stations").
    """
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    QLocale.setDefault(QLocale(language))
    loaded = []
    ours = QTranslator(app)
    path = resource("translations", f"pollcheck_{language}.qm")
    if ours.load(str(path)):
        loaded.append(path.name)
        _translators.append(ours)
    if language != "en":
        qt = QTranslator(app)
        from PySide6.QtCore import QLibraryInfo  # only for Qt's own translations

        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{language}", folder):
            loaded.append(f"qtbase_{language}.qm")
            _translators.append(qt)
    for translator in _translators:
        app.installTranslator(translator)
    return loaded


def install_hook() -> None:
    """Route exceptions nobody caught: a user's problem to an error dialog, a bug to the crash
    dialog (with a copyable report and the log's path; nothing is sent anywhere)."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QCoreApplication.exit(130)
            return
        if isinstance(exc, PollcheckError):
            show_error(QApplication.activeWindow(), "Pollcheck", exc)
            return
        show_crash(exc_type, exc, tb)

    sys.excepthook = hook


def _logging() -> None:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _rotate(path)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def _rotate(path: Path, keep: int = 2, limit: int = 1_000_000) -> None:
    """At start, a log over ``limit`` bytes becomes ``.1`` (``.1`` becomes ``.2``, and so on).

    Rotating once per start keeps the log small enough without ``logging.handlers``, whose
    imports (sockets, pickle, queues) cost start-up time; one session never logs a megabyte.
    """
    if not path.is_file() or path.stat().st_size <= limit:
        return
    for n in range(keep, 0, -1):
        older = path.with_name(f"{path.name}.{n}")
        newer = path.with_name(f"{path.name}.{n - 1}") if n > 1 else path
        if newer.exists():
            newer.replace(older)


class Program:
    """The application's one main window, rebuilt when the interface language changes."""

    def __init__(self, app: QApplication, settings: Settings, *, opening: bool = False) -> None:
        self.app = app
        self.settings = settings
        self.window = self._make_window(opening=opening)

    def _make_window(self, *, opening: bool = False) -> MainWindow:
        # opening: a mission is opened right after (see MainWindow).
        window = MainWindow(self.settings, opening=opening)
        window.languageChangeRequested.connect(self.switch_language)
        return window

    def switch_language(self, language: str) -> MainWindow:
        """Show the interface in ``language``: the window is saved, closed and built again,
        on the same mission and report."""
        old = self.window
        path = old.session.path if old.session is not None else None
        page = old.pages.currentIndex()
        if not old.close():
            return old
        install_translators(self.app, language)
        self.window = self._make_window(opening=path is not None)
        self.window.show()
        reopened = path is not None and self.window.open_file(path)
        if reopened and self.window.report_page.report is None:
            self.window.nav.setCurrentRow(page)
        old.deleteLater()
        return self.window


def run(path: str | None) -> int:
    """Start the program (on the mission file ``path`` if given); returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Pollcheck")
    app.setOrganizationName("Pollcheck")
    _logging()
    install_hook()
    settings = Settings()
    install_translators(app, settings.language)
    script = os.environ.get("POLLCHECK_TEST_SCRIPT")
    if not settings.has_identity() and not script and not no_err_windows():
        from gui.preferences import PreferencesDialog

        PreferencesDialog(settings, first_start=True).exec()
        install_translators(app, settings.language)
    program = Program(app, settings, opening=bool(path))
    program.window.show()
    if path:
        program.window.open_file(Path(path))
    if script:
        from gui.scripted import Driver

        driver = Driver(program, Path(script))
        driver.start()
    log.info("started%s", f" on {path}" if path else "")
    return int(app.exec())
