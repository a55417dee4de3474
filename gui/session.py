"""The open mission as the windows see it: core calls, the observer's identity, change signals.

Pages never call the core behind each other's back: whatever changes reports goes through a
:class:`MissionSession`, which tells every page (``reportSaved``, ``reportsChanged``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from db.device import device_id
from db.mission import Mission, MissionInfo
from db.stations import Station, districts, get_station, list_stations, regions, reports_per_station
from gui.settings import Settings

# db.reports and db.observers are imported where reports are read or written: the first screen
# (the stations) needs neither, and their dataclasses cost start-up time.
if TYPE_CHECKING:
    from db.forms import FormRecord
    from db.reports import Report, SavedReport
    from forms.model import Form


class ReportRow(NamedTuple):
    """A report with what its table row shows beside it.

    A named tuple rather than a frozen dataclass: it costs a sixth of the start-up time to make.
    """

    report: Report
    station: Station | None
    form_title: str
    findings: int
    visits: int  # reports of the same form at the same station, this one included


class MissionSession(QObject):
    """One open mission file and the observer working on it."""

    reportSaved = Signal(object)  # Report: one report changed (answers, status)
    reportsChanged = Signal()  # reports added, deleted or restored
    stationsChanged = Signal()
    reportDeleting = Signal(str)  # uuid: about to be deleted (an open report is saved first)

    def __init__(self, mission: Mission, settings: Settings) -> None:
        super().__init__()
        self.mission = mission
        self.settings = settings
        self.device = device_id()
        self.info: MissionInfo = mission.info()
        self._findings: dict[tuple[str, str, str], int] = {}

    @property
    def path(self) -> Path:
        return self.mission.path

    @property
    def readonly(self) -> bool:
        return self.mission.readonly

    def close(self) -> None:
        self.mission.close()

    # -- forms ------------------------------------------------------------------------------
    def forms(self) -> list[FormRecord]:
        """The latest version of each form."""
        from db.forms import list_forms  # imported on first use: start-up time

        return [f for f in list_forms(self.mission) if f.latest]

    def form(self, form_id: str, version: str | None = None) -> Form:
        from db.forms import get_form  # imported on first use: start-up time

        return get_form(self.mission, form_id, version)

    # -- stations ---------------------------------------------------------------------------
    def stations(
        self, *, region: str | None = None, district: str | None = None, search: str = ""
    ) -> list[Station]:
        return list_stations(self.mission, region=region, district=district, search=search)

    def regions(self) -> list[tuple[str, int]]:
        return regions(self.mission)

    def districts(self, region: str | None) -> list[tuple[str, str, int]]:
        return districts(self.mission, region)

    def station(self, code: str | None) -> Station | None:
        return get_station(self.mission, code) if code else None

    def visits(self) -> dict[str, int]:
        """Reports per station code (deleted ones not counted)."""
        return reports_per_station(self.mission)

    # -- reports ----------------------------------------------------------------------------
    def report(self, uuid: str) -> Report:
        from db.reports import get_report

        return get_report(self.mission, uuid)

    def report_rows(self, *, station_code: str | None = None) -> list[ReportRow]:
        """Every report (or a station's) with its station, form title, findings and visits."""
        from db.reports import list_reports

        reports = list_reports(self.mission)
        per_visit = Counter((r.form_id, r.station_code) for r in reports if r.station_code)
        if station_code is not None:
            reports = [r for r in reports if r.station_code == station_code]
        stations = {s.code: s for s in self.stations()}
        titles: dict[str, str] = {}
        rows = []
        for r in reports:
            if r.form_id not in titles:
                titles[r.form_id] = self.form(r.form_id).title_in(self.settings.language)
            rows.append(
                ReportRow(
                    report=r,
                    station=stations.get(r.station_code or ""),
                    form_title=titles[r.form_id],
                    findings=self.findings(r),
                    visits=per_visit.get((r.form_id, r.station_code), 0),
                )
            )
        return rows

    def row(self, report: Report) -> ReportRow:
        """The table row of one report (after a save)."""
        visits = 0
        if report.station_code:
            per_station = reports_per_station(self.mission, form_id=report.form_id)
            visits = per_station.get(report.station_code, 0)
        return ReportRow(
            report=report,
            station=self.station(report.station_code),
            form_title=self.form(report.form_id).title_in(self.settings.language),
            findings=self.findings(report),
            visits=visits,
        )

    def findings(self, report: Report) -> int:
        """How many of the report's answers are findings (by its form's ``finding`` rules)."""
        key = (report.form_id, report.form_version, report.content_sha)
        if key not in self._findings:
            from forms.validate import validate  # imported on first use: start-up time

            form = self.form(report.form_id, report.form_version)
            self._findings[key] = len(validate(form, report.answers).findings)
        return self._findings[key]

    def create_report(
        self, form_id: str, *, station_code: str | None = None, region: str | None = None
    ) -> Report:
        """A new draft by this observer; the observer and team are recorded in the mission."""
        from db.observers import add_observer
        from db.reports import create_report

        observer = self.settings.observer or None
        if observer:
            add_observer(self.mission, observer, self.settings.team or None)
        saved = create_report(
            self.mission,
            form_id,
            device=self.device,
            observer=observer,
            station_code=station_code,
            region=region,
        )
        self.reportsChanged.emit()
        return saved.report

    def save(
        self,
        uuid: str,
        answers: dict[str, object],
        *,
        expected_revision: int,
        status: str | None = None,
    ) -> SavedReport:
        from db.reports import save_report

        saved = save_report(
            self.mission,
            uuid,
            device=self.device,
            answers=answers,
            status=status,
            expected_revision=expected_revision,
        )
        if saved.changed:
            self.reportSaved.emit(saved.report)
        return saved

    def delete(self, uuid: str, *, deleted: bool = True) -> Report:
        """Delete a report (or restore it); its history keeps every answer."""
        from db.reports import delete_report

        if deleted:
            self.reportDeleting.emit(uuid)
        report = delete_report(
            self.mission,
            uuid,
            device=self.device,
            observer=self.settings.observer or None,
            deleted=deleted,
        )
        self.reportsChanged.emit()
        return report
