"""Mission → Export…: real workbooks and PDFs written on the worker, cancel, pre-filled choices."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox, QProgressDialog
from pytestqt.qtbot import QtBot

from db.mission import open_mission
from gui.export_dialog import ExportDialog
from gui.main_window import MainWindow
from gui.session import MissionSession
from gui.settings import Settings


@pytest.fixture
def session(demo: Path, settings: Settings) -> Iterator[MissionSession]:
    s = MissionSession(open_mission(demo), settings)
    yield s
    s.close()


def _dialog(qtbot: QtBot, session: MissionSession, out: Path, **prefill: object) -> ExportDialog:
    dialog = ExportDialog(session, **prefill)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.path.setText(str(out))
    return dialog


def test_export__xlsx__workbook_written_and_offered_to_open(
    qtbot: QtBot, session: MissionSession, tmp_path: Path, shown: list[QMessageBox]
) -> None:
    out = tmp_path / "out.xlsx"
    dialog = _dialog(qtbot, session, out)
    dialog.values.setCurrentIndex(dialog.values.findData("codes"))
    assert dialog.export()
    sheets = load_workbook(out, read_only=True).sheetnames
    assert sheets[0] == "Reports" and "About" in sheets
    assert shown[-1].windowTitle() == "Export done"
    assert any(b.text() == "Open the file" for b in shown[-1].buttons())


@pytest.mark.parametrize("fmt", ["pdf-stations", "pdf-findings"])
def test_export__pdf__file_is_a_pdf(
    qtbot: QtBot, session: MissionSession, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "out.pdf"
    dialog = _dialog(qtbot, session, out, fmt=fmt, include_drafts=True)
    assert dialog.export()
    assert out.read_bytes().startswith(b"%PDF")


def test_export__cancelled__no_file_left(
    qtbot: QtBot, session: MissionSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "out.xlsx"
    dialog = _dialog(qtbot, session, out)

    def cancelled_at_once() -> QProgressDialog:
        progress = QProgressDialog(dialog)
        progress.cancel()
        return progress

    monkeypatch.setattr(dialog, "make_progress", cancelled_at_once)
    assert not dialog.export()
    assert list(folder.iterdir()) == []
    assert "cancelled" in dialog.note.text()


def test_export__station_card_button__dialog_prefilled_for_the_station(
    make_window: Callable[[], MainWindow], demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, object]] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: seen.append(self.options()) or 0)
    window = make_window()
    assert window.open_file(demo)
    assert window.stations_page.select("ALM-12") or window.stations_page.select(
        window.session.stations()[0].code  # type: ignore[union-attr]
    )
    code = window.stations_page.card.station.code  # type: ignore[union-attr]
    window.stations_page.card.export_button.click()
    assert seen and seen[0]["format"] == "pdf-stations" and seen[0]["stations"] == [code]


def test_export__tabulation_button__stations_behind_the_figure_prefilled(
    make_window: Callable[[], MainWindow], demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, object]] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: seen.append(self.options()) or 0)
    window = make_window()
    assert window.open_file(demo)
    window.show_page(window.tabulation_page)
    page = window.tabulation_page.page
    assert page is not None
    page.request_export()  # no figure clicked: the region chosen (all)
    assert seen[-1]["stations"] == [] and seen[-1]["format"] == "pdf-stations"
    row = next(i for i, r in enumerate(page.model.rows) if r[3] is not None and r[3].reports)
    page._figure_clicked(page.model.index(row, 2))
    codes = {page.behind.item(i).text().split()[0] for i in range(page.behind.count())}
    page.request_export()
    assert set(seen[-1]["stations"]) == codes - {"—"}  # type: ignore[arg-type]
    assert seen[-1]["form_id"] == page.form.currentData()
