"""The first window: opens a mission file and lists its reports; refuses a bad file with a dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from db.demo import make_demo
from gui.app import MainWindow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.pollcheck"
    make_demo(path, stations=60, reports=40, seed=3)
    return path


def test_window__opens_demo__title_shows_file_and_reports_listed(qtbot: QtBot, demo: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_file(demo)
    assert str(demo.resolve()) in window.windowTitle()
    assert window.reports.rowCount() == 40
    assert "synthetic" in window.summary.text().lower()
    window.close()


def test_window__not_a_mission__warns_and_keeps_nothing_open(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.pollcheck"
    bad.write_text("not a database")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.open_file(bad)
    assert window.mission is None
    assert shown and "not a Pollcheck mission file" in shown[0]
