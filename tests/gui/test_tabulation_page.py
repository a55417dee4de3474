"""The tabulation page: figures from the core, the reports behind a figure, findings as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from db.forms import get_form, list_forms
from db.mission import Mission
from db.stations import regions
from gui.tabulation_page import TabulationPage
from tests.db.test_tabulate import m as _m  # noqa: F401 - the mission with known answers


class _Session:
    """The little of MissionSession the page uses."""

    def __init__(self, mission: Mission) -> None:
        self.mission = mission

    def forms(self) -> list[Any]:
        return [f for f in list_forms(self.mission) if f.latest]

    def regions(self) -> list[tuple[str, int]]:
        return regions(self.mission)

    def form(self, form_id: str, version: str | None = None) -> Any:
        return get_form(self.mission, form_id, version)


@pytest.fixture
def page(qtbot: QtBot, _m: Mission) -> TabulationPage:  # noqa: F811
    page = TabulationPage()
    qtbot.addWidget(page)
    page.set_session(_Session(_m))
    return page


def _row(page: TabulationPage, question: str, value: str | None) -> int:
    return next(i for i, r in enumerate(page.model.rows) if r[0] == question and r[2] == value)


def test_page__figures__as_tabulated(page: TabulationPage) -> None:
    row = _row(page, "sealed", "no")
    cells = [page.model.index(row, c).data() for c in range(6)]
    assert cells[1:6] == ["No", 3, 2, "50.0%", "—"]
    groups = page.model.groups
    assert groups == ["Akmola", "Almaty", "Shymkent"]
    assert page.model.index(row, 6 + groups.index("Almaty")).data() == 2


def test_page__click_a_figure__lists_reports_and_opens_one(
    page: TabulationPage, qtbot: QtBot
) -> None:
    row = _row(page, "sealed", None)  # the finding row
    page._figure_clicked(page.model.index(row, 2))
    codes = [page.behind.item(i).text().split()[0] for i in range(page.behind.count())]
    assert codes == ["AKM-54", "ALM-108", "ALM-108"]
    with qtbot.waitSignal(page.reportRequested) as signal:
        page._open_behind(page.behind.item(0))
    assert len(signal.args[0]) == 36


def test_page__findings_text__stations_by_region(page: TabulationPage) -> None:
    text = page.findings.toPlainText()
    assert "Box sealed? — 2 of 5 stations answering, 3 reports (50.0%)." in text
    assert "  Akmola: #54" in text and "  Almaty: #108" in text


def test_page__region_filter__refigures(page: TabulationPage) -> None:
    page.region.setCurrentIndex(page.region.findData("Almaty"))
    page.refresh()
    assert page.tab is not None and page.tab.reports == 4
    assert page.model.groups == ["Almaty"]


def test_page__coverage_and_checks__shown(page: TabulationPage) -> None:
    cov = page.coverage.model()
    regions_shown = [cov.index(r, 0).data() for r in range(cov.rowCount())]
    assert "Akmola" in regions_shown
    texts = [page.check_list.item(i).text() for i in range(page.check_list.count())]
    assert any(t.startswith("Duplicate visits") and t.endswith(": 1") for t in texts)
    assert any("ALM-108" in t for t in texts)


def test_page__screenshot(page: TabulationPage, tmp_path: Path) -> None:
    page.resize(1366, 700)
    assert page.grab().save(str(tmp_path / "tab.png"))


def test_page__checks_in_russian__titles_and_details_translated(
    qtbot: QtBot,
    _m: Mission,  # noqa: F811
) -> None:
    from PySide6.QtWidgets import QApplication

    from gui.app import install_translators

    install_translators(QApplication.instance(), "ru")  # type: ignore[arg-type]
    try:
        page = TabulationPage()
        qtbot.addWidget(page)
        page.set_session(_Session(_m))
        texts = [page.check_list.item(i).text() for i in range(page.check_list.count())]
    finally:
        install_translators(QApplication.instance(), "en")  # type: ignore[arg-type]
    assert "Повторные посещения (один участок, одна форма, несколько отчетов): 1" in texts
    duplicate = next(t for t in texts if "ALM-108" in t)
    assert "форма visit: 2 отчета; они расходятся в ответах: " in duplicate
    assert "Duplicate" not in " ".join(texts) and "disagree" not in " ".join(texts)
