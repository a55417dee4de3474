"""Shared fixtures: forms as markdown tables, mission files in tmp_path, isolated settings."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from db.mission import Mission, create_mission
from forms.tables import write_workbook


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Any test that uses qtbot needs Qt: mark it, so `pytest -m "not gui"` is the core run.
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the developer's own Pollcheck settings or device id."""
    monkeypatch.setenv("POLLCHECK_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("POLLCHECK_DEVICE", "test-device")


@pytest.fixture
def xlsform(tmp_path: Path) -> Callable[[str], Path]:
    """Write an XLSForm workbook from a markdown table (see forms/tables.py); returns its path."""
    counter = iter(range(1_000_000))

    def make(markdown: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"form{next(counter)}.xlsx")
        return write_workbook(textwrap.dedent(markdown), path)

    return make


@pytest.fixture
def mission(tmp_path: Path) -> Iterator[Mission]:
    """An empty mission file (no forms, no stations)."""
    with create_mission(tmp_path / "mission.pollcheck", title="Test mission") as m:
        yield m
