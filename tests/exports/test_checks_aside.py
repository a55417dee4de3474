"""The checks of a large export in a second process: the same result as in the export's own
process, nothing left behind, and the export's own process taking over when it fails."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from db.checks import checks_json, run_checks
from db.mission import Mission
from exports import checks_aside
from exports.checks_aside import CHILD_FLAG, ChecksAside
from exports.xlsx import export_xlsx


def _break_a_rule(m: Mission) -> None:
    """A file edited by hand: an answer that is none of the question's choices."""
    m.conn.execute(
        "UPDATE reports SET answers = json_set(answers, '$.sealed', 'maybe')"
        " WHERE station_code = 'SHY-186'"
    )


def test_aside__the_same_checks_as_in_process(visit: Mission) -> None:
    _break_a_rule(visit)
    here = checks_json(run_checks(visit, form_id="visit", language="ru"))
    counts = {c["check"]: c["count"] for c in here["checks"]}
    assert counts["duplicates"] == 1 and counts["rules"] == 1  # something to compare
    with ChecksAside(visit, form_id="visit", language="ru", aside=True) as pending:
        assert pending.aside
        process = pending._process
        report = pending._collect()
    assert report is not None, "the second process gave no result"
    assert checks_json(report) == here
    assert process is not None and process.returncode == 0


def test_aside__rules_only__the_same_checks_as_in_process(visit: Mission) -> None:
    _break_a_rule(visit)
    here = checks_json(run_checks(visit, form_id="visit", language="ru"))
    found = []
    with ChecksAside(visit, form_id="visit", language="ru", rules_only=True, aside=True) as pending:
        collect = pending._collect
        pending._collect = lambda: found.append(collect()) or found[-1]  # type: ignore[method-assign]
        report = pending.result()
    assert found and isinstance(found[0], list) and len(found[0]) == 1, "no rules from aside"
    assert checks_json(report) == here


def test_aside__small_mission_runs_here(visit: Mission) -> None:
    with ChecksAside(visit, form_id="visit", language="en") as pending:
        assert not pending.aside  # six reports: not worth a second process
        assert checks_json(pending.result()) == checks_json(run_checks(visit, form_id="visit"))


def test_aside__a_failing_second_process_leaves_the_checks_to_the_export(
    visit: Mission, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = [sys.executable, "-c", "import sys; sys.stdout.write('garbage'); sys.exit(1)"]
    monkeypatch.setattr(checks_aside, "_command", lambda args: failing)
    _break_a_rule(visit)
    with ChecksAside(visit, form_id="visit", language="en", aside=True) as pending:
        assert pending.aside
        assert pending._collect() is None
        report = pending.result()
    assert checks_json(report) == checks_json(run_checks(visit, form_id="visit"))
    with ChecksAside(visit, form_id="visit", language="en", rules_only=True, aside=True) as p:
        report = p.result()
    assert checks_json(report) == checks_json(run_checks(visit, form_id="visit"))


def test_aside__the_second_process_fails_on_a_file_it_cannot_read(tmp_path: Path) -> None:
    missing = tmp_path / "gone.pollcheck"
    done = subprocess.run(
        [sys.executable, "-m", "exports.checks_aside", "checks", str(missing), "visit", "en"],
        capture_output=True,
        env=checks_aside._environment(),
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == b""


def test_aside__stopped_when_the_export_ends_without_it(
    visit: Mission, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = [sys.executable, "-c", "import time; time.sleep(60)"]
    monkeypatch.setattr(checks_aside, "_command", lambda args: slow)
    with ChecksAside(visit, form_id="visit", language="en", aside=True) as pending:
        process = pending._process
        assert process is not None and process.poll() is None
    assert process.poll() is not None, "the second process still runs after the export"


def test_aside__the_workbook_is_the_same(
    visit: Mission, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = export_xlsx(visit, tmp_path / "here.xlsx", form_id="visit")
    monkeypatch.setattr(checks_aside, "ASIDE_FROM", 1)
    monkeypatch.setattr(checks_aside, "idle_core", lambda: True)
    started = []
    real = checks_aside.subprocess.Popen
    monkeypatch.setattr(
        checks_aside.subprocess, "Popen", lambda *a, **k: started.append(a) or real(*a, **k)
    )
    aside = export_xlsx(visit, tmp_path / "aside.xlsx", form_id="visit")
    assert started, "the export did not start a second process"

    def sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
        book = openpyxl.load_workbook(path, read_only=True)
        out = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
        book.close()
        return out

    one, two = sheets(here), sheets(aside)
    for title in ("Coverage", "Checks"):
        assert one[title] == two[title]
    assert len(two["Checks"]) > 1


def test_launcher_hands_the_flag_to_the_second_process(
    visit: Mission, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    from gui.launcher import CHILD_FLAG as LAUNCHER_FLAG
    from gui.launcher import main

    assert LAUNCHER_FLAG == CHILD_FLAG
    assert main([CHILD_FLAG, "checks", str(visit.path), "visit", "en"]) == 0
    report = pickle.loads(capsysbinary.readouterr().out)  # noqa: S301 - written just above
    assert checks_json(report) == checks_json(run_checks(visit, form_id="visit"))


def test_idle_core__from_the_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks_aside.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(checks_aside.os, "getloadavg", lambda: (1.2, 1.0, 1.0), raising=False)
    assert checks_aside.idle_core()  # the export itself, and a little more
    monkeypatch.setattr(checks_aside.os, "getloadavg", lambda: (1.8, 1.0, 1.0), raising=False)
    assert not checks_aside.idle_core()  # both cores busy: the checks run in the export

    def no_load() -> tuple[float, float, float]:
        raise OSError

    monkeypatch.setattr(checks_aside.os, "getloadavg", no_load, raising=False)
    assert checks_aside.idle_core()
