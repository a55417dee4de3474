"""Fixtures of the desktop program's tests: missions to open, windows, and dialogs that never block."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from db.demo import make_demo
from db.forms import add_form
from db.mission import create_mission
from db.stations import Station, add_station
from forms.templates import template
from gui import dialogs
from gui.app import install_translators
from gui.main_window import MainWindow
from gui.settings import Settings


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform plugin warns "This plugin does not support propagateSizeHints()"
    # whenever a window with a menu bar or status bar is shown or resized; real platforms do not.
    for item in items:
        item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


@pytest.fixture(scope="session", autouse=True)
def _english(qapp: QApplication) -> None:
    """The interface in English, plural forms included, as the program starts it."""
    install_translators(qapp, "en")


@pytest.fixture(autouse=True)
def shown(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """Message boxes the program showed (none blocks: each is answered with its default)."""
    boxes: list[QMessageBox] = []

    def present(box: QMessageBox) -> int:
        boxes.append(box)
        default = box.defaultButton()
        if default is not None:
            box.setProperty("answered", True)
            return int(box.standardButton(default).value)
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(dialogs, "_present", present)
    for module in ("gui.main_window", "gui.report_page"):
        monkeypatch.setattr(f"{module}._present", present)
    return boxes


@pytest.fixture(scope="session")
def pristine_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "demo.pollcheck"
    make_demo(path, stations=60, reports=40, seed=3)
    return path


@pytest.fixture
def demo(pristine_demo: Path, tmp_path: Path) -> Path:
    """A demo mission (60 stations, 40 reports) of this test's own."""
    path = tmp_path / "demo.pollcheck"
    shutil.copyfile(pristine_demo, path)
    return path


@pytest.fixture
def eday_mission(tmp_path: Path) -> Path:
    """A mission with the election-day form and two stations, one named in Cyrillic."""
    path = tmp_path / "eday.pollcheck"
    eday = template("election_day")
    with create_mission(path, title="Выборы 2026") as m:
        add_form(m, eday.workbook, filename=eday.filename)
        add_station(m, Station(code="ALM-12", number="12", region="Алматы", name="Школа № 5"))
        add_station(m, Station(code="AST-3", number="3", region="Astana", name="Library"))
    return path


@pytest.fixture
def settings() -> Settings:
    s = Settings()
    s.observer = "Test Observer"
    s.team = "Team 9"
    s.language = "en"
    return s


@pytest.fixture
def make_window(qtbot: QtBot, settings: Settings) -> Iterator[Callable[[], MainWindow]]:
    """Make shown, active main windows (closed at the end of the test)."""
    made: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        QApplication.processEvents()
        made.append(window)
        return window

    yield make
    for window in made:
        if window.isVisible():
            window.close()
