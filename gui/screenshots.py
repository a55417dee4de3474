"""Makes the screenshots in ``docs/screenshots``: the main windows in English and Russian.

    python -m gui.screenshots [OUT]            # OUT/en, OUT/ru; default OUT: docs/screenshots
    python -m gui.screenshots --150 [OUT]      # also OUT/en-150, OUT/ru-150: to look at, not kept

Each run is its own process, because the scale factor and the platform are fixed when Qt starts.
Windows are 1366×768 physical pixels, the screen of the laptops observers carry; at 150 % that is
911×512 logical pixels. The demo mission is synthetic.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Which runs make which folder: (language, scale, folder under OUT).
RUNS = (("en", 1.0, "en"), ("ru", 1.0, "ru"))
RUNS_150 = (("en", 1.5, "en-150"), ("ru", 1.5, "ru-150"))
# One fixed folder, so that the paths the screenshots show do not change from run to run.
WORK = Path(tempfile.gettempdir()) / "pollcheck-screenshots"
SCREEN = (1366, 768)
BAD_STATIONS = (
    "number,region,district,name\n"
    "12,Capital City,Central,School No. 5\n"
    ",Capital City,Central,Library\n"
    "14,Capital City,Riverside,House of Culture\n"
    "12,Capital City,Central,School No. 5 (again)\n"
)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        _, language, scale, out = argv
        return _one(language, float(scale), Path(out))
    runs = RUNS
    if argv[:1] == ["--150"]:
        argv, runs = argv[1:], RUNS + RUNS_150
    out = Path(argv[0]) if argv else Path("docs/screenshots")
    for language, scale, folder in runs:
        shutil.rmtree(WORK, ignore_errors=True)
        (WORK / "config").mkdir(parents=True)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "QT_SCALE_FACTOR": str(scale),
            "POLLCHECK_CONFIG_DIR": str(WORK / "config"),
            "POLLCHECK_DEVICE": "laptop-07",
            "POLLCHECK_NO_ERR_WINDOWS": "1",
        }
        target = out / folder
        target.mkdir(parents=True, exist_ok=True)
        one = ["--one", language, str(scale), str(target)]
        # Our own module with our own arguments:
        subprocess.run([sys.executable, "-m", "gui.screenshots", *one], env=env, check=True)  # noqa: S603
        print(f"{target}: {', '.join(sorted(p.name for p in target.glob('*.png')))}")
    shutil.rmtree(WORK, ignore_errors=True)
    return 0


def _one(language: str, scale: float, out: Path) -> int:
    from PySide6.QtCore import QDate, Qt
    from PySide6.QtWidgets import QApplication, QWidget

    from db.demo import make_demo
    from db.kit import make_kit, send_file
    from db.merge import merge
    from db.mission import open_mission
    from db.reports import create_report
    from gui.app import install_translators
    from gui.dialog_windows import CrashDialog, HistoryDialog
    from gui.dialogs import crash_report
    from gui.export_dialog import ExportDialog
    from gui.kit_dialog import KitDialog
    from gui.main_window import MainWindow
    from gui.merge_dialog import MergeDialog, MergeLogDialog
    from gui.preferences import PreferencesDialog
    from gui.settings import Settings
    from gui.wizard import NewMissionWizard

    app = QApplication(sys.argv[:1])
    settings = Settings()
    settings.language = language
    install_translators(app, language)
    work = WORK / "missions"
    work.mkdir(parents=True, exist_ok=True)
    size = (round(SCREEN[0] / scale), round(SCREEN[1] / scale))

    def save(widget: QWidget, name: str) -> None:
        for _ in range(3):
            app.processEvents()
        widget.grab().save(str(out / f"{name}.png"))

    # First start: who is observing.
    welcome = PreferencesDialog(settings, first_start=True)
    welcome.observer.setText("Anna Petrova")
    welcome.team.setText("Team 1")
    welcome.show()
    save(welcome, "welcome")
    welcome.accept()

    window = MainWindow(settings)
    window.resize(*size)
    window.show()
    demo = work / ("демо.pollcheck" if language == "ru" else "demo.pollcheck")
    make_demo(demo, stations=120, reports=150, seed=7)
    settings.add_recent(demo)
    window.start.refresh()
    save(window, "start")

    window.open_file(demo)
    stations = window.stations_page
    stations.region.setCurrentIndex(stations.region.findData("Capital City"))
    stations.table.selectRow(2)
    save(window, "stations")

    window.show_page(window.reports_page)
    save(window, "reports")

    # A new report, partly filled: skip logic, a finding, a message beside a question.
    station = stations.card.station
    assert station is not None
    window.new_report("eday", station.code)
    page = window.report_page
    entry = page.entry
    assert entry is not None
    page.language.setCurrentIndex(max(0, page.language.findData(language)))
    for path, value in (
        (("arrival_time",), "09:40"),
        (("visit_phases",), "voting"),
        (("departure_time",), "10:25"),
        (("observer_access",), "full"),
        (("other_observers",), "domestic media"),
        (("unauthorized_present",), "police"),
        (("unauthorized_interfering",), "no"),
        (("evoting_used",), "no"),
    ):
        entry.set_answer(path, value)
    access = next(i for i, s in enumerate(entry.sections) if s.group and s.group.name == "access")
    entry.set_section(access)
    entry.focus_path(("unauthorized_present",))
    page.save_now()
    save(window, "entry")

    voting = next(i for i, s in enumerate(entry.sections) if s.group and s.group.name == "voting")
    entry.set_section(voting)
    entry.set_answer(("voting_boxes_sealed",), "no")
    entry.set_answer(("campaigning",), "yes")
    entry.set_answer(("voters_on_list",), "1480")
    entry.set_answer(("voters_added",), "7000")
    entry.focus_path(("voters_added",))
    page.save_now()
    save(window, "entry-voting")

    page.mark_complete()
    assert page.blockers is not None
    save(page.blockers, "complete")
    page.blockers.reject()

    page.show_history()
    (history,) = page.findChildren(HistoryDialog)
    history.tree.expandAll()
    save(history, "history")
    history.close()

    window.show_page(window.tabulation_page)
    save(window, "tabulation")
    summary = window.tabulation_page.page  # built when first shown
    assert summary is not None
    for index, name in ((1, "findings"), (2, "coverage"), (3, "checks")):
        summary.tabs.setCurrentIndex(index)
        save(window, f"summary-{name}")
    summary.tabs.setCurrentIndex(0)

    export = ExportDialog(window.session, window, fmt="pdf-findings")
    export.show()
    save(export, "export")
    export.reject()

    # Files back from the field: a new report in an observer's kit, a file sent twice, a
    # damaged file.
    kit = make_kit(demo, work / "observer-07.pollcheck", observer="Anna Petrova")
    with open_mission(kit) as observer_file:
        create_report(
            observer_file,
            "eday",
            device="laptop-11",
            observer="Anna Petrova",
            station_code=station.code,
            answers={"arrival_time": "07:30", "visit_phases": "opening"},
        )
    again = send_file(demo, work / "region-capital.pollcheck")
    damaged = work / "usb-stick.pollcheck"
    damaged.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16)
    merging = MergeDialog(window.session, window)
    merging.resize(min(1000, size[0]), min(440, size[1]))
    merging.show()
    merging.add_files([kit, again, damaged])
    save(merging, "merge")
    merging.reject()

    # The same files merged for real, and the log the mission keeps of them.
    merge(window.session.mission, [kit, again, damaged])
    log = MergeLogDialog(window.session, window)
    log.resize(min(1100, size[0]), min(360, size[1]))
    log.show()
    save(log, "merge-log")
    log.tabs.setCurrentIndex(1)
    save(log, "kits")
    log.reject()

    kit_dialog = KitDialog(window.session, window)
    kit_dialog.resize(min(560, size[0]), min(460, size[1]))
    kit_dialog.show()
    kit_dialog.observer.setCurrentIndex(max(kit_dialog.observer.findData("Anna Petrova"), 1))
    kit_dialog.regions.item(0).setCheckState(Qt.CheckState.Checked)
    save(kit_dialog, "kit")
    kit_dialog.reject()

    wizard = NewMissionWizard(settings)
    wizard.resize(min(760, size[0]), min(560, size[1]))
    wizard.show()
    wizard.mission_page.title.setText(
        "Выборы президента 2026" if language == "ru" else "Presidential election 2026"
    )
    wizard.mission_page.date.setDate(QDate(2026, 12, 6))
    save(wizard, "wizard-mission")
    wizard.next()
    wizard.next()
    bad = work / "stations.csv"
    bad.write_text(BAD_STATIONS, encoding="utf-8")
    wizard.stations_page.set_file(bad)
    save(wizard, "wizard-stations")
    wizard.reject()

    try:
        raise ZeroDivisionError("an example: what a crash report looks like")
    except ZeroDivisionError as exc:
        report = crash_report(type(exc), exc, exc.__traceback__)
    crash = CrashDialog(report, work / "logs" / "pollcheck.log")
    crash.resize(min(640, size[0]), min(420, size[1]))
    crash.show()
    save(crash, "crash")
    crash.close()

    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
