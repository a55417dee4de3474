"""The real program killed with SIGKILL while answers are entered: nothing older than a second is lost.

Each run starts ``python -m gui.launcher FILE`` offscreen with a script (``POLLCHECK_TEST_SCRIPT``)
that creates a report and enters answers one after another at random pauses, as an observer
would, sometimes moving to the next question and sometimes not. The test kills the process at a
random moment, reopens the file with the core, and checks that every answer entered more than a
second before the kill is stored. Runs go two at a time (the machine has two cores).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from db.mission import open_mission
from db.reports import list_reports
from gui.main_window import MainWindow
from gui.settings import Settings

RUNS = 12
GRACE = 1.0  # seconds: what may be lost is what was entered within this of the kill

# (path, what the script enters, what the mission file must then hold), in form order, each
# relevant given the answers before it.
ANSWERS: list[tuple[list[str], Any, Any]] = [
    (["arrival_time"], "0930", "09:30"),
    (["visit_phases"], "voting", "voting"),
    (["departure_time"], "10:45", "10:45"),
    (["observer_access"], "full", "full"),
    (["other_observers"], "domestic media", "domestic media"),
    (["unauthorized_present"], "none", "none"),
    (["evoting_used"], "no", "no"),
    (["voting_boxes_sealed"], "yes", "yes"),
    (["campaigning"], "no", "no"),
    (["sample_ballot_posted"], "yes", "yes"),
    (["candidate_info_posted"], "no", "no"),
    (["booths_secrecy"], "yes", "yes"),
    (["secrecy_violated"], "no", "no"),
    (["overcrowded"], "yes", "yes"),
    (["voters_on_list"], "1 480", 1480),
    (["voters_added"], "37", 37),
    (["added_without_documents"], "no", "no"),
    (["voters_turned_away"], "2", 2),
    (["already_voted"], "no", "no"),
    (["mobile_requests"], "4", 4),
    (["mobile_list_marked"], "yes", "yes"),
    (["mobile_problems"], "no", "no"),
    (["absentee_data_available"], "yes", "yes"),
    (["organized_voting"], "no", "no"),
    (["voting_tracked"], "no", "no"),
    (["intimidation"], "no", "no"),
    (["overall_assessment"], "bad", "bad"),
    (
        ["assessment_reasons"],
        "Урна не опечатана; давка у входа.",
        "Урна не опечатана; давка у входа.",
    ),
    (["comments"], "Председатель УИК отказался отвечать.", "Председатель УИК отказался отвечать."),
]


@dataclass
class Run:
    seed: int
    folder: Path
    mission: Path
    lines: list[tuple[float, str]] = field(default_factory=list)
    started: float = 0.0
    killed_at: float = 0.0
    checked: int = 0


def _start(run: Run) -> subprocess.Popen[str]:
    rng = random.Random(run.seed)
    steps = [
        {
            "path": path,
            "value": entered,
            "pause_ms": rng.randint(40, 400),
            "leave": rng.random() < 0.3,
        }
        for path, entered, _stored in ANSWERS
    ]
    script = run.folder / "script.json"
    script.write_text(
        json.dumps({"create": {"form": "eday", "station": "ALM-12"}, "steps": steps}),
        encoding="utf-8",
    )
    config = run.folder / "config"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "POLLCHECK_CONFIG_DIR": str(config),
        "POLLCHECK_TEST_SCRIPT": str(script),
        "POLLCHECK_NO_ERR_WINDOWS": "1",
        "POLLCHECK_DEVICE": f"kill-{run.seed}",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "gui.launcher", str(run.mission)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def _drive(run: Run) -> Run:
    """Start the program, kill it at a random moment after it is ready, then check the file."""
    rng = random.Random(run.seed + 1000)
    run.started = time.monotonic()
    proc = _start(run)
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            run.lines.append((time.monotonic(), line.strip()))
            if line.startswith("ready"):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(30), (
            f"the program did not start: {proc.stderr.read() if proc.stderr else ''}"
        )
        time.sleep(rng.uniform(0.2, 4.0))
        run.killed_at = time.monotonic()
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(5)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    _check(run)
    return run


def _check(run: Run) -> None:
    entered = {}
    for stamp, line in run.lines:
        if line.startswith("entered "):
            _, index, _path = line.split(" ", 2)
            entered[int(index)] = stamp
    with open_mission(run.mission) as m:  # read-write: as the program reopens it, WAL recovered
        reports = list_reports(m)
    assert len(reports) == 1, run.lines
    answers = reports[0].answers
    for index, stamp in sorted(entered.items()):
        if stamp > run.killed_at - GRACE:
            continue
        path, _entered, stored = ANSWERS[index]
        assert answers.get(path[0]) == stored, (
            f"seed {run.seed}: {path} entered {run.killed_at - stamp:.2f} s before the kill "
            f"is not saved; the file has {answers.get(path[0])!r}"
        )
        run.checked += 1


@pytest.fixture
def eday_copies(eday_mission: Path, tmp_path: Path) -> Callable[[int], Run]:
    def make(seed: int) -> Run:
        folder = tmp_path / f"run{seed}"
        folder.mkdir()
        mission = folder / "eday.pollcheck"
        shutil.copyfile(eday_mission, mission)
        # The program's settings, written here (Qt objects stay on the test's main thread).
        settings = Settings(folder / "config" / "settings.ini")
        settings.observer = "Kill Test"
        settings.language = "en"
        return Run(seed, folder, mission)

    return make


def test_program__killed_at_random_moments__every_answer_older_than_a_second_is_saved(
    qtbot: QtBot, eday_copies: Callable[[int], Run], settings: Settings
) -> None:
    seed = random.randrange(1_000_000)
    runs = [eday_copies(seed + i) for i in range(RUNS)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(_drive, runs))
    checked = [r.checked for r in done]
    print("start to ready:", [round(r.lines[0][0] - r.started, 2) for r in done])
    # Enough answers were at stake for the runs to mean something (a kill soon after the start
    # leaves none older than a second, which is part of "at any moment").
    assert sum(checked) >= 2 * RUNS, f"seed {seed}: answers checked per run {checked}"
    assert sum(1 for n in checked if n) >= RUNS // 2, f"seed {seed}: {checked}"
    assert sum(1 for r in done for _t, line in r.lines if line.startswith("saved")) >= RUNS

    # The next start reopens the interrupted report where the observer was.
    last = max(done, key=lambda r: r.checked)
    again = Settings(last.folder / "config" / "settings.ini")
    window = MainWindow(again)
    qtbot.addWidget(window)
    assert window.open_file(last.mission)
    with open_mission(last.mission, readonly=True) as m:
        (report,) = list_reports(m)
    assert window.report_page.report is not None
    assert window.report_page.report.uuid == report.uuid
    assert window.current_page() is window.report_page
    window.close()
